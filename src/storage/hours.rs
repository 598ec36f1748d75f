//! Volunteer hours (issue 5): entries, their append-only history, each association's settings,
//! and attendance at slots. Every change of an entry writes its history row in the same
//! transaction.
use super::db::{query, query_as, query_scalar, Exec, Pool, Tx};
use super::shared::{conflict, push_event};
use super::{Result, SqlStore};
use crate::domain::events::Outgoing;
use async_trait::async_trait;

use crate::domain::hours::{HoursDraft, HoursEntry, HoursStatus, Volunteer};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use std::str::FromStr;

/// An entry to insert.
#[derive(Debug, Clone)]
pub struct NewHoursEntry {
    pub actor_id: i64,
    pub volunteer: Volunteer,
    pub draft: HoursDraft,
    pub status: HoursStatus,
    pub slot_id: Option<i64>,
    pub participation_id: Option<i64>,
    /// The `EconomicEvent` id, for an entry that crosses servers.
    pub ap_id: Option<String>,
}

/// Which entries to list (all filters optional).
#[derive(Debug, Clone, Default)]
pub struct HoursQuery {
    pub actor_id: Option<i64>,
    pub user_id: Option<i64>,
    /// First day, included.
    pub from: Option<NaiveDate>,
    /// Last day, included.
    pub to: Option<NaiveDate>,
    pub status: Option<HoursStatus>,
    pub limit: i64,
}

/// One change of an entry: `before` is `None` for a creation, `after` for a deletion.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct HoursHistory {
    pub id: i64,
    pub entry_id: i64,
    pub changed_by: Option<i64>,
    pub changed_at: DateTime<Utc>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// What marking a sign-up present or absent did.
#[derive(Debug, Clone, PartialEq)]
pub enum AttendanceOutcome {
    /// Recorded now; the new entry for a presence.
    Recorded { entry: Option<Box<HoursEntry>> },
    /// Already marked before: nothing changed.
    AlreadyMarked {
        present: bool,
        entry_id: Option<i64>,
    },
}

pub(super) const HOURS_SELECT: &str = "SELECT h.id, h.actor_id, h.user_id, h.guest_name, \
    u.name AS user_name, h.start_date, h.end_date, h.minutes, h.distance_km, h.category, \
    h.mission_id, h.description, h.status, h.reason, h.slot_id, h.participation_id, h.created_by, \
    h.created_at, h.updated_at, h.remote_actor, h.ap_id FROM hours_entry h LEFT JOIN user_account u ON u.id = h.user_id";

#[derive(sqlx::FromRow)]
pub(super) struct HoursRow {
    id: i64,
    actor_id: i64,
    user_id: Option<i64>,
    guest_name: Option<String>,
    user_name: Option<String>,
    start_date: String,
    end_date: String,
    minutes: i64,
    distance_km: Option<String>,
    category: String,
    mission_id: Option<i64>,
    description: String,
    status: String,
    reason: String,
    slot_id: Option<i64>,
    participation_id: Option<i64>,
    created_by: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    remote_actor: Option<String>,
    ap_id: Option<String>,
}

fn corrupt(id: i64, what: &str) -> super::StoreError {
    super::StoreError::Corrupt(format!("hours entry {id}: bad {what}"))
}

impl TryFrom<HoursRow> for HoursEntry {
    type Error = super::StoreError;

