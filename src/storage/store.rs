//! The one store: a pool of either back end, and the inbox's group commit. Opening it creates
//! the SQLite file if needed and migrates the database.

use super::db::{query, query_scalar, Dialect, Pool};
use super::group_commit::{Flush, GroupCommit, Mark};
use super::Result;
use sqlx::{
    pool::PoolConnectionMetadata,
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{collections::HashSet, str::FromStr, sync::Arc, time::Duration};

/// Every storage trait is implemented once, for this type, on both back ends.
pub struct SqlStore {
    pub(super) pool: Pool,
    /// The inbox's de-duplication marks, committed in groups.
    pub(super) marks: GroupCommit,
}

/// How much the pool may hold: its connections and, on SQLite, each connection's page cache.
#[derive(Debug, Clone, Copy)]
pub struct PoolSize {
    pub max_connections: u32,
    /// SQLite's `PRAGMA cache_size` of each connection, in KiB (PostgreSQL: unused).
    pub sqlite_cache_kib: u32,
}

/// `max_connections` connections, each with the default page cache (tools and tests).
impl From<u32> for PoolSize {
    fn from(max_connections: u32) -> PoolSize {
        PoolSize {
            max_connections,
            sqlite_cache_kib: crate::config::DEFAULT_SQLITE_CACHE_KIB,
        }
    }
}

/// The node's `[database]` settings.
impl From<&crate::config::DatabaseConfig> for PoolSize {
    fn from(database: &crate::config::DatabaseConfig) -> PoolSize {
        PoolSize {
            max_connections: database.max_connections,
            sqlite_cache_kib: database.sqlite_cache_kib,
        }
    }
}

impl SqlStore {
    /// Opens the database named by the URL (`postgres:`/`postgresql:`, else SQLite), with a
    /// pool of `size`: a number of connections, or the node's `[database]` settings.
    pub async fn connect(url: &str, size: impl Into<PoolSize>) -> Result<SqlStore> {
        let size = size.into();
        let max_connections = size.max_connections;
        let pool = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(max_connections.max(1))
                .acquire_timeout(Duration::from_secs(15))
                .before_acquire(|c, meta| Box::pin(async move { Ok(not_stuck(&*c, meta)) }))
                .connect(url)
                .await?;
            sqlx::migrate!("migrations/postgres").run(&pool).await?;
            Pool::Postgres(pool)
        } else {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(15))
                .foreign_keys(true)
                // Negative: a size in KiB rather than in pages.
                .pragma("cache_size", format!("-{}", size.sqlite_cache_kib.max(1)));
            if let Some(dir) = options.get_filename().parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| super::StoreError::Db(sqlx::Error::Io(e)))?;
                }
            }
            // No ping before each use: SQLite's connection is a file opened in this process,
            // which a ping (one more round trip to sqlx's worker thread for every statement)
            // cannot find broken; the ping sqlx sends when a connection comes back stays.
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections.max(1))
                .test_before_acquire(false)
                .before_acquire(|c, meta| Box::pin(async move { Ok(not_stuck(&*c, meta)) }))
                .connect_with(options)
                .await?;
            sqlx::migrate!("migrations/sqlite").run(&pool).await?;
            Pool::Sqlite(pool)
        };
        let marks = GroupCommit::start(write_marks(pool.clone()));
        Ok(SqlStore { pool, marks })
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend(&self) -> &'static str {
        match self.pool.dialect() {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }
}

/// Whether a pooled connection may be handed out again: not when sqlx still counts it inside a
/// transaction. When a COMMIT fails because the disk is full, SQLite rolls the transaction back
/// by itself, sqlx's own ROLLBACK then fails and its count stays at one, so every later `BEGIN`
/// on that connection would fail ("non-zero transaction depth"), even once space returns. Such
/// a connection is closed instead, and the pool opens a fresh one. (The pool has already sent
/// any pending rollback when the connection came back: its ping on release flushes it.)
/// Test: `cargo test --test federation a_full_disk_refuses_writes_clearly`.
fn not_stuck<C: sqlx::Connection>(conn: &C, _: PoolConnectionMetadata) -> bool {
    let stuck = conn.is_in_transaction();
    if stuck {
        tracing::warn!("a database connection left inside a failed transaction is closed");
    }
    !stuck
}

/// Writes a whole group of marks in one transaction; answers which were new.
fn write_marks(pool: Pool) -> Flush {
    Arc::new(move |marks: Vec<Mark>| {
        let pool = pool.clone();
        Box::pin(async move {
            match pool.dialect() {
                // One writer at a time: a statement per mark, in one transaction.
                Dialect::Sqlite => {
                    let mut tx = pool.begin_write().await?;
                    let mut new = Vec::with_capacity(marks.len());
                    for (id, at) in marks {
                        let written = query(
                            "INSERT INTO received_activity (ap_id, received_at) VALUES ($1, $2) \
                             ON CONFLICT (ap_id) DO NOTHING",
                        )
                        .bind(id)
                        .bind(at)
                        .execute(&mut tx)
                        .await?
                        .rows_affected();
                        new.push(written > 0);
                    }
                    tx.commit().await?;
                    Ok(new)
                }
                // One statement for the whole group: the ids that were new come back.
                Dialect::Postgres => {
                    let (ids, times): (Vec<String>, Vec<chrono::DateTime<chrono::Utc>>) =
                        marks.into_iter().unzip();
                    let new: HashSet<String> = query_scalar::<String>(
                        "INSERT INTO received_activity (ap_id, received_at) \
                         SELECT * FROM UNNEST($1::text[], $2::timestamptz[]) \
                         ON CONFLICT (ap_id) DO NOTHING RETURNING ap_id",
                    )
                    .bind(ids.as_slice())
                    .bind(times.as_slice())
                    .fetch_all(&pool)
                    .await?
                    .into_iter()
                    .collect();
                    Ok(ids.iter().map(|id| new.contains(id)).collect())
                }
            }
        })
    })
}
