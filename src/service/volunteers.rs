//! Volunteers' profiles (private unless they opt in) and matching: missions ranked for a
//! volunteer with the reasons, volunteers who opted in ranked for a mission.

use super::{accounts::role_in, Result, ServiceError};
use crate::domain::Denial;
use crate::{
    config::Config,
    domain::{
        account::User,
        mission::{Mission, MissionStatus},
        slot::Slot,
        volunteer::{score, Match, Offer, Profile},
    },
    storage::{MissionQuery, MissionStore, ProfileStore, SlotStore, Store},
};
use chrono::{DateTime, Utc};

pub async fn profile<S: ProfileStore + ?Sized>(store: &S, user: &User) -> Result<Profile> {
    Ok(store.get_profile(user.id).await?.unwrap_or_default())
}

/// Saves a profile; the home town is located when no coordinates were sent.
pub async fn save_profile(
    store: &dyn ProfileStore,
    places: &super::places::Geocoder,
    user: &User,
    mut profile: Profile,
    now: DateTime<Utc>,
) -> Result<Profile> {
    let before = store.get_profile(user.id).await?.unwrap_or_default();
    let place = places.locate_home(&mut profile, &before, now).await;
    let profile = super::places::with_place_errors(profile.validate(), place)?;
    store.set_profile(user.id, &profile, now).await?;
    Ok(profile)
}

/// A mission ranked for someone, with the slot that fits best (if it has slots).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Ranked {
    pub mission: Mission,
    pub slot: Option<Slot>,
    #[serde(flatten)]
    pub fit: Match,
}

fn offer<'a>(m: &'a Mission, slot: Option<&Slot>) -> Offer<'a> {
    Offer {
        skills: &m.skills,
        category: &m.category,
        online: m.online,
        position: m.place.latitude.zip(m.place.longitude),
        start_time: slot.map(|s| s.start_time).unwrap_or(m.start_time),
    }
}

/// The best fit of a profile for a mission, given the mission's slots: over its open slots
/// with places left, or the mission itself when it has no slot. `None` when out of reach or
/// nothing is open.
fn best_fit(
    config: &Config,
    profile: &Profile,
    m: &Mission,
    slots: &[Slot],
    now: DateTime<Utc>,
) -> Option<(Option<Slot>, Match)> {
    let tz = config.timezone();
    if slots.is_empty() {
        return score(profile, &offer(m, None), tz).map(|f| (None, f));
    }
    let mut best: Option<(Option<Slot>, Match)> = None;
    for s in slots
        .iter()
        .filter(|s| s.closed_reason(now).is_none() && s.remaining() > 0)
    {
        if let Some(f) = score(profile, &offer(m, Some(s)), tz) {
            if best.as_ref().is_none_or(|(_, b)| f.score > b.score) {
                best = Some((Some(s.clone()), f));
            }
        }
    }
    best
}

/// Upcoming missions (ours and our neighbours') ranked for this volunteer.
pub async fn matches<S: MissionStore + ProfileStore + SlotStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    now: DateTime<Utc>,
) -> Result<Vec<Ranked>> {
    let profile = profile(store, user).await?;
    rank_for(store, config, &profile, now).await
}

/// Upcoming missions (ours and those of the nodes we follow) ranked for a profile, best
/// first, at most 50: a volunteer's own, or the wish of a person asking for help.
pub async fn rank_for<S: MissionStore + SlotStore + ?Sized>(
    store: &S,
    config: &Config,
    profile: &Profile,
    now: DateTime<Utc>,
) -> Result<Vec<Ranked>> {
    let missions = store
        .list_missions(MissionQuery {
            upcoming_after: Some(now),
            limit: 500,
            ..Default::default()
        })
        .await?;
    let missions: Vec<Mission> = (missions.into_iter())
        .filter(|m| m.status == MissionStatus::Published)
        .collect();
    // The slots of every mission, read at once.
    let ids: Vec<i64> = missions.iter().map(|m| m.id).collect();
    let slots = store.list_slots_of_missions(&ids).await?;
    let mut ranked = Vec::new();
    for m in missions {
        let of_m = slots.get(&m.id).map(Vec::as_slice).unwrap_or_default();
        if let Some((slot, fit)) = best_fit(config, profile, &m, of_m, now) {
            ranked.push(Ranked {
                mission: m,
                slot,
                fit,
            });
        }
    }
    ranked.sort_by(|a, b| {
        b.fit
            .score
            .total_cmp(&a.fit.score)
            .then(a.mission.start_time.cmp(&b.mission.start_time))
    });
    ranked.truncate(50);
    Ok(ranked)
}

/// A volunteer who opted in, ranked for a mission.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub name: String,
    pub skills: Vec<String>,
    #[serde(flatten)]
    pub fit: Match,
}

/// Volunteers (with their profiles) ranked for a mission whose slots were read already: those
/// who fit, best first, then by name.
pub fn rank_volunteers(
    config: &Config,
    profiles: &[(User, Profile)],
    mission: &Mission,
    slots: &[Slot],
    now: DateTime<Utc>,
) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = profiles
        .iter()
        .filter_map(|(user, profile)| {
            let (_, fit) = best_fit(config, profile, mission, slots, now)?;
            Some(Suggestion {
                name: user.name.clone(),
                skills: profile.skills.clone(),
                fit,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.fit
            .score
            .total_cmp(&a.fit.score)
            .then(a.name.cmp(&b.name))
    });
    out
}

/// Volunteers who agreed to be suggested and fit this mission (coordinators only).
pub async fn suggestions(
    store: &dyn Store,
    config: &Config,
    coordinator: &User,
    mission_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Suggestion>> {
    let (mission, association) = super::missions::local_mission(store, mission_id).await?;
    match role_in(store, coordinator, &association).await? {
        Some(r) if r.can_manage_missions() => {}
        _ => {
            return Err(ServiceError::Forbidden(Denial::new(
                "coordinators_see_suggestions",
            )))
        }
    }
    // The mission's slots are read once, not once per volunteer.
    let slots = store.list_slots(mission.id).await?;
    let profiles = store.suggestable_profiles().await?;
    Ok(rank_volunteers(config, &profiles, &mission, &slots, now))
}
