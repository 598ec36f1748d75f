//! Missions, ours and other nodes'.

use super::db::{fetch_all_in, query, query_as, query_scalar, Arg, Dialect, QueryAs};
use super::rows::*;
use super::shared::{conflict, push_event};
use super::{Result, SqlStore, StoreError};
use crate::domain::events::Outgoing;
use crate::domain::mission::{Mission, MissionDraft, MissionStatus};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A mission to insert: the checked draft plus what the service decided.
#[derive(Debug, Clone)]
pub struct NewMission {
    pub ap_id: String,
    pub url: String,
    pub actor_id: i64,
    pub content_html: String,
    pub draft: MissionDraft,
    pub now: DateTime<Utc>,
}

/// A mission read from another node, to insert or refresh.
#[derive(Debug, Clone)]
pub struct RemoteMission {
    pub ap_id: String,
    pub url: String,
    pub actor_id: i64,
    pub content_html: String,
    pub remote_summary: String,
    pub draft: MissionDraft,
    pub participant_count: i64,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// Another software's event (Mobilizon, Gancio), not an Entraide mission: searched as an
    /// event, and people take part at its origin.
    pub is_event: bool,
}

/// Which missions to list.
#[derive(Debug, Clone, Default)]
pub struct MissionQuery {
    pub actor_id: Option<i64>,
    /// `Some(true)`: ours; `Some(false)`: from other nodes.
    pub local: Option<bool>,
    /// Only missions not yet over at this time.
    pub upcoming_after: Option<DateTime<Utc>>,
    pub limit: i64,
    pub offset: i64,
    /// Keyset page: only missions after this `(start_time, id)` in the list's order (a
    /// cursor; cheap at any depth, unlike `offset`, and nothing added meanwhile before it
    /// shifts the page).
    pub after: Option<(DateTime<Utc>, i64)>,
    /// Also list drafts (for the association's coordinators).
    pub include_drafts: bool,
}

/// Missions.
#[async_trait]
pub trait MissionStore: Send + Sync {
    async fn create_mission(&self, mission: NewMission) -> Result<Mission>;
    async fn update_mission(
        &self,
        id: i64,
        draft: MissionDraft,
        content_html: &str,
        now: DateTime<Utc>,
    ) -> Result<Mission>;
    /// Marks a local mission deleted (it then answers 410) and records the `Delete`.
    async fn delete_mission(&self, id: i64, now: DateTime<Utc>) -> Result<()>;
    async fn get_mission(&self, id: i64) -> Result<Mission>;
    /// Several missions in one read, deleted or not, by id; unknown ids are left out.
    async fn get_missions(&self, ids: &[i64]) -> Result<Vec<Mission>>;
    async fn find_mission_by_ap_id(&self, ap_id: &str) -> Result<Option<Mission>>;
    async fn list_missions(&self, query: MissionQuery) -> Result<Vec<Mission>>;
    /// How many public (not draft, not deleted) missions this node published.
    async fn count_local_missions(&self) -> Result<i64>;
    /// Inserts or refreshes a remote mission; an older `updated` than stored is ignored.
    async fn upsert_remote_mission(&self, mission: RemoteMission) -> Result<Mission>;
    async fn delete_remote_mission(&self, ap_id: &str, now: DateTime<Utc>) -> Result<bool>;
}

fn skills_json(skills: &[String]) -> String {
    serde_json::to_string(skills).unwrap_or_else(|_| "[]".into())
}

/// The columns a mission draft fills, bound as `$1`…`$23` by `bind_draft`.
const DRAFT_COLS: &str = "title, description, category, skills, place_name, street_address, \
    postal_code, locality, country, latitude, longitude, online, start_time, end_time, capacity, \
    join_mode, status, regular, commitment_minutes, commitment_period, reduced_mobility, \
    open_to_minors, contact";
const DRAFT_PARAMS: &str =
    "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
     $21, $22, $23";
