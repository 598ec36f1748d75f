//! Missions as the pages show them: the card of a mission (home page, association page,
//! "Missions pour moi", the mission page itself), the places left counted over its slots, and
//! the page a mission lives at. A list of cards reads its associations and slots once for the
//! whole list ([`Listing`]), never once per card.

use super::i18n;
use crate::i18n::Lang;
use crate::{
    domain::{
        actor::Actor,
        mission::{JoinMode, Mission, MissionStatus},
        slot::Slot,
    },
    service::{self, ServiceError},
    state::AppState,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;

/// A mission as a card or a page shows it.
#[derive(Serialize)]
pub(super) struct MissionCard {
    pub(super) id: i64,
    pub(super) page: String,
    pub(super) url: String,
    pub(super) title: String,
    pub(super) when: String,
    pub(super) place_short: String,
    pub(super) place_line: String,
    pub(super) online: bool,
    pub(super) places: String,
    pub(super) full: bool,
    pub(super) category: String,
    pub(super) skills: Vec<String>,
    pub(super) signup: String,
    pub(super) association: String,
    pub(super) association_handle: String,
    pub(super) association_url: String,
    pub(super) local: bool,
    pub(super) cancelled: bool,
    pub(super) content_html: String,
    pub(super) contact: String,
    pub(super) good_to_know: Vec<String>,
    pub(super) commitment: String,
    pub(super) draft: bool,
    /// The address of the mission's picture (with its version), when it has one.
    pub(super) picture: Option<String>,
}

/// The address of a mission's picture of this version.
pub(super) fn picture_path(id: i64, version: i64) -> String {
    format!("/missions/{id}/picture.jpg?v={version}")
}

/// The page of a mission on this site: its own path for ours, `/missions/{id}` for the others'.
pub(super) fn mission_path(state: &AppState, m: &Mission) -> String {
    if m.local {
        super::pages::local_path(state, &m.url)
    } else {
        format!("/missions/{}", m.id)
    }
}

/// Where a mission takes place, in a few words: "remote", the town, or the place's one line.
pub(super) fn place_short(lang: Lang, m: &Mission) -> String {
    if m.online {
        i18n::word(lang, "remote")
    } else if m.place.locality.is_empty() {
        m.place.one_line()
    } else {
        m.place.locality.clone()
    }
}

/// Places left as people should read them: over the slots still open when the mission has
/// slots (each slot has its own capacity); nothing for a local mission without slots (one
/// cannot sign up to it yet, so "5 places left" would say the opposite of "no slot yet"); a
/// remote mission's own count (its slots live on its server). `(words, full)`; the pages leave
/// out empty words.
pub(super) fn places_line(
    lang: Lang,
    m: &Mission,
    slots: &[Slot],
    now: DateTime<Utc>,
) -> (String, bool) {
    if slots.is_empty() && m.local {
        return (String::new(), false);
    }
    if slots.is_empty() {
        return (
            i18n::places(lang, m.remaining(), m.capacity),
            m.remaining() == Some(0),
        );
    }
    let open: Vec<&Slot> = slots
        .iter()
        .filter(|s| s.closed_reason(now).is_none())
        .collect();
    if open.is_empty() {
        return (i18n::word(lang, "no_open_slot"), true);
    }
    let remaining: i64 = open.iter().map(|s| s.remaining()).sum();
    let capacity: i64 = open.iter().map(|s| s.capacity).sum();
    (
        i18n::places(lang, Some(remaining), Some(capacity)),
        remaining == 0,
    )
}

/// The card of a mission published by `owner`, its places counted over the mission alone
/// (see [`places_line`] to count them over the slots).
pub(super) fn card(state: &AppState, lang: Lang, m: &Mission, owner: &Actor) -> MissionCard {
    let signup = match m.join_mode {
        JoinMode::Free => i18n::word(lang, "signup_free"),
        JoinMode::Restricted => i18n::word(lang, "signup_restricted"),
    };
    MissionCard {
        id: m.id,
        page: mission_path(state, m),
        url: m.url.clone(),
        title: m.title.clone(),
        when: i18n::long_span(m.start_time, m.end_time, state.config.timezone(), lang),
        place_short: place_short(lang, m),
        place_line: m.place.one_line(),
        online: m.online,
        places: i18n::places(lang, m.remaining(), m.capacity),
        full: m.remaining() == Some(0),
        category: crate::i18n::category(lang, &m.category),
        skills: m.skills.clone(),
        signup,
        association: owner.label().to_string(),
        association_handle: owner.handle(),
        association_url: if owner.local {
            format!("/g/{}", owner.name)
        } else {
            owner.url.clone().unwrap_or_else(|| owner.ap_id.clone())
        },
        local: m.local,
        cancelled: m.status == MissionStatus::Cancelled,
        content_html: m.content_html.clone(),
        contact: m.contact.clone(),
        good_to_know: [
            (m.reduced_mobility, "reduced_mobility"),
            (m.open_to_minors, "open_to_minors"),
        ]
        .iter()
        .filter(|(yes, _)| *yes)
        .map(|(_, key)| i18n::word(lang, key))
        .collect(),
        commitment: match m.commitment_minutes {
            Some(minutes) if m.regular => i18n::commitment(lang, minutes, &m.commitment_period),
            _ => String::new(),
        },
        draft: m.status == MissionStatus::Draft,
        picture: None,
    }
}

/// What the cards of a list of missions show besides the missions themselves: their
/// associations and their slots, each read in one go for the whole list.
pub(super) struct Listing {
    owners: HashMap<i64, Actor>,
    slots: HashMap<i64, Vec<Slot>>,
    /// The missions with a picture, and its version.
    pictures: HashMap<i64, i64>,
    now: DateTime<Utc>,
}

impl Listing {
    /// Reads the associations and the slots of these missions.
    pub(super) async fn read<'a>(
        state: &AppState,
        missions: impl IntoIterator<Item = &'a Mission>,
    ) -> Result<Listing, ServiceError> {
        let missions: Vec<&Mission> = missions.into_iter().collect();
        let store = state.store.as_ref();
        let ids: Vec<i64> = missions.iter().map(|m| m.id).collect();
        let owners = service::missions::owners(store, missions.iter().copied()).await?;
        let slots = service::slots::of_missions(store, &ids).await?;
        let pictures = service::mission_pictures::versions(store, &ids).await?;
        Ok(Listing {
            owners,
            slots,
            pictures,
            now: state.clock.now(),
        })
    }

    /// The card of one of the missions read, with its places counted over its slots; `None`
    /// for a mission that was not read.
    pub(super) fn card(&self, state: &AppState, lang: Lang, m: &Mission) -> Option<MissionCard> {
        let owner = self.owners.get(&m.actor_id)?;
        let slots = self.slots.get(&m.id).map(Vec::as_slice).unwrap_or_default();
        let mut c = card(state, lang, m, owner);
        (c.places, c.full) = places_line(lang, m, slots, self.now);
        c.picture = self.pictures.get(&m.id).map(|v| picture_path(m.id, *v));
        Some(c)
    }

    /// The first instant after the listing was read at which time alone changes the cards
    /// of these missions, or the list they stand in: one of them ends (it leaves the lists of
    /// missions not yet over), or one of their slots still open ends (its places stop
    /// counting). `None` when nothing ends.
    pub(super) fn steady_until(&self, missions: &[Mission]) -> Option<DateTime<Utc>> {
        let slots = (missions.iter())
            .filter_map(|m| self.slots.get(&m.id))
            .flatten()
            .map(|s| s.end_time)
            .filter(|end| *end > self.now);
        missions.iter().map(|m| m.end_time).chain(slots).min()
    }

    /// The cards of these missions (all of them read), in their order.
    pub(super) fn cards(
        &self,
        state: &AppState,
        lang: Lang,
        missions: &[Mission],
    ) -> Vec<MissionCard> {
        missions
            .iter()
            .filter_map(|m| self.card(state, lang, m))
            .collect()
    }
}
