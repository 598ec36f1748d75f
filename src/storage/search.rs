//! Search (issue 15): the log of changes each process's search index follows, and the
//! missions and resources the index is built from. The log is written by triggers (migration
//! 0021), in the transaction of each change to a mission, a slot, a resource or an
//! association's name, whichever code writes it; it is read here in an order no later commit
//! can fall behind (see [`ChangeCursor`]).

use super::db::{fetch_all_in, query, query_as, Arg, Dialect};
use super::resources::{ResourceRow, RESOURCE_COLS};
use super::rows::*;
use super::{ActorStore, Result, SlotStore, SqlStore, StoreError};
use crate::domain::{mission::Mission, resource::Resource, slot::Slot};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// A place in the log: `(tx, id)`, compared in that order. On PostgreSQL `tx` is the writing
/// transaction's id and only transactions older than every running one are read, so nothing
/// can later appear before a cursor; on SQLite (one writer at a time) `tx` is 0.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct ChangeCursor {
    pub tx: i64,
    pub id: i64,
}

/// Where the log stands for readers that must see every committed change at once (the pages
/// kept between requests): two reads give the same version only if they saw the same entries.
/// The head every reader may pass ([`SearchStore::search_log_head`]) does not tell that on
/// PostgreSQL: an entry committed while an older transaction still runs, in any database of
/// the server, stays above it until that one ends. So the entries committed above it are
/// counted too, with the greatest id among them, in the same snapshot: a commit adds one, and
/// an entry leaves them only to move the head. On SQLite both are 0. The count reads a range
/// of `search_change_order` that starts at the oldest running transaction: a transaction kept
/// open for long anywhere on the server (a `pg_dump`) makes each read count every entry written
/// since it began, as it holds the search index back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LogVersion {
    pub head: ChangeCursor,
    /// Entries committed above the head (PostgreSQL).
    pub above: i64,
    /// The greatest id among them (0 when none).
    pub last_above: i64,
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// A mission or one of its slots (or its association's name).
    Mission(i64),
    /// A resource (or its owner's name).
    Resource(i64),
    /// Rebuild everything (`entraide admin reindex`).
    All,
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchChange {
    pub at: ChangeCursor,
    pub change: Change,
}

/// Which rows to read: a page of ids after one (to rebuild), or given ids (to follow the log).
#[derive(Debug, Clone, Copy)]
pub enum Pick<'a> {
    /// The searchable rows with an id above `after`, by id, at most `limit`.
    After { after: i64, limit: i64 },
    /// These rows, searchable or not (the caller drops what is no longer searchable).
    Ids(&'a [i64]),
}

/// A mission with what search shows and filters with it.
#[derive(Debug, Clone)]
pub struct MissionSource {
    pub mission: Mission,
    pub slots: Vec<Slot>,
    /// Its association's name.
    pub association: String,
    /// Another software's event (not an Entraide mission).
    pub is_event: bool,
}

/// A resource with its owner's name.
#[derive(Debug, Clone)]
pub struct ResourceSource {
    pub resource: Resource,
    pub owner: String,
    /// Owned by an association of this node.
    pub local: bool,
}

/// The log of changes and the rows the search index is made of.
#[async_trait]
pub trait SearchStore: Send + Sync {
    /// The newest place in the log that every reader may pass now (at least the pruned mark).
    async fn search_log_head(&self) -> Result<ChangeCursor>;
    /// Where the log stands with every committed entry counted (see [`LogVersion`]).
    async fn search_log_version(&self) -> Result<LogVersion>;
    /// The changes after `after`, oldest first, at most `limit`.
    async fn search_changes(&self, after: ChangeCursor, limit: i64) -> Result<Vec<SearchChange>>;
    /// The highest place removed from the log: an index behind it must be rebuilt.
    async fn search_log_pruned(&self) -> Result<ChangeCursor>;
    /// Removes the entries older than `keep_seconds` (by the database's clock); how many. A
    /// negative `keep_seconds` is a moment to come: every settled entry goes.
    async fn prune_search_log(&self, keep_seconds: i64) -> Result<u64>;
    /// Asks every process to rebuild its index (an `all` entry in the log).
    async fn request_reindex(&self) -> Result<()>;
    /// Missions (with their slots and association) to index; `now` bounds what is over.
    async fn search_missions(
        &self,
        pick: Pick<'_>,
        now: DateTime<Utc>,
    ) -> Result<Vec<MissionSource>>;
    /// Resources (with their owner) to index.
    async fn search_resources(&self, pick: Pick<'_>) -> Result<Vec<ResourceSource>>;
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    tx: i64,
    id: i64,
    kind: String,
    item_id: i64,
}

/// Only rows of transactions older than every running one (PostgreSQL).
fn settled(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "",
        Dialect::Postgres => " AND tx < txid_snapshot_xmin(txid_current_snapshot())",
    }
}

