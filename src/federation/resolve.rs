//! Finding remote actors from what people type: `@name@host`, an actor URL, or a server URL
//! (its server actor, found through NodeInfo FEP-2677, WebFinger FEP-d556 or `/relay`).

use super::{error::FedError, objects::ApubActor};
use crate::state::Context;
use activitypub_federation::fetch::{object_id::ObjectId, webfinger::webfinger_resolve_actor};
use serde_json::Value;
use url::Url;

/// Resolves what an operator or a user typed into a stored remote actor.
pub async fn resolve_actor(ctx: &Context, input: &str) -> Result<ApubActor, FedError> {
    let input = input.trim();
    if let Some(handle) = input
        .strip_prefix('@')
        .or_else(|| (!input.contains("://")).then_some(input))
    {
        if !handle.contains('@') {
            return Err(FedError::BadRequest(format!(
                "{input} is neither @name@host nor a URL"
            )));
        }
        return webfinger_resolve_actor::<crate::state::AppState, ApubActor>(handle, ctx).await;
    }
    let url = Url::parse(input).map_err(|e| FedError::BadRequest(format!("{input}: {e}")))?;
    // Said clearly here; the HTTP client refuses it anyway (see `outgoing`).
    super::outgoing::check_destination(&url, ctx.config.federation.allow_private_addresses)
        .map_err(|refused| FedError::BadRequest(refused.to_string()))?;
    if url.path() == "/" || url.path().is_empty() {
        return server_actor(ctx, &url).await;
    }
    ObjectId::<ApubActor>::from(url).dereference(ctx).await
}

pub(crate) async fn get_json(ctx: &Context, url: &Url) -> Option<Value> {
    fetch_json(ctx, url).await.ok()
}

/// What [`fetch_json`] could not read: the status the server answered (`None`: no answer, a
/// refused address, a body too large or not JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotRead(pub Option<reqwest::StatusCode>);

/// [`get_json`], saying why nothing was read.
pub(crate) async fn fetch_json(ctx: &Context, url: &Url) -> Result<Value, NotRead> {
    // The node's client: private addresses refused (in the URL or behind a name) unless
    // allowed, https only and no explicit port in production, no redirects.
    let client = super::http_client(ctx.config.federation.allow_private_addresses);
    super::policy::check_host(&ctx.config, url).map_err(|_| NotRead(None))?;
    let mut res = client
        .get(url.as_str())
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|_| NotRead(None))?;
    if !res.status().is_success() {
        return Err(NotRead(Some(res.status())));
    }
    // Read at most 256 KiB: a document announced or turning out larger is refused.
    const LIMIT: usize = 256 * 1024;
    if res.content_length().is_some_and(|n| n > LIMIT as u64) {
        return Err(NotRead(None));
    }
    let (bytes, whole) = super::outgoing::read_at_most(&mut res, LIMIT)
        .await
        .map_err(|_| NotRead(None))?;
    if !whole {
        return Err(NotRead(None));
    }
    serde_json::from_slice(&bytes).map_err(|_| NotRead(None))
}

/// The server actor of a whole node.
async fn server_actor(ctx: &Context, server: &Url) -> Result<ApubActor, FedError> {
    let origin = server.origin().ascii_serialization();
    let mut candidates = Vec::new();
    if let Ok(nodeinfo) = Url::parse(&format!("{origin}/.well-known/nodeinfo")) {
        if let Some(doc) = get_json(ctx, &nodeinfo).await {
            if let Some(links) = doc.get("links").and_then(Value::as_array) {
                for l in links {
                    if l.get("rel").and_then(Value::as_str)
                        == Some("https://www.w3.org/ns/activitystreams#Application")
                    {
                        if let Some(href) = l.get("href").and_then(Value::as_str) {
                            candidates.push(href.to_string());
                        }
                    }
                }
            }
        }
    }
    candidates.push(format!("{origin}/relay"));
    let mut last = FedError::BadRequest(format!("no server actor found at {origin}"));
    for c in candidates {
        let Ok(url) = Url::parse(&c) else { continue };
        match ObjectId::<ApubActor>::from(url).dereference(ctx).await {
            Ok(actor) => return Ok(actor),
            Err(e) => last = e,
        }
    }
    Err(last)
}
