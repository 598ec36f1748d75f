//! Turns recorded events into activities and one delivery per inbox (shared inboxes counted
//! once), in one transaction with marking the event done. Runs in every `serve` process;
//! claiming makes each event handled by one of them.

use super::{context::with_context, error::FedError, objects::mission_document, protocol::PUBLIC};
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
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// An activity to send, signed by `signer`, to these inboxes.
pub(super) struct Send {
    pub signer: Actor,
    pub activity: Value,
    pub inboxes: BTreeSet<String>,
}

pub(super) fn activity_id(ctx: &Context, kind: &str) -> String {
    format!(
        "{}/activities/{kind}/{}",
        ctx.config.base(),
        uuid::Uuid::new_v4()
    )
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
    announced: Value,
) -> Result<Vec<Send>, FedError> {
    let relay = relay(ctx).await?;
    let announce = json!({
        "id": activity_id(ctx, "announce"),
        "type": "Announce",
        "actor": relay.ap_id,
        "published": ctx.clock.now().to_rfc3339(),
        "to": [PUBLIC],
        "cc": [format!("{}/followers", relay.ap_id)],
        "object": announced,
    });
    Ok(vec![
        Send {
            inboxes: follower_inboxes(ctx, &owner).await?,
            signer: owner,
            activity,
        },
        Send {
            inboxes: follower_inboxes(ctx, &relay).await?,
            signer: relay,
            activity: announce,
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
            let activity = json!({
                "id": activity_id(ctx, "reject"),
                "type": "Reject",
                "actor": signer.ap_id,
                "to": [actor_id.as_str()],
                "object": join,
                "content": reason,
            });
            Ok(vec![Send {
                signer,
                activity,
                inboxes: BTreeSet::from([target.inbox.clone()]),
            }])
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
            let activity = json!({
                "id": activity_id(ctx, "delete"),
                "type": "Delete",
                "actor": signer.ap_id,
                "to": [association.ap_id],
                "object": {"id": ap_id, "type": "Tombstone", "formerType": "EconomicEvent"},
            });
            Ok(vec![Send {
                signer,
                activity,
                inboxes: BTreeSet::from([association.inbox.clone()]),
            }])
        }
        Outgoing::HoursAnswered { entry_id } => hours_answer(ctx, *entry_id).await,
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
            let activity = json!({
                "id": activity_id(ctx, "reject"),
                "type": "Reject",
                "actor": signer.ap_id,
                "to": [volunteer_ap_id],
                "object": super::hours::reference(object_ap_id),
                "content": reason,
            });
            Ok(vec![Send {
                signer,
                activity,
                inboxes: BTreeSet::from([target.inbox.clone()]),
            }])
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
            let object = serde_json::to_value(mission_document(&mission, ctx).await?)
                .map_err(|e| FedError::Internal(e.to_string()))?;
            let (kind, slug) = match event {
                Outgoing::MissionPublished { .. } => ("Create", "create"),
                _ => ("Update", "update"),
            };
            let activity = json!({
                "id": activity_id(ctx, slug),
                "type": kind,
                "actor": owner.ap_id,
                "published": ctx.clock.now().to_rfc3339(),
                "to": [PUBLIC],
                "cc": [format!("{}/followers", owner.ap_id)],
                "object": object,
            });
            with_relay(ctx, owner, activity, json!(mission.ap_id)).await
        }
        Outgoing::MissionDeleted { mission_id } => {
            let mission = ctx.store.get_mission(*mission_id).await?;
            let owner = ctx.store.get_actor(mission.actor_id).await?;
            let delete = json!({
                "id": activity_id(ctx, "delete"),
                "type": "Delete",
                "actor": owner.ap_id,
                "to": [PUBLIC],
                "cc": [format!("{}/followers", owner.ap_id)],
                "object": {"id": mission.ap_id, "type": "Tombstone", "formerType": "Event"},
            });
            let announced = delete.clone();
            with_relay(ctx, owner, delete, announced).await
        }
        Outgoing::FollowAccepted {
            local_actor_id,
            follow,
            inbox,
        } => {
            let signer = ctx.store.get_actor(*local_actor_id).await?;
            let follower = follow.get("actor").cloned().unwrap_or(Value::Null);
            let activity = json!({
                "id": activity_id(ctx, "accept"),
                "type": "Accept",
                "actor": signer.ap_id,
                "to": [follower],
                "object": follow,
            });
            Ok(vec![Send {
                signer,
                activity,
                inboxes: BTreeSet::from([inbox.clone()]),
            }])
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
            let activity = json!({
                "id": follow_ap_id,
                "type": "Follow",
                "actor": signer.ap_id,
                "to": [target_ap_id],
                "object": target_ap_id,
            });
            Ok(vec![Send {
                signer,
                activity,
                inboxes: BTreeSet::from([target.inbox.clone()]),
            }])
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
            let activity = json!({
                "id": activity_id(ctx, "undo"),
                "type": "Undo",
                "actor": signer.ap_id,
                "to": [target_ap_id],
                "object": {"id": follow_ap_id, "type": "Follow", "actor": signer.ap_id, "object": target_ap_id},
            });
            Ok(vec![Send {
                signer,
                activity,
                inboxes: BTreeSet::from([target.inbox.clone()]),
            }])
        }
    }
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
    let kind = if update { "Update" } else { "Create" };
    let activity = json!({
        "id": activity_id(ctx, &kind.to_lowercase()),
        "type": kind,
        "actor": signer.ap_id,
        "to": [association.ap_id],
        "object": object,
    });
    Ok(vec![Send {
        signer,
        activity,
        inboxes: BTreeSet::from([association.inbox.clone()]),
    }])
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
    let mut activity = json!({
        "id": activity_id(ctx, &kind.to_lowercase()),
        "type": kind,
        "actor": signer.ap_id,
        "to": [actor_ap_id],
        "object": super::hours::reference(ap_id),
    });
    if kind == "Reject" && !entry.reason.is_empty() {
        activity["content"] = json!(entry.reason);
    }
    Ok(vec![Send {
        signer,
        activity,
        inboxes: BTreeSet::from([target.inbox.clone()]),
    }])
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
    if super::direct::is_local_join(ctx, &p) {
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
        ParticipationStatus::Accepted => "Accept",
        ParticipationStatus::Rejected => "Reject",
        ParticipationStatus::Pending | ParticipationStatus::Withdrawn => return Ok(Vec::new()),
    };
    let slot = ctx.store.get_slot(p.slot_id).await?;
    let mission = ctx.store.get_mission(slot.mission_id).await?;
    let owner = ctx.store.get_actor(mission.actor_id).await?;
    let Some(target) = ctx.store.find_actor_by_ap_id(actor_ap_id).await? else {
        return Ok(Vec::new());
    };
    let mut activity = json!({
        "id": activity_id(ctx, &kind.to_lowercase()),
        "type": kind,
        "actor": owner.ap_id,
        "to": [actor_ap_id],
        "object": {"id": p.join_ap_id, "type": "Join", "actor": actor_ap_id, "object": slot.ap_id},
    });
    if kind == "Reject" && !p.reason.is_empty() {
        activity["content"] = json!(p.reason);
    }
    Ok(vec![Send {
        signer: owner,
        activity,
        inboxes: BTreeSet::from([target.inbox.clone()]),
    }])
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
        ParticipationStatus::Pending => json!({
            "id": p.join_ap_id,
            "type": "Join",
            "actor": signer.ap_id,
            "to": [owner.ap_id],
            "object": slot.ap_id,
            "participationMessage": p.message,
        }),
        // The owner cancelled the slot itself: nothing to tell them.
        ParticipationStatus::Withdrawn if p.reason == "slot_cancelled" => return Ok(Vec::new()),
        ParticipationStatus::Withdrawn => json!({
            "id": activity_id(ctx, "leave"),
            "type": "Leave",
            "actor": signer.ap_id,
            "to": [owner.ap_id],
            "object": slot.ap_id,
        }),
        // Accepted or refused by the owner: they told us, nothing to send back.
        ParticipationStatus::Accepted | ParticipationStatus::Rejected => return Ok(Vec::new()),
    };
    Ok(vec![Send {
        signer,
        activity,
        inboxes: BTreeSet::from([owner.inbox.clone()]),
    }])
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
