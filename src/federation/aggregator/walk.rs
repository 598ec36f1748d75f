//! Walking what a source publishes: an Entraide node's `/relay/current` collection (its
//! current missions and resources, newest change first, objects embedded) or an outbox
//! (`OrderedCollection` or `Collection`, its pages by `first`/`next`, `orderedItems` or
//! `items`, activities wrapping objects embedded or by id). A backfill walks every page; a
//! reconciliation stops at the first item already known and unchanged. Every request goes
//! through the host's [`HostLimiter`]; in a backfill the next page is fetched while a page
//! is read.

use super::{
    super::{
        error::FedError,
        objects::{host_of, ApubMission},
        protocol::{id_of, parse_object, EventJson},
        resources,
    },
    limiter::HostLimiter,
};
use crate::{domain::aggregator::Source, state::Context};
use activitypub_federation::{fetch::object_id::ObjectId, traits::Object};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::HashSet;
use url::Url;

/// A whole walk, or up to the first item already known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Backfill,
    Reconcile,
}

/// What a walk did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Walked {
    pub pages: usize,
    /// Items stored or refreshed.
    pub taken: i64,
    /// Items already known and unchanged.
    pub known: i64,
    /// Items not taken (other servers' objects, not indexable, outside the territory, slots,
    /// other kinds, unreadable ones).
    pub skipped: i64,
    pub stopped_at_known: bool,
}

enum Step {
    Taken,
    Known,
    Skipped,
}

/// A bound on pages, against a collection that never ends.
const MAX_PAGES: usize = 100_000;

/// One GET through the host's gate, signed by our relay, read as JSON.
async fn fetch(ctx: &Context, limiter: &HostLimiter, url: &Url) -> Result<Value, FedError> {
    let _turn = limiter.turn(&host_of(url)).await;
    let fetched = activitypub_federation::fetch::fetch_object_http::<_, Value>(
        url,
        &ctx.reset_request_count(),
    )
    .await?;
    Ok(fetched.object)
}

fn kind_of(v: &Value) -> &str {
    match v.get("type") {
        Some(Value::String(s)) => s,
        Some(Value::Array(a)) => a.iter().find_map(Value::as_str).unwrap_or(""),
        _ => "",
    }
}

fn items_of(doc: &Value) -> Vec<Value> {
    match doc.get("orderedItems").or_else(|| doc.get("items")) {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one.clone()],
    }
}

