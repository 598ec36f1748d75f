//! Turns recorded events into activities and one delivery per inbox (shared inboxes counted
//! once), in one transaction with marking the event done. Runs in every `serve` process;
//! claiming makes each event handled by one of them.

use super::{
    context::with_context,
    error::FedError,
    objects::mission_document,
    protocol::{Activity, ActivityType, Announced, Reference, Tombstone},
};
use crate::{
    domain::{
        actor::{Actor, ActorKind},
        events::Outgoing,
        hours::Volunteer,
        mission::MissionStatus,
        slot::{Participant, ParticipationStatus},
    },
    state::Context,
    storage::NewDelivery,
};
use chrono::Duration;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// An activity to send, signed by `signer`, to these inboxes.
pub(super) struct Send {
    pub signer: Actor,
    pub activity: Value,
    pub inboxes: BTreeSet<String>,
}

impl Send {
    /// `activity` of `signer` to one inbox.
    pub(super) fn one<T: Serialize>(
        signer: Actor,
        activity: &T,
        inbox: &str,
    ) -> Result<Send, FedError> {
        Ok(Send {
            signer,
            activity: wire(activity)?,
            inboxes: BTreeSet::from([inbox.to_string()]),
        })
    }
}

/// A wire struct as the JSON we store and send.
pub(super) fn wire<T: Serialize>(document: &T) -> Result<Value, FedError> {
    serde_json::to_value(document).map_err(|e| FedError::Internal(e.to_string()))
}

/// A new id for an activity of this type: `{base}/activities/{type}/{uuid}`.
pub(super) fn activity_id(ctx: &Context, kind: ActivityType) -> String {
    format!(
        "{}/activities/{}/{}",
        ctx.config.base(),
        kind.slug(),
        uuid::Uuid::new_v4()
    )
}

/// The followers collection of an actor.
pub(super) fn followers_of(actor: &Actor) -> String {
    format!("{}/followers", actor.ap_id)
}

pub(super) async fn relay(ctx: &Context) -> Result<Actor, FedError> {
    ctx.store
        .find_local_actor(ActorKind::Application.as_str(), "relay")
        .await?
        .ok_or_else(|| FedError::Internal("the relay actor is missing".into()))
}

pub(super) async fn follower_inboxes(
    ctx: &Context,
    actor: &Actor,
) -> Result<BTreeSet<String>, FedError> {
    Ok(ctx
        .store
        .list_followers(actor.id)
        .await?
        .iter()
        .map(|f| f.delivery_inbox().to_string())
        .collect())
}

/// `activity` of `owner` to its followers, and the relay's `Announce` of `announced` (the
/// object's id, or the activity itself for a deletion) to the nodes that follow this one.
pub(super) async fn with_relay(
    ctx: &Context,
    owner: Actor,
    activity: Value,
    announced: Announced,
) -> Result<Vec<Send>, FedError> {
    let relay = relay(ctx).await?;
    let announce = Activity::new(
        activity_id(ctx, ActivityType::Announce),
        ActivityType::Announce,
        &relay.ap_id,
        Vec::new(),
        announced,
    )
    .public(followers_of(&relay))
    .dated(ctx.clock.now().to_rfc3339());
    Ok(vec![
        Send {
            inboxes: follower_inboxes(ctx, &owner).await?,
            signer: owner,
            activity,
        },
        Send {
            inboxes: follower_inboxes(ctx, &relay).await?,
            activity: wire(&announce)?,
            signer: relay,
        },
    ])
}

