//! What the most read pages show every visitor alike, kept between requests while nothing it
//! shows can have changed (issue 17; `service::kept` says when and why): the cards of the
//! home page and of each association's page, the slots of an association's calendar and its
//! iCalendar feed, each volunteer's private feed, the pages of `/api/v1/missions`, and the
//! pages of the equipment search (`/resources`, `/api/v1/resources`).
//!
//! Kept per language, as the pages show them. What depends on the visitor (their
//! associations, the forms' tokens) and what changes without a change logged (the silences of
//! moderation, applied to each request as before) stay out of what is kept.

use super::cards::Listing;
use crate::domain::{account::User, actor::Actor};
use crate::http::api::missions::{KeptList, ListKey as ApiListKey};
use crate::i18n::Lang;
use crate::service::{
    self,
    kept::{earliest, json_bytes, Kept, Weighed},
    missions::MissionQuery,
    moderation::Origin,
    resources::{SearchQuery, Searched},
    ServiceError,
};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use minijinja::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Missions a list of the home page shows, ours and the other nodes'.
const HOME_MISSIONS: i64 = 30;
/// Missions an association's page shows.
const ASSOCIATION_MISSIONS: i64 = 100;
/// Pages kept per kind and language: more than a regional node has associations. A full
/// cache is emptied (see [`Kept::keep`]), so a crawler walking every month of every
/// calendar costs what it cost without one.
const PAGES: usize = 4096;
const MIB: usize = 1024 * 1024;
/// What each kind may hold, weighed as the bytes of its JSON or iCalendar text (the values in
/// memory take more, up to about twice that): 38 MiB for all of them at the most.
const HOME_BYTES: usize = 2 * MIB;
const ASSOCIATION_BYTES: usize = 8 * MIB;
const CALENDAR_BYTES: usize = 4 * MIB;
const FEED_BYTES: usize = 6 * MIB;
const VOLUNTEER_FEED_BYTES: usize = 4 * MIB;
const API_BYTES: usize = 8 * MIB;
const EQUIPMENT_BYTES: usize = 6 * MIB;

/// A page of the equipment search: what is asked, after which resource, how many at most.
type EquipmentKey = (SearchQuery, Option<(String, i64)>, i64);

/// The home page's two lists of cards; the other nodes' with where each comes from.
pub(super) struct HomeCards {
    local: Value,
    remote: Vec<(Value, Origin)>,
}

impl HomeCards {
    /// This node's upcoming missions.
    pub(super) fn local(&self) -> Value {
        self.local.clone()
    }

    /// The other nodes' upcoming missions, without those of hosts and actors silenced now.
    pub(super) fn remote(&self, state: &AppState) -> Value {
        service::moderation::shown(&state.moderation, &self.remote)
            .cloned()
            .collect()
    }
}

/// An association's calendar between two local days, in a language.
type CalendarKey = (i64, Lang, NaiveDate, NaiveDate);
/// A calendar's slots as the page shows them, by local day of their start.
pub(super) type SlotsByDay = HashMap<NaiveDate, Vec<Value>>;

/// What this node keeps (one per process, in [`AppState`]).
pub struct KeptPages {
    home: Kept<Lang, Weighed<HomeCards>>,
    associations: Kept<(i64, Lang), Weighed<Value>>,
    calendars: Kept<CalendarKey, Weighed<SlotsByDay>>,
    /// Associations' public iCalendar feeds, by association, name shown and language.
    feeds: Kept<(i64, String, Lang), String>,
    /// Volunteers' private iCalendar feeds, by person and language (found by their secret
    /// on each request, so a revoked secret opens nothing).
    volunteer_feeds: Kept<(i64, Lang), String>,
    /// The pages of `/api/v1/missions`.
    pub(crate) api_missions: Kept<ApiListKey, Weighed<KeptList>>,
    /// The pages of the equipment search, for the page and the API alike (no words in them).
    equipment: Kept<EquipmentKey, Weighed<Searched>>,
}

impl Default for KeptPages {
    fn default() -> Self {
        let per_language = PAGES * Lang::ALL.len();
        KeptPages {
            home: Kept::new(Lang::ALL.len(), HOME_BYTES),
            associations: Kept::new(per_language, ASSOCIATION_BYTES),
            calendars: Kept::new(per_language, CALENDAR_BYTES),
            feeds: Kept::new(per_language, FEED_BYTES),
            volunteer_feeds: Kept::new(per_language, VOLUNTEER_FEED_BYTES),
            api_missions: Kept::new(PAGES, API_BYTES),
            equipment: Kept::new(PAGES, EQUIPMENT_BYTES),
        }
    }
}

/// The missions not yet over at `now`, ours or the others', as the home page lists them.
fn upcoming(local: bool, now: DateTime<Utc>) -> MissionQuery {
    MissionQuery {
        local: Some(local),
        upcoming_after: Some(now),
        limit: HOME_MISSIONS,
        ..Default::default()
    }
}

