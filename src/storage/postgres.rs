//! PostgreSQL back end, for larger nodes and for several `serve` processes on one database.

use sqlx::postgres::{PgPool, PgPoolOptions};
use std::time::Duration;

pub struct PgStore {
    pool: PgPool,
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
        Ok(PgStore { pool })
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
        FOR UPDATE SKIP LOCKED) RETURNING id, activity_ap_id, signer_actor_id, inbox, payload, attempts",
    begin_write = "BEGIN",
    lock_row = " FOR UPDATE"
);
