//! Reading actors (local associations and people, remote ones we know) and whom they follow,
//! for the pages and the API. Writing them is `accounts` (local) and `federation` (remote).

use super::{Result, ServiceError};
use crate::{
    domain::actor::{Actor, ActorKind, Following},
    storage::{ActorStore, FollowStore},
};

/// The actor `id`, local or remote.
pub async fn get(store: &dyn ActorStore, id: i64) -> Result<Actor> {
    Ok(store.get_actor(id).await?)
}

/// The actor whose ActivityPub id is `ap_id`, if this node knows it.
pub async fn by_ap_id(store: &dyn ActorStore, ap_id: &str) -> Result<Option<Actor>> {
    Ok(store.find_actor_by_ap_id(ap_id).await?)
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

/// How many accounts follow the local actor `id` (here and on other servers).
pub async fn followers_count(store: &dyn FollowStore, id: i64) -> Result<i64> {
    Ok(store.count_followers(id).await?)
}

/// Whom the local actor `id` follows or asked to follow.
pub async fn following(store: &dyn FollowStore, id: i64) -> Result<Vec<Following>> {
    Ok(store.list_following(id).await?)
}