/// The home page's cards in `lang`, kept or read now.
pub(super) async fn home(
    state: &AppState,
    lang: Lang,
) -> Result<Arc<Weighed<HomeCards>>, ServiceError> {
    let (store, now) = (state.store.as_ref(), state.clock.now());
    (state.kept.home)
        .get_or_read(store, now, lang, || async move {
            let local = service::missions::list(store, upcoming(true, now)).await?;
            let remote = service::missions::list(store, upcoming(false, now)).await?;
            let listing = Listing::read(state, local.iter().chain(&remote)).await?;
            let until = earliest(listing.steady_until(&local), listing.steady_until(&remote));
            let local = listing.cards(state, lang, &local);
            let remote: Vec<_> = (remote.iter())
                .filter_map(|m| Some((listing.card(state, lang, m)?, Origin::of(m))))
                .collect();
            let weight = json_bytes(&local) + json_bytes(&remote);
            let cards = HomeCards {
                local: Value::from_serialize(local),
                remote: (remote.into_iter())
                    .map(|(card, origin)| (Value::from_serialize(card), origin))
                    .collect(),
            };
            Ok((Weighed::of(cards, weight), until))
        })
        .await
}

/// The cards of an association's upcoming missions in `lang`, kept or read now.
pub(super) async fn association(
    state: &AppState,
    actor_id: i64,
    lang: Lang,
) -> Result<Value, ServiceError> {
    let (store, now) = (state.store.as_ref(), state.clock.now());
    let kept = (state.kept.associations)
        .get_or_read(store, now, (actor_id, lang), || async move {
            let query = MissionQuery {
                actor_id: Some(actor_id),
                upcoming_after: Some(now),
                limit: ASSOCIATION_MISSIONS,
                ..Default::default()
            };
            let missions = service::missions::list(store, query).await?;
            let listing = Listing::read(state, &missions).await?;
            let until = listing.steady_until(&missions);
            let cards = listing.cards(state, lang, &missions);
            let weight = json_bytes(&cards);
            Ok((Weighed::of(Value::from_serialize(cards), weight), until))
        })
        .await?;
    Ok(kept.value.clone())
}

/// An association's calendar slots from the local day `from` to `to` (excluded), kept or
/// read by `read`. What a slot shows there does not change with time alone.
pub(super) async fn calendar<F, Fut>(
    state: &AppState,
    key: (i64, Lang, NaiveDate, NaiveDate),
    read: F,
) -> Result<SlotsByDay, ServiceError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<SlotsByDay, ServiceError>>,
{
    let (store, now) = (state.store.as_ref(), state.clock.now());
    let kept = (state.kept.calendars)
        .get_or_read(store, now, key, || async move {
            let by_day = read().await?;
            let weight = (by_day.values().flatten()).map(json_bytes).sum();
            Ok((Weighed::of(by_day, weight), None))
        })
        .await?;
    Ok(kept.value.clone())
}

/// An association's public iCalendar feed in `lang`, kept or made now. Kept under the name it
/// shows too: renaming an association without missions logs no change.
pub(super) async fn association_feed(
    state: &AppState,
    a: &Actor,
    lang: Lang,
) -> Result<String, ServiceError> {
    let (store, now) = (state.store.as_ref(), state.clock.now());
    let key = (a.id, a.label().to_string(), lang);
    let kept = (state.kept.feeds)
        .get_or_read(store, now, key, || {
            service::calendar::association_feed(store, &state.config, a, lang, now)
        })
        .await?;
    Ok(String::clone(&kept))
}

/// A volunteer's private iCalendar feed in `lang`, kept or made now.
pub(super) async fn volunteer_feed(
    state: &AppState,
    user: &User,
    lang: Lang,
) -> Result<String, ServiceError> {
    let (store, now) = (state.store.as_ref(), state.clock.now());
    let kept = (state.kept.volunteer_feeds)
        .get_or_read(store, now, (user.id, lang), || {
            service::calendar::volunteer_feed(store, &state.config, user, lang, now)
        })
        .await?;
    Ok(String::clone(&kept))
}

/// A page of the equipment search ([`service::resources::search`]), kept or searched now. Kept
/// while no resource, loan or owner's name changed and until a loan it counted becomes history.
pub(crate) async fn equipment(
    state: &AppState,
    query: &SearchQuery,
    after: Option<(String, i64)>,
    limit: i64,
) -> Result<Arc<Weighed<Searched>>, ServiceError> {
    let (store, now) = (state.store.as_ref(), state.clock.now());
    let key = (query.clone(), after.clone(), limit);
    (state.kept.equipment)
        .get_or_read(store, now, key, || async move {
            let searched = service::resources::search(store, query, after, limit, now).await?;
            let (weight, until) = (json_bytes(&searched.found), searched.until);
            Ok((Weighed::of(searched, weight), until))
        })
        .await
}