fn time_of(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    v.get(key)
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// The next document to read: a collection's `first`, a page's `next` (by id on the same
/// host, or embedded).
enum Next {
    End,
    Embedded(Value),
    At(Url),
}

fn next_of(doc: &Value, host: &str, seen: &mut HashSet<String>) -> Next {
    let link = if kind_of(doc).ends_with("Page") {
        doc.get("next")
    } else {
        doc.get("first")
    };
    let Some(link) = link else {
        return Next::End;
    };
    let url = id_of(link);
    if let Some(url) = &url {
        if host_of(url) != host || !seen.insert(url.to_string()) {
            return Next::End; // a collection's pages live on its host; no loops
        }
    }
    if link.is_object() && (link.get("orderedItems").is_some() || link.get("items").is_some()) {
        return Next::Embedded(link.clone());
    }
    url.map_or(Next::End, Next::At)
}

/// Walks the source's collection.
pub async fn walk(
    ctx: &Context,
    limiter: &HostLimiter,
    source: &Source,
    mode: Mode,
) -> Result<Walked, FedError> {
    let start = Url::parse(&source.collection)
        .map_err(|e| FedError::BadRequest(format!("{}: {e}", source.collection)))?;
    let host = host_of(&start);
    let mut seen = HashSet::from([start.to_string()]);
    let mut walked = Walked::default();
    let mut doc = fetch(ctx, limiter, &start).await?;
    loop {
        walked.pages += 1;
        let next = next_of(&doc, &host, &mut seen);
        let items = items_of(&doc);
        // The next page comes while this one is read (two requests in flight at most).
        let (read, fetched) = match next {
            // A reconciliation reads the next page only if it goes on.
            Next::At(url) if mode == Mode::Reconcile && walked.pages < MAX_PAGES => {
                let read = read_items(ctx, limiter, &host, &items, mode, &mut walked).await;
                let go_on = read.is_ok() && !walked.stopped_at_known;
                let fetched = if go_on {
                    Some(fetch(ctx, limiter, &url).await)
                } else {
                    None
                };
                (read, fetched)
            }
            Next::At(url) if walked.pages < MAX_PAGES => {
                let (read, fetched) = tokio::join!(
                    read_items(ctx, limiter, &host, &items, mode, &mut walked),
                    fetch(ctx, limiter, &url)
                );
                (read, Some(fetched))
            }
            Next::Embedded(page) => {
                let read = read_items(ctx, limiter, &host, &items, mode, &mut walked).await;
                (read, Some(Ok(page)))
            }
            _ => (
                read_items(ctx, limiter, &host, &items, mode, &mut walked).await,
                None,
            ),
        };
        read?;
        if walked.stopped_at_known {
            return Ok(walked);
        }
        match fetched {
            Some(next) => doc = next?,
            None => return Ok(walked),
        }
    }
}

/// Items stored at once in a backfill: the database's commits overlap (a walk's network
/// requests stay behind the host's gate whatever this is).
const ITEMS_AT_ONCE: usize = 4;

/// Reads one page's items; a reconciliation reads them in order and stops
/// (`stopped_at_known`) at the first known one, a backfill stores several at once. Only
/// failures of this node (the store) end the walk: an item that cannot be read is skipped.
async fn read_items(
    ctx: &Context,
    limiter: &HostLimiter,
    host: &str,
    items: &[Value],
    mode: Mode,
    walked: &mut Walked,
) -> Result<(), FedError> {
    if mode == Mode::Backfill {
        for chunk in items.chunks(ITEMS_AT_ONCE) {
            let taking: Vec<_> = chunk.iter().map(|i| take(ctx, limiter, host, i)).collect();
            for result in futures::future::join_all(taking).await {
                tally(result, mode, walked)?;
            }
        }
        return Ok(());
    }
    for item in items {
        tally(take(ctx, limiter, host, item).await, mode, walked)?;
        if walked.stopped_at_known {
            break;
        }
    }
    Ok(())
}

/// Counts one item's outcome.
fn tally(result: Result<Step, FedError>, mode: Mode, walked: &mut Walked) -> Result<(), FedError> {
    match result {
        Ok(Step::Taken) => walked.taken += 1,
        Ok(Step::Known) => {
            walked.known += 1;
            walked.stopped_at_known = mode == Mode::Reconcile;
        }
        Ok(Step::Skipped) | Err(FedError::NotTaken(_)) => walked.skipped += 1,
        Err(e @ (FedError::Store(_) | FedError::Internal(_))) => return Err(e),
        Err(e) => {
            tracing::debug!(error = %e, "an item of a source could not be read: skipped");
            walked.skipped += 1;
        }
    }
    Ok(())
}

/// One item: an object (embedded or by id), or an activity about one.
async fn take(
    ctx: &Context,
    limiter: &HostLimiter,
    host: &str,
    item: &Value,
) -> Result<Step, FedError> {
    let (object, hint) = match kind_of(item) {
        "Create" | "Update" | "Announce" => match item.get("object") {
            Some(o) => (o, time_of(item, "updated").or(time_of(item, "published"))),
            None => return Ok(Step::Skipped),
        },
        _ => (item, None),
    };
    let Some(id) = id_of(object) else {
        return Ok(Step::Skipped);
    };
    if host_of(&id) != host {
        return Ok(Step::Skipped); // a source speaks for its own server
    }
    match kind_of(object) {
        "Event" => embedded_event(ctx, limiter, host, object).await,
        "Page" if resources::is_resource(object) => {
            embedded_page(ctx, limiter, host, &id, object).await
        }
        "" if object.is_string() => by_id(ctx, limiter, host, &id, hint).await,
        _ => Ok(Step::Skipped),
    }
}

/// Waits for the host's turn when storing needs the owner's document (not read yet).
async fn owner_turn(
    ctx: &Context,
    limiter: &HostLimiter,
    host: &str,
    owner: Option<Url>,
) -> Result<Option<super::limiter::Turn>, FedError> {
    let Some(owner) = owner else {
        return Ok(None);
    };
    let known = ctx
        .store
        .find_actor_by_ap_id(owner.as_str())
        .await?
        .is_some()
        && (!ctx.config.aggregator.enabled
            || ctx.store.actor_consent(owner.as_str()).await?.is_some());
    Ok(if known {
        None
    } else {
        Some(limiter.turn(host).await)
    })
}

async fn embedded_event(
    ctx: &Context,
    limiter: &HostLimiter,
    host: &str,
    object: &Value,
) -> Result<Step, FedError> {
    let json: EventJson = parse_object("Event", object)?;
    if json.entraide_kind.as_deref() == Some("slot") {
        return Ok(Step::Skipped); // slots travel inside their mission
    }
    let updated = json
        .updated
        .or(json.published)
        .map(|t| t.with_timezone(&Utc));
    if let Some(m) = ctx.store.find_mission_by_ap_id(json.id.as_str()).await? {
        if m.local {
            return Ok(Step::Skipped);
        }
        if m.deleted_at.is_none() && updated.is_some_and(|u| u <= m.updated) {
            return Ok(Step::Known);
        }
    }
    let data = ctx.reset_request_count();
    ApubMission::verify(&json, &json.id, &data).await?;
    let _turn = owner_turn(ctx, limiter, host, id_of(&json.attributed_to)).await?;
    ApubMission::from_json(json, &data).await?;
    Ok(Step::Taken)
}

async fn embedded_page(
    ctx: &Context,
    limiter: &HostLimiter,
    host: &str,
    id: &Url,
    page: &Value,
) -> Result<Step, FedError> {
    let updated = time_of(page, "updated");
    if let Some(item) = ctx.store.find_aggregated_item(id.as_str()).await? {
        if updated.is_some_and(|u| u <= item.updated) {
            return Ok(Step::Known);
        }
    }
    let owner = page.get("attributedTo").and_then(id_of);
    let _turn = owner_turn(ctx, limiter, host, owner).await?;
    let taken = resources::walked(&ctx.reset_request_count(), id, page).await?;
    Ok(if taken { Step::Taken } else { Step::Skipped })
}

/// An object given by id: known and unchanged when the activity naming it is not newer than
/// what was taken; else fetched from its origin (a 410 removes our copy).
async fn by_id(
    ctx: &Context,
    limiter: &HostLimiter,
    host: &str,
    id: &Url,
    hint: Option<DateTime<Utc>>,
) -> Result<Step, FedError> {
    if let (Some(hint), Some(item)) = (hint, ctx.store.find_aggregated_item(id.as_str()).await?) {
        if hint <= item.updated {
            return Ok(Step::Known);
        }
    }
    let _turn = limiter.turn(host).await;
    let data = ctx.reset_request_count();
    if ctx
        .store
        .find_resource_by_ap_id(id.as_str())
        .await?
        .is_some()
    {
        return Ok(if resources::announced(&data, id).await? {
            Step::Taken
        } else {
            Step::Skipped
        });
    }
    match ObjectId::<ApubMission>::from(id.clone())
        .dereference_forced(&data)
        .await
    {
        Ok(m) if !m.mission.local => Ok(Step::Taken),
        Ok(_) => Ok(Step::Skipped),
        Err(FedError::Gone(_)) => {
            ctx.store
                .delete_remote_mission(id.as_str(), ctx.clock.now())
                .await?;
            ctx.store.forget_aggregated_item(id.as_str()).await?;
            Ok(Step::Skipped)
        }
        Err(FedError::Remote(msg)) if msg.contains("is not a valid object") => {
            Ok(if resources::announced(&data, id).await? {
                Step::Taken
            } else {
                Step::Skipped
            })
        }
        Err(e) => Err(e),
    }
}
