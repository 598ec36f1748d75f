//! Sign-ups (participations) to slots, and the answers of other nodes to ours. Whether a
//! sign-up is taken is decided by [`crate::domain::sign_up`]; here the slot is locked, what the
//! person holds is read, and the answer is written with its event, in one transaction.

use super::db::{query, query_as, query_scalar, Exec, Tx};
use super::rows::*;
use super::shared::{conflict, push_event};
use super::slots::{add_to_mission_count, locked_slot};
use super::{Result, SqlStore, StoreError};
use crate::domain::events::Outgoing;
use crate::domain::sign_up::{decide_acceptance, decide_sign_up, Held, SignUpDecision};
use crate::domain::{
    mission::MissionStatus,
    slot::{Participant, Participation, ParticipationStatus, Refusal, SignUpOutcome, Slot},
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A request for a place in a slot.
#[derive(Debug, Clone)]
pub struct SignUp {
    pub slot_id: i64,
    pub participant: Participant,
    /// The `Join` activity id, or a fresh local id: the idempotency key.
    pub join_ap_id: String,
    pub message: String,
    /// Take the place now (free join mode) or wait for a coordinator.
    pub auto_accept: bool,
    /// Keep a refused request (to answer a remote `Join` with `Reject`).
    pub record_refusal: bool,
}

/// Sign-ups.
#[async_trait]
pub trait ParticipationStore: Send + Sync {
    /// Takes or asks for a place, in one transaction: the capacity is never exceeded,
    /// and the same `join_ap_id` twice is one sign-up.
    async fn sign_up(&self, request: SignUp, now: DateTime<Utc>) -> Result<SignUpOutcome>;
    /// A coordinator accepts or refuses a pending sign-up. `Err(Full)` when no place is left.
    async fn decide_participation(
        &self,
        id: i64,
        accept: bool,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<Participation, Refusal>>;
    /// The volunteer leaves; an accepted place is freed. `None` if it was not active.
    async fn withdraw_participation(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<Participation>>;
    async fn get_participation(&self, id: i64) -> Result<Participation>;
    async fn find_participation_by_join(&self, join_ap_id: &str) -> Result<Option<Participation>>;
    async fn list_participations(&self, slot_id: i64) -> Result<Vec<Participation>>;
    /// Active sign-ups of a participant on a slot (for `Leave`, which names the slot only).
    async fn active_participation(
        &self,
        slot_id: i64,
        participant: &Participant,
    ) -> Result<Option<Participation>>;
    /// The owner of a remote slot answered our `Join`: accepted, or refused with a reason.
    async fn record_join_answer(
        &self,
        join_ap_id: &str,
        accepted: bool,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Participation>>;
    /// A local user's sign-ups, with their slots, soonest first.
    async fn user_participations(&self, user_id: i64) -> Result<Vec<(Participation, Slot)>>;
}

/// Records that a sign-up changed (the federation worker answers or tells, `notify` writes).
pub(super) async fn participation_changed(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> Result<()> {
    let event = Outgoing::ParticipationChanged {
        participation_id: id,
    };
    push_event(tx, &event, now).await
}

async fn participation_by(
    ex: impl Into<Exec<'_>> + Send,
    column: &str,
    value: &str,
) -> Result<Option<Participation>> {
    let sql = format!("SELECT {PARTICIPATION_COLS} FROM participation WHERE {column} = $1");
    query_as::<ParticipationRow>(&sql)
        .bind(value)
        .fetch_optional(ex)
        .await?
        .map(Participation::try_from)
        .transpose()
}

async fn participation_by_id(ex: impl Into<Exec<'_>> + Send, id: i64) -> Result<Participation> {
    let sql = format!("SELECT {PARTICIPATION_COLS} FROM participation WHERE id = $1");
    query_as::<ParticipationRow>(&sql)
        .bind(id)
        .fetch_optional(ex)
        .await?
        .ok_or(StoreError::NotFound("participation"))
        .and_then(Participation::try_from)
}

async fn take_place(conn: &mut Tx, slot: &Slot, now: DateTime<Utc>) -> Result<bool> {
    move_place(conn, slot, 1, now).await
}

pub(super) async fn free_place(conn: &mut Tx, slot: &Slot, now: DateTime<Utc>) -> Result<()> {
    move_place(conn, slot, -1, now).await.map(|_| ())
}

/// Takes (`delta` 1) or gives back (-1) one place of a slot, locked and read in the caller's
/// transaction, and of its mission's count; false when the slot had no place left (or none
/// taken).
async fn move_place(conn: &mut Tx, slot: &Slot, delta: i64, now: DateTime<Utc>) -> Result<bool> {
    let sql = if delta > 0 {
        "UPDATE slot SET participant_count = participant_count + 1, updated = $2 \
         WHERE id = $1 AND participant_count < capacity"
    } else {
        "UPDATE slot SET participant_count = participant_count - 1, updated = $2 \
         WHERE id = $1 AND participant_count > 0"
    };
    let moved = query(sql)
        .bind(slot.id)
        .bind(slot.next_updated(now))
        .execute(&mut *conn)
        .await?
        .rows_affected()
        == 1;
    if moved {
        add_to_mission_count(conn, slot.id, delta).await?;
    }
    Ok(moved)
}

pub(super) async fn set_participation_status(
    conn: &mut Tx,
    id: i64,
    status: ParticipationStatus,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Participation> {
    let sql = format!(
        "UPDATE participation SET status = $2, reason = $3, decided_at = $4 WHERE id = $1 \
         RETURNING {PARTICIPATION_COLS}"
    );
    query_as::<ParticipationRow>(&sql)
        .bind(id)
        .bind(status.as_str())
        .bind(reason)
        .bind(now)
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound("participation"))
        .and_then(Participation::try_from)
}

/// Active sign-ups of this participant on this slot, and on slots overlapping it.
async fn participant_conflicts(conn: &mut Tx, slot: &Slot, p: &Participant) -> Result<(i64, i64)> {
    let (user_id, actor, _, _) = participant_columns(p);
    if user_id.is_none() && actor.is_none() {
        return Ok((0, 0)); // guests are signed up by name: no identity to compare
    }
    let same: i64 = query_scalar::<i64>(
        "SELECT COUNT(*) FROM participation WHERE slot_id = $1 AND status IN ('pending', \
         'accepted') AND (user_id = $2 OR actor_ap_id = $3)",
    )
    .bind(slot.id)
    .bind(user_id)
    .bind(actor)
    .fetch_one(&mut *conn)
    .await?;
    let overlapping: i64 = query_scalar::<i64>(
        "SELECT COUNT(*) FROM participation p JOIN slot s ON s.id = p.slot_id \
         WHERE p.status IN ('pending', 'accepted') AND (p.user_id = $1 OR p.actor_ap_id = $2) \
         AND s.id <> $3 AND s.status = 'open' AND s.start_time < $5 AND $4 < s.end_time",
    )
    .bind(user_id)
    .bind(actor)
    .bind(slot.id)
    .bind(slot.start_time)
    .bind(slot.end_time)
    .fetch_one(&mut *conn)
    .await?;
    Ok((same, overlapping))
}

async fn insert_participation(
    conn: &mut Tx,
    r: &SignUp,
    status: ParticipationStatus,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Participation> {
    let (user_id, actor, guest_name, guest_contact) = participant_columns(&r.participant);
    let sql = format!(
        "INSERT INTO participation (slot_id, user_id, actor_ap_id, guest_name, guest_contact, \
         join_ap_id, status, message, reason, created_at, decided_at) VALUES ($1, $2, $3, $4, $5, \
         $6, $7, $8, $9, $10, $11) RETURNING {PARTICIPATION_COLS}"
    );
    let decided = (status != ParticipationStatus::Pending).then_some(now);
    query_as::<ParticipationRow>(&sql)
        .bind(r.slot_id)
        .bind(user_id)
        .bind(actor)
        .bind(guest_name)
        .bind(guest_contact)
        .bind(&r.join_ap_id)
        .bind(status.as_str())
        .bind(&r.message)
        .bind(reason)
        .bind(now)
        .bind(decided)
        .fetch_one(conn)
        .await
        .map_err(conflict("sign-up"))
        .and_then(Participation::try_from)
}

/// Only published, not deleted missions take sign-ups.
async fn mission_takes_sign_ups(conn: &mut Tx, mission_id: i64) -> Result<bool> {
    let status: Option<String> =
        query_scalar::<String>("SELECT status FROM mission WHERE id = $1 AND deleted_at IS NULL")
            .bind(mission_id)
            .fetch_optional(conn)
            .await?;
    Ok(status.as_deref() == Some(MissionStatus::Published.as_str()))
}

#[async_trait]
impl ParticipationStore for SqlStore {
    async fn sign_up(&self, r: SignUp, now: DateTime<Utc>) -> Result<SignUpOutcome> {
        let mut tx = self.pool.begin_write().await?;
        if let Some(existing) = participation_by(&mut tx, "join_ap_id", &r.join_ap_id).await? {
            tx.commit().await?;
            return Ok(SignUpOutcome::Existing(existing));
        }
        let slot = locked_slot(&mut tx, r.slot_id).await?;
        let (on_this_slot, overlapping) =
            participant_conflicts(&mut tx, &slot, &r.participant).await?;
        let held = Held {
            mission_open: mission_takes_sign_ups(&mut tx, slot.mission_id).await?,
            on_this_slot: on_this_slot > 0,
            overlapping: overlapping > 0,
        };
        let mut decision = decide_sign_up(&slot, &held, r.auto_accept, now);
        // The slot is locked and was read under the lock: the guard of `take_place` cannot
        // fail, and stays so that the count never passes the capacity.
        if decision == SignUpDecision::Accept && !take_place(&mut tx, &slot, now).await? {
            decision = SignUpDecision::Refuse(Refusal::Full);
        }
        let status = match decision {
            SignUpDecision::Accept => ParticipationStatus::Accepted,
            SignUpDecision::Pending => ParticipationStatus::Pending,
            SignUpDecision::Refuse(why) => {
                if !r.record_refusal {
                    tx.rollback().await?;
                    return Ok(SignUpOutcome::Refused(why, None));
                }
                let p = insert_participation(
                    &mut tx,
                    &r,
                    ParticipationStatus::Rejected,
                    why.code(),
                    now,
                )
                .await?;
                participation_changed(&mut tx, p.id, now).await?;
                tx.commit().await?;
                return Ok(SignUpOutcome::Refused(why, Some(p)));
            }
        };
        let p = insert_participation(&mut tx, &r, status, "", now).await?;
        participation_changed(&mut tx, p.id, now).await?;
        if r.auto_accept && slot.local {
            push_event(&mut tx, &Outgoing::SlotChanged { slot_id: slot.id }, now).await?;
        }
        tx.commit().await?;
        Ok(SignUpOutcome::Recorded(p))
    }

    async fn decide_participation(
        &self,
        id: i64,
        accept: bool,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<std::result::Result<Participation, Refusal>> {
        let mut tx = self.pool.begin_write().await?;
        let current = participation_by_id(&mut tx, id).await?;
        if current.status != ParticipationStatus::Pending {
            tx.rollback().await?;
            return Err(StoreError::Conflict(
                "decision (this sign-up is not pending)",
            ));
        }
        let slot = locked_slot(&mut tx, current.slot_id).await?;
        if accept {
            if let Err(why) = decide_acceptance(&slot, now) {
                tx.rollback().await?;
                return Ok(Err(why));
            }
            // Under the lock the guard of `take_place` cannot fail; it keeps the count in bounds.
            if !take_place(&mut tx, &slot, now).await? {
                tx.rollback().await?;
                return Ok(Err(Refusal::Full));
            }
        }
        let status = if accept {
            ParticipationStatus::Accepted
        } else {
            ParticipationStatus::Rejected
        };
        let p = set_participation_status(&mut tx, id, status, reason, now).await?;
        participation_changed(&mut tx, id, now).await?;
        if accept && slot.local {
            push_event(&mut tx, &Outgoing::SlotChanged { slot_id: slot.id }, now).await?;
        }
        tx.commit().await?;
        Ok(Ok(p))
    }

    async fn withdraw_participation(
        &self,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<Participation>> {
        let mut tx = self.pool.begin_write().await?;
        let current = participation_by_id(&mut tx, id).await?;
        if !current.status.is_active() {
            tx.rollback().await?;
            return Ok(None);
        }
        let slot = locked_slot(&mut tx, current.slot_id).await?;
        if current.status == ParticipationStatus::Accepted {
            free_place(&mut tx, &slot, now).await?;
        }
        let p = set_participation_status(&mut tx, id, ParticipationStatus::Withdrawn, "left", now)
            .await?;
        participation_changed(&mut tx, id, now).await?;
        if current.status == ParticipationStatus::Accepted && slot.local {
            push_event(&mut tx, &Outgoing::SlotChanged { slot_id: slot.id }, now).await?;
        }
        tx.commit().await?;
        Ok(Some(p))
    }

    async fn get_participation(&self, id: i64) -> Result<Participation> {
        participation_by_id(&self.pool, id).await
    }

    async fn find_participation_by_join(&self, join_ap_id: &str) -> Result<Option<Participation>> {
        participation_by(&self.pool, "join_ap_id", join_ap_id).await
    }

    async fn list_participations(&self, slot_id: i64) -> Result<Vec<Participation>> {
        let sql = format!(
            "SELECT {PARTICIPATION_COLS} FROM participation WHERE slot_id = $1 ORDER BY \
             created_at, id"
        );
        query_as::<ParticipationRow>(&sql)
            .bind(slot_id)
            .fetch_all_try(&self.pool, Participation::try_from)
            .await
    }

    async fn active_participation(
        &self,
        slot_id: i64,
        participant: &Participant,
    ) -> Result<Option<Participation>> {
        let (user_id, actor, _, _) = participant_columns(participant);
        let sql = format!(
            "SELECT {PARTICIPATION_COLS} FROM participation WHERE slot_id = $1 \
             AND status IN ('pending', 'accepted') AND (user_id = $2 OR actor_ap_id = $3) ORDER \
             BY id LIMIT 1"
        );
        query_as::<ParticipationRow>(&sql)
            .bind(slot_id)
            .bind(user_id)
            .bind(actor)
            .fetch_optional(&self.pool)
            .await?
            .map(Participation::try_from)
            .transpose()
    }

    async fn record_join_answer(
        &self,
        join_ap_id: &str,
        accepted: bool,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Participation>> {
        let status = if accepted {
            ParticipationStatus::Accepted
        } else {
            ParticipationStatus::Rejected
        };
        let sql = format!(
            "UPDATE participation SET status = $2, reason = $3, decided_at = $4 \
             WHERE join_ap_id = $1 AND status IN ('pending', 'accepted') \
             AND slot_id IN (SELECT id FROM slot WHERE NOT local) RETURNING {PARTICIPATION_COLS}"
        );
        // Recorded with the answer: our user is told (notifications).
        let mut tx = self.pool.begin_write().await?;
        let p = query_as::<ParticipationRow>(&sql)
            .bind(join_ap_id)
            .bind(status.as_str())
            .bind(reason)
            .bind(now)
            .fetch_optional(&mut tx)
            .await?
            .map(Participation::try_from)
            .transpose()?;
        if let Some(p) = &p {
            participation_changed(&mut tx, p.id, now).await?;
        }
        tx.commit().await?;
        Ok(p)
    }

    async fn user_participations(&self, user_id: i64) -> Result<Vec<(Participation, Slot)>> {
        let sql = "SELECT p.id, p.slot_id, p.user_id, p.actor_ap_id, p.guest_name, \
                   p.guest_contact, p.join_ap_id, p.status, p.message, p.reason, p.created_at, \
                   p.decided_at, s.id AS s_id, s.ap_id AS s_ap_id, s.mission_id AS s_mission_id, \
                   s.local AS s_local, s.start_time AS s_start_time, s.end_time AS s_end_time, \
                   s.capacity AS s_capacity, s.participant_count AS s_participant_count, s.status \
                   AS s_status, s.updated AS s_updated FROM participation p JOIN slot s ON s.id = \
                   p.slot_id WHERE p.user_id = $1 ORDER BY s.start_time, p.id";
        query_as::<ParticipationWithSlotRow>(sql)
            .bind(user_id)
            .fetch_all_try(&self.pool, <(Participation, Slot)>::try_from)
            .await
    }
}
