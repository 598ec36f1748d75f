//! The coordinators' dashboard of an association, read at once: its upcoming missions (drafts
//! included) with their slots still to come, who signed up to each (by name, with a way to reach
//! them), the people who replied on the fediverse, and the volunteers who may fit.
//!
//! Whatever the number of missions, slots and people, the board takes the same few statements:
//! the association and the coordinator's role, the counts of the work list (sign-ups, hours,
//! attestations, reservations, pickups, returns, overdue loans: one statement), the missions,
//! their slots, the sign-ups with their names, the suggestable profiles and the latest
//! interests (see
//! [`crate::storage::DashboardStore`]). Also here: who may see an association's board, and the
//! association a slot or a sign-up belongs to (what the dashboard's forms go back to).

use super::{
    accounts::role_in, missions, slots::local_slot, volunteers::Suggestion, Result, ServiceError,
};
use crate::domain::Denial;
use crate::{
    config::Config,
    domain::{
        account::User,
        actor::Actor,
        fediverse::Interest,
        mission::{Mission, MissionStatus},
        slot::{Participant, Participation, Slot},
    },
    storage::{ActorStore, MissionQuery, MissionStore, NamedSignUp, SlotStore, Store},
};
use chrono::{DateTime, Utc};

pub use crate::storage::WorkCounts;
use std::collections::HashMap;

/// How many missions a board shows at most.
const MISSIONS: i64 = 100;
/// How many suggested volunteers a mission shows at most.
const SUGGESTIONS: usize = 5;
/// How many replies from the fediverse a mission shows at most (the newest).
const INTERESTS: i64 = 10;
/// Pickups and returns within this many days are due (the work list counts them).
pub const DUE_WITHIN_DAYS: i64 = 2;

/// The local association `name`, if `user` may manage its missions (its coordinators, and the
/// node's administrators).
pub async fn managed<S: ActorStore + ?Sized>(store: &S, user: &User, name: &str) -> Result<Actor> {
    let a = missions::association(store, name).await?;
    match role_in(store, user, &a).await? {
        Some(r) if r.can_manage_missions() => Ok(a),
        _ => Err(ServiceError::Forbidden(Denial::new("not_coordinator"))),
    }
}

/// The association's own (not deleted) mission `id`, if `user` manages the association.
pub async fn managed_mission<S: ActorStore + MissionStore + ?Sized>(
    store: &S,
    user: &User,
    name: &str,
    id: i64,
) -> Result<(Actor, Mission)> {
    let a = managed(store, user, name).await?;
    let (m, owner) = missions::local_mission(store, id).await?;
    if owner.id != a.id {
        return Err(ServiceError::NotFound("mission"));
    }
    Ok((a, m))
}

/// The association a local slot belongs to.
pub async fn association_of_slot<S: ActorStore + MissionStore + SlotStore + ?Sized>(
    store: &S,
    slot_id: i64,
) -> Result<Actor> {
    Ok(local_slot(store, slot_id).await?.2)
}

/// The association a sign-up belongs to (its local slot's).
pub async fn association_of_participation(store: &dyn Store, id: i64) -> Result<Actor> {
    let p = store.get_participation(id).await?;
    association_of_slot(store, p.slot_id).await
}

/// A slot about to be cancelled, with how many people will be told.
pub struct SlotToCancel {
    pub slot: Slot,
    pub mission: Mission,
    pub association: Actor,
    /// The active sign-ups (pending or accepted).
    pub told: usize,
}

/// What cancelling a local slot will do, for one of its association's coordinators.
pub async fn slot_to_cancel(store: &dyn Store, user: &User, slot_id: i64) -> Result<SlotToCancel> {
    let (slot, mission, association) = local_slot(store, slot_id).await?;
    managed(store, user, &association.name).await?;
    let told = store
        .list_participations(slot_id)
        .await?
        .iter()
        .filter(|p| p.status.is_active())
        .count();
    Ok(SlotToCancel {
        slot,
        mission,
        association,
        told,
    })
}

/// Everything the dashboard shows.
pub struct Board {
    pub association: Actor,
    /// What waits for the coordinators, counted: the work list at the top of the board.
    pub work: WorkCounts,
    /// Upcoming missions, drafts included, soonest first.
    pub missions: Vec<MissionBoard>,
}

/// One mission on the board.
pub struct MissionBoard {
    pub mission: Mission,
    /// As shown: a published mission whose last slot is over is closed.
    pub status: MissionStatus,
    /// The slots not over yet, soonest first, with who signed up.
    pub slots: Vec<SlotBoard>,
    /// Volunteers who may fit a draft or a published mission, best first, not those of this
    /// node already signed up to one of its slots.
    pub suggestions: Vec<Suggestion>,
    /// Replies on the fediverse, newest first, each with its author's handle (or id).
    pub interests: Vec<(Interest, String)>,
}

