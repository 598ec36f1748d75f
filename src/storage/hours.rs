//! Volunteer hours (issue 5): entries, their append-only history, each association's settings,
//! and attendance at slots. Every change of an entry writes its history row in the same
//! transaction.

use super::db::{query, query_as, query_scalar, values_list, Arg, Exec, Pool, Tx};
use super::shared::{conflict, push_event};
use super::{Result, SqlStore};
use crate::domain::events::Outgoing;
use async_trait::async_trait;

use super::hours_rows::*;
use chrono::{DateTime, NaiveDate, Utc};

pub(super) async fn read_entry(
    ex: impl Into<Exec<'_>> + Send,
    id: i64,
    lock: bool,
) -> Result<crate::domain::hours::HoursEntry> {
    let mut conn: Exec<'_> = ex.into();
    // `FOR UPDATE` cannot go with the outer join on PostgreSQL: lock the row first.
    if lock {
        let sql = format!(
            "SELECT id FROM hours_entry WHERE id = $1{}",
            conn.dialect().for_update()
        );
        query(&sql).bind(id).execute(&mut conn).await?;
    }
    let sql = format!("{} WHERE h.id = $1", HOURS_SELECT);
    query_as::<HoursRow>(&sql)
        .bind(id)
        .fetch_optional(&mut conn)
        .await?
        .ok_or(crate::storage::StoreError::NotFound("hours entry"))
        .and_then(crate::domain::hours::HoursEntry::try_from)
}