const DRAFT_SET: &str = "title = $1, description = $2, category = $3, skills = $4, place_name = \
    $5, street_address = $6, postal_code = $7, locality = $8, country = $9, latitude = $10, \
    longitude = $11, online = $12, start_time = $13, end_time = $14, capacity = $15, join_mode = \
    $16, status = $17, regular = $18, commitment_minutes = $19, commitment_period = $20, \
    reduced_mobility = $21, open_to_minors = $22, contact = $23";

/// Binds a draft's fields as `$1`…`$23`, in `DRAFT_COLS` order.
fn bind_draft<'q>(q: QueryAs<'q, MissionRow>, d: &'q MissionDraft) -> QueryAs<'q, MissionRow> {
    q.bind(&d.title)
        .bind(&d.description)
        .bind(&d.category)
        .bind(skills_json(&d.skills))
        .bind(&d.place.name)
        .bind(&d.place.street_address)
        .bind(&d.place.postal_code)
        .bind(&d.place.locality)
        .bind(&d.place.country)
        .bind(d.place.latitude)
        .bind(d.place.longitude)
        .bind(d.online)
        .bind(d.start_time)
        .bind(d.end_time)
        .bind(d.capacity)
        .bind(d.join_mode.as_str())
        .bind(d.status.as_str())
        .bind(d.regular)
        .bind(d.commitment_minutes)
        .bind(&d.commitment_period)
        .bind(d.reduced_mobility)
        .bind(d.open_to_minors)
        .bind(&d.contact)
}

#[async_trait]
impl MissionStore for SqlStore {
    async fn create_mission(&self, m: NewMission) -> Result<Mission> {
        let mut tx = self.pool.begin_write().await?;
        let sql = format!(
            "INSERT INTO mission ({DRAFT_COLS}, ap_id, actor_id, local, content_html, \
             remote_summary, participant_count, url, published, updated) VALUES ({DRAFT_PARAMS}, \
             $24, $25, TRUE, $26, '', 0, $27, $28, $28) RETURNING {MISSION_COLS}"
        );
        let row = bind_draft(query_as::<MissionRow>(&sql), &m.draft)
            .bind(&m.ap_id)
            .bind(m.actor_id)
            .bind(&m.content_html)
            .bind(&m.url)
            .bind(m.now)
            .fetch_one(&mut tx)
            .await
            .map_err(conflict("mission"))?;
        let mission = Mission::try_from(row)?;
        push_event(
            &mut tx,
            &Outgoing::MissionPublished {
                mission_id: mission.id,
            },
            m.now,
        )
        .await?;
        tx.commit().await?;
        Ok(mission)
    }

    async fn update_mission(
        &self,
        id: i64,
        d: MissionDraft,
        content_html: &str,
        now: DateTime<Utc>,
    ) -> Result<Mission> {
        let mut tx = self.pool.begin_write().await?;
        let before: String = query_scalar::<String>(
            "SELECT status FROM mission WHERE id = $1 AND local AND deleted_at IS NULL",
        )
        .bind(id)
        .fetch_optional(&mut tx)
        .await?
        .ok_or(StoreError::NotFound("mission"))?;
        let sql = format!(
            "UPDATE mission SET {DRAFT_SET}, content_html = $24, updated = $25 \
             WHERE id = $26 AND local AND deleted_at IS NULL RETURNING {MISSION_COLS}"
        );
        let row = bind_draft(query_as::<MissionRow>(&sql), &d)
            .bind(content_html)
            .bind(now)
            .bind(id)
            .fetch_optional(&mut tx)
            .await?
            .ok_or(StoreError::NotFound("mission"))?;
        let mission = Mission::try_from(row)?;
        // A draft that goes public is announced with a Create, not an Update.
        let event = if before == MissionStatus::Draft.as_str() {
            Outgoing::MissionPublished { mission_id: id }
        } else {
            Outgoing::MissionUpdated { mission_id: id }
        };
        push_event(&mut tx, &event, now).await?;
        tx.commit().await?;
        Ok(mission)
    }

