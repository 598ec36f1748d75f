//! Publishing, changing and removing missions. Each change records what happened, in the same
//! transaction, for the federation worker to announce.

use super::places::{with_place_errors, Geocoder};
use super::{accounts::role_in, text::markdown_to_html, Result, ServiceError};
use crate::domain::Denial;
use crate::{
    config::Config,
    domain::{
        account::User,
        actor::{Actor, ActorKind},
        mission::{Mission, MissionDraft, MissionInput, MissionStatus},
        slot::first_slots,
        DomainError,
    },
    storage::{ActorStore, MissionStore, NewMission, SlotStore},
};
use chrono::{DateTime, Utc};

pub use crate::storage::MissionQuery;

/// The local association named `name`.
pub async fn association<S: ActorStore + ?Sized>(store: &S, name: &str) -> Result<Actor> {
    store
        .find_local_actor(ActorKind::Group.as_str(), name)
        .await?
        .ok_or(ServiceError::NotFound("association"))
}

/// The titles of these missions, by id, read at once; a mission gone since is left out.
pub async fn titles<S: MissionStore + ?Sized>(
    store: &S,
    ids: Vec<i64>,
) -> Result<std::collections::BTreeMap<i64, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(store
        .get_missions(&ids)
        .await?
        .into_iter()
        .map(|m| (m.id, m.title))
        .collect())
}

pub(super) async fn require_manager<S: ActorStore + ?Sized>(
    store: &S,
    user: &User,
    association: &Actor,
) -> Result<()> {
    match role_in(store, user, association).await? {
        Some(role) if role.can_manage_missions() => Ok(()),
        _ => Err(ServiceError::Forbidden(Denial::new(
            "coordinators_manage_missions",
        ))),
    }
}

/// A new mission; its place is located from its address when no coordinates were sent.
#[allow(clippy::too_many_arguments)]
pub async fn create<S: ActorStore + MissionStore + ?Sized>(
    store: &S,
    config: &Config,
    places: &Geocoder,
    user: &User,
    association_name: &str,
    mut input: MissionInput,
    now: DateTime<Utc>,
) -> Result<Mission> {
    let association = association(store, association_name).await?;
    require_manager(store, user, &association).await?;
    let place = places.locate_mission(&mut input, None, now).await;
    let draft = with_place_errors(MissionDraft::create(input, config.timezone(), now), place)?;
    let ap_id = format!("{}/m/{}", config.base(), uuid::Uuid::new_v4());
    let content_html = markdown_to_html(&draft.description);
    Ok(store
        .create_mission(NewMission {
            url: ap_id.clone(),
            ap_id,
            actor_id: association.id,
            content_html,
            draft,
            now,
        })
        .await?)
}