pub(super) async fn insert_history(
    conn: &mut Tx,
    entry_id: i64,
    actor_id: i64,
    by: Option<i64>,
    before: Option<&crate::domain::hours::HoursEntry>,
    after: Option<&crate::domain::hours::HoursEntry>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    query(
        "INSERT INTO hours_history (entry_id, actor_id, changed_by, changed_at, before_json, \
         after_json) VALUES ($1, $2, $3, $4, $5, $6)",
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

async fn insert_entry(
    conn: &mut Tx,
    e: &NewHoursEntry,
    by: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<crate::domain::hours::HoursEntry> {
    use crate::domain::hours::Volunteer;
    let (user_id, guest_name, remote_actor) = match &e.volunteer {
        Volunteer::User { user_id } => (Some(*user_id), None, None),
        Volunteer::Guest { name } => (None, Some(name.clone()), None),
        Volunteer::Remote { actor_ap_id, name } => {
            (None, Some(name.clone()), Some(actor_ap_id.clone()))
        }
        Volunteer::Former => (None, None, None),
    };
    let d = &e.draft;
    let id: i64 = query_scalar::<i64>(
        "INSERT INTO hours_entry (actor_id, user_id, guest_name, start_date, end_date, minutes, \
         distance_km, category, mission_id, description, status, reason, slot_id, \
         participation_id, created_by, created_at, updated_at, remote_actor, ap_id) VALUES ($1, \
         $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '', $12, $13, $14, $15, $15, $16, $17) \
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
    let entry = read_entry(&mut *conn, id, false).await?;
    insert_history(&mut *conn, id, e.actor_id, by, None, Some(&entry), now).await?;
    Ok(entry)
}

async fn create_entry(
    pool: &Pool,
    e: &NewHoursEntry,
    by: Option<i64>,
    event: Option<fn(i64) -> crate::domain::events::Outgoing>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<crate::domain::hours::HoursEntry> {
    let mut tx = pool.begin_write().await?;
    let entry = insert_entry(&mut tx, e, by, now).await?;
    if let Some(event) = event {
        push_event(&mut tx, &event(entry.id), now).await?;
    }
    tx.commit().await?;
    Ok(entry)
}

async fn record_attendance(
    pool: &Pool,
    participation_id: i64,
    slot_id: i64,
    present: bool,
    entry: Option<&NewHoursEntry>,
    by: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<AttendanceOutcome> {
    let mut tx = pool.begin_write().await?;
    let done = query(
        "INSERT INTO attendance (participation_id, slot_id, present, entry_id, marked_by, \
         marked_at) VALUES ($1, $2, $3, NULL, $4, $5) ON CONFLICT (participation_id) DO NOTHING",
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
            let created = insert_entry(&mut tx, e, by, now).await?;
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
    /// The entries `query` selects, oldest first (`start_date`, then id), after `after`, at
    /// most `query.limit`: one chunk of an export read in keyset order (each chunk costs the
    /// same however deep it is).
    async fn hours_entries_after(
        &self,
        query: HoursQuery,
        after: Option<(NaiveDate, i64)>,
    ) -> Result<Vec<crate::domain::hours::HoursEntry>>;
    async fn hours_history(&self, entry_id: i64) -> Result<Vec<HoursHistory>>;
    /// The marks of a slot's sign-ups: `(participation, present, hours entry)`.
    async fn slot_attendance(&self, slot_id: i64) -> Result<Vec<(i64, bool, Option<i64>)>>;
    /// For each of these slots, by id, its accepted sign-ups and its marks (one read for a
    /// list of slots); an id that names no slot is left out.
    async fn attendance_counts(&self, slot_ids: &[i64]) -> Result<Vec<AttendanceCount>>;
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
        query_as::<(bool, String, String, String)>(
            "SELECT moderation, hourly_rate, category_rates, mileage_rate FROM hours_settings \
             WHERE actor_id = $1",
        )
        .bind(actor_id)
        .fetch_optional(&self.pool)
        .await?
        .map(|row| settings_from_row(actor_id, row))
        .transpose()
    }

    async fn set_hours_settings(
        &self,
        actor_id: i64,
        settings: &crate::domain::hours::HoursSettings,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let s = settings;
        let per_category: std::collections::BTreeMap<&String, String> = s
            .category_rates
            .iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect();
        let per_category = serde_json::to_string(&per_category)
            .map_err(|e| crate::storage::StoreError::Corrupt(e.to_string()))?;
        query(
            "INSERT INTO hours_settings (actor_id, moderation, hourly_rate, category_rates, \
             mileage_rate, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (actor_id) DO \
             UPDATE SET moderation = excluded.moderation, hourly_rate = excluded.hourly_rate, \
             category_rates = excluded.category_rates, mileage_rate = excluded.mileage_rate, \
             updated_at = excluded.updated_at",
        )
        .bind(actor_id)
        .bind(s.moderation)
        .bind(s.hourly_rate.to_string())
        .bind(per_category)
        .bind(s.mileage_rate.to_string())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn create_hours_entry(
        &self,
        entry: crate::storage::NewHoursEntry,
        by: Option<i64>,
        event: Option<fn(i64) -> Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::hours::HoursEntry> {
        create_entry(&self.pool, &entry, by, event, now).await
    }

    async fn get_hours_entry(&self, id: i64) -> Result<crate::domain::hours::HoursEntry> {
        read_entry(&self.pool, id, false).await
    }

    async fn find_hours_entry_by_ap_id(
        &self,
        ap_id: &str,
    ) -> Result<Option<crate::domain::hours::HoursEntry>> {
        let sql = format!("{} WHERE h.ap_id = $1", HOURS_SELECT);
        query_as::<HoursRow>(&sql)
            .bind(ap_id)
            .fetch_optional(&self.pool)
            .await?
            .map(crate::domain::hours::HoursEntry::try_from)
            .transpose()
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
        let draft = &draft;
        let mut tx = self.pool.begin_write().await?;
        let before = read_entry(&mut tx, id, true).await?;
        query(
            "UPDATE hours_entry SET start_date = $2, end_date = $3, minutes = $4, distance_km = \
             $5, category = $6, mission_id = $7, description = $8, status = $9, reason = $10, \
             updated_at = $11 WHERE id = $1",
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
        let after = read_entry(&mut tx, id, false).await?;
        insert_history(
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

    async fn delete_hours_entry(
        &self,
        id: i64,
        by: Option<i64>,
        event: Option<&Outgoing>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_write().await?;
        let before = read_entry(&mut tx, id, true).await?;
        query("UPDATE attendance SET entry_id = NULL WHERE entry_id = $1")
            .bind(id)
            .execute(&mut tx)
            .await?;
        query("DELETE FROM hours_entry WHERE id = $1")
            .bind(id)
            .execute(&mut tx)
            .await?;
        insert_history(&mut tx, id, before.actor_id, by, Some(&before), None, now).await?;
        if let Some(event) = event {
            push_event(&mut tx, event, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn list_hours_entries(
        &self,
        query: crate::storage::HoursQuery,
    ) -> Result<Vec<crate::domain::hours::HoursEntry>> {
        let (sql, args) = list_sql(&query);
        let mut select = query_as::<HoursRow>(&sql);
        for arg in args {
            select = select.bind(arg);
        }
        select
            .fetch_all_try(&self.pool, crate::domain::hours::HoursEntry::try_from)
            .await
    }

    async fn hours_entries_after(
        &self,
        query: crate::storage::HoursQuery,
        after: Option<(NaiveDate, i64)>,
    ) -> Result<Vec<crate::domain::hours::HoursEntry>> {
        let q = &query;
        let sql = format!(
            "{} WHERE ($1 IS NULL OR h.actor_id = $1) AND ($2 IS NULL OR h.user_id = $2) \
             AND ($3 IS NULL OR h.start_date >= $3) AND ($4 IS NULL OR h.start_date <= $4) \
             AND ($5 IS NULL OR h.status = $5) \
             AND ($7 IS NULL OR h.start_date > $7 OR (h.start_date = $7 AND h.id > $8)) \
             ORDER BY h.start_date, h.id LIMIT $6",
            HOURS_SELECT
        );
        query_as::<HoursRow>(&sql)
            .bind(q.actor_id)
            .bind(q.user_id)
            .bind(q.from.map(day))
            .bind(q.to.map(day))
            .bind(q.status.map(|s| s.as_str()))
            .bind(q.limit)
            .bind(after.map(|(d, _)| day(d)))
            .bind(after.map(|(_, id)| id))
            .fetch_all_try(&self.pool, crate::domain::hours::HoursEntry::try_from)
            .await
    }

    async fn hours_history(&self, entry_id: i64) -> Result<Vec<crate::storage::HoursHistory>> {
        query_as::<HistoryRow>(
            "SELECT id, entry_id, changed_by, changed_at, before_json, after_json FROM \
             hours_history WHERE entry_id = $1 ORDER BY id",
        )
        .bind(entry_id)
        .fetch_all_try(&self.pool, HoursHistory::try_from)
        .await
    }

    async fn slot_attendance(&self, slot_id: i64) -> Result<Vec<(i64, bool, Option<i64>)>> {
        Ok(query_as::<(i64, bool, Option<i64>)>(
            "SELECT participation_id, present, entry_id FROM attendance WHERE slot_id = $1 \
             ORDER BY participation_id",
        )
        .bind(slot_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn attendance_counts(&self, slot_ids: &[i64]) -> Result<Vec<AttendanceCount>> {
        let mut ids = slot_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT s.id AS slot_id, (SELECT COUNT(*) FROM participation p WHERE p.slot_id = \
                 s.id AND p.status = 'accepted') AS accepted, (SELECT COUNT(*) FROM attendance \
                 a WHERE a.slot_id = s.id) AS marked FROM slot s WHERE s.id IN {} ORDER BY s.id",
                values_list(1, chunk.len(), 1)
            );
            let mut read = query_as::<AttendanceCount>(&sql);
            for id in chunk {
                read = read.bind(*id);
            }
            out.extend(read.fetch_all(&self.pool).await?);
        }
        Ok(out)
    }

    async fn took_part_remotely(&self, association_id: i64, actor_ap_id: &str) -> Result<bool> {
        let n: i64 = query_scalar::<i64>(
            "SELECT COUNT(*) FROM participation p JOIN slot s ON s.id = p.slot_id JOIN mission m \
             ON m.id = s.mission_id WHERE m.actor_id = $1 AND p.actor_ap_id = $2 AND p.status = \
             'accepted'",
        )
        .bind(association_id)
        .bind(actor_ap_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
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
        record_attendance(
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

/// The statement of a list of hours entries and its arguments: only the filters asked for (a
/// `($1 IS NULL OR …)` filter keeps a planner from using the index of that column,
/// `hours_entry_actor` or `hours_entry_user`), newest first as those indexes are ordered,
/// before a `(day, id)` for a keyset page.
pub(super) fn list_sql(q: &crate::storage::HoursQuery) -> (String, Vec<Arg<'static>>) {
    let mut args: Vec<Arg<'static>> = Vec::new();
    let mut filters: Vec<String> = Vec::new();
    let mut filter = |condition: &str, value: Arg<'static>| {
        args.push(value);
        filters.push(format!("{condition} ${}", args.len()));
    };
    if let Some(a) = q.actor_id {
        filter("h.actor_id =", a.into());
    }
    if let Some(u) = q.user_id {
        filter("h.user_id =", u.into());
    }
    if let Some(d) = q.from {
        filter("h.start_date >=", day(d).into());
    }
    if let Some(d) = q.to {
        filter("h.start_date <=", day(d).into());
    }
    if let Some(s) = q.status {
        filter("h.status =", s.as_str().into());
    }
    if let Some((d, id)) = q.before {
        args.push(day(d).into());
        args.push(id.into());
        let (d, id) = (args.len() - 1, args.len());
        filters.push(format!(
            "(h.start_date < ${d} OR (h.start_date = ${d} AND h.id < ${id}))"
        ));
    }
    let sql = format!(
        "{HOURS_SELECT}{}{} ORDER BY h.start_date DESC, h.id DESC LIMIT {}",
        if filters.is_empty() { "" } else { " WHERE " },
        filters.join(" AND "),
        q.limit.max(0)
    );
    (sql, args)
}
