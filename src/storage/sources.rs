//! The aggregator's side of the store: its sources and their freshness, the items taken from
//! them, the consent of remote publishers (FEP-5feb), and, on every node, what it publishes
//! now (the `/relay/current` collection), newest change first.

use super::db::{query, query_as, query_scalar};
use super::{Result, SqlStore, StoreError};
use crate::domain::aggregator::{NewSource, Source, SourceKind, WalkOutcome};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// One item this node publishes now: a mission (`"mission"`) or a resource (`"resource"`).
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentItem {
    pub kind: String,
    pub id: i64,
    pub updated: DateTime<Utc>,
}

/// An item the aggregator took: `"mission"` (from an Entraide node), `"event"` (from
/// Mobilizon or another server), `"resource"`.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregatedItem {
    pub ap_id: String,
    pub source_id: Option<i64>,
    pub kind: String,
    pub updated: DateTime<Utc>,
}

/// The aggregator's sources and what it took, and what this node publishes now.
#[async_trait]
pub trait SourceStore: Send + Sync {
    /// Records a source (conflict when its actor is already one).
    async fn add_source(&self, source: NewSource, now: DateTime<Utc>) -> Result<Source>;
    /// Every source, oldest first.
    async fn list_sources(&self) -> Result<Vec<Source>>;
    async fn find_source(&self, id: i64) -> Result<Option<Source>>;
    async fn find_source_by_actor(&self, actor_ap_id: &str) -> Result<Option<Source>>;
    /// Forgets a source (the items it brought stay, no longer linked to it).
    async fn remove_source(&self, id: i64) -> Result<bool>;
    /// An activity arrived from this actor: if it is a source, it was heard now.
    async fn source_heard(&self, actor_ap_id: &str, now: DateTime<Utc>) -> Result<bool>;
    /// A walk of the source starts now.
    async fn source_walk_started(&self, id: i64, now: DateTime<Utc>) -> Result<()>;
    /// A walk of the source ended: a success resets the errors, a failure counts one more.
    async fn source_walk_ended(
        &self,
        id: i64,
        outcome: &WalkOutcome,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Records (or refreshes) an item taken from a source.
    async fn record_aggregated_item(&self, item: AggregatedItem, now: DateTime<Utc>) -> Result<()>;
    async fn find_aggregated_item(&self, ap_id: &str) -> Result<Option<AggregatedItem>>;
    /// The item left (deleted, gone, out of the territory): forgotten.
    async fn forget_aggregated_item(&self, ap_id: &str) -> Result<bool>;
    /// How many items each source brought, by source id.
    async fn count_aggregated_items(&self) -> Result<Vec<(i64, i64)>>;
    /// What a remote actor said of being indexed, as read from its document.
    async fn set_actor_consent(
        &self,
        actor_ap_id: &str,
        indexable: bool,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// `None` when its document was never read since the aggregator started.
    async fn actor_consent(&self, actor_ap_id: &str) -> Result<Option<bool>>;
    /// This node's public missions not over at `now` and its resources, newest change first.
    async fn list_current_items(
        &self,
        now: DateTime<Utc>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<CurrentItem>>;
    async fn count_current_items(&self, now: DateTime<Utc>) -> Result<i64>;
}

#[derive(sqlx::FromRow)]
struct SourceRow {
    id: i64,
    input: String,
    actor_ap_id: String,
    kind: String,
    host: String,
    collection: String,
    added_at: DateTime<Utc>,
    last_activity_at: Option<DateTime<Utc>>,
    last_attempt_at: Option<DateTime<Utc>>,
    last_success_at: Option<DateTime<Utc>>,
    error_count: i64,
    last_error: String,
    items: i64,
}

impl From<SourceRow> for Source {
    fn from(r: SourceRow) -> Source {
        Source {
            id: r.id,
            input: r.input,
            actor_ap_id: r.actor_ap_id,
            kind: SourceKind::parse(&r.kind),
            host: r.host,
            collection: r.collection,
            added_at: r.added_at,
            last_activity_at: r.last_activity_at,
            last_attempt_at: r.last_attempt_at,
            last_success_at: r.last_success_at,
            error_count: r.error_count,
            last_error: r.last_error,
            items: r.items,
        }
    }
}

const SOURCE_COLS: &str = "id, input, actor_ap_id, kind, host, collection, added_at, \
    last_activity_at, last_attempt_at, last_success_at, error_count, last_error, items";

#[derive(sqlx::FromRow)]
struct ItemRow {
    ap_id: String,
    source_id: Option<i64>,
    kind: String,
    updated: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct CurrentRow {
    kind: String,
    id: i64,
    updated: DateTime<Utc>,
}

/// The public missions not over and the resources of this node's actors (one `UNION ALL`).
const CURRENT: &str = "SELECT 'mission' AS kind, id, updated FROM mission \
    WHERE local AND deleted_at IS NULL AND status <> 'draft' AND end_time >= $1 \
    UNION ALL SELECT 'resource' AS kind, r.id, r.updated_at AS updated FROM resource r \
    JOIN actor a ON a.id = r.actor_id WHERE a.local AND r.deleted_at IS NULL";

#[async_trait]
impl SourceStore for SqlStore {
    async fn add_source(&self, s: NewSource, now: DateTime<Utc>) -> Result<Source> {
        let sql = format!(
            "INSERT INTO aggregator_source (input, actor_ap_id, kind, host, collection, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (actor_ap_id) DO NOTHING \
             RETURNING {SOURCE_COLS}"
        );
        query_as::<SourceRow>(&sql)
            .bind(&s.input)
            .bind(&s.actor_ap_id)
            .bind(s.kind.as_str())
            .bind(&s.host)
            .bind(&s.collection)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?
            .map(Source::from)
            .ok_or(StoreError::Conflict("source"))
    }

    async fn list_sources(&self) -> Result<Vec<Source>> {
        let sql = format!("SELECT {SOURCE_COLS} FROM aggregator_source ORDER BY added_at, id");
        Ok(query_as::<SourceRow>(&sql)
            .fetch_all_map(&self.pool, Source::from)
            .await?)
    }

    async fn find_source(&self, id: i64) -> Result<Option<Source>> {
        let sql = format!("SELECT {SOURCE_COLS} FROM aggregator_source WHERE id = $1");
        Ok(query_as::<SourceRow>(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(Source::from))
    }

    async fn find_source_by_actor(&self, actor_ap_id: &str) -> Result<Option<Source>> {
        let sql = format!("SELECT {SOURCE_COLS} FROM aggregator_source WHERE actor_ap_id = $1");
        Ok(query_as::<SourceRow>(&sql)
            .bind(actor_ap_id)
            .fetch_optional(&self.pool)
            .await?
            .map(Source::from))
    }

    async fn remove_source(&self, id: i64) -> Result<bool> {
        let mut tx = self.pool.begin_write().await?;
        query("UPDATE aggregated_item SET source_id = NULL WHERE source_id = $1")
            .bind(id)
            .execute(&mut tx)
            .await?;
        let removed = query("DELETE FROM aggregator_source WHERE id = $1")
            .bind(id)
            .execute(&mut tx)
            .await?
            .rows_affected()
            > 0;
        tx.commit().await?;
        Ok(removed)
    }

    async fn source_heard(&self, actor_ap_id: &str, now: DateTime<Utc>) -> Result<bool> {
        Ok(query(
            "UPDATE aggregator_source SET last_activity_at = $2 WHERE actor_ap_id = $1 \
             AND (last_activity_at IS NULL OR last_activity_at < $2)",
        )
        .bind(actor_ap_id)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            > 0)
    }

    async fn source_walk_started(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        query("UPDATE aggregator_source SET last_attempt_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn source_walk_ended(
        &self,
        id: i64,
        outcome: &WalkOutcome,
        now: DateTime<Utc>,
    ) -> Result<()> {
        match outcome {
            WalkOutcome::Done { items } => query(
                "UPDATE aggregator_source SET last_success_at = $2, error_count = 0, items = $3 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(now)
            .bind(*items),
            WalkOutcome::Failed { error } => query(
                "UPDATE aggregator_source SET error_count = error_count + 1, last_error = $2 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(error.chars().take(500).collect::<String>()),
        }
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn record_aggregated_item(&self, i: AggregatedItem, now: DateTime<Utc>) -> Result<()> {
        // A later walk of another source keeps the first source's claim (COALESCE).
        query(
            "INSERT INTO aggregated_item (ap_id, source_id, kind, updated, received_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ap_id) DO UPDATE SET \
             source_id = COALESCE(aggregated_item.source_id, $2), kind = $3, updated = $4, \
             received_at = $5",
        )
        .bind(&i.ap_id)
        .bind(i.source_id)
        .bind(&i.kind)
        .bind(i.updated)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn find_aggregated_item(&self, ap_id: &str) -> Result<Option<AggregatedItem>> {
        Ok(query_as::<ItemRow>(
            "SELECT ap_id, source_id, kind, updated FROM aggregated_item WHERE ap_id = $1",
        )
        .bind(ap_id)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| AggregatedItem {
            ap_id: r.ap_id,
            source_id: r.source_id,
            kind: r.kind,
            updated: r.updated,
        }))
    }

    async fn forget_aggregated_item(&self, ap_id: &str) -> Result<bool> {
        Ok(query("DELETE FROM aggregated_item WHERE ap_id = $1")
            .bind(ap_id)
            .execute(&self.pool)
            .await?
            .rows_affected()
            > 0)
    }

    async fn count_aggregated_items(&self) -> Result<Vec<(i64, i64)>> {
        // Only what is still here: a mission or resource stored and not deleted.
        Ok(query_as::<(i64, i64)>(
            "SELECT i.source_id, COUNT(*) FROM aggregated_item i \
             LEFT JOIN mission m ON m.ap_id = i.ap_id AND m.deleted_at IS NULL \
             LEFT JOIN resource r ON r.ap_id = i.ap_id AND r.deleted_at IS NULL \
             WHERE i.source_id IS NOT NULL AND (m.id IS NOT NULL OR r.id IS NOT NULL) \
             GROUP BY i.source_id ORDER BY i.source_id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn set_actor_consent(
        &self,
        actor_ap_id: &str,
        indexable: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        query(
            "INSERT INTO actor_consent (actor_ap_id, indexable, checked_at) VALUES ($1, $2, $3) \
             ON CONFLICT (actor_ap_id) DO UPDATE SET indexable = $2, checked_at = $3",
        )
        .bind(actor_ap_id)
        .bind(indexable)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn actor_consent(&self, actor_ap_id: &str) -> Result<Option<bool>> {
        Ok(
            query_scalar::<bool>("SELECT indexable FROM actor_consent WHERE actor_ap_id = $1")
                .bind(actor_ap_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn list_current_items(
        &self,
        now: DateTime<Utc>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<CurrentItem>> {
        let sql = format!(
            "SELECT kind, id, updated FROM ({CURRENT}) AS current \
             ORDER BY updated DESC, kind, id DESC LIMIT $2 OFFSET $3"
        );
        Ok(query_as::<CurrentRow>(&sql)
            .bind(now)
            .bind(limit.clamp(0, 1000))
            .bind(offset.max(0))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| CurrentItem {
                kind: r.kind,
                id: r.id,
                updated: r.updated,
            })
            .collect())
    }

    async fn count_current_items(&self, now: DateTime<Utc>) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM ({CURRENT}) AS current");
        Ok(query_scalar::<i64>(&sql)
            .bind(now)
            .fetch_one(&self.pool)
            .await?)
    }
}
