//! Searching missions, events and equipment (issue 15): the text and the filters checked, then
//! asked of the node's index (`crate::search`), which follows the database by itself.

use super::places::{with_place_errors, Located};
use super::{Result, ServiceError};
use crate::domain::search::{SearchInput, SearchPage, SearchQuery};
use crate::domain::FieldErrors;
use crate::search::{Rebuilt, Search, SearchError};
use crate::state::AppState;
use crate::storage::Store;
use chrono::{DateTime, Utc};

impl From<SearchError> for ServiceError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Store(e) => ServiceError::from(e),
            other => ServiceError::Internal(other.to_string()),
        }
    }
}

/// A search as typed, checked: `near` (a commune, a postcode or an address) located, when
/// given, as the point searched around (it wins over `lat`/`lon`); dates are days of the
/// node's time zone. The place found comes back too, to be shown.
pub async fn check(
    state: &AppState,
    input: &SearchInput,
) -> Result<(SearchQuery, Option<Located>)> {
    let mut input = input.clone();
    let text = input.near.clone().unwrap_or_default();
    let (near, place_errors) = match state.places.near("near", &text, state.clock.now()).await {
        Ok(near) => (near, FieldErrors::new()),
        Err(e) => (None, e),
    };
    if let Some(l) = &near {
        input.lat = Some(l.point.latitude.to_string());
        input.lon = Some(l.point.longitude.to_string());
        input.latlon = None;
    }
    let q = with_place_errors(input.check(state.config.timezone()), place_errors)?;
    Ok((q, near))
}

/// One page of results of a search as typed, and the place it is near (see [`check`]).
pub async fn search(
    state: &AppState,
    input: &SearchInput,
) -> Result<(SearchPage, Option<Located>)> {
    let (q, near) = check(state, input).await?;
    Ok((run(state, q).await?, near))
}

/// One page of results of a checked search.
pub async fn run(state: &AppState, q: SearchQuery) -> Result<SearchPage> {
    let mut page = state
        .search
        .query(q, &state.store, &state.clock, &state.wake)
        .await?;
    super::moderation::hide_silenced_hits(&state.moderation, state.store.as_ref(), &mut page)
        .await?;
    Ok(page)
}

/// Opens the index (rebuilding it when it must) and follows the change log: started with the
/// node's workers, so the index is ready before the first search.
pub async fn start(state: &AppState) {
    let started = state
        .search
        .start(&state.store, &state.clock, &state.wake)
        .await;
    if let Err(e) = started {
        tracing::error!(error = %e, dir = %state.search.dir().display(), "search index unavailable");
    }
}

/// Rebuilds the index of `search` from the database now; and asks every other process
/// sharing the database to rebuild its own (`entraide admin reindex`).
pub async fn reindex(
    search: &Search,
    store: &dyn Store,
    now: DateTime<Utc>,
) -> std::result::Result<Rebuilt, SearchError> {
    store.request_reindex().await?;
    search.rebuild(store, now).await
}
