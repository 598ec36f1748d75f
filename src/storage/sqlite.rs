//! SQLite back end: one file under the data directory, WAL, created on first start.

use super::group_commit::{Flush, GroupCommit, Mark};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::{str::FromStr, sync::Arc, time::Duration};

pub struct SqliteStore {
    pool: SqlitePool,
    /// The inbox's de-duplication marks, committed in groups.
    marks: GroupCommit,
}

/// A whole group of marks in one write transaction.
fn write_marks(pool: SqlitePool) -> Flush {
    Arc::new(move |marks: Vec<Mark>| {
        let pool = pool.clone();
        Box::pin(async move {
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            let mut new = Vec::with_capacity(marks.len());
            for (id, at) in marks {
                let written = sqlx::query(
                    "INSERT INTO received_activity (ap_id, received_at) VALUES ($1, $2) \
                     ON CONFLICT (ap_id) DO NOTHING",
                )
                .bind(id)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                new.push(written > 0);
            }
            tx.commit().await?;
            Ok(new)
        })
    })
}

impl SqliteStore {
    const NAME: &'static str = "sqlite";

    pub async fn connect(url: &str, max_connections: u32) -> super::Result<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(15))
            .foreign_keys(true);
        if let Some(dir) = options.get_filename().parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| super::StoreError::Db(sqlx::Error::Io(e)))?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections.max(1))
            .connect_with(options)
            .await?;
        sqlx::migrate!("migrations/sqlite").run(&pool).await?;
        let marks = GroupCommit::start(write_marks(pool.clone()));
        Ok(SqliteStore { pool, marks })
    }
}

// SQLite has one writer at a time: a plain UPDATE … RETURNING claims rows atomically.
super::sql::store_impl!(
    SqliteStore,
    sqlx::Sqlite,
    claim_events = "UPDATE outbox_event SET locked_until = $2 WHERE id IN (SELECT id FROM outbox_event \
        WHERE processed_at IS NULL AND (locked_until IS NULL OR locked_until < $1) ORDER BY id LIMIT $3) \
        RETURNING id, payload",
    claim_deliveries = "UPDATE delivery SET locked_until = $2 WHERE id IN (SELECT id FROM delivery \
        WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
        AND (locked_until IS NULL OR locked_until < $1) ORDER BY next_attempt_at, id LIMIT $3) \
        RETURNING id, activity_ap_id, signer_actor_id, inbox, payload, payload_id, attempts",
    begin_write = "BEGIN IMMEDIATE",
    lock_row = ""
);