    fn try_from(r: HoursRow) -> Result<HoursEntry, Self::Error> {
        let date =
            |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| corrupt(r.id, "date"));
        let volunteer = match (r.user_id, &r.guest_name, &r.remote_actor) {
            (Some(user_id), _, _) => Volunteer::User { user_id },
            (None, name, Some(actor_ap_id)) => Volunteer::Remote {
                actor_ap_id: actor_ap_id.clone(),
                name: name.clone().unwrap_or_default(),
            },
            (None, Some(name), None) => Volunteer::Guest { name: name.clone() },
            // The user's account was deleted: the hours stay, anonymous.
            (None, None, None) => Volunteer::Guest {
                name: String::new(),
            },
        };
        let distance_km = r
            .distance_km
            .as_deref()
            .map(|s| Decimal::from_str(s).map_err(|_| corrupt(r.id, "distance")))
            .transpose()?;
        Ok(HoursEntry {
            id: r.id,
            actor_id: r.actor_id,
            volunteer,
            user_name: r.user_name,
            draft: HoursDraft {
                start_date: date(&r.start_date)?,
                end_date: date(&r.end_date)?,
                minutes: r.minutes,
                distance_km,
                category: r.category,
                mission_id: r.mission_id,
                description: r.description,
            },
            status: HoursStatus::parse(&r.status).ok_or_else(|| corrupt(r.id, "status"))?,
            reason: r.reason,
            slot_id: r.slot_id,
            participation_id: r.participation_id,
            ap_id: r.ap_id,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct HistoryRow {
    id: i64,
    entry_id: i64,
    changed_by: Option<i64>,
    changed_at: DateTime<Utc>,
    before_json: Option<String>,
    after_json: Option<String>,
}

impl TryFrom<HistoryRow> for HoursHistory {
    type Error = super::StoreError;

    fn try_from(r: HistoryRow) -> Result<HoursHistory, Self::Error> {
        let parse = |s: &Option<String>| {
            s.as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| super::StoreError::Corrupt(format!("hours history {}: {e}", r.id)))
        };
        Ok(HoursHistory {
            id: r.id,
            entry_id: r.entry_id,
            changed_by: r.changed_by,
            changed_at: r.changed_at,
            before: parse(&r.before_json)?,
            after: parse(&r.after_json)?,
        })
    }
}

pub(super) fn entry_json(e: &HoursEntry) -> super::Result<String> {
    serde_json::to_string(e).map_err(|err| super::StoreError::Corrupt(err.to_string()))
}

/// The stored text of a date.
pub(super) fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(super) fn settings_from_row(
    actor_id: i64,
    row: (bool, String, String, String),
) -> super::Result<crate::domain::hours::HoursSettings> {
    let bad =
        |what: &str| super::StoreError::Corrupt(format!("hours settings {actor_id}: bad {what}"));
    let (moderation, hourly, per_category, mileage) = row;
    let category_rates: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&per_category).map_err(|_| bad("category rates"))?;
    let mut rates = std::collections::BTreeMap::new();
    for (k, v) in category_rates {
        rates.insert(k, Decimal::from_str(&v).map_err(|_| bad("category rate"))?);
    }
    Ok(crate::domain::hours::HoursSettings {
        moderation,
        hourly_rate: Decimal::from_str(&hourly).map_err(|_| bad("hourly rate"))?,
        category_rates: rates,
        mileage_rate: Decimal::from_str(&mileage).map_err(|_| bad("mileage rate"))?,
    })
}

async fn hrs_get(
    ex: impl Into<Exec<'_>> + Send,
    id: i64,
    lock: bool,
) -> crate::storage::Result<crate::domain::hours::HoursEntry> {
    let mut conn: Exec<'_> = ex.into();
    // `FOR UPDATE` cannot go with the outer join on PostgreSQL: lock the row first.
    if lock {
        let sql = format!(
            "SELECT id FROM hours_entry WHERE id = $1{}",
            conn.dialect().for_update()
        );
        query(&sql).bind(id).execute(&mut conn).await?;
    }
    let sql = format!("{} WHERE h.id = $1", crate::storage::hours::HOURS_SELECT);
    query_as::<crate::storage::hours::HoursRow>(&sql)
        .bind(id)
        .fetch_optional(&mut conn)
        .await?
        .ok_or(crate::storage::StoreError::NotFound("hours entry"))
        .and_then(crate::domain::hours::HoursEntry::try_from)
}

async fn hrs_history_insert(
    conn: &mut Tx,
    entry_id: i64,
    actor_id: i64,
    by: Option<i64>,
    before: Option<&crate::domain::hours::HoursEntry>,
    after: Option<&crate::domain::hours::HoursEntry>,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::storage::Result<()> {
    use crate::storage::hours::entry_json;
    query(
        "INSERT INTO hours_history (entry_id, actor_id, changed_by, changed_at, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(entry_id)
    .bind(actor_id)
    .bind(by)
    .bind(now)
    .bind(before.map(entry_json).transpose()?)
    .bind(after.map(entry_json).transpose()?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn hrs_insert(
    conn: &mut Tx,
    e: &crate::storage::hours::NewHoursEntry,
    by: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::storage::Result<crate::domain::hours::HoursEntry> {
    use crate::domain::hours::Volunteer;
    use crate::storage::hours::day;
    let (user_id, guest_name, remote_actor) = match &e.volunteer {
        Volunteer::User { user_id } => (Some(*user_id), None, None),
        Volunteer::Guest { name } => (None, Some(name.clone()), None),
        Volunteer::Remote { actor_ap_id, name } => {
            (None, Some(name.clone()), Some(actor_ap_id.clone()))
        }
    };
    let d = &e.draft;
    let id: i64 = query_scalar::<i64>(
        "INSERT INTO hours_entry (actor_id, user_id, guest_name, start_date, end_date, minutes, \
         distance_km, category, mission_id, description, status, reason, slot_id, participation_id, \
         created_by, created_at, updated_at, remote_actor, ap_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '', $12, $13, $14, $15, $15, $16, $17) \
         RETURNING id",
    )
    .bind(e.actor_id)
    .bind(user_id)
    .bind(guest_name)
    .bind(day(d.start_date))
    .bind(day(d.end_date))
    .bind(d.minutes)
    .bind(d.distance_km.map(|k| k.to_string()))
    .bind(&d.category)
    .bind(d.mission_id)
    .bind(&d.description)
    .bind(e.status.as_str())
    .bind(e.slot_id)
    .bind(e.participation_id)
    .bind(by)
    .bind(now)
    .bind(remote_actor)
    .bind(&e.ap_id)
    .fetch_one(&mut *conn)
    .await
    .map_err(conflict("hours entry"))?;
    let entry = hrs_get(&mut *conn, id, false).await?;
    hrs_history_insert(&mut *conn, id, e.actor_id, by, None, Some(&entry), now).await?;
    Ok(entry)
}

async fn hrs_create(
    pool: &Pool,
    e: &crate::storage::hours::NewHoursEntry,
    by: Option<i64>,
    event: Option<fn(i64) -> crate::domain::events::Outgoing>,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::storage::Result<crate::domain::hours::HoursEntry> {
    let mut tx = pool.begin_write().await?;
    let entry = hrs_insert(&mut tx, e, by, now).await?;
    if let Some(event) = event {
        push_event(&mut tx, &event(entry.id), now).await?;
    }
    tx.commit().await?;
    Ok(entry)
}

async fn hrs_slot_attendance(
    pool: &Pool,
    slot_id: i64,
) -> crate::storage::Result<Vec<(i64, bool, Option<i64>)>> {
    Ok(query_as::<(i64, bool, Option<i64>)>(
        "SELECT participation_id, present, entry_id FROM attendance WHERE slot_id = $1 \
         ORDER BY participation_id",
    )
    .bind(slot_id)
    .fetch_all(pool)
    .await?)
}

async fn hrs_took_part(
    pool: &Pool,
    association_id: i64,
    actor_ap_id: &str,
) -> crate::storage::Result<bool> {
    let n: i64 = query_scalar::<i64>(
        "SELECT COUNT(*) FROM participation p JOIN slot s ON s.id = p.slot_id \
         JOIN mission m ON m.id = s.mission_id \
         WHERE m.actor_id = $1 AND p.actor_ap_id = $2 AND p.status = 'accepted'",
    )
    .bind(association_id)
    .bind(actor_ap_id)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

async fn hrs_by_ap_id(
    pool: &Pool,
    ap_id: &str,
) -> crate::storage::Result<Option<crate::domain::hours::HoursEntry>> {
    let sql = format!("{} WHERE h.ap_id = $1", crate::storage::hours::HOURS_SELECT);
    query_as::<crate::storage::hours::HoursRow>(&sql)
        .bind(ap_id)
        .fetch_optional(pool)
        .await?
        .map(crate::domain::hours::HoursEntry::try_from)
        .transpose()
}

async fn hrs_get_one(
    pool: &Pool,
    id: i64,
) -> crate::storage::Result<crate::domain::hours::HoursEntry> {
    hrs_get(pool, id, false).await
}

#[allow(clippy::too_many_arguments)]
async fn hrs_update(
    pool: &Pool,
    id: i64,
    draft: &crate::domain::hours::HoursDraft,
    status: crate::domain::hours::HoursStatus,
    reason: &str,
    by: Option<i64>,
    event: Option<&crate::domain::events::Outgoing>,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::storage::Result<crate::domain::hours::HoursEntry> {
    use crate::storage::hours::day;
    let mut tx = pool.begin_write().await?;
    let before = hrs_get(&mut tx, id, true).await?;
    query(
        "UPDATE hours_entry SET start_date = $2, end_date = $3, minutes = $4, distance_km = $5, \
         category = $6, mission_id = $7, description = $8, status = $9, reason = $10, updated_at = $11 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(day(draft.start_date))
    .bind(day(draft.end_date))
    .bind(draft.minutes)
    .bind(draft.distance_km.map(|k| k.to_string()))
    .bind(&draft.category)
    .bind(draft.mission_id)
    .bind(&draft.description)
    .bind(status.as_str())
    .bind(reason)
    .bind(now)
    .execute(&mut tx)
    .await?;
    let after = hrs_get(&mut tx, id, false).await?;
    hrs_history_insert(
        &mut tx,
        id,
        before.actor_id,
        by,
        Some(&before),
        Some(&after),
        now,
    )
    .await?;
    if let Some(event) = event {
        push_event(&mut tx, event, now).await?;
    }
    tx.commit().await?;
    Ok(after)
}

async fn hrs_delete(
    pool: &Pool,
    id: i64,
    by: Option<i64>,
    event: Option<&crate::domain::events::Outgoing>,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::storage::Result<()> {
    let mut tx = pool.begin_write().await?;
    let before = hrs_get(&mut tx, id, true).await?;
    query("UPDATE attendance SET entry_id = NULL WHERE entry_id = $1")
        .bind(id)
        .execute(&mut tx)
        .await?;
    query("DELETE FROM hours_entry WHERE id = $1")
        .bind(id)
        .execute(&mut tx)
        .await?;
    hrs_history_insert(&mut tx, id, before.actor_id, by, Some(&before), None, now).await?;
    if let Some(event) = event {
        push_event(&mut tx, event, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn hrs_list(
    pool: &Pool,
    q: &crate::storage::hours::HoursQuery,
) -> crate::storage::Result<Vec<crate::domain::hours::HoursEntry>> {
    use crate::storage::hours::day;
    let sql = format!(
        "{} WHERE ($1 IS NULL OR h.actor_id = $1) AND ($2 IS NULL OR h.user_id = $2) \
         AND ($3 IS NULL OR h.start_date >= $3) AND ($4 IS NULL OR h.start_date <= $4) \
         AND ($5 IS NULL OR h.status = $5) ORDER BY h.start_date DESC, h.id DESC LIMIT $6",
        crate::storage::hours::HOURS_SELECT
    );
    query_as::<crate::storage::hours::HoursRow>(&sql)
        .bind(q.actor_id)
        .bind(q.user_id)
        .bind(q.from.map(day))
        .bind(q.to.map(day))
        .bind(q.status.map(|s| s.as_str()))
        .bind(q.limit)
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(crate::domain::hours::HoursEntry::try_from)
        .collect()
}

async fn hrs_history(
    pool: &Pool,
    entry_id: i64,
) -> crate::storage::Result<Vec<crate::storage::hours::HoursHistory>> {
    query_as::<crate::storage::hours::HistoryRow>(
        "SELECT id, entry_id, changed_by, changed_at, before_json, after_json FROM hours_history \
         WHERE entry_id = $1 ORDER BY id",
    )
    .bind(entry_id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(crate::storage::hours::HoursHistory::try_from)
    .collect()
}

async fn hrs_settings(
    pool: &Pool,
    actor_id: i64,
) -> crate::storage::Result<Option<crate::domain::hours::HoursSettings>> {
    query_as::<(bool, String, String, String)>(
        "SELECT moderation, hourly_rate, category_rates, mileage_rate FROM hours_settings WHERE actor_id = $1",
    )
    .bind(actor_id)
    .fetch_optional(pool)
    .await?
    .map(|row| crate::storage::hours::settings_from_row(actor_id, row))
    .transpose()
}

async fn hrs_set_settings(
    pool: &Pool,
    actor_id: i64,
    s: &crate::domain::hours::HoursSettings,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::storage::Result<()> {
    let per_category: std::collections::BTreeMap<&String, String> = s
        .category_rates
        .iter()
        .map(|(k, v)| (k, v.to_string()))
        .collect();
    let per_category = serde_json::to_string(&per_category)
        .map_err(|e| crate::storage::StoreError::Corrupt(e.to_string()))?;
    query(
        "INSERT INTO hours_settings (actor_id, moderation, hourly_rate, category_rates, mileage_rate, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (actor_id) DO UPDATE SET moderation = excluded.moderation, \
         hourly_rate = excluded.hourly_rate, category_rates = excluded.category_rates, \
         mileage_rate = excluded.mileage_rate, updated_at = excluded.updated_at",
    )
    .bind(actor_id)
    .bind(s.moderation)
    .bind(s.hourly_rate.to_string())
    .bind(per_category)
    .bind(s.mileage_rate.to_string())
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

async fn hrs_mark_attendance(
    pool: &Pool,
    participation_id: i64,
    slot_id: i64,
    present: bool,
    entry: Option<&crate::storage::hours::NewHoursEntry>,
    by: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::storage::Result<crate::storage::hours::AttendanceOutcome> {
    use crate::storage::hours::AttendanceOutcome;
    let mut tx = pool.begin_write().await?;
    let done = query(
        "INSERT INTO attendance (participation_id, slot_id, present, entry_id, marked_by, marked_at) \
         VALUES ($1, $2, $3, NULL, $4, $5) ON CONFLICT (participation_id) DO NOTHING",
    )
    .bind(participation_id)
    .bind(slot_id)
    .bind(present)
    .bind(by)
    .bind(now)
    .execute(&mut tx)
    .await?;
    if done.rows_affected() == 0 {
        let (present, entry_id) = query_as::<(bool, Option<i64>)>(
            "SELECT present, entry_id FROM attendance WHERE participation_id = $1",
        )
        .bind(participation_id)
        .fetch_one(&mut tx)
        .await?;
        tx.commit().await?;
        return Ok(AttendanceOutcome::AlreadyMarked { present, entry_id });
    }
    let created = match (present, entry) {
        (true, Some(e)) => {
            let created = hrs_insert(&mut tx, e, by, now).await?;
            query("UPDATE attendance SET entry_id = $2 WHERE participation_id = $1")
                .bind(participation_id)
                .bind(created.id)
                .execute(&mut tx)
                .await?;
            Some(Box::new(created))
        }
        _ => None,
    };
    tx.commit().await?;
    Ok(AttendanceOutcome::Recorded { entry: created })
}

/// Hours, settings and attendance.
#[async_trait]
pub trait HoursStore: Send + Sync {
    async fn hours_settings(
        &self,
        actor_id: i64,
    ) -> Result<Option<crate::domain::hours::HoursSettings>>;
    async fn set_hours_settings(
        &self,
        actor_id: i64,
        settings: &crate::domain::hours::HoursSettings,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Inserts an entry; `event`, given the new entry's id, is the federation event recorded
    /// in the same transaction (hours sent to or answered for another server).
    async fn create_hours_entry(
        &self,
        entry: NewHoursEntry,
        by: Option<i64>,
        event: Option<fn(i64) -> Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::hours::HoursEntry>;
    async fn get_hours_entry(&self, id: i64) -> Result<crate::domain::hours::HoursEntry>;
    /// The entry that crossed servers with this `EconomicEvent` id.
    async fn find_hours_entry_by_ap_id(
        &self,
        ap_id: &str,
    ) -> Result<Option<crate::domain::hours::HoursEntry>>;
    #[allow(clippy::too_many_arguments)]
    async fn update_hours_entry(
        &self,
        id: i64,
        draft: crate::domain::hours::HoursDraft,
        status: crate::domain::hours::HoursStatus,
        reason: &str,
        by: Option<i64>,
        event: Option<&Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::hours::HoursEntry>;
    async fn delete_hours_entry(
        &self,
        id: i64,
        by: Option<i64>,
        event: Option<&Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn list_hours_entries(
        &self,
        query: HoursQuery,
    ) -> Result<Vec<crate::domain::hours::HoursEntry>>;
    async fn hours_history(&self, entry_id: i64) -> Result<Vec<HoursHistory>>;
    /// The marks of a slot's sign-ups: `(participation, present, hours entry)`.
    async fn slot_attendance(&self, slot_id: i64) -> Result<Vec<(i64, bool, Option<i64>)>>;
    /// Whether this person of another server took part (accepted) in a slot of the association.
    async fn took_part_remotely(&self, association_id: i64, actor_ap_id: &str) -> Result<bool>;
    /// Marks a sign-up present or absent, once: a presence inserts `entry` in the same
    /// transaction; a second mark changes nothing and says what the first one was.
    async fn mark_attendance(
        &self,
        participation_id: i64,
        slot_id: i64,
        present: bool,
        entry: Option<NewHoursEntry>,
        by: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<AttendanceOutcome>;
}

#[async_trait]
impl HoursStore for SqlStore {
    async fn hours_settings(
        &self,
        actor_id: i64,
    ) -> Result<Option<crate::domain::hours::HoursSettings>> {
        hrs_settings(&self.pool, actor_id).await
    }

    async fn set_hours_settings(
        &self,
        actor_id: i64,
        settings: &crate::domain::hours::HoursSettings,
        now: DateTime<Utc>,
    ) -> Result<()> {
        hrs_set_settings(&self.pool, actor_id, settings, now).await
    }

    async fn create_hours_entry(
        &self,
        entry: crate::storage::NewHoursEntry,
        by: Option<i64>,
        event: Option<fn(i64) -> Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::hours::HoursEntry> {
        hrs_create(&self.pool, &entry, by, event, now).await
    }

    async fn get_hours_entry(&self, id: i64) -> Result<crate::domain::hours::HoursEntry> {
        hrs_get_one(&self.pool, id).await
    }

    async fn find_hours_entry_by_ap_id(
        &self,
        ap_id: &str,
    ) -> Result<Option<crate::domain::hours::HoursEntry>> {
        hrs_by_ap_id(&self.pool, ap_id).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn update_hours_entry(
        &self,
        id: i64,
        draft: crate::domain::hours::HoursDraft,
        status: crate::domain::hours::HoursStatus,
        reason: &str,
        by: Option<i64>,
        event: Option<&Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::hours::HoursEntry> {
        hrs_update(&self.pool, id, &draft, status, reason, by, event, now).await
    }

    async fn delete_hours_entry(
        &self,
        id: i64,
        by: Option<i64>,
        event: Option<&Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        hrs_delete(&self.pool, id, by, event, now).await
    }

    async fn list_hours_entries(
        &self,
        query: crate::storage::HoursQuery,
    ) -> Result<Vec<crate::domain::hours::HoursEntry>> {
        hrs_list(&self.pool, &query).await
    }

    async fn hours_history(&self, entry_id: i64) -> Result<Vec<crate::storage::HoursHistory>> {
        hrs_history(&self.pool, entry_id).await
    }

    async fn slot_attendance(&self, slot_id: i64) -> Result<Vec<(i64, bool, Option<i64>)>> {
        hrs_slot_attendance(&self.pool, slot_id).await
    }

    async fn took_part_remotely(&self, association_id: i64, actor_ap_id: &str) -> Result<bool> {
        hrs_took_part(&self.pool, association_id, actor_ap_id).await
    }

    async fn mark_attendance(
        &self,
        participation_id: i64,
        slot_id: i64,
        present: bool,
        entry: Option<crate::storage::NewHoursEntry>,
        by: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<crate::storage::AttendanceOutcome> {
        hrs_mark_attendance(
            &self.pool,
            participation_id,
            slot_id,
            present,
            entry.as_ref(),
            by,
            now,
        )
        .await
    }
}
