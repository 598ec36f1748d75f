//! Slots of missions, ours and other nodes' copies.

use super::db::{fetch_all_in, query, query_as, query_scalar, Arg, Tx};
use super::rows::*;
use super::shared::{conflict, push_event};
use super::{Result, SqlStore, StoreError};
use crate::domain::events::Outgoing;
use crate::domain::slot::{Participation, Refusal, Slot, SlotDraft, SlotStatus};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// A slot as another node describes it.
#[derive(Debug, Clone)]
pub struct RemoteSlot {
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub capacity: i64,
    pub participant_count: i64,
    pub cancelled: bool,
    pub updated: DateTime<Utc>,
}

/// Slots.
#[async_trait]
pub trait SlotStore: Send + Sync {
    /// Adds slots (with their ids) to a local mission and records their publication.
    async fn create_slots(
        &self,
        mission_id: i64,
        slots: Vec<(String, SlotDraft)>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Slot>>;
    async fn list_slots(&self, mission_id: i64) -> Result<Vec<Slot>>;
    /// The slots of several missions in one read (a list of mission cards), each mission's
    /// soonest first; a mission without slots is not in the map.
    async fn list_slots_of_missions(&self, mission_ids: &[i64]) -> Result<HashMap<i64, Vec<Slot>>>;
    async fn get_slot(&self, id: i64) -> Result<Slot>;
    async fn find_slot_by_ap_id(&self, ap_id: &str) -> Result<Option<Slot>>;
    /// Changes a local slot's times or capacity (never below the places taken).
    /// `Err(Full)` when the new capacity is lower than the places already taken.
    async fn update_slot(
        &self,
        id: i64,
        draft: SlotDraft,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<Slot, Refusal>>;
    /// Cancels a slot; every active sign-up is withdrawn (and told). Returns them.
    async fn cancel_slot(&self, id: i64, now: DateTime<Utc>) -> Result<Vec<Participation>>;
    /// Inserts or refreshes a slot of a remote mission (an older `updated` is ignored).
    async fn upsert_remote_slot(
        &self,
        mission_id: i64,
        ap_id: &str,
        slot: RemoteSlot,
    ) -> Result<Slot>;
}

pub(super) async fn locked_slot(conn: &mut Tx, id: i64) -> Result<Slot> {
    let sql = format!(
        "SELECT {SLOT_COLS} FROM slot WHERE id = $1{}",
        conn.dialect().for_update()
    );
    query_as::<SlotRow>(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound("slot"))
        .and_then(Slot::try_from)
}

/// Takes one place if one is left; false when the slot is full.
/// Keeps a mission's count of people equal to the sum over its slots.
pub(super) async fn add_to_mission_count(conn: &mut Tx, slot_id: i64, delta: i64) -> Result<()> {
    query(
        "UPDATE mission SET participant_count = participant_count + $2 \
         WHERE id = (SELECT mission_id FROM slot WHERE id = $1) AND participant_count + $2 >= 0",
    )
    .bind(slot_id)
    .bind(delta)
    .execute(conn)
    .await?;
    Ok(())
}

#[async_trait]
impl SlotStore for SqlStore {
    async fn create_slots(
        &self,
        mission_id: i64,
        slots: Vec<(String, SlotDraft)>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Slot>> {
        let mut tx = self.pool.begin_write().await?;
        let local: bool =
            query_scalar::<bool>("SELECT local FROM mission WHERE id = $1 AND deleted_at IS NULL")
                .bind(mission_id)
                .fetch_optional(&mut tx)
                .await?
                .ok_or(StoreError::NotFound("mission"))?;
        let sql = format!(
            "INSERT INTO slot (ap_id, mission_id, local, start_time, end_time, capacity, \
             participant_count, status, updated) VALUES ($1, $2, $3, $4, $5, $6, 0, 'open', $7) \
             RETURNING {SLOT_COLS}"
        );
        let mut out = Vec::with_capacity(slots.len());
        for (ap_id, d) in slots {
            let row = query_as::<SlotRow>(&sql)
                .bind(&ap_id)
                .bind(mission_id)
                .bind(local)
                .bind(d.start_time)
                .bind(d.end_time)
                .bind(d.capacity)
                .bind(now)
                .fetch_one(&mut tx)
                .await
                .map_err(conflict("slot"))?;
            out.push(Slot::try_from(row)?);
        }
        if local {
            let event = Outgoing::SlotsPublished {
                mission_id,
                slot_ids: out.iter().map(|s| s.id).collect(),
            };
            push_event(&mut tx, &event, now).await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn list_slots(&self, mission_id: i64) -> Result<Vec<Slot>> {
        let sql =
            format!("SELECT {SLOT_COLS} FROM slot WHERE mission_id = $1 ORDER BY start_time, id");
        query_as::<SlotRow>(&sql)
            .bind(mission_id)
            .fetch_all_try(&self.pool, Slot::try_from)
            .await
    }

    async fn list_slots_of_missions(&self, mission_ids: &[i64]) -> Result<HashMap<i64, Vec<Slot>>> {
        // A mission's slots all come in the chunk of its id, in the statement's order.
        let sql = |list: &str| {
            format!(
                "SELECT {SLOT_COLS} FROM slot WHERE mission_id IN {list} ORDER BY start_time, id"
            )
        };
        let mut out: HashMap<i64, Vec<Slot>> = HashMap::new();
        for row in fetch_all_in::<SlotRow, _>(&self.pool, mission_ids, sql, Arg::from).await? {
            let slot = Slot::try_from(row)?;
            out.entry(slot.mission_id).or_default().push(slot);
        }
        Ok(out)
    }

    async fn get_slot(&self, id: i64) -> Result<Slot> {
        let sql = format!("SELECT {SLOT_COLS} FROM slot WHERE id = $1");
        query_as::<SlotRow>(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("slot"))
            .and_then(Slot::try_from)
    }

    async fn find_slot_by_ap_id(&self, ap_id: &str) -> Result<Option<Slot>> {
        let sql = format!("SELECT {SLOT_COLS} FROM slot WHERE ap_id = $1");
        query_as::<SlotRow>(&sql)
            .bind(ap_id)
            .fetch_optional(&self.pool)
            .await?
            .map(Slot::try_from)
            .transpose()
    }

    async fn update_slot(
        &self,
        id: i64,
        d: SlotDraft,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<Slot, Refusal>> {
        let mut tx = self.pool.begin_write().await?;
        let before = locked_slot(&mut tx, id).await?;
        if !before.local {
            return Err(StoreError::NotFound("slot"));
        }
        if d.capacity < before.participant_count {
            tx.rollback().await?;
            return Ok(Err(Refusal::Full));
        }
        let sql = format!(
            "UPDATE slot SET start_time = $2, end_time = $3, capacity = $4, updated = $5 WHERE id \
             = $1 RETURNING {SLOT_COLS}"
        );
        let row = query_as::<SlotRow>(&sql)
            .bind(id)
            .bind(d.start_time)
            .bind(d.end_time)
            .bind(d.capacity)
            .bind(before.next_updated(now))
            .fetch_one(&mut tx)
            .await?;
        let slot = Slot::try_from(row)?;
        let moved = before.start_time != slot.start_time || before.end_time != slot.end_time;
        let event = if moved {
            Outgoing::SlotRescheduled { slot_id: id }
        } else {
            Outgoing::SlotChanged { slot_id: id }
        };
        push_event(&mut tx, &event, now).await?;
        tx.commit().await?;
        Ok(Ok(slot))
    }

    async fn cancel_slot(&self, id: i64, now: DateTime<Utc>) -> Result<Vec<Participation>> {
        let mut tx = self.pool.begin_write().await?;
        let slot = locked_slot(&mut tx, id).await?;
        if slot.status == SlotStatus::Cancelled {
            tx.commit().await?;
            return Ok(Vec::new());
        }
        add_to_mission_count(&mut tx, id, -slot.participant_count).await?;
        query(
            "UPDATE slot SET status = 'cancelled', participant_count = 0, updated = $2 WHERE id = \
             $1",
        )
        .bind(id)
        .bind(slot.next_updated(now))
        .execute(&mut tx)
        .await?;
        let sql = format!(
            "UPDATE participation SET status = 'withdrawn', reason = 'slot_cancelled', decided_at \
             = $2 WHERE slot_id = $1 AND status IN ('pending', 'accepted') RETURNING \
             {PARTICIPATION_COLS}"
        );
        let rows = query_as::<ParticipationRow>(&sql)
            .bind(id)
            .bind(now)
            .fetch_all(&mut tx)
            .await?;
        let mut withdrawn = Vec::with_capacity(rows.len());
        for r in rows {
            let p = Participation::try_from(r)?;
            push_event(
                &mut tx,
                &Outgoing::ParticipationChanged {
                    participation_id: p.id,
                },
                now,
            )
            .await?;
            withdrawn.push(p);
        }
        if slot.local {
            push_event(&mut tx, &Outgoing::SlotChanged { slot_id: id }, now).await?;
        }
        tx.commit().await?;
        Ok(withdrawn)
    }

    async fn upsert_remote_slot(
        &self,
        mission_id: i64,
        ap_id: &str,
        r: RemoteSlot,
    ) -> Result<Slot> {
        // The copy only mirrors the owner's numbers; the owner alone decides sign-ups.
        let capacity = r.capacity.max(1);
        let count = r.participant_count.clamp(0, capacity);
        let status = if r.cancelled {
            SlotStatus::Cancelled
        } else {
            SlotStatus::Open
        };
        let mut tx = self.pool.begin_write().await?;
        let sql = format!(
            "INSERT INTO slot (ap_id, mission_id, local, start_time, end_time, capacity, \
             participant_count, status, updated) VALUES ($1, $2, FALSE, $3, $4, $5, $6, $7, $8) ON \
             CONFLICT (ap_id) DO UPDATE SET start_time = $3, end_time = $4, capacity = $5, \
             participant_count = $6, status = $7, updated = $8 WHERE NOT slot.local AND \
             slot.mission_id = $2 AND slot.updated <= $8 RETURNING {SLOT_COLS}"
        );
        let row = query_as::<SlotRow>(&sql)
            .bind(ap_id)
            .bind(mission_id)
            .bind(r.start_time)
            .bind(r.end_time)
            .bind(capacity)
            .bind(count)
            .bind(status.as_str())
            .bind(r.updated)
            .fetch_optional(&mut tx)
            .await?;
        // The copy's count of people is the sum over its slots, as on the owner: each slot's
        // number is the newest its owner sent, whereas Updates of the mission that carry the
        // same `updated` may arrive in any order.
        query(
            "UPDATE mission SET participant_count = (SELECT COALESCE(SUM(participant_count), 0) \
             FROM slot WHERE mission_id = $1) WHERE id = $1 AND NOT local",
        )
        .bind(mission_id)
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        match row {
            Some(row) => Slot::try_from(row),
            None => self
                .find_slot_by_ap_id(ap_id)
                .await?
                .ok_or(StoreError::NotFound("slot")),
        }
    }
}