    async fn delete_mission(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        let mut tx = self.pool.begin_write().await?;
        let done = query(
            "UPDATE mission SET deleted_at = $2, updated = $2 WHERE id = $1 AND local AND \
             deleted_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(&mut tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Err(StoreError::NotFound("mission"));
        }
        push_event(&mut tx, &Outgoing::MissionDeleted { mission_id: id }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_mission(&self, id: i64) -> Result<Mission> {
        let sql = format!("SELECT {MISSION_COLS} FROM mission WHERE id = $1");
        query_as::<MissionRow>(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound("mission"))
            .and_then(Mission::try_from)
    }

    async fn get_missions(&self, ids: &[i64]) -> Result<Vec<Mission>> {
        let sql = |list: &str| format!("SELECT {MISSION_COLS} FROM mission WHERE id IN {list}");
        let rows = fetch_all_in::<MissionRow, _>(&self.pool, ids, sql, Arg::from).await?;
        let mut out = (rows.into_iter().map(Mission::try_from)).collect::<Result<Vec<_>>>()?;
        out.sort_by_key(|m| m.id);
        out.dedup_by_key(|m| m.id);
        Ok(out)
    }

    async fn find_mission_by_ap_id(&self, ap_id: &str) -> Result<Option<Mission>> {
        let sql = format!("SELECT {MISSION_COLS} FROM mission WHERE ap_id = $1");
        query_as::<MissionRow>(&sql)
            .bind(ap_id)
            .fetch_optional(&self.pool)
            .await?
            .map(Mission::try_from)
            .transpose()
    }

    async fn list_missions(&self, q: MissionQuery) -> Result<Vec<Mission>> {
        let limit = if q.limit <= 0 { 100 } else { q.limit.min(500) };
        let (sql, args) = list_sql(self.pool.dialect(), &q, limit);
        let mut query = query_as::<MissionRow>(&sql);
        for arg in args {
            query = query.bind(arg);
        }
        query.fetch_all_try(&self.pool, Mission::try_from).await
    }

    async fn count_local_missions(&self) -> Result<i64> {
        Ok(query_scalar::<i64>(
            "SELECT COUNT(*) FROM mission WHERE local AND deleted_at IS NULL AND status <> 'draft'",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    async fn upsert_remote_mission(&self, m: RemoteMission) -> Result<Mission> {
        let sql = format!(
            "INSERT INTO mission ({DRAFT_COLS}, ap_id, actor_id, local, content_html, \
             remote_summary, participant_count, url, published, updated, is_event) VALUES \
             ({DRAFT_PARAMS}, $24, $25, FALSE, $26, $27, $28, $29, $30, $31, $32) ON CONFLICT \
             (ap_id) DO UPDATE SET {DRAFT_SET}, content_html = $26, remote_summary = $27, \
             participant_count = $28, url = $29, updated = $31, is_event = $32 WHERE NOT \
             mission.local AND mission.actor_id = $25 AND mission.deleted_at IS NULL AND \
             mission.updated <= $31 RETURNING {MISSION_COLS}"
        );
        let row = bind_draft(query_as::<MissionRow>(&sql), &m.draft)
            .bind(&m.ap_id)
            .bind(m.actor_id)
            .bind(&m.content_html)
            .bind(&m.remote_summary)
            .bind(m.participant_count)
            .bind(&m.url)
            .bind(m.published)
            .bind(m.updated)
            .bind(m.is_event)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => Mission::try_from(row),
            // Not applied (older, deleted or not theirs): answer with what we keep.
            None => self
                .find_mission_by_ap_id(&m.ap_id)
                .await?
                .ok_or(StoreError::NotFound("mission")),
        }
    }

    async fn delete_remote_mission(&self, ap_id: &str, now: DateTime<Utc>) -> Result<bool> {
        Ok(query(
            "UPDATE mission SET deleted_at = $2 WHERE ap_id = $1 AND NOT local AND deleted_at IS \
             NULL",
        )
        .bind(ap_id)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            > 0)
    }
}

/// How long a mission may last and still be found, when it is under way, among the missions
/// that started within that time: longer ones are read through their own index
/// (`mission_long_end`, migration 0029), as they are few.
const SHORT_HOURS: i64 = 24;

/// A mission lasting more than [`SHORT_HOURS`], written as the partial index `mission_long_end`
/// is (a planner uses the index only for this very expression).
fn long_mission(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "julianday(end_time) - julianday(start_time) > 1.0",
        Dialect::Postgres => "end_time - start_time > interval '24 hours'",
    }
}

/// The long missions' table and order as the second part of a list reads them: both planners
/// would rather walk a start index in order (every past mission) than the small
/// `mission_long_end` and a sort of its few rows; SQLite is told the index, PostgreSQL is given
/// an order no index serves (the same order: the start plus nothing). Measured at 10,000
/// missions on PostgreSQL: 11.8 ms with `ORDER BY start_time`, 0.5 ms so.
fn long_missions(dialect: Dialect) -> (&'static str, &'static str) {
    match dialect {
        Dialect::Sqlite => ("mission INDEXED BY mission_long_end", "start_time, id"),
        Dialect::Postgres => ("mission", "start_time + interval '0 seconds', id"),
    }
}

/// The statement of a list of missions and its arguments: only the filters asked for (a
/// `($1 IS NULL OR …)` filter keeps a planner from using the index of that column), ordered by
/// the start as the indexes `mission_start`, `mission_actor`, `mission_local_start` and
/// `mission_remote_start` are.
///
/// Missions not over at `t` are those started since `t - SHORT_HOURS` that end after `t` (a
/// range of the start index, whatever the node's history) plus the long ones that end after
/// `t` (a range of `mission_long_end`); each part is read up to `offset + limit` rows in
/// order, and the two are merged.
pub(super) fn list_sql(
    dialect: Dialect,
    q: &MissionQuery,
    limit: i64,
) -> (String, Vec<Arg<'static>>) {
    let mut args: Vec<Arg<'static>> = Vec::new();
    let mut filters = vec!["deleted_at IS NULL".to_string()];
    if let Some(actor) = q.actor_id {
        args.push(actor.into());
        filters.push(format!("actor_id = ${}", args.len()));
    }
    // Written out, not bound: the partial indexes `mission_local_start` and
    // `mission_remote_start` serve only these very terms.
    match q.local {
        Some(true) => filters.push("local".into()),
        Some(false) => filters.push("NOT local".into()),
        None => {}
    }
    if !q.include_drafts {
        filters.push("status <> 'draft'".into());
    }
    // Keyset pagination (`cursor`): after the last mission of the previous page.
    if let Some((start, id)) = q.after {
        args.push(start.into());
        let at = args.len();
        args.push(id.into());
        filters.push(format!(
            "(start_time > ${at} OR (start_time = ${at} AND id > ${}))",
            args.len()
        ));
    }
    let offset = q.offset.max(0);
    let Some(after) = q.upcoming_after else {
        let sql = format!(
            "SELECT {MISSION_COLS} FROM mission WHERE {} ORDER BY start_time, id LIMIT {limit} \
             OFFSET {offset}",
            filters.join(" AND ")
        );
        return (sql, args);
    };
    args.push(after.into());
    let at = args.len();
    args.push((after - chrono::Duration::hours(SHORT_HOURS)).into());
    let since = args.len();
    let both = filters.join(" AND ");
    let first = offset.saturating_add(limit);
    let (table, order) = long_missions(dialect);
    let sql = format!(
        "SELECT {MISSION_COLS} FROM mission WHERE id IN (\
         SELECT id FROM (SELECT id, start_time FROM mission WHERE {both} AND start_time >= ${since} \
         AND end_time >= ${at} ORDER BY start_time, id LIMIT {first}) AS recent UNION ALL \
         SELECT id FROM (SELECT id, start_time FROM {table} WHERE {both} AND start_time < ${since} \
         AND end_time >= ${at} AND {long} ORDER BY {order} LIMIT {first}) AS long_ones) \
         ORDER BY start_time, id LIMIT {limit} OFFSET {offset}",
        long = long_mission(dialect),
    );
    (sql, args)
}
