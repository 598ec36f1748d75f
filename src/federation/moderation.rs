//! Moderation on the wire (issue 18): the inbox's check of the rules in force (kept in memory,
//! see `service::moderation::Moderation`), the `Flag` a report is forwarded as, the `Flag`s
//! other servers send, and what an administrator typed to name a target.

use super::{
    error::FedError,
    objects::ApubActor,
    outbox::{activity_id, relay, Send},
    protocol::{parse_object, ActivityType, Envelope, Flag},
};
use crate::{
    domain::moderation::{parse_target, Severity, Target, TargetInput},
    service::{moderation as service, ServiceError},
    state::Context,
};
use url::Url;

/// Refuses an activity whose actor (or its host) is blocked here. Cheap: the rules are in
/// memory; the database is asked only whether they changed, at most every few seconds.
pub async fn admit(ctx: &Context, actor: &Url) -> Result<(), FedError> {
    if let Err(e) = ctx
        .moderation
        .refresh(ctx.store.as_ref(), ctx.clock.now())
        .await
    {
        tracing::warn!(error = %e, "moderation rules not reloaded");
    }
    if ctx.moderation.verdict(actor.as_str()) == Some(Severity::Block) {
        return Err(FedError::Forbidden(format!(
            "{actor} is blocked on this server"
        )));
    }
    Ok(())
}

/// The target an administrator typed: a host, an actor's URL, or `@user@host` (found by
/// WebFinger).
pub async fn target_of(ctx: &Context, input: &str) -> Result<Target, ServiceError> {
    match parse_target(input) {
        Ok(TargetInput::Known(t)) => Ok(t),
        Ok(TargetInput::Handle { user, host }) => {
            let actor = super::resolve::resolve_actor(ctx, &format!("@{user}@{host}"))
                .await
                .map_err(|_| ServiceError::NotFound("account"))?;
            Ok(Target::Actor(actor.actor.ap_id))
        }
        Err(e) => {
            let mut errors = crate::domain::FieldErrors::new();
            errors.add("target", e);
            Err(ServiceError::Domain(crate::domain::DomainError::Invalid(
                errors,
            )))
        }
    }
}

/// The `Flag` of a forwarded report, from the instance actor (the relay) to the inbox of the
/// reported item's actor: `object` the actor, then the item when it is not the actor.
pub(super) async fn flag(ctx: &Context, report_id: i64) -> Result<Vec<Send>, FedError> {
    let Some(report) = ctx.store.find_report(report_id).await? else {
        return Ok(Vec::new());
    };
    let Some(target) = ctx.store.find_actor_by_ap_id(&report.target_actor).await? else {
        return Ok(Vec::new());
    };
    let signer = relay(ctx).await?;
    let mut objects = vec![target.ap_id.clone()];
    if report.target != target.ap_id {
        objects.push(report.target.clone());
    }
    let activity = Flag::new(
        activity_id(ctx, ActivityType::Flag),
        &signer.ap_id,
        objects,
        &report.comment,
    );
    let inbox = target
        .shared_inbox
        .clone()
        .unwrap_or_else(|| target.inbox.clone());
    Ok(vec![Send::one(signer, &activity, &inbox)?])
}

/// A `Flag` from another server: a report in the administrators' list when it names something
/// of this node (ignored otherwise, as Mastodon does).
pub(super) async fn received(
    ctx: &Context,
    a: &Envelope,
    actor: &ApubActor,
) -> Result<(), FedError> {
    let flag: Flag = parse_object("Flag", &a.raw)?;
    let local = ctx.config.domain();
    let objects: Vec<String> = flag
        .object
        .into_iter()
        .filter(|o| crate::domain::moderation::host_of(o) == local)
        .collect();
    let report = service::flag_received(
        ctx.store.as_ref(),
        &actor.actor.ap_id,
        a.id.as_str(),
        &objects,
        &flag.content,
        ctx.clock.now(),
    )
    .await?;
    match report {
        Some(r) => tracing::info!(report = r.id, from = %actor.actor.ap_id, "report received"),
        None => tracing::debug!(from = %actor.actor.ap_id, "report about nothing of ours"),
    }
    Ok(())
}
