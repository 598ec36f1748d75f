//! Watching a running node: whether it is ready to serve (`/health/ready`) and its figures
//! (`/metrics`), read from the state and, for what is costly, from the database when asked.

use crate::{metrics::Gauges, state::AppState, storage::latest_migration};
use serde::Serialize;
use std::time::Duration;

/// How long readiness and a scrape wait for the database.
const DATABASE_WAIT: Duration = Duration::from_secs(3);

/// One check of readiness.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub ok: bool,
    pub detail: String,
}

/// Whether the node is ready to serve, and each check.
#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    /// `ready` or `not_ready`.
    pub status: &'static str,
    pub database: Check,
    pub migrations: Check,
    pub workers: Check,
}

impl Readiness {
    pub fn ready(&self) -> bool {
        self.status == "ready"
    }
}

/// The database answers, its schema is this build's, and the background workers run.
pub async fn readiness(state: &AppState) -> Readiness {
    let backend = state.store.backend();
    let latest = latest_migration(backend);
    let (database, migrations) =
        match tokio::time::timeout(DATABASE_WAIT, state.store.schema_version()).await {
            Ok(Ok(applied)) => (
                check(true, format!("{backend} answers")),
                check(
                    applied == latest,
                    format!("schema at {applied}, this build's is {latest}"),
                ),
            ),
            Ok(Err(e)) => (
                check(false, format!("{backend}: {e}")),
                check(false, "unknown: the database did not answer".into()),
            ),
            Err(_) => (
                check(false, format!("{backend} did not answer within 3 s")),
                check(false, "unknown: the database did not answer".into()),
            ),
        };
    let running = state.workers.running();
    let workers = check(
        running,
        if running { "running" } else { "not running" }.into(),
    );
    let ready = database.ok && migrations.ok && workers.ok;
    Readiness {
        status: if ready { "ready" } else { "not_ready" },
        database,
        migrations,
        workers,
    }
}

fn check(ok: bool, detail: String) -> Check {
    Check { ok, detail }
}

/// The text of `/metrics`: what was counted, and the figures read now (the delivery queue's
/// counts, the search index's size).
pub async fn metrics_text(state: &AppState) -> String {
    let queue = match tokio::time::timeout(DATABASE_WAIT, state.store.queue_stats()).await {
        Ok(Ok(q)) => Some((q.pending, q.failed)),
        _ => None,
    };
    let (search_documents, search_bytes) = state.search.stats();
    state.metrics.set_gauges(&Gauges {
        queue,
        search_documents,
        search_bytes,
        backend: state.store.backend(),
    });
    state.metrics.text()
}
