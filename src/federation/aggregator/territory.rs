//! The territory's dashboard on an aggregator: at each walk of an Entraide source, its yearly
//! figures (`GET /api/v1/statistics?year=`) for this year and the last, fetched through the
//! node's safe client (public addresses only, 256 KiB at most), checked number by number
//! (`domain::territory::check_remote`) and kept, replacing the previous copy. A 404 says the
//! source does not publish; anything else that fails keeps what was kept before.

use super::{super::resolve::fetch_json, limiter::HostLimiter};
use crate::{
    domain::{
        aggregator::{Source, SourceKind},
        territory::check_remote,
    },
    state::Context,
    storage::StoreError,
};
use chrono::Datelike;
use url::Url;

/// What became of one year's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    Kept,
    NotPublished,
    /// Refused or unreadable: the previous copy stays.
    Failed(String),
}

/// Fetches and keeps a source's figures for this year and the last (Entraide sources only).
pub async fn fetch_figures(
    ctx: &Context,
    limiter: &HostLimiter,
    source: &Source,
) -> Result<Vec<(i32, Fetched)>, StoreError> {
    if source.kind != SourceKind::Entraide {
        return Ok(Vec::new());
    }
    let Ok(actor) = Url::parse(&source.actor_ap_id) else {
        return Ok(Vec::new());
    };
    let this_year = ctx.clock.today(ctx.config.timezone()).year();
    let mut done = Vec::new();
    for year in [this_year, this_year - 1] {
        let fetched = fetch_year(ctx, limiter, source, &actor, year).await?;
        if let Fetched::Failed(why) = &fetched {
            tracing::warn!(source = %source.actor_ap_id, year, why, "statistics not taken");
        }
        done.push((year, fetched));
    }
    Ok(done)
}

async fn fetch_year(
    ctx: &Context,
    limiter: &HostLimiter,
    source: &Source,
    actor: &Url,
    year: i32,
) -> Result<Fetched, StoreError> {
    let mut url = actor.clone();
    url.set_path("/api/v1/statistics");
    url.set_query(Some(&format!("year={year}")));
    url.set_fragment(None);
    let read = {
        let _turn = limiter.turn(&source.host).await;
        fetch_json(ctx, &url).await
    };
    let now = ctx.clock.now();
    match read {
        Ok(doc) => match check_remote(&doc, year) {
            Ok(figures) => {
                let body = serde_json::to_string(&figures)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                ctx.store
                    .save_source_figures(source.id, i64::from(year), Some(&body), now)
                    .await?;
                Ok(Fetched::Kept)
            }
            Err(refusal) => Ok(Fetched::Failed(refusal.as_str().into())),
        },
        Err(not) if not.0 == Some(reqwest::StatusCode::NOT_FOUND) => {
            ctx.store
                .save_source_figures(source.id, i64::from(year), None, now)
                .await?;
            Ok(Fetched::NotPublished)
        }
        Err(not) => Ok(Fetched::Failed(format!("not read ({:?})", not.0))),
    }
}