/// Publishes a mission with its first slots (the form's way): one slot from the mission's dates
/// and places, repeated each week `repeat_weeks` times, the mission then ending with the last
/// one (see [`first_slots`]). Everything is checked before anything is written, so a refusal
/// writes nothing; the slots are then written right after the mission.
#[allow(clippy::too_many_arguments)]
pub async fn create_with_first_slots<S: ActorStore + MissionStore + SlotStore + ?Sized>(
    store: &S,
    config: &Config,
    places: &Geocoder,
    user: &User,
    association_name: &str,
    mut input: MissionInput,
    repeat_weeks: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Mission> {
    let tz = config.timezone();
    let place = places.locate_mission(&mut input, None, now).await;
    let checked = with_place_errors(MissionDraft::create(input.clone(), tz, now), place);
    let slots = match &checked {
        Ok(d) => first_slots(
            (d.start_time, d.end_time),
            d.capacity,
            repeat_weeks,
            tz,
            now,
        ),
        // The mission's dates are wrong: the number of weeks is still checked, on its own.
        Err(_) => {
            let hour = (now, now + chrono::Duration::hours(1));
            first_slots(hour, None, repeat_weeks, tz, now)
        }
    };
    let (slots, last_end) = match (checked, slots) {
        (Ok(_), Ok(s)) => s,
        (Err(DomainError::Invalid(mut e)), Err(DomainError::Invalid(more))) => {
            for (field, error) in more.0 {
                e.add(&field, error);
            }
            return Err(DomainError::Invalid(e).into());
        }
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    if repeat_weeks.is_some_and(|w| w > 1) {
        input.end_time = Some(last_end.to_rfc3339());
    }
    let mission = create(store, config, places, user, association_name, input, now).await?;
    if !slots.is_empty() {
        let base = config.base();
        let with_ids = slots
            .into_iter()
            .map(|d| (format!("{base}/s/{}", uuid::Uuid::new_v4()), d))
            .collect();
        store.create_slots(mission.id, with_ids, now).await?;
    }
    Ok(mission)
}

/// A local, not deleted mission, with its association.
pub async fn local_mission<S: ActorStore + MissionStore + ?Sized>(
    store: &S,
    id: i64,
) -> Result<(Mission, Actor)> {
    let mission = store.get_mission(id).await?;
    if !mission.local || mission.deleted_at.is_some() {
        return Err(ServiceError::NotFound("mission"));
    }
    let association = store.get_actor(mission.actor_id).await?;
    Ok((mission, association))
}

/// Changes a mission; a changed address is located again unless coordinates were sent, and a
/// mission left without a commune (online) keeps no position.
#[allow(clippy::too_many_arguments)]
pub async fn update<S: ActorStore + MissionStore + ?Sized>(
    store: &S,
    config: &Config,
    places: &Geocoder,
    user: &User,
    id: i64,
    mut input: MissionInput,
    now: DateTime<Utc>,
) -> Result<Mission> {
    let (mission, association) = local_mission(store, id).await?;
    require_manager(store, user, &association).await?;
    let sent_position = input.latitude.is_some() || input.longitude.is_some();
    let place = places
        .locate_mission(&mut input, Some(&mission.place), now)
        .await;
    let checked = MissionDraft::from_mission(&mission).apply(input, config.timezone(), now, false);
    let mut draft = with_place_errors(checked, place)?;
    if draft.place.locality.is_empty() && !sent_position {
        draft.place.latitude = None;
        draft.place.longitude = None;
    }
    if let Some(capacity) = draft.capacity {
        if capacity < mission.participant_count {
            return Err(crate::domain::DomainError::field(
                "capacity",
                crate::domain::FieldError::new("capacity_below_volunteers")
                    .num("count", mission.participant_count),
            )
            .into());
        }
    }
    let content_html = markdown_to_html(&draft.description);
    Ok(store.update_mission(id, draft, &content_html, now).await?)
}

pub async fn delete<S: ActorStore + MissionStore + ?Sized>(
    store: &S,
    user: &User,
    id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let (_, association) = local_mission(store, id).await?;
    require_manager(store, user, &association).await?;
    Ok(store.delete_mission(id, now).await?)
}

/// The associations these missions belong to, by id, in one read for the whole list.
pub async fn owners<'a>(
    store: &dyn ActorStore,
    missions: impl IntoIterator<Item = &'a Mission>,
) -> Result<std::collections::HashMap<i64, Actor>> {
    // Collected before the read: an iterator of borrowed missions held across it would make
    // the future not `Send`.
    let ids: Vec<i64> = missions.into_iter().map(|m| m.actor_id).collect();
    super::actors::by_ids(store, ids).await
}

/// The mission `id`, local or remote, deleted or not (pages say "gone" for a deleted one).
pub async fn get(store: &dyn MissionStore, id: i64) -> Result<Mission> {
    Ok(store.get_mission(id).await?)
}

/// The mission `id` as `viewer` (anonymous when `None`) may see it: a draft only for its
/// association's coordinators, "not found" for everyone else (its slots with it).
pub async fn seen_by<S: ActorStore + MissionStore + ?Sized>(
    store: &S,
    viewer: Option<&User>,
    id: i64,
) -> Result<Mission> {
    let mission = store.get_mission(id).await?;
    if mission.status != MissionStatus::Draft {
        return Ok(mission);
    }
    let coordinates = match viewer {
        Some(user) => {
            let owner = store.get_actor(mission.actor_id).await?;
            role_in(store, user, &owner)
                .await?
                .is_some_and(|r| r.can_manage_missions())
        }
        None => false,
    };
    if coordinates {
        Ok(mission)
    } else {
        Err(ServiceError::NotFound("mission"))
    }
}

/// Several missions in one read, deleted or not, by id; ids not known are left out.
pub async fn by_ids(
    store: &dyn MissionStore,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, Mission>> {
    Ok(store
        .get_missions(ids)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect())
}

/// The mission whose ActivityPub id is `ap_id`, if this node knows it.
pub async fn by_ap_id(store: &dyn MissionStore, ap_id: &str) -> Result<Option<Mission>> {
    Ok(store.find_mission_by_ap_id(ap_id).await?)
}

/// The missions `query` selects, soonest first.
pub async fn list(store: &dyn MissionStore, query: MissionQuery) -> Result<Vec<Mission>> {
    Ok(store.list_missions(query).await?)
}

/// A mission with the association that publishes it.
pub async fn with_owner<S: ActorStore + MissionStore + ?Sized>(
    store: &S,
    id: i64,
) -> Result<(Mission, Actor)> {
    let m = store.get_mission(id).await?;
    let owner = store.get_actor(m.actor_id).await?;
    Ok((m, owner))
}
