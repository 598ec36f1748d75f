//! Reading actors (local associations and people, remote ones we know) and whom they follow,
//! for the pages and the API. Writing them is `accounts` (local) and `federation` (remote).

use super::{Result, ServiceError};
use crate::{
    domain::{
        actor::{Actor, ActorKind, ActorLabel, Following},
        events::Outgoing,
    },
    storage::{ActorStore, FollowStore},
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The actor `id`, local or remote.
pub async fn get(store: &dyn ActorStore, id: i64) -> Result<Actor> {
    Ok(store.get_actor(id).await?)
}

/// These actors by id, read at once for a whole list (an id unknown here is left out).
pub async fn by_ids<S: ActorStore + ?Sized>(
    store: &S,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, Actor>> {
    let mut ids: Vec<i64> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let actors = store.get_actors(&ids).await?;
    Ok(actors.into_iter().map(|a| (a.id, a)).collect())
}

/// The actor whose ActivityPub id is `ap_id`, if this node knows it.
pub async fn by_ap_id(store: &dyn ActorStore, ap_id: &str) -> Result<Option<Actor>> {
    Ok(store.find_actor_by_ap_id(ap_id).await?)
}

/// The actors this node knows among these ActivityPub ids, by ActivityPub id, read at once for
/// a whole list.
pub async fn by_ap_ids<S: ActorStore + ?Sized>(
    store: &S,
    ap_ids: impl IntoIterator<Item = String>,
) -> Result<HashMap<String, Actor>> {
    let mut ap_ids: Vec<String> = ap_ids.into_iter().collect();
    ap_ids.sort_unstable();
    ap_ids.dedup();
    if ap_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let actors = store.find_actors_by_ap_ids(&ap_ids).await?;
    Ok(actors.into_iter().map(|a| (a.ap_id.clone(), a)).collect())
}

/// The actor whose ActivityPub id is `ap_id`; not found otherwise.
pub async fn known(store: &dyn ActorStore, ap_id: &str) -> Result<Actor> {
    by_ap_id(store, ap_id)
        .await?
        .ok_or(ServiceError::NotFound("actor"))
}

/// This node's actor of this kind named `name` (an association, a person, the relay), if any.
pub async fn local(store: &dyn ActorStore, kind: ActorKind, name: &str) -> Result<Option<Actor>> {
    Ok(store.find_local_actor(kind.as_str(), name).await?)
}

/// This node's associations, by name.
pub async fn local_associations(store: &dyn ActorStore) -> Result<Vec<Actor>> {
    Ok(store.list_local_actors(ActorKind::Group.as_str()).await?)
}

/// A page of this node's associations by name (after the name `after`, at most `limit`), and
/// how many there are in all.
pub async fn association_directory(
    store: &dyn ActorStore,
    after: Option<&str>,
    limit: i64,
) -> Result<(Vec<ActorLabel>, i64)> {
    let kind = ActorKind::Group.as_str();
    Ok((
        store.local_actor_labels(kind, after, limit).await?,
        store.count_local_actors(kind).await?,
    ))
}

/// The `Person` actor of the local account named `user_name` (what follows on its behalf).
pub async fn person(store: &dyn ActorStore, user_name: &str) -> Result<Actor> {
    store
        .find_local_actor(ActorKind::Person.as_str(), user_name)
        .await?
        .ok_or(ServiceError::NotFound("your actor"))
}

/// The local actor `local` stops following `follow`: the follow is removed here and an
/// `Undo{Follow}` is recorded for the federation worker to send. Whether it was there.
pub async fn unfollow(
    store: &dyn FollowStore,
    local: &Actor,
    follow: &Following,
    now: DateTime<Utc>,
) -> Result<bool> {
    let event = Outgoing::FollowUndone {
        local_actor_id: local.id,
        target_ap_id: follow.target_ap_id.clone(),
        follow_ap_id: follow.follow_ap_id.clone(),
    };
    Ok(store
        .remove_following(local.id, &follow.target_ap_id, event, now)
        .await?)
}

/// How many accounts follow the local actor `id` (here and on other servers).
pub async fn followers_count(store: &dyn FollowStore, id: i64) -> Result<i64> {
    Ok(store.count_followers(id).await?)
}

/// Whom the local actor `id` follows or asked to follow.
pub async fn following(store: &dyn FollowStore, id: i64) -> Result<Vec<Following>> {
    Ok(store.list_following(id).await?)
}
