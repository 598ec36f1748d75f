//! Finished federation work does not pile up: deliveries delivered or given up, the documents
//! they shared, processed outbox events and the de-duplication marks of received activities
//! are kept `federation.keep_history_days` (30 by default), then purged, once an hour, in short
//! transactions that never hold the inbox or the delivery queue for long.
//!
//! Thirty days is far beyond both the age at which an inbox refuses a signed request
//! (`signatures::MAX_AGE`) and the longest retry schedule of a sending server, so a purged mark
//! can no longer let a replayed activity in.

use crate::{
    state::Context,
    storage::{PurgedHistory, StoreError},
};
use chrono::{DateTime, Duration, Utc};

/// Rows of each kind removed per transaction.
pub const BATCH: i64 = 5_000;

/// Purges everything finished before `before`, batch after batch; returns what went.
pub async fn purge(ctx: &Context, before: DateTime<Utc>) -> Result<PurgedHistory, StoreError> {
    let mut all = PurgedHistory::default();
    loop {
        let round = ctx.store.purge_history(before, BATCH).await?;
        all += round;
        if round.total() == 0 {
            return Ok(all);
        }
        // Let the inbox and the workers in between two batches.
        tokio::task::yield_now().await;
    }
}

/// The hourly purge of one process (the first a minute after start). Several processes on one
/// database may run it at once: each deletes what the others left. The same pass drops the
/// keys of deleted accounts once nothing they sign waits (`service::privacy::drop_spent_keys`),
/// whatever `keep_history_days` says, and the requests for help older than
/// `[help] retention_months` (`service::help::purge`).
pub async fn worker(ctx: Context) {
    let days = ctx.config.federation.keep_history_days;
    tokio::time::sleep(std::time::Duration::from_secs(60)).await;
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        match crate::service::privacy::drop_spent_keys(ctx.store.as_ref(), ctx.clock.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(keys = n, "dropped the keys of deleted accounts"),
            Err(e) => tracing::error!(error = %e, "cannot drop the keys of deleted accounts"),
        }
        match crate::service::help::purge(ctx.store.as_ref(), &ctx.config, ctx.clock.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(requests = n, "purged old requests for help"),
            Err(e) => tracing::error!(error = %e, "cannot purge the requests for help"),
        }
        if days == 0 {
            continue;
        }
        // The configuration keeps `days` within a century: no overflow here.
        let Some(before) = ctx
            .clock
            .now()
            .checked_sub_signed(Duration::days(i64::from(days)))
        else {
            return;
        };
        match purge(&ctx, before).await {
            Ok(gone) if gone.total() > 0 => tracing::info!(
                deliveries = gone.deliveries,
                documents = gone.payloads,
                events = gone.events,
                received = gone.received,
                days,
                "purged finished federation work"
            ),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "cannot purge the federation history"),
        }
    }
}
