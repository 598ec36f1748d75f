//! Time slots and sign-ups: coordinators add and cancel slots, volunteers take a place or
//! leave it, coordinators accept or refuse requests and sign up people without an account.
//! The store decides capacity in one transaction; this layer checks who may do what.

use super::{accounts::role_in, Result, ServiceError};
use crate::domain::Denial;
use crate::{
    config::Config,
    domain::{
        account::User,
        actor::Actor,
        mission::{JoinMode, Mission},
        slot::{
            Participant, Participation, Refusal, SignUpOutcome, Slot, SlotDraft, SlotInput,
            SlotRule,
        },
        DomainError, FieldError, FieldErrors,
    },
    storage::{ActorStore, MissionStore, ParticipationStore, SignUp, SlotStore, Store},
};
use chrono::{DateTime, Utc};

/// What a coordinator sends to add slots: some single slots and/or a weekly rule.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewSlots {
    pub slots: Vec<SlotInput>,
    pub rule: Option<SlotRule>,
}

async fn managed_mission<S: ActorStore + MissionStore + ?Sized>(
    store: &S,
    user: &User,
    mission_id: i64,
) -> Result<(Mission, Actor)> {
    let (mission, association) = super::missions::local_mission(store, mission_id).await?;
    match role_in(store, user, &association).await? {
        Some(r) if r.can_manage_missions() => Ok((mission, association)),
        _ => Err(ServiceError::Forbidden(Denial::new(
            "coordinators_manage_slots",
        ))),
    }
}