/// The entries after the cursor `($1, $2)`, oldest first, at most `$3`: a range of an index
/// from the cursor on, so a poll that finds nothing new costs the same whatever the log holds
/// (issue 17). PostgreSQL compares `(tx, id)` as a row, a range of `search_change_order`. On
/// SQLite `tx` is 0 in every entry and every cursor (one writer: the id alone orders the log),
/// so the range is one of ids, the table's own key; SQLite seeks a row comparison on its first
/// column only, and `tx > $1 OR (tx = $1 AND id > $2)` made it read (and sort) the whole log
/// every 200 ms: 420,000 entries after filling a node of 100,000 missions, a tenth of a core.
pub(super) fn changes_sql(dialect: Dialect) -> String {
    let after = match dialect {
        Dialect::Sqlite => "tx = $1 AND id > $2",
        Dialect::Postgres => "(tx, id) > ($1, $2)",
    };
    format!(
        "SELECT tx, id, kind, item_id FROM search_change WHERE {after}{} ORDER BY tx, id LIMIT $3",
        settled(dialect)
    )
}

/// The newest entry every reader may pass: the last id on SQLite (its key, read backwards from
/// the end), the greatest `(tx, id)` settled on PostgreSQL (`search_change_order`).
pub(super) fn head_sql(dialect: Dialect) -> String {
    let newest = match dialect {
        Dialect::Sqlite => "id DESC",
        Dialect::Postgres => "tx DESC, id DESC",
    };
    format!(
        "SELECT tx, id FROM search_change WHERE TRUE{} ORDER BY {newest} LIMIT 1",
        settled(dialect)
    )
}

/// [`LogVersion`] on PostgreSQL in one statement, so in one snapshot (every
/// `txid_current_snapshot()` of a statement is the same): the settled head ([`head_sql`]), the
/// pruned mark, and the entries above the head that this snapshot sees (a range of
/// `search_change_order` from the oldest running transaction on).
fn version_sql_postgres() -> String {
    format!(
        "SELECT COALESCE(h.tx, 0), COALESCE(h.id, 0), p.tx, p.id, a.n, a.last \
         FROM search_change_pruned p LEFT JOIN LATERAL ({head}) h ON TRUE \
         CROSS JOIN LATERAL (SELECT count(*) AS n, COALESCE(max(id), 0) AS last \
         FROM search_change WHERE tx >= txid_snapshot_xmin(txid_current_snapshot())) a",
        head = head_sql(Dialect::Postgres)
    )
}

impl SqlStore {
    /// The names (and whether local) of these actors, by id.
    async fn actor_labels(&self, ids: &[i64]) -> Result<HashMap<i64, (String, bool)>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        Ok(self
            .get_actors(&ids)
            .await?
            .into_iter()
            .map(|a| (a.id, (a.label().to_string(), a.local)))
            .collect())
    }
}

#[async_trait]
impl SearchStore for SqlStore {
    async fn search_log_head(&self) -> Result<ChangeCursor> {
        let last = query_as::<(i64, i64)>(&head_sql(self.pool.dialect()))
            .fetch_optional(&self.pool)
            .await?
            .map(|(tx, id)| ChangeCursor { tx, id })
            .unwrap_or_default();
        Ok(last.max(self.search_log_pruned().await?))
    }

    async fn search_log_version(&self) -> Result<LogVersion> {
        if self.pool.dialect() == Dialect::Sqlite {
            let head = self.search_log_head().await?;
            return Ok(LogVersion {
                head,
                ..LogVersion::default()
            });
        }
        let (tx, id, pruned_tx, pruned_id, above, last_above) =
            query_as::<(i64, i64, i64, i64, i64, i64)>(&version_sql_postgres())
                .fetch_one(&self.pool)
                .await?;
        let head = ChangeCursor { tx, id }.max(ChangeCursor {
            tx: pruned_tx,
            id: pruned_id,
        });
        Ok(LogVersion {
            head,
            above,
            last_above,
        })
    }

