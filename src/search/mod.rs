//! The search index of a node (issue 15): an embedded tantivy index in the data directory,
//! over every searchable mission, event and piece of equipment the database holds (ours and
//! other nodes'). The database stays the truth: the index is rebuilt from it when missing,
//! unreadable or of another version, and by `entraide admin reindex`; a task follows the
//! database's change log (written by triggers in the transaction of each change) into the
//! index, so that several processes sharing one PostgreSQL each keep their own index current.
//!
//! `analysis` is the French analysis, `schema` the fields, `query` a search turned into the
//! index's query, `collector` the page of results (exact distances, sorting), `engine` the
//! index itself, `follow` the rebuild and the task that follows the log, `words` the words of
//! a short text matched and scored from the postings.

pub mod analysis;
mod collector;
mod engine;
mod follow;
mod query;
mod schema;
mod words;

pub use engine::Engine;
pub use follow::Rebuilt;

use crate::clock::SharedClock;
use crate::domain::search::{SearchPage, SearchQuery};
use crate::storage::{search::ChangeCursor, DynStore, Store, StoreError};
use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::{Mutex, Notify, OnceCell, Semaphore};

/// Why the index could not answer or be written.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the search index is used by another process (its directory is locked)")]
    Busy,
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index files: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("search index: {0}")]
    Corrupt(String),
}

/// The open index and the place in the change log it reflects (its lock also keeps two
/// writings of the index apart).
pub(crate) struct Live {
    engine: Arc<Engine>,
    cursor: Mutex<ChangeCursor>,
}

/// The node's search: its index directory, opened on first use.
pub struct Search {
    dir: PathBuf,
    live: OnceCell<Arc<Live>>,
    following: AtomicBool,
    /// As many searches run at once as the machine has cores; the others wait their turn
    /// (in order). A search is all CPU: more at once than cores would only share the cores
    /// among more threads, each with its own scratch arrays (not measured apart:
    /// docs/benchmarks.md, issue 15).
    running: Semaphore,
}

impl Search {
    /// The search of the index kept in `dir` (nothing is opened yet).
    pub fn new(dir: impl Into<PathBuf>) -> Search {
        Search {
            dir: dir.into(),
            live: OnceCell::new(),
            following: AtomicBool::new(false),
            running: Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            ),
        }
    }

    /// The search of a node: its index in `<data_dir>/search`.
    pub fn of_node(config: &crate::config::Config) -> Search {
        Search::new(config.server.data_dir.join("search"))
    }

    /// Where the index lives: `<data_dir>/search`.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The index, opened (and rebuilt from the database when it must be).
    async fn open(&self, store: &dyn Store, now: DateTime<Utc>) -> Result<&Arc<Live>, SearchError> {
        self.live
            .get_or_try_init(|| async {
                let dir = self.dir.clone();
                let (engine, cursor) = tokio::task::spawn_blocking(move || Engine::open(&dir))
                    .await
                    .map_err(|e| SearchError::Corrupt(e.to_string()))??;
                let live = Arc::new(Live {
                    engine: Arc::new(engine),
                    cursor: Mutex::new(cursor.unwrap_or_default()),
                });
                let pruned = store.search_log_pruned().await?;
                match cursor {
                    Some(c) if c >= pruned => {}
                    _ => {
                        let mut at = live.cursor.lock().await;
                        follow::rebuild(&live.engine, &mut at, store, now).await?;
                    }
                }
                Ok(live)
            })
            .await
    }

    /// Opens the index and starts the task that follows the change log (once).
    pub async fn start(
        &self,
        store: &DynStore,
        clock: &SharedClock,
        wake: &Arc<Notify>,
    ) -> Result<(), SearchError> {
        let live = self.open(store.as_ref(), clock.now()).await?;
        if !self.following.swap(true, Ordering::SeqCst) {
            let task = follow::follow(
                Arc::downgrade(live),
                store.clone(),
                clock.clone(),
                wake.clone(),
            );
            tokio::spawn(task);
        }
        Ok(())
    }

    /// One page of results; the index is opened and followed from the first search on.
    pub async fn query(
        &self,
        q: SearchQuery,
        store: &DynStore,
        clock: &SharedClock,
        wake: &Arc<Notify>,
    ) -> Result<SearchPage, SearchError> {
        self.start(store, clock, wake).await?;
        let live = self.open(store.as_ref(), clock.now()).await?;
        let engine = live.engine.clone();
        let now = clock.now();
        // Never closed, so the turn always comes.
        let _turn = self.running.acquire().await;
        tokio::task::spawn_blocking(move || engine.search(&q, now))
            .await
            .map_err(|e| SearchError::Corrupt(e.to_string()))?
    }

    /// Rebuilds the index from the database now (`entraide admin reindex`, the benchmark).
    pub async fn rebuild(
        &self,
        store: &dyn Store,
        now: DateTime<Utc>,
    ) -> Result<Rebuilt, SearchError> {
        let live = self.open(store, now).await?;
        let mut at = live.cursor.lock().await;
        follow::rebuild(&live.engine, &mut at, store, now).await
    }

    /// Searches the open index without following the log (the benchmark measures this).
    pub async fn query_now(
        &self,
        q: &SearchQuery,
        store: &dyn Store,
        now: DateTime<Utc>,
    ) -> Result<SearchPage, SearchError> {
        let live = self.open(store, now).await?;
        live.engine.search(q, now)
    }

    /// How many items the index holds and the size of its files, in bytes.
    pub fn stats(&self) -> (u64, u64) {
        let items = self.live.get().map_or(0, |l| l.engine.items());
        (items, Engine::size_bytes(&self.dir))
    }
}