/// What one event means on the wire.
async fn plan(ctx: &Context, event: &Outgoing) -> Result<Vec<Send>, FedError> {
    match event {
        Outgoing::ResourcePublished { .. }
        | Outgoing::ResourceUpdated { .. }
        | Outgoing::ResourceDeleted { .. }
        | Outgoing::ReservationChanged { .. }
        | Outgoing::OfferRefusedOnArrival { .. } => super::resources_outbox::plan(ctx, event).await,
        Outgoing::SlotsPublished { mission_id, .. } => {
            // The mission's places changed: its followers get the updated Event.
            Box::pin(plan(
                ctx,
                &Outgoing::MissionUpdated {
                    mission_id: *mission_id,
                },
            ))
            .await
        }
        Outgoing::SlotChanged { slot_id } | Outgoing::SlotRescheduled { slot_id } => {
            let slot = ctx.store.get_slot(*slot_id).await?;
            Box::pin(plan(
                ctx,
                &Outgoing::MissionUpdated {
                    mission_id: slot.mission_id,
                },
            ))
            .await
        }
        Outgoing::JoinRefused {
            local_actor_id,
            join,
            reason,
        } => {
            let signer = ctx.store.get_actor(*local_actor_id).await?;
            let Some(actor_id) = join.get("actor").and_then(super::protocol::id_of) else {
                return Ok(Vec::new());
            };
            let Some(target) = ctx.store.find_actor_by_ap_id(actor_id.as_str()).await? else {
                return Ok(Vec::new());
            };
            // Their own `Join`, echoed as they sent it.
            refusal(ctx, signer, actor_id.as_str(), &target.inbox, join, reason)
        }
        Outgoing::ParticipationChanged { participation_id } => {
            participation_answer(ctx, *participation_id).await
        }
        Outgoing::HoursOffered { entry_id, update } => hours_offered(ctx, *entry_id, *update).await,
        Outgoing::HoursWithdrawn {
            user_id,
            association_actor_id,
            ap_id,
        } => {
            let user = ctx.store.get_user(*user_id).await?;
            let signer = person_of(ctx, &user.name).await?;
            let association = ctx.store.get_actor(*association_actor_id).await?;
            let activity = Activity::new(
                activity_id(ctx, ActivityType::Delete),
                ActivityType::Delete,
                &signer.ap_id,
                vec![association.ap_id.clone()],
                Tombstone::new(ap_id, "EconomicEvent"),
            );
            Ok(vec![Send::one(signer, &activity, &association.inbox)?])
        }
        Outgoing::HoursAnswered { entry_id } => hours_answer(ctx, *entry_id).await,
        Outgoing::AssociationUpdated { .. }
        | Outgoing::ProfileUpdated { .. }
        | Outgoing::AssociationRequestAnswered { .. }
        | Outgoing::InvitationSent { .. } => super::group_update::plan(ctx, event).await,
        Outgoing::AccountDeleted { actor_id, inboxes } => {
            let signer = ctx.store.get_actor(*actor_id).await?;
            if inboxes.is_empty() || signer.private_key_pem.is_none() {
                return Ok(Vec::new());
            }
            let activity = Activity::delete_actor(&signer.ap_id);
            Ok(vec![Send {
                signer,
                activity: wire(&activity)?,
                inboxes: inboxes.iter().cloned().collect(),
            }])
        }
        Outgoing::HoursRefusedOnArrival {
            association_actor_id,
            volunteer_ap_id,
            object_ap_id,
            reason,
        } => {
            let signer = ctx.store.get_actor(*association_actor_id).await?;
            let Some(target) = ctx.store.find_actor_by_ap_id(volunteer_ap_id).await? else {
                return Ok(Vec::new());
            };
            let object = Reference::new(object_ap_id, "EconomicEvent");
            refusal(ctx, signer, volunteer_ap_id, &target.inbox, object, reason)
        }
        Outgoing::DirectMessage {
            from_actor_id,
            to_actor_ap_id,
            content_html,
            in_reply_to,
        } => {
            let note = super::direct::note(
                ctx,
                *from_actor_id,
                to_actor_ap_id,
                content_html,
                in_reply_to.as_deref(),
            )
            .await?;
            Ok(note
                .map(|n| Send {
                    signer: n.signer,
                    activity: n.activity,
                    inboxes: BTreeSet::from([n.inbox]),
                })
                .into_iter()
                .collect())
        }
        Outgoing::MissionPublished { mission_id } | Outgoing::MissionUpdated { mission_id } => {
            let mission = ctx.store.get_mission(*mission_id).await?;
            if mission.deleted_at.is_some() || mission.status == MissionStatus::Draft {
                // Deleted before we got to it (the Delete says it all), or not public yet.
                return Ok(Vec::new());
            }
            let owner = ctx.store.get_actor(mission.actor_id).await?;
            let object = mission_document(&mission, ctx).await?;
            let kind = match event {
                Outgoing::MissionPublished { .. } => ActivityType::Create,
                _ => ActivityType::Update,
            };
            published(ctx, owner, kind, object, mission.ap_id).await
        }
        Outgoing::MissionDeleted { mission_id } => {
            let mission = ctx.store.get_mission(*mission_id).await?;
            let owner = ctx.store.get_actor(mission.actor_id).await?;
            deleted(ctx, owner, Tombstone::new(&mission.ap_id, "Event")).await
        }
        Outgoing::ReportForwarded { report_id } => super::moderation::flag(ctx, *report_id).await,
        Outgoing::FollowAccepted {
            local_actor_id,
            follow,
            inbox,
        } => {
            let signer = ctx.store.get_actor(*local_actor_id).await?;
            let follower = follow.get("actor").and_then(super::protocol::id_of);
            // Their own `Follow`, echoed as they sent it (Mastodon matches it by id).
            let activity = Activity::new(
                activity_id(ctx, ActivityType::Accept),
                ActivityType::Accept,
                &signer.ap_id,
                follower.map(String::from).into_iter().collect(),
                follow,
            );
            Ok(vec![Send::one(signer, &activity, inbox)?])
        }
        Outgoing::FollowRequested {
            local_actor_id,
            target_ap_id,
            follow_ap_id,
        } => {
            let signer = ctx.store.get_actor(*local_actor_id).await?;
            let target = ctx
                .store
                .find_actor_by_ap_id(target_ap_id)
                .await?
                .ok_or_else(|| {
                    FedError::Internal(format!("followed actor {target_ap_id} is not stored"))
                })?;
            let activity = Activity::new(
                follow_ap_id.clone(),
                ActivityType::Follow,
                &signer.ap_id,
                vec![target_ap_id.clone()],
                target_ap_id.clone(),
            );
            Ok(vec![Send::one(signer, &activity, &target.inbox)?])
        }
        Outgoing::FollowUndone {
            local_actor_id,
            target_ap_id,
            follow_ap_id,
        } => {
            let signer = ctx.store.get_actor(*local_actor_id).await?;
            let Some(target) = ctx.store.find_actor_by_ap_id(target_ap_id).await? else {
                return Ok(Vec::new());
            };
            let activity = Activity::new(
                activity_id(ctx, ActivityType::Undo),
                ActivityType::Undo,
                &signer.ap_id,
                vec![target_ap_id.clone()],
                Reference::activity(follow_ap_id, "Follow", &signer.ap_id, Some(target_ap_id)),
            );
            Ok(vec![Send::one(signer, &activity, &target.inbox)?])
        }
    }
}

