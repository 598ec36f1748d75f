//! The associations a person may record hours for: this node's ones they belong to or took
//! part with, and those of other servers they follow or took part with.

use super::*;

/// The associations whose slots this person took part in (accepted sign-ups, here or on
/// another server), each once.
async fn taken_part_with<S: ActorStore + MissionStore + ParticipationStore + ?Sized>(
    store: &S,
    user: &User,
) -> Result<Vec<Actor>> {
    let mut missions = std::collections::BTreeSet::new();
    let mut owners = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (p, slot) in store.user_participations(user.id).await? {
        if p.status != ParticipationStatus::Accepted || !missions.insert(slot.mission_id) {
            continue;
        }
        let owner = store.get_mission(slot.mission_id).await?.actor_id;
        if owners.insert(owner) {
            out.push(store.get_actor(owner).await?);
        }
    }
    Ok(out)
}

/// A member of the association, or someone who took part in one of its slots.
pub(super) async fn may_log_for<S: ActorStore + MissionStore + ParticipationStore + ?Sized>(
    store: &S,
    user: &User,
    association: &Actor,
) -> Result<bool> {
    Ok(role_in(store, user, association).await?.is_some()
        || taken_part_with(store, user)
            .await?
            .iter()
            .any(|a| a.id == association.id))
}

/// The associations of other servers among the ones this person follows and `taken` (the
/// ones they took part with), each once, by name.
async fn remote_ones<S: ActorStore + FollowStore + ?Sized>(
    store: &S,
    user: &User,
    taken: &[Actor],
) -> Result<Vec<Actor>> {
    let mut out: Vec<Actor> = Vec::new();
    if let Some(me) = store
        .find_local_actor(ActorKind::Person.as_str(), &user.name)
        .await?
    {
        for f in store.list_following(me.id).await? {
            if let Some(a) = store.find_actor_by_ap_id(&f.target_ap_id).await? {
                if a.kind == ActorKind::Group {
                    out.push(a);
                }
            }
        }
    }
    out.extend(taken.iter().cloned());
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|a| !a.local && seen.insert(a.id));
    out.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    Ok(out)
}

/// The associations of other servers this person knows: the ones they follow, and the ones
/// whose slots they took part in. Hours can be sent to them.
pub async fn known_remote_associations(store: &dyn Store, user: &User) -> Result<Vec<Actor>> {
    let taken = taken_part_with(store, user).await?;
    remote_ones(store, user, &taken).await
}

/// The associations a person may record hours for, to choose from: this node's associations
/// they belong to or took part with (by name), then those of other servers they know (by
/// `name@host`). Returns `(value to send, association)`.
pub async fn associations_for(store: &dyn Store, user: &User) -> Result<Vec<(String, Actor)>> {
    let taken = taken_part_with(store, user).await?;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    let members = store
        .memberships(user.id)
        .await?
        .into_iter()
        .map(|(a, _)| a);
    for a in members.chain(taken.iter().filter(|a| a.local).cloned()) {
        if seen.insert(a.id) {
            out.push((a.name.clone(), a));
        }
    }
    for a in remote_ones(store, user, &taken).await? {
        if seen.insert(a.id) {
            out.push((format!("{}@{}", a.name, a.host), a));
        }
    }
    Ok(out)
}
