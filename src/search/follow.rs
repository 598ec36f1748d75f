//! Keeping the index equal to the database: a rebuild reads every searchable row by pages;
//! the follower reads the change log after the index's place, reads the rows it names again,
//! and replaces them in the index (or removes them when no longer searchable), a commit per
//! batch that records the new place. An `all` entry, or a log pruned past the index's place,
//! makes it rebuild.

use super::{Engine, Live, SearchError};
use crate::clock::SharedClock;
use crate::domain::search::{item_key, mission_item, resource_item, ItemKind, SearchItem};
use crate::service::text::html_to_text;
use crate::storage::search::{
    Change, ChangeCursor, MissionSource, Pick, ResourceSource, SearchChange,
};
use crate::storage::{DynStore, Store};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// Rows read a statement when rebuilding, and log entries a batch when following.
const PAGE: i64 = 1000;
/// How often the log is read when nothing woke the follower.
const POLL: Duration = Duration::from_millis(200);
/// Entries older than this leave the log (a process stopped longer rebuilds its index).
const KEEP_LOG_SECONDS: i64 = 24 * 3600;
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rebuilt {
    pub missions: usize,
    pub resources: usize,
    pub seconds: f64,
}

/// A mission's description as plain text: ours are Markdown, the others' sanitised HTML.
fn mission_items(sources: Vec<MissionSource>, now: DateTime<Utc>) -> Vec<SearchItem> {
    sources
        .into_iter()
        .filter_map(|s| {
            let m = &s.mission;
            let text = if m.local {
                m.description.clone()
            } else {
                format!("{} {}", html_to_text(&m.content_html), m.remote_summary)
            };
            mission_item(m, &s.slots, &s.association, s.is_event, text, now)
        })
        .collect()
}

fn resource_items(sources: Vec<ResourceSource>) -> Vec<SearchItem> {
    sources
        .into_iter()
        .filter_map(|s| resource_item(&s.resource, &s.owner, s.local))
        .collect()
}

/// Runs a write of the index off the async threads.
async fn write(
    engine: &Arc<Engine>,
    job: impl FnOnce(&Engine) -> Result<(), SearchError> + Send + 'static,
) -> Result<(), SearchError> {
    let engine = engine.clone();
    tokio::task::spawn_blocking(move || job(&engine))
        .await
        .map_err(|e| SearchError::Corrupt(e.to_string()))?
}

/// Empties the index and fills it again from the database; `at` becomes the place in the log
/// read before the rows (later changes are applied again by the follower, harmlessly).
pub(super) async fn rebuild(
    engine: &Arc<Engine>,
    at: &mut ChangeCursor,
    store: &dyn Store,
    now: DateTime<Utc>,
) -> Result<Rebuilt, SearchError> {
    let started = Instant::now();
    let head = store.search_log_head().await?;
    let filled = fill(engine, store, now).await;
    let (missions, resources) = match filled {
        Ok(counts) => counts,
        Err(e) => {
            let engine = engine.clone();
            let _ = tokio::task::spawn_blocking(move || engine.rollback()).await;
            return Err(e);
        }
    };
    write(engine, move |e| e.commit(head)).await?;
    *at = head;
    let done = Rebuilt {
        missions,
        resources,
        seconds: started.elapsed().as_secs_f64(),
    };
    tracing::info!(
        missions,
        resources,
        seconds = done.seconds,
        "search index rebuilt"
    );
    Ok(done)
}

async fn fill(
    engine: &Arc<Engine>,
    store: &dyn Store,
    now: DateTime<Utc>,
) -> Result<(usize, usize), SearchError> {
    write(engine, |e| e.clear()).await?;
    let (mut missions, mut resources) = (0, 0);
    let mut after = 0;
    loop {
        let page = store
            .search_missions(Pick::After { after, limit: PAGE }, now)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.mission.id;
        let items = mission_items(page, now);
        missions += items.len();
        write(engine, move |e| e.replace(&[], &items)).await?;
    }
    let mut after = 0;
    loop {
        let page = store
            .search_resources(Pick::After { after, limit: PAGE })
            .await?;
        let Some(last) = page.last() else { break };
        after = last.resource.id;
        let items = resource_items(page);
        resources += items.len();
        write(engine, move |e| e.replace(&[], &items)).await?;
    }
    Ok((missions, resources))
}

/// Applies one batch of the log: the rows it names are read again and replace theirs.
async fn apply(
    engine: &Arc<Engine>,
    changes: &[SearchChange],
    store: &dyn Store,
    now: DateTime<Utc>,
) -> Result<(), SearchError> {
    let (mut missions, mut resources) = (BTreeSet::new(), BTreeSet::new());
    for c in changes {
        match c.change {
            Change::Mission(id) => missions.insert(id),
            Change::Resource(id) => resources.insert(id),
            Change::All => false,
        };
    }
    let missions: Vec<i64> = missions.into_iter().collect();
    let resources: Vec<i64> = resources.into_iter().collect();
    let mut add = mission_items(store.search_missions(Pick::Ids(&missions), now).await?, now);
    add.extend(resource_items(
        store.search_resources(Pick::Ids(&resources)).await?,
    ));
    let remove: Vec<String> = (missions.iter().map(|id| item_key(ItemKind::Mission, *id)))
        .chain(
            resources
                .iter()
                .map(|id| item_key(ItemKind::Equipment, *id)),
        )
        .collect();
    let Some(last) = changes.last().map(|c| c.at) else {
        return Ok(());
    };
    write(engine, move |e| {
        e.replace(&remove, &add)?;
        e.commit(last)
    })
    .await
}

/// Brings the index up to the end of the log; how many entries were read.
pub(super) async fn catch_up(
    live: &Live,
    store: &dyn Store,
    now: DateTime<Utc>,
) -> Result<usize, SearchError> {
    let mut at = live.cursor.lock().await;
    if *at < store.search_log_pruned().await? {
        rebuild(&live.engine, &mut at, store, now).await?;
    }
    let mut read = 0;
    loop {
        let changes = store.search_changes(*at, PAGE).await?;
        read += changes.len();
        let Some(last) = changes.last().map(|c| c.at) else {
            break;
        };
        if changes.iter().any(|c| c.change == Change::All) {
            rebuild(&live.engine, &mut at, store, now).await?;
            // The rebuild read the log's head after these entries were written.
            *at = (*at).max(last);
        } else {
            apply(&live.engine, &changes, store, now).await?;
            *at = last;
        }
        if changes.len() < PAGE as usize {
            break;
        }
    }
    Ok(read)
}

/// The follower: reads the log whenever woken and every [`POLL`], prunes it hourly; ends when
/// the node's search is dropped.
pub(super) async fn follow(
    live: Weak<Live>,
    store: DynStore,
    clock: SharedClock,
    wake: Arc<Notify>,
) {
    let mut pruned = Instant::now();
    loop {
        let Some(current) = live.upgrade() else {
            return;
        };
        if let Err(e) = catch_up(&current, store.as_ref(), clock.now()).await {
            tracing::warn!(error = %e, "search index: following the change log failed");
        }
        drop(current);
        if pruned.elapsed() >= PRUNE_EVERY {
            pruned = Instant::now();
            if let Err(e) = store.prune_search_log(KEEP_LOG_SECONDS).await {
                tracing::warn!(error = %e, "search index: pruning the change log failed");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = wake.notified() => {}
        }
    }
}