/// Adds slots to a mission; every slot is checked, and none is added if one is wrong.
pub async fn add<S: ActorStore + MissionStore + SlotStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    mission_id: i64,
    input: NewSlots,
    now: DateTime<Utc>,
) -> Result<Vec<Slot>> {
    let (mission, _) = managed_mission(store, user, mission_id).await?;
    let tz = config.timezone();
    let mut drafts = Vec::new();
    let mut errors = FieldErrors::new();
    for (i, s) in input.slots.iter().enumerate() {
        match SlotDraft::parse(s, tz, now) {
            Ok(d) => drafts.push(d),
            Err(DomainError::Invalid(e)) => {
                for (k, v) in e.0 {
                    errors.add(&format!("slots[{i}].{k}"), v);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(rule) = &input.rule {
        match rule.expand(tz, now) {
            Ok(mut d) => drafts.append(&mut d),
            Err(DomainError::Invalid(e)) => {
                for (k, v) in e.0 {
                    errors.add(&format!("rule.{k}"), v);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    if drafts.is_empty() && errors.is_empty() {
        errors.add("slots", FieldError::new("slot_or_rule"));
    }
    // Slots lie within the mission's dates, so the mission closes when its last slot is over.
    if drafts
        .iter()
        .any(|d| d.start_time < mission.start_time || d.end_time > mission.end_time)
    {
        let span = crate::i18n::short_span(
            crate::i18n::Lang::or_reference(&config.instance.default_language),
            mission.start_time,
            mission.end_time,
            tz,
        );
        errors.add(
            "slots",
            FieldError::new("slots_within_mission").text("span", span),
        );
    }
    errors.into_result(())?;
    let base = config.base();
    let with_ids = drafts
        .into_iter()
        .map(|d| (format!("{base}/s/{}", uuid::Uuid::new_v4()), d))
        .collect();
    Ok(store.create_slots(mission_id, with_ids, now).await?)
}

/// A local slot with its mission and association.
pub async fn local_slot<S: ActorStore + MissionStore + SlotStore + ?Sized>(
    store: &S,
    slot_id: i64,
) -> Result<(Slot, Mission, Actor)> {
    let slot = store.get_slot(slot_id).await?;
    let (mission, association) = super::missions::local_mission(store, slot.mission_id).await?;
    if !slot.local {
        return Err(ServiceError::NotFound("slot"));
    }
    Ok((slot, mission, association))
}

/// Changes a slot's times or capacity; people signed up are told when the times move.
/// The capacity cannot go below the places already taken.
pub async fn update<S: ActorStore + MissionStore + SlotStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    slot_id: i64,
    input: SlotInput,
    now: DateTime<Utc>,
) -> Result<Slot> {
    let (slot, mission, _) = local_slot(store, slot_id).await?;
    managed_mission(store, user, slot.mission_id).await?;
    let tz = config.timezone();
    let merged = SlotInput {
        start_time: input
            .start_time
            .or_else(|| Some(slot.start_time.to_rfc3339())),
        end_time: input.end_time.or_else(|| Some(slot.end_time.to_rfc3339())),
        capacity: input.capacity.or(Some(slot.capacity)),
    };
    let draft = SlotDraft::parse(&merged, tz, now)?;
    if draft.start_time < mission.start_time || draft.end_time > mission.end_time {
        let span = crate::i18n::short_span(
            crate::i18n::Lang::or_reference(&config.instance.default_language),
            mission.start_time,
            mission.end_time,
            tz,
        );
        return Err(DomainError::field(
            "start_time",
            FieldError::new("slot_within_mission").text("span", span),
        )
        .into());
    }
    match store.update_slot(slot_id, draft, now).await? {
        Ok(s) => Ok(s),
        Err(_) => Err(DomainError::field(
            "capacity",
            FieldError::new("capacity_below_signups").num("count", slot.participant_count),
        )
        .into()),
    }
}

/// Cancels a slot: everyone signed up is withdrawn and told.
pub async fn cancel<S: ActorStore + MissionStore + SlotStore + ?Sized>(
    store: &S,
    user: &User,
    slot_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Participation>> {
    let (slot, _, _) = local_slot(store, slot_id).await?;
    managed_mission(store, user, slot.mission_id).await?;
    Ok(store.cancel_slot(slot_id, now).await?)
}

fn local_join_id(config: &Config) -> String {
    format!("{}/participations/{}", config.base(), uuid::Uuid::new_v4())
}

/// A volunteer with an account here takes a place (or asks for one, in manual approval mode).
/// On a slot of another server, the request is recorded as pending and a `Join` is sent:
/// the owner's answer settles it.
pub async fn sign_up<S: MissionStore + ParticipationStore + SlotStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    slot_id: i64,
    message: &str,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Participation, Refusal>> {
    if let Some(block) = user.sign_up_block() {
        return Err(ServiceError::Account(block));
    }
    let slot = store.get_slot(slot_id).await?;
    let mission = store.get_mission(slot.mission_id).await?;
    if mission.deleted_at.is_some() {
        return Err(ServiceError::NotFound("mission"));
    }
    if message.chars().count() > 1000 {
        return Err(
            DomainError::field("message", FieldError::new("max_chars").num("max", 1000)).into(),
        );
    }
    let request = SignUp {
        slot_id: slot.id,
        participant: Participant::User { user_id: user.id },
        join_ap_id: local_join_id(config),
        message: message.trim().to_string(),
        auto_accept: slot.local && mission.join_mode == JoinMode::Free,
        record_refusal: false,
    };
    Ok(match store.sign_up(request, now).await? {
        SignUpOutcome::Recorded(p) | SignUpOutcome::Existing(p) => Ok(p),
        SignUpOutcome::Refused(r, _) => Err(r),
    })
}

/// A coordinator signs up someone without an account (a name and a phone or an email).
pub async fn sign_up_guest(
    store: &dyn Store,
    config: &Config,
    coordinator: &User,
    slot_id: i64,
    name: &str,
    contact: &str,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Participation, Refusal>> {
    let (slot, _, _) = local_slot(store, slot_id).await?;
    managed_mission(store, coordinator, slot.mission_id).await?;
    let mut errors = FieldErrors::new();
    let (name, contact) = (name.trim(), contact.trim());
    if name.is_empty() || name.chars().count() > 100 {
        errors.add(
            "name",
            FieldError::new("guest_name_required").num("max", 100),
        );
    }
    if contact.is_empty() || contact.chars().count() > 200 {
        errors.add(
            "contact",
            FieldError::new("contact_required").num("max", 200),
        );
    }
    errors.into_result(())?;
    let request = SignUp {
        slot_id,
        participant: Participant::Guest {
            name: name.to_string(),
            contact: contact.to_string(),
        },
        join_ap_id: local_join_id(config),
        message: String::new(),
        auto_accept: true,
        record_refusal: false,
    };
    Ok(match store.sign_up(request, now).await? {
        SignUpOutcome::Recorded(p) | SignUpOutcome::Existing(p) => Ok(p),
        SignUpOutcome::Refused(r, _) => Err(r),
    })
}

/// A coordinator accepts or refuses a pending request (a reason is kept and sent).
pub async fn decide(
    store: &dyn Store,
    user: &User,
    participation_id: i64,
    accept: bool,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Participation, Refusal>> {
    let p = store.get_participation(participation_id).await?;
    let (slot, _, _) = local_slot(store, p.slot_id).await?;
    managed_mission(store, user, slot.mission_id).await?;
    if reason.chars().count() > 500 {
        return Err(
            DomainError::field("reason", FieldError::new("max_chars").num("max", 500)).into(),
        );
    }
    Ok(store
        .decide_participation(participation_id, accept, reason.trim(), now)
        .await?)
}

/// The volunteer leaves (or a coordinator removes them).
pub async fn withdraw(
    store: &dyn Store,
    user: &User,
    participation_id: i64,
    now: DateTime<Utc>,
) -> Result<Participation> {
    let p = store.get_participation(participation_id).await?;
    let own = p.participant == Participant::User { user_id: user.id };
    if !own {
        let slot = store.get_slot(p.slot_id).await?;
        managed_mission(store, user, slot.mission_id).await?;
    }
    store
        .withdraw_participation(participation_id, now)
        .await?
        .ok_or_else(|| ServiceError::Conflict(Denial::new("sign_up_inactive")))
}

/// Checks that a coordinator may write to a slot's participants, and the words they wrote.
pub async fn check_message<S: ActorStore + MissionStore + SlotStore + ?Sized>(
    store: &S,
    user: &User,
    slot_id: i64,
    text: &str,
) -> Result<()> {
    let (slot, _, _) = local_slot(store, slot_id).await?;
    managed_mission(store, user, slot.mission_id).await?;
    let n = text.trim().chars().count();
    if n == 0 {
        return Err(DomainError::field("text", FieldError::new("required")).into());
    }
    if n > 5000 {
        return Err(
            DomainError::field("text", FieldError::new("max_chars").num("max", 5000)).into(),
        );
    }
    Ok(())
}

/// The slot `id`, local or remote.
pub async fn get(store: &dyn SlotStore, id: i64) -> Result<Slot> {
    Ok(store.get_slot(id).await?)
}

/// The slot whose ActivityPub id is `ap_id`, if this node knows it.
pub async fn by_ap_id(store: &dyn SlotStore, ap_id: &str) -> Result<Option<Slot>> {
    Ok(store.find_slot_by_ap_id(ap_id).await?)
}

/// The slots of a mission, soonest first.
pub async fn of_mission(store: &dyn SlotStore, mission_id: i64) -> Result<Vec<Slot>> {
    Ok(store.list_slots(mission_id).await?)
}

/// The slots of several missions in one read, by mission (a mission without slots is not in
/// the map), each mission's soonest first.
pub async fn of_missions(
    store: &dyn SlotStore,
    mission_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<Slot>>> {
    Ok(store.list_slots_of_missions(mission_ids).await?)
}

/// The mission a slot belongs to.
pub async fn mission_of<S: MissionStore + SlotStore + ?Sized>(
    store: &S,
    slot_id: i64,
) -> Result<Mission> {
    let slot = store.get_slot(slot_id).await?;
    Ok(store.get_mission(slot.mission_id).await?)
}

/// Every sign-up of a user, with its slot.
pub async fn of_user(
    store: &dyn ParticipationStore,
    user_id: i64,
) -> Result<Vec<(Participation, Slot)>> {
    Ok(store.user_participations(user_id).await?)
}

/// The sign-ups on a slot, oldest first.
pub async fn participations(
    store: &dyn ParticipationStore,
    slot_id: i64,
) -> Result<Vec<Participation>> {
    Ok(store.list_participations(slot_id).await?)
}

/// The sign-up `id`.
pub async fn participation(store: &dyn ParticipationStore, id: i64) -> Result<Participation> {
    Ok(store.get_participation(id).await?)
}