/// A slot on the board.
pub struct SlotBoard {
    pub slot: Slot,
    /// The active sign-ups (pending or accepted), oldest first.
    pub people: Vec<Person>,
}

/// Someone signed up, as a coordinator needs to reach them.
pub struct Person {
    pub participation: Participation,
    /// A user's full name (else account name), a remote person's name (or id when unknown), a
    /// guest's name.
    pub name: String,
    /// A local user's account name (to leave them out of the suggestions).
    pub account: Option<String>,
    /// A user's email, a remote person's handle (or id), a guest's phone or email.
    pub contact: String,
}

impl Person {
    fn of(s: NamedSignUp) -> Result<Person> {
        let mut account = None;
        let (name, contact) = match &s.participation.participant {
            Participant::User { .. } => {
                let u = s.user.ok_or(ServiceError::NotFound("user"))?;
                account = Some(u.name.clone());
                (u.shown().to_string(), u.email.unwrap_or_default())
            }
            Participant::Remote { actor_ap_id } => match &s.actor {
                Some(a) => (a.label().to_string(), a.handle()),
                None => (actor_ap_id.clone(), actor_ap_id.clone()),
            },
            Participant::Guest { name, contact } => (name.clone(), contact.clone()),
        };
        Ok(Person {
            participation: s.participation,
            name,
            account,
            contact,
        })
    }
}

/// The board of the association `name`, for one of its coordinators.
pub async fn board(
    store: &dyn Store,
    config: &Config,
    user: &User,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Board> {
    let association = managed(store, user, name).await?;
    let soon = now + chrono::Duration::days(DUE_WITHIN_DAYS);
    let work = store.work_counts(association.id, now, soon).await?;
    let missions = store
        .list_missions(MissionQuery {
            actor_id: Some(association.id),
            upcoming_after: Some(now),
            include_drafts: true,
            limit: MISSIONS,
            ..Default::default()
        })
        .await?;
    let ids: Vec<i64> = missions.iter().map(|m| m.id).collect();

    let mut slots: HashMap<i64, Vec<Slot>> = store.list_slots_of_missions(&ids).await?;
    let mut people: HashMap<i64, Vec<Person>> = HashMap::new();
    for s in store.named_sign_ups(&ids, now).await? {
        people
            .entry(s.participation.slot_id)
            .or_default()
            .push(Person::of(s)?);
    }
    let mut interests: HashMap<i64, Vec<(Interest, String)>> = HashMap::new();
    for (i, author) in store.latest_interests(&ids, INTERESTS).await? {
        let who = author
            .map(|a| a.handle())
            .unwrap_or_else(|| i.actor_ap_id.clone());
        interests.entry(i.mission_id).or_default().push((i, who));
    }

    let statuses: Vec<MissionStatus> = missions
        .iter()
        .map(|m| {
            let last_end = slots
                .get(&m.id)
                .into_iter()
                .flatten()
                .map(|s| s.end_time)
                .max();
            m.effective_status(last_end, now)
        })
        .collect();
    let open = |s: MissionStatus| matches!(s, MissionStatus::Draft | MissionStatus::Published);
    let profiles = if statuses.iter().any(|s| open(*s)) {
        store.suggestable_profiles().await?
    } else {
        Vec::new()
    };

    let mut boards = Vec::with_capacity(missions.len());
    for (mission, status) in missions.into_iter().zip(statuses) {
        let all_slots = slots.remove(&mission.id).unwrap_or_default();
        let suggestions = if open(status) {
            super::volunteers::rank_volunteers(config, &profiles, &mission, &all_slots, now)
        } else {
            Vec::new()
        };
        let slot_boards: Vec<SlotBoard> = all_slots
            .into_iter()
            .filter(|s| s.end_time > now)
            .map(|slot| SlotBoard {
                people: people.remove(&slot.id).unwrap_or_default(),
                slot,
            })
            .collect();
        // Volunteers of this node already signed up are not suggested again.
        let signed_up: Vec<&str> = slot_boards
            .iter()
            .flat_map(|s| &s.people)
            .filter_map(|p| p.account.as_deref())
            .collect();
        let suggestions = suggestions
            .into_iter()
            .filter(|s| !signed_up.contains(&s.name.as_str()))
            .take(SUGGESTIONS)
            .collect();
        boards.push(MissionBoard {
            interests: interests.remove(&mission.id).unwrap_or_default(),
            mission,
            status,
            slots: slot_boards,
            suggestions,
        });
    }
    Ok(Board {
        association,
        work,
        missions: boards,
    })
}
