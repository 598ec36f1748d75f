//! PostgreSQL back end, for larger nodes and for several `serve` processes on one database.

use super::group_commit::{Flush, GroupCommit, Mark};
use sqlx::postgres::{PgPool, PgPoolOptions};
use std::{collections::HashSet, sync::Arc, time::Duration};

pub struct PgStore {
    pool: PgPool,
    /// The inbox's de-duplication marks, committed in groups.
    marks: GroupCommit,
}

/// One statement for a whole group of marks: the ids that were new come back.
fn write_marks(pool: PgPool) -> Flush {
    Arc::new(move |marks: Vec<Mark>| {
        let pool = pool.clone();
        Box::pin(async move {
            let (ids, times): (Vec<String>, Vec<chrono::DateTime<chrono::Utc>>) =
                marks.into_iter().unzip();
            let new: HashSet<String> = sqlx::query_scalar(
                "INSERT INTO received_activity (ap_id, received_at) \
                 SELECT * FROM UNNEST($1::text[], $2::timestamptz[]) \
                 ON CONFLICT (ap_id) DO NOTHING RETURNING ap_id",
            )
            .bind(&ids)
            .bind(&times)
            .fetch_all(&pool)
            .await?
            .into_iter()
            .collect();
            Ok(ids.iter().map(|id| new.contains(id)).collect())
        })
    })
}

impl PgStore {
    const NAME: &'static str = "postgres";

    pub async fn connect(url: &str, max_connections: u32) -> super::Result<PgStore> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(15))
            .connect(url)
            .await?;
        sqlx::migrate!("migrations/postgres").run(&pool).await?;
        let marks = GroupCommit::start(write_marks(pool.clone()));
        Ok(PgStore { pool, marks })
    }
}

// Several processes may claim at once: SKIP LOCKED hands each row to exactly one of them.
super::sql::store_impl!(
    PgStore,
    sqlx::Postgres,
    claim_events = "UPDATE outbox_event SET locked_until = $2 WHERE id IN (SELECT id FROM outbox_event \
        WHERE processed_at IS NULL AND (locked_until IS NULL OR locked_until < $1) ORDER BY id LIMIT $3 \
        FOR UPDATE SKIP LOCKED) RETURNING id, payload",
    claim_deliveries = "UPDATE delivery SET locked_until = $2 WHERE id IN (SELECT id FROM delivery \
        WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
        AND (locked_until IS NULL OR locked_until < $1) ORDER BY next_attempt_at, id LIMIT $3 \
        FOR UPDATE SKIP LOCKED) RETURNING id, activity_ap_id, signer_actor_id, inbox, payload, payload_id, attempts",
    begin_write = "BEGIN",
    lock_row = " FOR UPDATE"
);