pub(super) use super::reject::refusal;

/// `Create` or `Update` (`kind`) of a public object of `owner` (its id: `ap_id`) to its
/// followers, and the relay's `Announce` of its id.
pub(super) async fn published<T: Serialize>(
    ctx: &Context,
    owner: Actor,
    kind: ActivityType,
    object: T,
    ap_id: String,
) -> Result<Vec<Send>, FedError> {
    let activity = Activity::new(
        activity_id(ctx, kind),
        kind,
        &owner.ap_id,
        Vec::new(),
        object,
    )
    .public(followers_of(&owner))
    .dated(ctx.clock.now().to_rfc3339());
    let activity = wire(&activity)?;
    with_relay(ctx, owner, activity, Announced::Id(ap_id)).await
}

/// `Delete` of a public object of `owner` to its followers; the relay announces the `Delete`
/// itself (the object cannot be fetched any more).
pub(super) async fn deleted(
    ctx: &Context,
    owner: Actor,
    tombstone: Tombstone,
) -> Result<Vec<Send>, FedError> {
    let delete = Activity::new(
        activity_id(ctx, ActivityType::Delete),
        ActivityType::Delete,
        &owner.ap_id,
        Vec::new(),
        tombstone,
    )
    .public(followers_of(&owner));
    let activity = wire(&delete)?;
    with_relay(ctx, owner, activity, Announced::Delete(Box::new(delete))).await
}

/// The actor of one of our users.
async fn person_of(ctx: &Context, name: &str) -> Result<Actor, FedError> {
    ctx.store
        .find_local_actor(ActorKind::Person.as_str(), name)
        .await?
        .ok_or_else(|| FedError::Internal(format!("user {name} has no actor")))
}

