//! Opening the back ends: SQLite on a temporary file, PostgreSQL on a fresh database (or a
//! loud "NOT RUN", or a failure when PostgreSQL is required), and the macro that runs each
//! suite function on both.

#[path = "../common/mod.rs"]
mod common;

pub use common::PgDb;
use entraide::storage::DynStore;

/// An SQLite store on a file in a temporary directory (kept alive with the store).
pub async fn sqlite() -> (DynStore, tempfile::TempDir) {
    let (store, dir) = common::sqlite_store().await;
    assert_eq!(store.backend(), "sqlite");
    (store, dir)
}

/// A fresh PostgreSQL database for `test`, or `None` after printing "NOT RUN on PostgreSQL"
/// when `TEST_DATABASE_URL` is unset (a panic instead with `ENTRAIDE_REQUIRE_POSTGRES=1`; an
/// unreachable server always fails).
pub async fn postgres(test: &str) -> Option<PgDb> {
    PgDb::fresh(test).await
}

/// A store on a fresh PostgreSQL database, checked to be one.
pub async fn postgres_store(db: &PgDb) -> DynStore {
    let store = db.store().await;
    assert_eq!(store.backend(), "postgres");
    store
}

/// Runs each suite function `name(&dyn Store)` of the calling module on SQLite and on
/// PostgreSQL, as the tests `<module>::sqlite::<name>` and `<module>::postgres::<name>`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let (store, _dir) = crate::support::sqlite().await;
                    super::$name(store.as_ref()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let test = concat!(module_path!(), "::", stringify!($name));
                    let Some(db) = crate::support::postgres(test).await else {
                        return;
                    };
                    let store = crate::support::postgres_store(&db).await;
                    super::$name(store.as_ref()).await;
                }
            )*
        }
    };
}

/// Two SQLite stores (two pools) on one temporary file, as two processes would share it.
pub async fn sqlite_pair() -> (DynStore, DynStore, tempfile::TempDir) {
    let (one, dir) = sqlite().await;
    let url = format!("sqlite://{}", dir.path().join("test.sqlite").display());
    let two = entraide::storage::connect(&url, 4).await.unwrap();
    (one, two, dir)
}

/// Runs each function `name(DynStore, DynStore)` of the calling module with two stores (two
/// pools) on one database, on a runtime of two threads, as the tests
/// `<module>::sqlite_two_pools::<name>` and `<module>::postgres_two_pools::<name>`.
macro_rules! on_both_backends_with_two_pools {
    ($($name:ident),* $(,)?) => {
        mod sqlite_two_pools {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (one, two, _dir) = crate::support::sqlite_pair().await;
                    super::$name(one, two).await;
                }
            )*
        }
        mod postgres_two_pools {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let test = concat!(module_path!(), "::", stringify!($name));
                    let Some(db) = crate::support::postgres(test).await else {
                        return;
                    };
                    let one = crate::support::postgres_store(&db).await;
                    let two = crate::support::postgres_store(&db).await;
                    super::$name(one, two).await;
                }
            )*
        }
    };
}
