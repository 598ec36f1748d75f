//! A mission's picture (issue 14): sent by its coordinators, checked and cleaned as equipment
//! photos are (size, format, decoding limits, re-encoded JPEG without EXIF), public like the
//! mission, sent to followers as the `Event`'s `image` and `Banner` attachment.

use super::associations::clean_image;
use super::missions::{local_mission, require_manager};
use super::{Result, ServiceError};
use crate::{
    domain::account::User,
    storage::{ActorStore, MissionPictureStore, MissionStore},
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Sets (or replaces) the picture of one of this node's missions (its coordinators).
pub async fn set<S: ActorStore + MissionStore + MissionPictureStore + ?Sized>(
    store: &S,
    user: &User,
    mission_id: i64,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<()> {
    let (m, association) = local_mission(store, mission_id).await?;
    require_manager(store, user, &association).await?;
    let clean = clean_image("picture", bytes).await?;
    Ok(store.set_mission_picture(m.id, &clean, now).await?)
}

/// Removes it.
pub async fn remove<S: ActorStore + MissionStore + MissionPictureStore + ?Sized>(
    store: &S,
    user: &User,
    mission_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let (m, association) = local_mission(store, mission_id).await?;
    require_manager(store, user, &association).await?;
    if store.delete_mission_picture(m.id, now).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound("picture"))
    }
}

/// The picture of a mission (JPEG) and when it was set.
pub async fn read(
    store: &dyn MissionPictureStore,
    mission_id: i64,
) -> Result<(Vec<u8>, DateTime<Utc>)> {
    store
        .mission_picture(mission_id)
        .await?
        .ok_or(ServiceError::NotFound("picture"))
}

/// Which of these missions have a picture, and its version (for the address), read at once.
pub async fn versions(store: &dyn MissionPictureStore, ids: &[i64]) -> Result<HashMap<i64, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(store
        .missions_with_picture(ids)
        .await?
        .into_iter()
        .map(|(id, at)| (id, at.timestamp()))
        .collect())
}