/// The hours entry, unless it was deleted since the event was recorded.
async fn entry_if_any(
    ctx: &Context,
    id: i64,
) -> Result<Option<crate::domain::hours::HoursEntry>, FedError> {
    match ctx.store.get_hours_entry(id).await {
        Ok(e) => Ok(Some(e)),
        Err(crate::storage::StoreError::NotFound(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Hours one of our users logged for an association of another server: `Create` (or
/// `Update`) of their `EconomicEvent`, to the association alone.
async fn hours_offered(ctx: &Context, entry_id: i64, update: bool) -> Result<Vec<Send>, FedError> {
    // Deleted since: its `Delete` follows (or the association never heard of it).
    let Some(entry) = entry_if_any(ctx, entry_id).await? else {
        return Ok(Vec::new());
    };
    let (Volunteer::User { user_id }, Some(ap_id)) = (&entry.volunteer, &entry.ap_id) else {
        return Ok(Vec::new());
    };
    let association = ctx.store.get_actor(entry.actor_id).await?;
    if association.local {
        return Ok(Vec::new());
    }
    let user = ctx.store.get_user(*user_id).await?;
    let signer = person_of(ctx, &user.name).await?;
    let mission = match entry.draft.mission_id {
        Some(id) => Some(ctx.store.get_mission(id).await?.ap_id),
        None => None,
    };
    let object =
        super::hours::economic_event(&entry, ap_id, &signer, &association, mission.as_deref());
    let kind = if update {
        ActivityType::Update
    } else {
        ActivityType::Create
    };
    let activity = Activity::new(
        activity_id(ctx, kind),
        kind,
        &signer.ap_id,
        vec![association.ap_id.clone()],
        object,
    );
    Ok(vec![Send::one(signer, &activity, &association.inbox)?])
}

/// A coordinator decided on hours a volunteer of another server sent: `Accept` or `Reject`.
async fn hours_answer(ctx: &Context, entry_id: i64) -> Result<Vec<Send>, FedError> {
    let Some(entry) = entry_if_any(ctx, entry_id).await? else {
        return Ok(Vec::new());
    };
    let (Some(kind), Volunteer::Remote { actor_ap_id, .. }, Some(ap_id)) = (
        super::hours::answer_kind(&entry),
        &entry.volunteer,
        &entry.ap_id,
    ) else {
        return Ok(Vec::new());
    };
    let signer = ctx.store.get_actor(entry.actor_id).await?;
    let Some(target) = ctx.store.find_actor_by_ap_id(actor_ap_id).await? else {
        return Ok(Vec::new());
    };
    let mut activity = Activity::new(
        activity_id(ctx, kind),
        kind,
        &signer.ap_id,
        vec![actor_ap_id.clone()],
        Reference::new(ap_id, "EconomicEvent"),
    );
    if kind == ActivityType::Reject {
        activity = activity.with_reason(&entry.reason);
    }
    Ok(vec![Send::one(signer, &activity, &target.inbox)?])
}

/// A remote volunteer's `Join` is answered: `Accept{Join}` when accepted, `Reject{Join}` when
/// refused (with the reason), nothing while pending. Local people are told by notifications.
async fn participation_answer(ctx: &Context, participation_id: i64) -> Result<Vec<Send>, FedError> {
    let p = ctx.store.get_participation(participation_id).await?;
    if let Participant::User { user_id } = &p.participant {
        return participation_request(ctx, &p, *user_id).await;
    }
    let Participant::Remote { actor_ap_id } = &p.participant else {
        return Ok(Vec::new());
    };
    if crate::service::fediverse::came_through_link(&ctx.config, &p) {
        // Signed up through a link sent by direct message (Mastodon): no Join to answer.
        let note = super::direct::participation_note(ctx, &p).await?;
        return Ok(note
            .map(|n| Send {
                signer: n.signer,
                activity: n.activity,
                inboxes: BTreeSet::from([n.inbox]),
            })
            .into_iter()
            .collect());
    }
    let kind = match p.status {
        ParticipationStatus::Accepted => ActivityType::Accept,
        ParticipationStatus::Rejected => ActivityType::Reject,
        ParticipationStatus::Pending | ParticipationStatus::Withdrawn => return Ok(Vec::new()),
    };
    let slot = ctx.store.get_slot(p.slot_id).await?;
    let mission = ctx.store.get_mission(slot.mission_id).await?;
    let owner = ctx.store.get_actor(mission.actor_id).await?;
    let Some(target) = ctx.store.find_actor_by_ap_id(actor_ap_id).await? else {
        return Ok(Vec::new());
    };
    let mut activity = Activity::new(
        activity_id(ctx, kind),
        kind,
        &owner.ap_id,
        vec![actor_ap_id.clone()],
        Reference::activity(&p.join_ap_id, "Join", actor_ap_id, Some(&slot.ap_id)),
    );
    if kind == ActivityType::Reject {
        activity = activity.with_reason(&p.reason);
    }
    Ok(vec![Send::one(owner, &activity, &target.inbox)?])
}

/// One of our users takes part in a slot of another server: `Join` when they ask, `Leave`
/// when they withdraw. Slots of this node need no activity (notifications tell the person).
async fn participation_request(
    ctx: &Context,
    p: &crate::domain::slot::Participation,
    user_id: i64,
) -> Result<Vec<Send>, FedError> {
    let slot = ctx.store.get_slot(p.slot_id).await?;
    if slot.local {
        return Ok(Vec::new());
    }
    let user = ctx.store.get_user(user_id).await?;
    let signer = ctx
        .store
        .find_local_actor(ActorKind::Person.as_str(), &user.name)
        .await?
        .ok_or_else(|| FedError::Internal(format!("user {} has no actor", user.name)))?;
    let mission = ctx.store.get_mission(slot.mission_id).await?;
    let owner = ctx.store.get_actor(mission.actor_id).await?;
    let activity = match p.status {
        ParticipationStatus::Pending => Activity {
            participation_message: Some(p.message.clone()),
            ..Activity::new(
                p.join_ap_id.clone(),
                ActivityType::Join,
                &signer.ap_id,
                vec![owner.ap_id.clone()],
                slot.ap_id.clone(),
            )
        },
        // The owner cancelled the slot itself: nothing to tell them.
        ParticipationStatus::Withdrawn if p.reason == "slot_cancelled" => return Ok(Vec::new()),
        ParticipationStatus::Withdrawn => Activity::new(
            activity_id(ctx, ActivityType::Leave),
            ActivityType::Leave,
            &signer.ap_id,
            vec![owner.ap_id.clone()],
            slot.ap_id.clone(),
        ),
        // Accepted or refused by the owner: they told us, nothing to send back.
        ParticipationStatus::Accepted | ParticipationStatus::Rejected => return Ok(Vec::new()),
    };
    Ok(vec![Send::one(signer, &activity, &owner.inbox)?])
}

/// Handles the events that are due; returns how many were handled.
pub async fn run_once(ctx: &Context) -> Result<usize, FedError> {
    let now = ctx.clock.now();
    let events = ctx
        .store
        .claim_outbox_events(50, now, now + Duration::seconds(60))
        .await?;
    let count = events.len();
    for event in events {
        let sends = match plan(ctx, &event.event).await {
            Ok(s) => s,
            Err(e) => {
                // The lease expires and another pass retries; the event is never dropped.
                tracing::warn!(event = event.id, error = %e, "cannot plan outgoing activities yet");
                continue;
            }
        };
        let mut deliveries = Vec::new();
        for send in sends {
            let activity_ap_id = send
                .activity
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let payload = with_context(send.activity).to_string();
            for inbox in send.inboxes {
                deliveries.push(NewDelivery {
                    activity_ap_id: activity_ap_id.clone(),
                    signer_actor_id: send.signer.id,
                    inbox,
                    payload: payload.clone(),
                });
            }
        }
        // What it means for the people concerned (emails, direct messages), recorded with it.
        let notifications = match crate::notify::plan(ctx, &event.event).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(event = event.id, error = %e, "cannot plan notifications yet");
                continue;
            }
        };
        ctx.store
            .complete_outbox_event_with(event.id, deliveries, notifications, ctx.clock.now())
            .await?;
    }
    Ok(count)
}