    async fn search_changes(&self, after: ChangeCursor, limit: i64) -> Result<Vec<SearchChange>> {
        let rows = query_as::<ChangeRow>(&changes_sql(self.pool.dialect()))
            .bind(after.tx)
            .bind(after.id)
            .bind(limit.max(1))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|r| {
                let change = match r.kind.as_str() {
                    "mission" => Change::Mission(r.item_id),
                    "resource" => Change::Resource(r.item_id),
                    "all" => Change::All,
                    other => return Err(StoreError::Corrupt(format!("search change {other}"))),
                };
                let at = ChangeCursor { tx: r.tx, id: r.id };
                Ok(SearchChange { at, change })
            })
            .collect()
    }

    async fn search_log_pruned(&self) -> Result<ChangeCursor> {
        let (tx, id) = query_as::<(i64, i64)>("SELECT tx, id FROM search_change_pruned")
            .fetch_one(&self.pool)
            .await?;
        Ok(ChangeCursor { tx, id })
    }

    async fn prune_search_log(&self, keep_seconds: i64) -> Result<u64> {
        let dialect = self.pool.dialect();
        let older = match dialect {
            Dialect::Sqlite => "changed_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', $1)",
            Dialect::Postgres => "changed_at < now() - make_interval(secs => $1::bigint)",
        };
        let keep = || -> Arg<'static> {
            match dialect {
                Dialect::Sqlite => Arg::from(format!("{:+} seconds", -keep_seconds)),
                Dialect::Postgres => Arg::from(keep_seconds),
            }
        };
        let mut tx = self.pool.begin_write().await?;
        let sql = format!(
            "SELECT tx, id FROM search_change WHERE {older}{} ORDER BY tx DESC, id DESC LIMIT 1",
            settled(dialect)
        );
        let Some((last_tx, last_id)) = query_as::<(i64, i64)>(&sql)
            .bind(keep())
            .fetch_optional(&mut tx)
            .await?
        else {
            tx.commit().await?;
            return Ok(0);
        };
        // Only up to the mark recorded: a row committed meanwhile stays for its readers.
        let sql = format!(
            "DELETE FROM search_change WHERE {older} AND (tx < $2 OR (tx = $2 AND id <= $3))"
        );
        let removed = query(&sql)
            .bind(keep())
            .bind(last_tx)
            .bind(last_id)
            .execute(&mut tx)
            .await?
            .rows_affected();
        query(
            "UPDATE search_change_pruned SET tx = $1, id = $2 WHERE tx < $1 OR (tx = $1 AND id < \
             $2)",
        )
        .bind(last_tx)
        .bind(last_id)
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(removed)
    }

    async fn request_reindex(&self) -> Result<()> {
        query("INSERT INTO search_change (kind, item_id) VALUES ('all', 0)")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn search_missions(
        &self,
        pick: Pick<'_>,
        now: DateTime<Utc>,
    ) -> Result<Vec<MissionSource>> {
        let rows: Vec<MissionRow> = match pick {
            Pick::After { after, limit } => {
                let sql = format!(
                    "SELECT {MISSION_COLS} FROM mission WHERE id > $1 AND deleted_at IS NULL AND \
                     status = 'published' AND end_time >= $2 ORDER BY id LIMIT $3"
                );
                query_as::<MissionRow>(&sql)
                    .bind(after)
                    .bind(now)
                    .bind(limit.max(1))
                    .fetch_all(&self.pool)
                    .await?
            }
            Pick::Ids(ids) => {
                let sql =
                    |list: &str| format!("SELECT {MISSION_COLS} FROM mission WHERE id IN {list}");
                fetch_all_in::<MissionRow, _>(&self.pool, ids, sql, Arg::from).await?
            }
        };
        let missions = rows
            .into_iter()
            .map(Mission::try_from)
            .collect::<Result<Vec<_>>>()?;
        let ids: Vec<i64> = missions.iter().map(|m| m.id).collect();
        let sql = |list: &str| format!("SELECT id FROM mission WHERE is_event AND id IN {list}");
        let events: HashSet<i64> = fetch_all_in::<(i64,), _>(&self.pool, &ids, sql, Arg::from)
            .await?
            .into_iter()
            .map(|(id,)| id)
            .collect();
        let mut slots = self.list_slots_of_missions(&ids).await?;
        let owners: Vec<i64> = missions.iter().map(|m| m.actor_id).collect();
        let labels = self.actor_labels(&owners).await?;
        Ok(missions
            .into_iter()
            .map(|m| MissionSource {
                slots: slots.remove(&m.id).unwrap_or_default(),
                association: labels
                    .get(&m.actor_id)
                    .map(|l| l.0.clone())
                    .unwrap_or_default(),
                is_event: events.contains(&m.id),
                mission: m,
            })
            .collect())
    }

    async fn search_resources(&self, pick: Pick<'_>) -> Result<Vec<ResourceSource>> {
        let rows: Vec<ResourceRow> = match pick {
            Pick::After { after, limit } => {
                let sql = format!(
                    "SELECT {RESOURCE_COLS} FROM resource WHERE id > $1 AND deleted_at IS NULL \
                     ORDER BY id LIMIT $2"
                );
                query_as::<ResourceRow>(&sql)
                    .bind(after)
                    .bind(limit.max(1))
                    .fetch_all(&self.pool)
                    .await?
            }
            Pick::Ids(ids) => {
                let sql =
                    |list: &str| format!("SELECT {RESOURCE_COLS} FROM resource WHERE id IN {list}");
                fetch_all_in::<ResourceRow, _>(&self.pool, ids, sql, Arg::from).await?
            }
        };
        let resources = rows
            .into_iter()
            .map(Resource::try_from)
            .collect::<Result<Vec<_>>>()?;
        let owners: Vec<i64> = resources.iter().map(|r| r.actor_id).collect();
        let labels = self.actor_labels(&owners).await?;
        Ok(resources
            .into_iter()
            .map(|r| {
                let (owner, local) = labels.get(&r.actor_id).cloned().unwrap_or_default();
                ResourceSource {
                    resource: r,
                    owner,
                    local,
                }
            })
            .collect())
    }
}
