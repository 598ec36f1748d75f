//! The inbox: every check an incoming activity must pass, then what it does.
//!
//! Order matters: cheap checks first (JSON, Digest, signature header, dates, the key named by
//! the signature belongs to the activity's actor, same host for the activity and its actor),
//! then the sender's host's share and a place among the requests handled at once
//! (`inbox_gate`), then the actor's key (may need a fetch; fetched again after a failed
//! signature at most once per actor and cooldown), then de-duplication, then the effect. A failure never leaves a
//! half-done effect: each effect is one store call, and the de-duplication mark is removed
//! when the effect fails, so a redelivery can try again.

use super::{
    error::FedError,
    objects::{host_of, ApubActor, ApubMission},
    protocol::{id_of, parse_object, ActivityIn, Envelope, EventJson, Incoming, ObjectRef},
    signatures,
};
use crate::{
    domain::{
        actor::{Follower, Following},
        events::Outgoing,
    },
    state::Context,
};
use activitypub_federation::{fetch::object_id::ObjectId, traits::Object};
use http::{HeaderMap, Method, StatusCode, Uri};
use http_signature_normalization::verify::Unverified;
use serde_json::Value;
use url::Url;

/// What the inbox answers when all went well.
pub const ACCEPTED: StatusCode = StatusCode::ACCEPTED;

/// What the inbox knows of a request once the checks that cost nothing have passed.
pub struct Prechecked {
    pub incoming: Incoming,
    pub id: Url,
    pub actor_id: Url,
    /// The parsed, dated signature; its key is checked once the actor is known.
    pub unverified: Unverified,
}

/// The checks that read nothing but the request (no fetch, no query): the body is JSON and an
/// activity, the `Digest` matches it, the `Signature` header parses, covers `Date` and `Digest`
/// and is recent, its key is one of the activity's actor, the activity and its actor are on one
/// server and it is not this one (`local_host`). The fuzz targets run it on any bytes
/// (`crate::fuzzing`).
pub fn precheck(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    local_host: &str,
) -> Result<Prechecked, FedError> {
    let raw: Value = serde_json::from_slice(body)
        .map_err(|e| FedError::BadRequest(format!("the body is not valid JSON: {e}")))?;
    // Parsed once: the type decides the handler, the envelope is checked here.
    let incoming = Incoming::parse(raw).map_err(|e| FedError::BadRequest(e.to_string()))?;
    let (id, actor_id) = {
        let envelope = incoming.envelope();
        (envelope.id.clone(), envelope.actor.clone())
    };

    signatures::verify_digest(headers, body)?;
    let unverified = signatures::begin_verify(headers, method, uri, local_host)?;
    if !signatures::key_belongs_to(unverified.key_id(), actor_id.as_str()) {
        return Err(FedError::Unauthorized(format!(
            "signed with key {} which is not a key of the activity's actor {actor_id}",
            unverified.key_id()
        )));
    }
    if host_of(&id) != host_of(&actor_id) {
        return Err(FedError::Forbidden(
            "the activity id and its actor are on different servers".into(),
        ));
    }
    if host_of(&actor_id) == local_host {
        return Err(FedError::Forbidden(
            "activities of local actors are not accepted from outside".into(),
        ));
    }
    Ok(Prechecked {
        incoming,
        id,
        actor_id,
        unverified,
    })
}

