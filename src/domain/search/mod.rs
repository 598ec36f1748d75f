//! Search (issue 15): what an indexed item is, which missions and resources are searchable,
//! and what a search asks for (`query`), checked field by field; places and distances
//! (`geo`). Pure: the index itself lives in `crate::search`.

mod geo;
mod query;
#[cfg(test)]
mod tests;

pub use geo::{geohash_decode, parse_bbox, parse_distance_km, parse_latlon, BBox, Circle, Screen};
pub use query::{
    categories_of_mobilizon, parse_day_or_time, Mode, SearchInput, SearchQuery, Sort, MAX_LIMIT,
    MAX_OFFSET, MAX_RADIUS_KM, MIN_RADIUS_KM,
};

use super::mission::{Mission, MissionStatus};
use super::resource::Resource;
use super::slot::{Slot, SlotStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a result is: a mission of an Entraide node, a piece of equipment, or an event of
/// another software (Mobilizon, Gancio), whose page is at its origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    Mission,
    Equipment,
    Event,
}

impl ItemKind {
    pub const ALL: [ItemKind; 3] = [ItemKind::Mission, ItemKind::Equipment, ItemKind::Event];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Mission => "mission",
            ItemKind::Equipment => "equipment",
            ItemKind::Event => "event",
        }
    }

    pub fn parse(s: &str) -> Option<ItemKind> {
        ItemKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Missions and events are rows of the `mission` table; equipment of `resource`.
    pub fn is_mission_row(self) -> bool {
        self != ItemKind::Equipment
    }
}

/// One searchable thing, as the index holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchItem {
    pub kind: ItemKind,
    /// The mission's or the resource's id in this node's database.
    pub id: i64,
    /// Published by an association of this node.
    pub local: bool,
    pub title: String,
    /// Plain text (not shown in results, only searched).
    #[serde(skip)]
    pub description: String,
    /// The association's (or owner's) name.
    pub association: String,
    #[serde(skip)]
    pub skills: Vec<String>,
    /// A category code (`solidarity`, `tent`, …).
    pub category: String,
    /// The town, for missions; the place as typed, for equipment.
    pub locality: String,
    /// The place on one line.
    pub place: String,
    pub online: bool,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// Latitude and longitude, when known.
    pub position: Option<(f64, f64)>,
    /// Places left over the slots not yet over; `None`: no limit (or equipment).
    pub places_left: Option<i64>,
    /// People signed up.
    pub taken: i64,
    /// Someone may still sign up somewhere (equipment: always).
    #[serde(skip)]
    pub has_places: bool,
    /// Starts of the slots not over that still have places.
    #[serde(skip)]
    pub open_starts: Vec<DateTime<Utc>>,
    /// The mission has slots (then `open_starts` tells which dates still take people).
    #[serde(skip)]
    pub slotted: bool,
    /// The page at its origin (our own page for ours).
    pub origin_url: String,
}

impl SearchItem {
    /// The index's key of an item: kinds of one table share a numbering.
    pub fn key(&self) -> String {
        item_key(self.kind, self.id)
    }

    /// The page people open: ours for our missions and equipment, and for missions of other
    /// Entraide nodes (people sign up from here); the origin for other software's events.
    pub fn url(&self, base: &str) -> String {
        match self.kind {
            ItemKind::Mission if self.local => self.origin_url.clone(),
            ItemKind::Mission => format!("{base}/missions/{}", self.id),
            ItemKind::Event => self.origin_url.clone(),
            ItemKind::Equipment => format!("{base}/resources/{}", self.id),
        }
    }
}

/// `m42` or `r7`: which table and which row.
pub fn item_key(kind: ItemKind, id: i64) -> String {
    if kind.is_mission_row() {
        format!("m{id}")
    } else {
        format!("r{id}")
    }
}

/// A mission as search sees it, or `None` when it is not searchable: a draft, cancelled,
/// deleted, over, or with slots that are all over or cancelled. `text` is its description as
/// plain text; `is_event` marks another software's event.
pub fn mission_item(
    m: &Mission,
    slots: &[Slot],
    association: &str,
    is_event: bool,
    text: String,
    now: DateTime<Utc>,
) -> Option<SearchItem> {
    if m.deleted_at.is_some() || m.status != MissionStatus::Published || m.end_time < now {
        return None;
    }
    let live: Vec<&Slot> = slots
        .iter()
        .filter(|s| s.mission_id == m.id && s.status != SlotStatus::Cancelled && s.end_time > now)
        .collect();
    let slotted = !slots.is_empty();
    if slotted && live.is_empty() {
        return None;
    }
    let places_left = if slotted {
        Some(live.iter().map(|s| s.remaining()).sum())
    } else {
        m.remaining()
    };
    let open_starts = live
        .iter()
        .filter(|s| s.remaining() > 0)
        .map(|s| s.start_time)
        .collect();
    Some(SearchItem {
        kind: if is_event {
            ItemKind::Event
        } else {
            ItemKind::Mission
        },
        id: m.id,
        local: m.local,
        title: m.title.clone(),
        description: text,
        association: association.to_string(),
        skills: m.skills.clone(),
        category: m.category.clone(),
        locality: m.place.locality.clone(),
        place: m.place.one_line(),
        online: m.online,
        start: Some(m.start_time),
        end: Some(m.end_time),
        position: m.place.latitude.zip(m.place.longitude),
        places_left,
        taken: m.participant_count,
        has_places: places_left.is_none_or(|n| n > 0),
        open_starts,
        slotted,
        origin_url: m.url.clone(),
    })
}

/// A resource as search sees it, or `None` once removed.
pub fn resource_item(r: &Resource, owner: &str, local: bool) -> Option<SearchItem> {
    if r.deleted_at.is_some() {
        return None;
    }
    let d = &r.draft;
    Some(SearchItem {
        kind: ItemKind::Equipment,
        id: r.id,
        local,
        title: d.name.clone(),
        description: [d.description.as_str(), d.conditions.as_str()].join(" "),
        association: owner.to_string(),
        skills: Vec::new(),
        category: d.category.clone(),
        locality: d.place.clone(),
        place: d.place.clone(),
        online: false,
        start: None,
        end: None,
        position: d.latitude.zip(d.longitude),
        places_left: None,
        taken: 0,
        has_places: true,
        open_starts: Vec::new(),
        slotted: false,
        origin_url: r.ap_id.clone(),
    })
}

/// One result: the item, and how far it is when a point was given.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub item: SearchItem,
    pub distance_km: Option<f64>,
}

/// One page of results and how many there are in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchPage {
    pub total: usize,
    pub hits: Vec<Found>,
}
