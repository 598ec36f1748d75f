//! What operating the node needs of the database: the schema version it is at (readiness,
//! `admin doctor`, backups) and a consistent copy of an SQLite database taken while the node
//! runs (`admin backup`).

use super::db::{query, query_scalar, Dialect, Pool};
use super::{Result, SqlStore, StoreError};
use async_trait::async_trait;
use sqlx::{
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqlitePoolOptions},
};
use std::{path::Path, str::FromStr, time::Duration};

#[async_trait]
pub trait OperatingStore {
    /// The version of the newest migration applied to the database (0: none).
    async fn schema_version(&self) -> Result<i64>;

    /// SQLite: writes a consistent copy of the whole database into the new file `path`, while
    /// other connections and processes go on reading and writing (`VACUUM INTO`); answers
    /// false on PostgreSQL, whose copies `pg_dump` makes.
    async fn copy_database_into(&self, path: &Path) -> Result<bool>;
}

const SCHEMA_VERSION: &str = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations";

#[async_trait]
impl OperatingStore for SqlStore {
    async fn schema_version(&self) -> Result<i64> {
        Ok(query_scalar::<i64>(SCHEMA_VERSION)
            .fetch_one(&self.pool)
            .await?)
    }

    async fn copy_database_into(&self, path: &Path) -> Result<bool> {
        if self.pool.dialect() == Dialect::Postgres {
            return Ok(false);
        }
        let path = path
            .to_str()
            .ok_or_else(|| StoreError::Corrupt("the copy's path is not UTF-8".into()))?;
        query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(true)
    }
}

/// The version of the newest migration this build has for `backend` (`sqlite`, `postgres`).
pub fn latest_migration(backend: &str) -> i64 {
    let migrator = if backend == "postgres" {
        sqlx::migrate!("migrations/postgres")
    } else {
        sqlx::migrate!("migrations/sqlite")
    };
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Where a database's schema stands, read without changing anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaStatus {
    pub backend: &'static str,
    /// The newest migration applied (0: an empty database).
    pub applied: i64,
    /// The newest migration this build has.
    pub latest: i64,
}

/// Opens the database named by `url` without creating or migrating it and reads its schema
/// version (`admin doctor`, `admin restore`). A missing SQLite file is an error.
pub async fn inspect(url: &str) -> Result<SchemaStatus> {
    let timeout = Duration::from_secs(5);
    let (backend, applied) = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(timeout)
            .connect(url)
            .await?;
        let applied = applied_on(&Pool::Postgres(pool.clone())).await;
        pool.close().await;
        ("postgres", applied?)
    } else {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(false)
            .read_only(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(timeout)
            .connect_with(options)
            .await?;
        let applied = applied_on(&Pool::Sqlite(pool.clone())).await;
        pool.close().await;
        ("sqlite", applied?)
    };
    Ok(SchemaStatus {
        backend,
        applied,
        latest: latest_migration(backend),
    })
}

/// The newest migration applied, 0 when the database has no migration table yet.
async fn applied_on(pool: &Pool) -> Result<i64> {
    let tables = match pool.dialect() {
        Dialect::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
        }
        Dialect::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '_sqlx_migrations' \
             AND table_schema = current_schema()"
        }
    };
    if query_scalar::<i64>(tables).fetch_one(pool).await? == 0 {
        return Ok(0);
    }
    Ok(query_scalar::<i64>(SCHEMA_VERSION).fetch_one(pool).await?)
}

/// The file of an SQLite database URL (`sqlite://path`, `sqlite:path?mode=…`); `None` for
/// PostgreSQL or an in-memory database.
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    if !url.starts_with("sqlite:") {
        return None;
    }
    let options = SqliteConnectOptions::from_str(url).ok()?;
    let path = options.get_filename();
    (!path.as_os_str().is_empty() && path != Path::new(":memory:")).then(|| path.to_path_buf())
}
