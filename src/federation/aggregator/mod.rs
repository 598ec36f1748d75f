//! The aggregator: a node whose relay follows sources (Entraide nodes through their relay,
//! Mobilizon instances through their `relay` actor, groups directly), takes what they push
//! (the inbox), walks what they publish ([`walk`]) on follow and once a night ([`worker`]),
//! and keeps only what it may ([`gate`]). Every node serves [`current`] for aggregators.

pub mod current;
pub mod gate;
pub mod limiter;
pub mod territory;
pub mod walk;
pub mod worker;

use super::{
    error::FedError,
    objects::{host_of, ApubActor},
    resolve::{get_json, resolve_actor},
};
use crate::{
    domain::{
        account::User,
        actor::ActorKind,
        aggregator::{NewSource, Source, SourceKind},
    },
    service::{sources, ServiceError},
    state::Context,
};
use activitypub_federation::{fetch::webfinger::webfinger_resolve_actor, traits::Object};
use serde_json::Value;
use url::Url;

/// Why a source was not added: refused here (not allowed, already there), or not found.
#[derive(Debug, thiserror::Error)]
pub enum AddFailure {
    #[error(transparent)]
    Refused(#[from] ServiceError),
    #[error(transparent)]
    Unresolved(#[from] FedError),
}

/// The name of the software a server runs, from its NodeInfo.
async fn software_of(ctx: &Context, origin: &str) -> Option<String> {
    let links = get_json(
        ctx,
        &Url::parse(&format!("{origin}/.well-known/nodeinfo")).ok()?,
    )
    .await?;
    let href = links
        .get("links")?
        .as_array()?
        .iter()
        .filter(|l| {
            l.get("rel")
                .and_then(Value::as_str)
                .is_some_and(|r| r.starts_with("http://nodeinfo.diaspora.software/ns/schema/"))
        })
        .filter_map(|l| l.get("href").and_then(Value::as_str))
        .next_back()?
        .to_string();
    let info = get_json(ctx, &Url::parse(&href).ok()?).await?;
    Some(
        info.get("software")?
            .get("name")?
            .as_str()?
            .to_ascii_lowercase(),
    )
}

/// What the operator typed, made a source: a server's relay (NodeInfo FEP-2677, `/relay`,
/// else WebFinger `relay@host`) or an actor (`@group@host`, a URL), and what to walk.
pub async fn resolve_source(
    ctx: &Context,
    input: &str,
) -> Result<(NewSource, ApubActor), FedError> {
    let input = input.trim();
    let server = Url::parse(input)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && matches!(u.path(), "" | "/"));
    let actor = match (resolve_actor(ctx, input).await, &server) {
        (Ok(actor), _) => actor,
        (Err(e), Some(url)) => {
            let handle = format!("relay@{}", host_of(url));
            webfinger_resolve_actor::<crate::state::AppState, ApubActor>(&handle, ctx)
                .await
                .map_err(|_| e)?
        }
        (Err(e), None) => return Err(e),
    };
    let ap_id = actor.actor.ap_id.clone();
    let kind = match &server {
        Some(url) => match software_of(ctx, &url.origin().ascii_serialization())
            .await
            .as_deref()
        {
            Some("entraide") => SourceKind::Entraide,
            Some("mobilizon") => SourceKind::Mobilizon,
            _ => SourceKind::Other,
        },
        None if actor.actor.kind == ActorKind::Group => SourceKind::Group,
        None => SourceKind::Other,
    };
    let collection = match kind {
        SourceKind::Entraide => format!("{ap_id}/current"),
        _ => actor
            .actor
            .outbox
            .clone()
            .unwrap_or_else(|| format!("{ap_id}/outbox")),
    };
    let new = NewSource {
        input: input.to_string(),
        actor_ap_id: ap_id,
        kind,
        host: host_of(actor.id()),
        collection,
    };
    Ok((new, actor))
}

/// Adds a source: its relay or group followed by ours, its backfill to come from the worker.
/// `by`: the administrator asking (`None`: the operator at the console).
pub async fn add_source(
    ctx: &Context,
    by: Option<&User>,
    input: &str,
) -> Result<Source, AddFailure> {
    sources::may_manage(&ctx.config, by)?;
    let (new, actor) = resolve_source(ctx, input).await?;
    sources::check_new(ctx.store.as_ref(), &ctx.config, &new).await?;
    let relay = sources::relay(ctx.store.as_ref()).await?;
    super::inbox::record_following(ctx, relay.id, &actor).await?;
    let source = sources::add(ctx.store.as_ref(), new, ctx.clock.now()).await?;
    ctx.wake.notify_waiters();
    Ok(source)
}

/// An activity arrived from `actor`: a source's freshness when it is one.
pub async fn heard_from(ctx: &Context, actor: &Url) {
    if !ctx.config.aggregator.enabled {
        return;
    }
    if let Err(e) = ctx
        .store
        .source_heard(actor.as_str(), ctx.clock.now())
        .await
    {
        tracing::warn!(error = %e, %actor, "could not note that a source was heard from");
    }
}
