//! The aggregator's background task: it looks, on the node's clock, at which sources are due
//! (a new one: its backfill; after a failure: once the back-off passed; else once a night)
//! and walks them one after the other, recording how each walk ended, then fetches each
//! Entraide source's yearly figures for the territory's dashboard.

use super::{
    limiter::HostLimiter,
    walk::{walk, Mode},
};
use crate::{
    domain::aggregator::{walk_due, Source, WalkOutcome},
    state::Context,
};
use std::time::Duration;

/// Runs until the process stops (returns at once when the node is not an aggregator).
pub async fn worker(ctx: Context) {
    let config = ctx.config.aggregator.clone();
    if !config.enabled {
        return;
    }
    let limiter = HostLimiter::new(&config);
    loop {
        if let Err(e) = round(&ctx, &limiter).await {
            tracing::warn!(error = %e, "the aggregator could not look at its sources");
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(config.poll_seconds)) => {}
            _ = ctx.wake.notified() => {}
        }
    }
}

/// Walks every source due now; returns how many were walked.
pub async fn round(
    ctx: &Context,
    limiter: &HostLimiter,
) -> Result<usize, crate::storage::StoreError> {
    let tz = ctx.config.timezone();
    let hour = ctx.config.aggregator.reconcile_hour;
    let mut walked = 0;
    for source in ctx.store.list_sources().await? {
        if walk_due(&source, ctx.clock.now(), tz, hour) {
            walk_source(ctx, limiter, &source).await?;
            walked += 1;
        }
    }
    Ok(walked)
}

/// Walks one source now (a backfill when it never succeeded, else a reconciliation) and
/// records the outcome.
pub async fn walk_source(
    ctx: &Context,
    limiter: &HostLimiter,
    source: &Source,
) -> Result<WalkOutcome, crate::storage::StoreError> {
    let mode = if source.last_success_at.is_none() {
        Mode::Backfill
    } else {
        Mode::Reconcile
    };
    ctx.store
        .source_walk_started(source.id, ctx.clock.now())
        .await?;
    let outcome = match walk(ctx, limiter, source, mode).await {
        Ok(w) => {
            tracing::info!(source = %source.actor_ap_id, ?mode, pages = w.pages, taken = w.taken,
                known = w.known, skipped = w.skipped, "source walked");
            WalkOutcome::Done { items: w.taken }
        }
        Err(e) => {
            tracing::warn!(source = %source.actor_ap_id, error = %e, "walking a source failed");
            WalkOutcome::Failed {
                error: e.to_string(),
            }
        }
    };
    ctx.store
        .source_walk_ended(source.id, &outcome, ctx.clock.now())
        .await?;
    super::territory::fetch_figures(ctx, limiter, source).await?;
    Ok(outcome)
}
