//! The JSON of the search API: our results, Mobilizon's result shape, and the query
//! parameters of both (the handlers read the query string themselves; these document it).

use crate::domain::search::ItemKind;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

/// One page of results.
#[derive(Serialize, ToSchema)]
pub struct SearchResults {
    /// How many items match, over every page.
    pub total: usize,
    pub limit: usize,
    pub offset: usize,
    pub results: Vec<SearchResult>,
}

/// A mission, an event or a piece of equipment found.
#[derive(Serialize, ToSchema)]
pub struct SearchResult {
    pub kind: ItemKind,
    /// The mission's (`/api/v1/missions/{id}`) or the resource's (`/api/v1/resources/{id}`)
    /// number on this node.
    pub id: i64,
    /// Published by an association of this node.
    pub local: bool,
    pub title: String,
    /// The page people open: on this node, or at its origin for another software's event.
    #[schema(format = Uri)]
    pub url: String,
    /// The association's (or the owner's) name.
    pub association: String,
    /// A category code (`solidarity`, `tent`, …).
    pub category: String,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// The place on one line.
    pub place: String,
    pub locality: String,
    /// A remote mission (done from home).
    pub online: bool,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Kilometres from the point searched around (when one was given).
    pub distance_km: Option<f64>,
    /// Places left over the slots not yet over; `null`: no limit (or equipment).
    pub places_left: Option<i64>,
}

/// The parameters of `GET /api/v1/search` (all optional).
#[allow(dead_code)] // only documents: the handler reads the query string
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to find (French analysis: accents, plurals and stems do not matter).
    q: Option<String>,
    /// `mission`, `equipment` or `event`; several comma-separated or repeated. Default: all.
    kind: Option<String>,
    /// Missions and events not over before this day (`2030-03-01`, a day of the node's time
    /// zone) or instant (RFC 3339).
    from: Option<String>,
    /// Missions and events that start before the end of this day (or this instant).
    to: Option<String>,
    /// `true`: only missions and events someone may still sign up for (in the dates, when
    /// given).
    places_left: Option<bool>,
    /// Category codes, comma-separated or repeated.
    category: Option<String>,
    /// Skills (any of them), comma-separated or repeated (`skills` is taken too).
    skill: Option<String>,
    /// `in_person` or `remote`.
    mode: Option<String>,
    /// A commune, a postcode ("29200") or an address to search around, located by the node
    /// (the address service of `[places]` when configured); it wins over `lat`/`lon`.
    near: Option<String>,
    /// Latitude of the point to search around (with `lon`).
    lat: Option<f64>,
    /// Longitude of the point to search around (with `lat`).
    lon: Option<f64>,
    /// The point as `lat,lon`, `lat:lon` or a geohash, instead of `lat` and `lon`.
    latlon: Option<String>,
    /// Kilometres around the point, 2 to 50 (default 10).
    radius: Option<f64>,
    /// The map's box: `north,west:south,east`.
    bbox: Option<String>,
    /// `relevance` (default with words), `date` (default without) or `distance`.
    sort: Option<String>,
    /// Results per page, 1 to 100 (default 20).
    limit: Option<u32>,
    /// Results skipped, up to 10,000.
    offset: Option<u32>,
}

/// The parameters of Mobilizon's global search (`GET /api/v1/search/events`).
#[allow(dead_code, non_snake_case)] // only documents: the handler reads the query string
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MobilizonParams {
    /// Words to find.
    search: Option<String>,
    /// Events not over before this instant (ISO 8601).
    startDateMin: Option<String>,
    /// Events starting before this instant.
    startDateMax: Option<String>,
    /// Mobilizon categories (`CAUSES`, `COMMUNITY`…), repeated (`categoryOneOf[]`) or
    /// comma-separated.
    categoryOneOf: Option<String>,
    /// The point: `lat:lon` (as Mobilizon sends it), `lat,lon` or a geohash.
    latlon: Option<String>,
    /// The radius: `10_km` (kept within 2 and 50 km).
    distance: Option<String>,
    /// `north,west:south,east`.
    bbox: Option<String>,
    /// `-match` (by relevance) or anything else (by date); `sortBy` is taken too.
    sort: Option<String>,
    /// Results skipped.
    start: Option<u32>,
    /// Results per page (at most 100).
    count: Option<u32>,
}

/// Mobilizon's search result shape.
#[derive(Serialize, ToSchema)]
pub struct MobilizonResults {
    pub total: usize,
    pub data: Vec<MobilizonEvent>,
}

/// An event as Mobilizon's global search answers it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MobilizonEvent {
    pub id: String,
    pub uuid: String,
    #[schema(format = Uri)]
    pub url: String,
    pub name: String,
    pub start_time: Option<DateTime<Utc>>,
    pub end_time: Option<DateTime<Utc>>,
    pub banner: Option<String>,
    /// A Mobilizon category (`CAUSES`, …).
    pub category: String,
    pub creator: MobilizonCreator,
    pub location: Option<MobilizonLocation>,
    pub participant_count: i64,
    pub tags: Vec<String>,
}

/// Who publishes the event.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MobilizonCreator {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub avatar: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MobilizonLocation {
    pub id: String,
    pub name: String,
    pub address: MobilizonAddress,
    pub location: MobilizonPoint,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MobilizonAddress {
    pub address_country: String,
    pub address_locality: String,
    pub address_region: String,
    pub postal_code: String,
    pub street_address: String,
}

#[derive(Serialize, ToSchema)]
pub struct MobilizonPoint {
    pub lat: f64,
    pub lon: f64,
}
