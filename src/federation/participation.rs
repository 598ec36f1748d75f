//! Taking part across servers: `Join` → `Accept{Join}` / `Reject{Join}`, `Leave` (and
//! `Undo{Join}`) to withdraw. The node that owns a slot alone decides, in one transaction
//! (`Store::sign_up`); the `Join` id is the idempotency key.

use super::{
    error::FedError,
    objects::ApubActor,
    protocol::{parse_object, ActivityIn, ObjectRef},
};
use crate::{
    domain::{
        events::Outgoing,
        mission::JoinMode,
        slot::{Participant, Slot},
    },
    state::Context,
    storage::SignUp,
};
use serde_json::Value;

/// The local slot a `Join` or `Leave` names: a slot, or a mission that has exactly one slot.
async fn target_slot(ctx: &Context, object: &ObjectRef) -> Result<Slot, FedError> {
    let id = (object.id.as_ref())
        .ok_or_else(|| FedError::BadRequest("the activity has no object".into()))?;
    if let Some(slot) = ctx.store.find_slot_by_ap_id(id.as_str()).await? {
        if !slot.local {
            return Err(FedError::BadRequest(format!(
                "{id} is not a slot of this server"
            )));
        }
        return Ok(slot);
    }
    let mission = ctx
        .store
        .find_mission_by_ap_id(id.as_str())
        .await?
        .filter(|m| m.local && m.deleted_at.is_none())
        .ok_or_else(|| {
            FedError::BadRequest(format!(
                "{id} is neither a slot nor a mission of this server"
            ))
        })?;
    let mut open: Vec<Slot> = ctx
        .store
        .list_slots(mission.id)
        .await?
        .into_iter()
        .filter(|s| s.closed_reason(ctx.clock.now()).is_none())
        .collect();
    match open.len() {
        1 => Ok(open.remove(0)),
        0 => Err(FedError::BadRequest("this mission has no open time slot".into())),
        _ => Err(FedError::BadRequest(
            "this mission has several time slots: join one of them (their ids are in the mission's `slots`)".into(),
        )),
    }
}

/// The local, not deleted mission an activity's object names, if it names one.
async fn local_mission_named(
    ctx: &Context,
    object: &ObjectRef,
) -> Result<Option<crate::domain::mission::Mission>, FedError> {
    let Some(id) = &object.id else {
        return Ok(None);
    };
    Ok(ctx
        .store
        .find_mission_by_ap_id(id.as_str())
        .await?
        .filter(|m| m.local && m.deleted_at.is_none()))
}

/// A remote volunteer asks for a place.
pub async fn join(ctx: &Context, activity: &Value, actor: &ApubActor) -> Result<(), FedError> {
    let asked: ActivityIn = parse_object("Join", activity)?;
    let object = &asked.object;
    let slot = match target_slot(ctx, object).await {
        Ok(slot) => slot,
        Err(FedError::BadRequest(reason)) => {
            // A mission of ours without a single open slot: answer with a Reject saying why,
            // so the person's server (Mobilizon) does not leave them waiting.
            if let Some(m) = local_mission_named(ctx, object).await? {
                let mut join = activity.clone();
                if let Value::Object(map) = &mut join {
                    map.remove("@context");
                }
                let event = Outgoing::JoinRefused {
                    local_actor_id: m.actor_id,
                    join,
                    reason,
                };
                ctx.store.queue_event(event, ctx.clock.now()).await?;
                ctx.wake.notify_waiters();
                return Ok(());
            }
            return Err(FedError::BadRequest(reason));
        }
        Err(e) => return Err(e),
    };
    let mission = ctx.store.get_mission(slot.mission_id).await?;
    let message: String = (asked.participation_message.as_deref())
        .or(asked.content.as_deref())
        .map(crate::service::text::html_to_text)
        .unwrap_or_default()
        .chars()
        .take(1000)
        .collect();
    let request = SignUp {
        slot_id: slot.id,
        participant: Participant::Remote {
            actor_ap_id: actor.actor.ap_id.clone(),
        },
        join_ap_id: asked.id.unwrap_or_default(),
        message,
        auto_accept: mission.join_mode == JoinMode::Free,
        record_refusal: true,
    };
    ctx.store.sign_up(request, ctx.clock.now()).await?;
    ctx.wake.notify_waiters();
    Ok(())
}

/// A remote volunteer withdraws from a slot (or the single slot of a mission).
pub async fn leave(ctx: &Context, object: &ObjectRef, actor: &ApubActor) -> Result<(), FedError> {
    let slot = target_slot(ctx, object).await?;
    let who = Participant::Remote {
        actor_ap_id: actor.actor.ap_id.clone(),
    };
    if let Some(p) = ctx.store.active_participation(slot.id, &who).await? {
        ctx.store
            .withdraw_participation(p.id, ctx.clock.now())
            .await?;
        ctx.wake.notify_waiters();
    }
    Ok(())
}

/// `Undo{Join}`: the same as leaving, for the sign-up that Join made.
pub async fn undo_join(
    ctx: &Context,
    object: &ObjectRef,
    actor: &ApubActor,
) -> Result<(), FedError> {
    let Some(join_id) = &object.id else {
        return Err(FedError::BadRequest("the undone Join has no id".into()));
    };
    let Some(p) = ctx
        .store
        .find_participation_by_join(join_id.as_str())
        .await?
    else {
        return Ok(());
    };
    if p.participant
        != (Participant::Remote {
            actor_ap_id: actor.actor.ap_id.clone(),
        })
    {
        return Err(FedError::Forbidden(
            "only the volunteer may undo their Join".into(),
        ));
    }
    ctx.store
        .withdraw_participation(p.id, ctx.clock.now())
        .await?;
    ctx.wake.notify_waiters();
    Ok(())
}

/// The owner of a remote slot answered one of our users' `Join`.
pub async fn join_answered(
    ctx: &Context,
    activity: &Value,
    object: &Value,
    actor: &ApubActor,
    accepted: bool,
) -> Result<(), FedError> {
    let answer: ActivityIn = parse_object(if accepted { "Accept" } else { "Reject" }, activity)?;
    let object = ObjectRef::of(object);
    let Some(join_id) = &object.id else {
        return Err(FedError::BadRequest("the answer names no Join".into()));
    };
    let Some(p) = ctx
        .store
        .find_participation_by_join(join_id.as_str())
        .await?
    else {
        return Ok(()); // not one of ours (or long gone)
    };
    let slot = ctx.store.get_slot(p.slot_id).await?;
    let mission = ctx.store.get_mission(slot.mission_id).await?;
    // Only the slot's owner answers for it.
    if slot.local || mission.actor_id != actor.actor.id {
        return Err(FedError::Forbidden(
            "only the owner of the slot may answer this Join".into(),
        ));
    }
    let reason: String = (answer.content.as_deref())
        .map(crate::service::text::html_to_text)
        .unwrap_or_default()
        .chars()
        .take(500)
        .collect();
    ctx.store
        .record_join_answer(join_id.as_str(), accepted, &reason, ctx.clock.now())
        .await?;
    Ok(())
}