/// Receives one POSTed activity.
pub async fn receive(
    ctx: &Context,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<StatusCode, FedError> {
    let Prechecked {
        incoming,
        id,
        actor_id,
        unverified,
    } = precheck(method, uri, headers, body, &ctx.config.domain())?;
    super::policy::check_host(&ctx.config, &actor_id)?;
    super::moderation::admit(ctx, &actor_id).await?;
    // Only now, with everything cheap checked, may the request cost something: its host's
    // share first, then a place among the requests handled at once.
    ctx.inbox_gate.admit(&host_of(&actor_id), ctx.clock.now())?;
    let _place = ctx.inbox_gate.enter()?;

    // A deleted account signs its own deletion with a key we can no longer fetch.
    if incoming.is_self_deletion() {
        return self_deleted(ctx, &id, &actor_id, &unverified).await;
    }

    let actor_ref = ObjectId::<ApubActor>::from(actor_id.clone());
    let actor = actor_ref
        .dereference(ctx)
        .await
        .map_err(|e| FedError::Unauthorized(format!("cannot get the key of {actor_id}: {e}")))?;
    if actor.actor.deleted_at.is_some() {
        return Err(FedError::Forbidden(format!(
            "{actor_id} deleted itself: its activities are not accepted any more"
        )));
    }
    if let Err(failed) = signatures::verify_with_key(&unverified, &actor.actor.public_key_pem) {
        // The key may have changed since we stored it: fetch once more, unless we fetched
        // this actor (or tried to) lately, so that forged requests cannot make us fetch it
        // again and again.
        if !ctx.actors.claim_key_refetch(&actor.actor, ctx.clock.now()) {
            return Err(failed);
        }
        let fresh = actor_ref.dereference_forced(ctx).await.map_err(|e| {
            FedError::Unauthorized(format!("cannot get the key of {actor_id}: {e}"))
        })?;
        signatures::verify_with_key(&unverified, &fresh.actor.public_key_pem)?;
    }

    if !ctx
        .store
        .record_received_activity(id.as_str(), ctx.clock.now())
        .await?
    {
        tracing::debug!(%id, "activity already received");
        return Ok(ACCEPTED);
    }
    let effect = handle(ctx, &incoming, &actor).await;
    // An aggregator notes when each of its sources was last heard from.
    super::aggregator::heard_from(ctx, &actor_id).await;
    if let Err(e) = effect {
        ctx.store.forget_received_activity(id.as_str()).await?;
        return Err(e);
    }
    Ok(ACCEPTED)
}

/// An account deleting itself (`Delete` whose object is its own actor), as Mastodon sends it
/// when an account goes (`delete_actor_serializer.rb`): its actor document answers 410 by
/// then, so the signature is checked with the key we kept, never fetched. Like Mastodon's
/// inbox, which skips the deletion of an account it does not know, an actor we never stored
/// (or erased before) is answered 202 with no effect. Else it is erased here as a local account
/// is (`service::privacy::remote_actor_deleted`): its sign-ups to come withdrawn and places
/// freed, its name taken out of past sign-ups, hours (validated ones kept for a former
/// volunteer) and interests, and its copy kept as a tombstone that no later fetch revives.
async fn self_deleted(
    ctx: &Context,
    id: &Url,
    actor_id: &Url,
    unverified: &http_signature_normalization::verify::Unverified,
) -> Result<StatusCode, FedError> {
    let Some(known) = ctx.store.find_actor_by_ap_id(actor_id.as_str()).await? else {
        return Ok(ACCEPTED);
    };
    if known.local || known.deleted_at.is_some() {
        return Ok(ACCEPTED);
    }
    signatures::verify_with_key(unverified, &known.public_key_pem)?;
    if !ctx
        .store
        .record_received_activity(id.as_str(), ctx.clock.now())
        .await?
    {
        return Ok(ACCEPTED);
    }
    let erased = crate::service::privacy::remote_actor_deleted(
        ctx.store.as_ref(),
        actor_id.as_str(),
        ctx.clock.now(),
    )
    .await;
    ctx.actors.forget(actor_id.as_str());
    match erased {
        Ok(done) => {
            let withdrawn = done.map(|d| d.withdrawn.len()).unwrap_or(0);
            tracing::info!(actor = %actor_id, withdrawn, "a remote account deleted itself");
            Ok(ACCEPTED)
        }
        Err(e) => {
            ctx.store.forget_received_activity(id.as_str()).await?;
            Err(e.into())
        }
    }
}

async fn handle(ctx: &Context, incoming: &Incoming, actor: &ApubActor) -> Result<(), FedError> {
    match incoming {
        Incoming::Follow(a) => follow(ctx, &a.raw, actor).await,
        Incoming::Join(a) => super::participation::join(ctx, &a.raw, actor).await,
        Incoming::Leave(a) => super::participation::leave(ctx, &a.object_ref, actor).await,
        Incoming::Offer(a) => super::resources::received_offer(ctx, &a.raw, actor).await,
        Incoming::Accept(a) => answered(ctx, a, actor, true).await,
        Incoming::Reject(a) => answered(ctx, a, actor, false).await,
        Incoming::Undo(a) => undone(ctx, a, actor).await,
        Incoming::Delete(a) => deleted(ctx, a, actor).await,
        Incoming::Create(a) => created(ctx, a, actor, false).await,
        Incoming::Update(a) => created(ctx, a, actor, true).await,
        Incoming::Announce(a) => announce(ctx, &a.object_ref, actor).await,
        Incoming::Flag(a) => super::moderation::received(ctx, a, actor).await,
        Incoming::Other { kind, .. } => {
            tracing::debug!(kind = kind.as_str(), "activity type ignored");
            Ok(())
        }
    }
}

/// `Accept` or `Reject` of something we sent: a reservation (an offer or an agreement), hours,
/// a `Join`, else a `Follow`.
async fn answered(
    ctx: &Context,
    a: &Envelope,
    actor: &ApubActor,
    accepted: bool,
) -> Result<(), FedError> {
    let object = &a.object_ref;
    if let Some(known) = super::resources::known_reservation(ctx, object).await? {
        return super::resources::answered(ctx, &a.raw, known, actor, accepted).await;
    }
    if super::hours::is_hours(ctx, object).await? {
        return super::hours::answered(ctx, &a.raw, actor, accepted).await;
    }
    if object.is("Join") || is_known_join(ctx, object).await? {
        return super::participation::join_answered(ctx, &a.raw, &a.object, actor, accepted).await;
    }
    follow_answered(ctx, object, actor, accepted).await
}

/// `Undo` of a `Join`, of a reservation's offer, or of a `Follow` (others change nothing).
async fn undone(ctx: &Context, a: &Envelope, actor: &ApubActor) -> Result<(), FedError> {
    if a.object_ref.is("Join") {
        return super::participation::undo_join(ctx, &a.object_ref, actor).await;
    }
    if let Some(known) = super::resources::known_reservation(ctx, &a.object_ref).await? {
        return super::resources::withdrawn(ctx, &a.raw, known, actor).await;
    }
    undo(ctx, &a.object_ref, actor).await
}

/// `Delete` of a reservation's agreement, of hours, or of a mission or resource.
async fn deleted(ctx: &Context, a: &Envelope, actor: &ApubActor) -> Result<(), FedError> {
    if let Some(known) = super::resources::known_reservation(ctx, &a.object_ref).await? {
        return super::resources::withdrawn(ctx, &a.raw, known, actor).await;
    }
    if super::hours::is_hours(ctx, &a.object_ref).await? {
        return super::hours::withdrawn(ctx, &a.object_ref, actor).await;
    }
    delete(ctx, &a.object_ref, actor).await
}

/// `Create` or `Update` of a resource's `Page`, of hours (`EconomicEvent`), of a reservation's
/// `Agreement` (an update only), or of an `Event`, a profile or a `Note`.
async fn created(
    ctx: &Context,
    a: &Envelope,
    actor: &ApubActor,
    update: bool,
) -> Result<(), FedError> {
    let object = &a.object;
    if update && a.object_ref.is("Agreement") {
        return super::resources::agreement_updated(ctx, object, actor).await;
    }
    if super::resources::is_resource(object) {
        return super::resources::received_page(ctx, object, actor).await;
    }
    if a.object_ref.is("EconomicEvent") {
        return super::hours::offered(ctx, object, actor, update).await;
    }
    create_or_update(ctx, a, actor).await
}

/// Whether an answer's object (given by id only) is one of our `Join`s.
async fn is_known_join(ctx: &Context, object: &ObjectRef) -> Result<bool, FedError> {
    match &object.id {
        Some(id) if !object.embedded => Ok(ctx
            .store
            .find_participation_by_join(id.as_str())
            .await?
            .is_some()),
        _ => Ok(false),
    }
}

/// Someone follows one of our actors: record them and answer `Accept{Follow}`.
async fn follow(ctx: &Context, activity: &Value, actor: &ApubActor) -> Result<(), FedError> {
    let asked: ActivityIn = parse_object("Follow", activity)?;
    let target =
        (asked.object.id).ok_or_else(|| FedError::BadRequest("the Follow has no object".into()))?;
    let local = ctx
        .store
        .find_actor_by_ap_id(target.as_str())
        .await?
        .filter(|a| a.local)
        .ok_or_else(|| FedError::BadRequest(format!("{target} is not an actor of this server")))?;
    let follow_id = asked.id.unwrap_or_default();
    // Echoed in the Accept as its sender wrote it.
    let mut follow = activity.clone();
    if let Value::Object(map) = &mut follow {
        map.remove("@context");
        map.remove("signature");
    }
    let inbox = actor.actor.inbox.clone();
    ctx.store
        .add_follower(
            local.id,
            Follower {
                actor_ap_id: actor.actor.ap_id.clone(),
                inbox: actor.actor.inbox.clone(),
                shared_inbox: actor.actor.shared_inbox.clone(),
                follow_ap_id: follow_id,
            },
            Outgoing::FollowAccepted {
                local_actor_id: local.id,
                follow,
                inbox,
            },
            ctx.clock.now(),
        )
        .await?;
    ctx.wake.notify_waiters();
    Ok(())
}

async fn undo(ctx: &Context, object: &ObjectRef, actor: &ApubActor) -> Result<(), FedError> {
    if !object.is("Follow") {
        return Ok(()); // Undo of a Like, an Announce…: nothing of ours changes.
    }
    if object.actor.as_ref().map(Url::as_str) != Some(actor.actor.ap_id.as_str()) {
        return Err(FedError::Forbidden(
            "only the follower may undo a follow".into(),
        ));
    }
    let Some(target) = &object.object else {
        return Err(FedError::BadRequest(
            "the undone Follow has no object".into(),
        ));
    };
    if let Some(local) = ctx
        .store
        .find_actor_by_ap_id(target.as_str())
        .await?
        .filter(|a| a.local)
    {
        ctx.store
            .remove_follower(local.id, &actor.actor.ap_id)
            .await?;
    }
    Ok(())
}

/// `Accept`/`Reject` of a follow we sent; only the followed actor may answer.
async fn follow_answered(
    ctx: &Context,
    object: &ObjectRef,
    actor: &ApubActor,
    accepted: bool,
) -> Result<(), FedError> {
    let Some(follow_id) = &object.id else {
        return Err(FedError::BadRequest("the answer has no object".into()));
    };
    if object.embedded && object.kind.as_deref().is_some_and(|t| t != "Follow") {
        return Ok(()); // Accept of something else (a Join, an Offer): later issues.
    }
    let changed = ctx
        .store
        .answer_following(follow_id.as_str(), &actor.actor.ap_id, accepted)
        .await?;
    if !changed {
        tracing::debug!(%follow_id, "answer to an unknown follow ignored");
    }
    Ok(())
}

async fn create_or_update(ctx: &Context, a: &Envelope, actor: &ApubActor) -> Result<(), FedError> {
    let object = &a.object;
    match a.object_type() {
        Some("Event") => {}
        Some("Group" | "Person" | "Application" | "Service" | "Organization") => {
            // A profile update: refetch it from its origin rather than trusting the copy.
            if a.object_ref.id.as_ref() == Some(actor.id()) {
                ObjectId::<ApubActor>::from(actor.id().clone())
                    .dereference_forced(ctx)
                    .await?;
            }
            return Ok(());
        }
        // Replies to our missions from Mastodon: kept as interest, answered with a link.
        Some("Note") => return super::replies::note(ctx, object, actor).await,
        _ => return Ok(()), // Articles, questions and others: not handled by this node yet.
    }
    let event: EventJson = parse_object("Event", object)?;
    if event.entraide_kind.as_deref() == Some("slot") {
        // A slot travels inside its mission's document: refetch the mission from its origin.
        let Some(mission) = event.super_event.as_ref().and_then(id_of) else {
            return Ok(());
        };
        if host_of(&mission) == host_of(actor.id())
            && ctx
                .store
                .find_mission_by_ap_id(mission.as_str())
                .await?
                .is_some()
        {
            ObjectId::<ApubMission>::from(mission)
                .dereference_forced(ctx)
                .await?;
        }
        return Ok(());
    }
    let owner = id_of(&event.attributed_to);
    if owner.as_ref().map(Url::as_str) != Some(actor.actor.ap_id.as_str()) {
        return Err(FedError::Forbidden(
            "only the actor an event is attributed to may create or update it".into(),
        ));
    }
    let known = ctx.store.find_mission_by_ap_id(event.id.as_str()).await?;
    if let Some(m) = &known {
        if m.local || m.actor_id != actor.actor.id {
            return Err(FedError::Forbidden(
                "this event belongs to another actor".into(),
            ));
        }
    } else if !ctx.store.is_followed_locally(&actor.actor.ap_id).await? {
        tracing::debug!(id = %event.id, "event from an actor nobody here follows: ignored");
        return Ok(());
    }
    ApubMission::verify(&event, actor.id(), ctx).await?;
    ApubMission::from_json(event, ctx).await?;
    Ok(())
}

async fn delete(ctx: &Context, object: &ObjectRef, actor: &ApubActor) -> Result<(), FedError> {
    let Some(id) = &object.id else {
        return Err(FedError::BadRequest("the Delete has no object".into()));
    };
    if super::resources::received_delete(ctx, id, actor).await? {
        return Ok(());
    }
    if let Some(m) = ctx.store.find_mission_by_ap_id(id.as_str()).await? {
        if m.local || m.actor_id != actor.actor.id {
            return Err(FedError::Forbidden(
                "only the owner of a mission may delete it".into(),
            ));
        }
        ctx.store
            .delete_remote_mission(id.as_str(), ctx.clock.now())
            .await?;
    }
    Ok(())
}

/// A relay we follow announces an object: fetch it from its origin (never trust the copy).
async fn announce(ctx: &Context, object: &ObjectRef, actor: &ApubActor) -> Result<(), FedError> {
    if !ctx.store.is_followed_locally(&actor.actor.ap_id).await? {
        return Ok(());
    }
    // The object may be an id, an embedded object, or an embedded activity about one.
    let (inner_kind, target) = match object.kind.as_deref() {
        Some(k @ ("Create" | "Update" | "Delete")) => (Some(k), object.object.clone()),
        Some("Event") | None => (None, object.id.clone()),
        Some(_) => return Ok(()),
    };
    let Some(target) = target else {
        return Err(FedError::BadRequest("the Announce has no object".into()));
    };
    if host_of(&target) != host_of(actor.id()) {
        // A relay speaks for its own server only.
        return Err(FedError::Forbidden(
            "a relay may only announce objects of its own server".into(),
        ));
    }
    // A resource we know, or announced as created or changed: fetched as a Page.
    if ctx
        .store
        .find_resource_by_ap_id(target.as_str())
        .await?
        .is_some()
    {
        super::resources::announced(ctx, &target).await?;
        return Ok(());
    }
    match ObjectId::<ApubMission>::from(target.clone())
        .dereference_forced(ctx)
        .await
    {
        Ok(_) => Ok(()),
        Err(FedError::Gone(_)) => {
            ctx.store
                .delete_remote_mission(target.as_str(), ctx.clock.now())
                .await?;
            Ok(())
        }
        Err(FedError::Remote(msg))
            if msg.contains("is not a valid object") && inner_kind != Some("Delete") =>
        {
            // Not an Event: perhaps a resource.
            super::resources::announced(ctx, &target).await?;
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Records a follow to send from one of our actors.
pub async fn record_following(
    ctx: &Context,
    local_actor_id: i64,
    target: &ApubActor,
) -> Result<bool, FedError> {
    let follow_ap_id = format!(
        "{}/activities/follow/{}",
        ctx.config.base(),
        uuid::Uuid::new_v4()
    );
    let event = Outgoing::FollowRequested {
        local_actor_id,
        target_ap_id: target.actor.ap_id.clone(),
        follow_ap_id: follow_ap_id.clone(),
    };
    let following = Following {
        local_actor_id,
        target_ap_id: target.actor.ap_id.clone(),
        follow_ap_id,
        accepted: false,
    };
    Ok(ctx
        .store
        .add_following(following, event, ctx.clock.now())
        .await?)
}
