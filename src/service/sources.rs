//! The aggregator's sources, for its administrators (and the operator at the console): who
//! may manage them, whether one may be added, and the list with each source's freshness.

use super::{actors, Result, ServiceError};
use crate::{
    config::Config,
    domain::{
        account::User,
        actor::{Actor, ActorKind},
        aggregator::{is_silent, NewSource, Source},
        Denial,
    },
    storage::{ActorStore, SourceStore, Store, StoreError},
};
use chrono::{DateTime, Duration, Utc};

/// A source as its administrators see it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceView {
    pub source: Source,
    /// Nothing heard from it for longer than `aggregator.silent_after_seconds`.
    pub silent: bool,
    /// The items it brought that are still here.
    pub items: i64,
}

/// Only administrators (or the operator at the console, `None`) manage sources, and only on
/// an aggregator.
pub fn may_manage(config: &Config, by: Option<&User>) -> Result<()> {
    if by.is_some_and(|u| !u.is_admin) {
        return Err(ServiceError::Forbidden(Denial::new("admins_only")));
    }
    if !config.aggregator.enabled {
        return Err(ServiceError::Forbidden(Denial::new("aggregator_off")));
    }
    Ok(())
}

/// Whether this new source may be added: its host allowed, not already a source.
pub async fn check_new(store: &dyn SourceStore, config: &Config, new: &NewSource) -> Result<()> {
    if !config.aggregator.allows_host(&new.host) {
        return Err(ServiceError::Forbidden(
            Denial::new("source_not_allowed").text("name", new.host.clone()),
        ));
    }
    if store
        .find_source_by_actor(&new.actor_ap_id)
        .await?
        .is_some()
    {
        return Err(exists(new));
    }
    Ok(())
}

fn exists(new: &NewSource) -> ServiceError {
    ServiceError::Conflict(Denial::new("source_exists").text("name", new.actor_ap_id.clone()))
}

/// The node's relay actor, which follows the sources.
pub async fn relay(store: &dyn ActorStore) -> Result<Actor> {
    store
        .find_local_actor(ActorKind::Application.as_str(), "relay")
        .await?
        .ok_or_else(|| ServiceError::Internal("the relay actor is missing".into()))
}

/// Records a checked source.
pub async fn add(store: &dyn SourceStore, new: NewSource, now: DateTime<Utc>) -> Result<Source> {
    match store.add_source(new.clone(), now).await {
        Err(StoreError::Conflict(_)) => Err(exists(&new)),
        other => Ok(other?),
    }
}

/// Every source with its freshness, oldest first.
pub async fn list(
    store: &dyn SourceStore,
    config: &Config,
    by: Option<&User>,
    now: DateTime<Utc>,
) -> Result<Vec<SourceView>> {
    may_manage(config, by)?;
    let counts = store.count_aggregated_items().await?;
    let threshold = Duration::seconds(
        i64::try_from(config.aggregator.silent_after_seconds).unwrap_or(i64::MAX / 1000),
    );
    Ok(store
        .list_sources()
        .await?
        .into_iter()
        .map(|source| SourceView {
            silent: is_silent(&source, now, threshold),
            items: counts
                .iter()
                .find(|(id, _)| *id == source.id)
                .map_or(0, |(_, n)| *n),
            source,
        })
        .collect())
}

/// The source named by its number, its actor, what was typed to add it, or its host.
pub async fn find(store: &dyn SourceStore, name: &str) -> Result<Source> {
    let name = name.trim();
    if let Ok(id) = name.parse::<i64>() {
        if let Some(s) = store.find_source(id).await? {
            return Ok(s);
        }
    }
    let bare = name.trim_end_matches('/');
    store
        .list_sources()
        .await?
        .into_iter()
        .find(|s| {
            s.actor_ap_id == bare
                || s.input.trim_end_matches('/') == bare
                || s.host == bare
                || s.input.trim_start_matches('@') == bare.trim_start_matches('@')
        })
        .ok_or(ServiceError::NotFound("source"))
}

/// Removes a source: our relay stops following it (`Undo{Follow}`), the items it brought stay
/// until they end, change or are deleted.
pub async fn remove(
    store: &dyn Store,
    config: &Config,
    by: Option<&User>,
    source: &Source,
    now: DateTime<Utc>,
) -> Result<()> {
    may_manage(config, by)?;
    let relay = relay(store).await?;
    let following = actors::following(store, relay.id).await?;
    if let Some(f) = following
        .iter()
        .find(|f| f.target_ap_id == source.actor_ap_id)
    {
        actors::unfollow(store, &relay, f, now).await?;
    }
    if !store.remove_source(source.id).await? {
        return Err(ServiceError::NotFound("source"));
    }
    Ok(())
}
