//! Search (issue 15): `GET /api/v1/search` with every filter, and Mobilizon's global search
//! contract at `GET /api/v1/search/events`, so a Mobilizon instance can use this node (or an
//! aggregator) as its global search. Both read the query string themselves: lists may be
//! comma-separated or repeated (`kind=mission&kind=event`, Mobilizon's `categoryOneOf[]=…`).

use super::schema::ErrorBody;
use super::schema_search::{
    MobilizonAddress, MobilizonCreator, MobilizonEvent, MobilizonLocation, MobilizonParams,
    MobilizonPoint, MobilizonResults, SearchParams, SearchResult, SearchResults,
};
use crate::{
    domain::{
        mission::category_to_ap,
        search::{
            categories_of_mobilizon, Found, ItemKind, SearchInput, MAX_LIMIT, MAX_RADIUS_KM,
            MIN_RADIUS_KM,
        },
    },
    http::error::{ApiError, ApiResult},
    service,
    state::AppState,
};
use axum::{
    extract::{RawQuery, State},
    http::StatusCode,
    routing::get,
    Json, Router,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(search_all))
        .route("/api/v1/search/events", get(search_events))
}

/// The pairs of a query string, `[]` taken off the keys (`categoryOneOf[]`).
fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.trim_end_matches("[]").to_string(), v.into_owned()))
        .collect()
}

fn bad(message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
}

/// The search of `GET /api/v1/search`; an unknown parameter is refused.
fn native_input(pairs: Vec<(String, String)>) -> ApiResult<SearchInput> {
    let mut i = SearchInput::default();
    for (k, v) in pairs {
        match k.as_str() {
            "q" => i.q = Some(v),
            "kind" => i.kinds.push(v),
            "from" => i.from = Some(v),
            "to" => i.to = Some(v),
            "places_left" => i.places_left = Some(v),
            "category" => i.categories.push(v),
            "skill" | "skills" => i.skills.push(v),
            "mode" => i.mode = Some(v),
            "near" => i.near = Some(v),
            "lat" => i.lat = Some(v),
            "lon" => i.lon = Some(v),
            "latlon" => i.latlon = Some(v),
            "radius" => i.radius = Some(v),
            "bbox" => i.bbox = Some(v),
            "sort" => i.sort = Some(v),
            "limit" => i.limit = Some(v),
            "offset" => i.offset = Some(v),
            other => return Err(bad(format!("unknown parameter {other}"))),
        }
    }
    Ok(i)
}

fn result(base: &str, found: Found) -> SearchResult {
    let item = found.item;
    SearchResult {
        url: item.url(base),
        kind: item.kind,
        id: item.id,
        local: item.local,
        title: item.title,
        association: item.association,
        category: item.category,
        start: item.start,
        end: item.end,
        place: item.place,
        locality: item.locality,
        online: item.online,
        latitude: item.position.map(|p| p.0),
        longitude: item.position.map(|p| p.1),
        distance_km: found.distance_km.map(|d| (d * 10.0).round() / 10.0),
        places_left: item.places_left,
    }
}

#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    summary = "Search missions, events and equipment: text and filters, one page of results",
    description = "French analysis of the text (accents, plurals and stems: `velo` finds \
        `Réparation de vélos`). Lists (`kind`, `category`, `skill`) may be comma-separated or \
        repeated. `near` (a commune, a postcode or an address) is located by the node and \
        wins over `lat`/`lon`; an unknown place, or a name several communes share, is a 422 \
        on `near`. What is over is never listed. Dates and places left concern missions and \
        events; equipment is not filtered by them.",
    params(SearchParams),
    responses(
        (status = 200, description = "the number of matches and one page of them", body = SearchResults),
        (status = 400, description = "an unknown parameter", body = ErrorBody),
        (status = 422, description = "a filter is not valid (per field)", body = ErrorBody)))]
async fn search_all(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<SearchResults>> {
    let input = native_input(pairs(raw.as_deref()))?;
    let (q, _near) = service::search::check(&state, &input).await?;
    let (limit, offset) = (q.limit, q.offset);
    let page = service::search::run(&state, q).await?;
    let base = state.config.base();
    Ok(Json(SearchResults {
        total: page.total,
        limit,
        offset,
        results: page.hits.into_iter().map(|f| result(&base, f)).collect(),
    }))
}

/// Mobilizon's parameters as a search of missions and events.
fn mobilizon_input(pairs: Vec<(String, String)>) -> (SearchInput, Option<Vec<String>>) {
    let mut i = SearchInput {
        kinds: vec!["mission,event".into()],
        ..SearchInput::default()
    };
    let mut categories: Option<Vec<String>> = None;
    for (k, v) in pairs {
        match k.as_str() {
            "search" | "term" => i.q = Some(v),
            "startDateMin" => i.from = Some(v),
            "startDateMax" => i.to = Some(v),
            "categoryOneOf" => categories.get_or_insert_with(Vec::new).extend(
                v.split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(String::from),
            ),
            "latlon" => i.latlon = Some(v),
            // Mobilizon offers radii up to hundreds of kilometres: kept within ours.
            "distance" => {
                i.radius = crate::domain::search::parse_distance_km(&v)
                    .ok()
                    .map(|km| km.clamp(MIN_RADIUS_KM, MAX_RADIUS_KM).to_string())
            }
            "bbox" => i.bbox = Some(v),
            "sort" | "sortBy" => {
                i.sort = Some(match v.as_str() {
                    "-match" | "match" => "relevance".into(),
                    _ => "date".into(),
                })
            }
            "start" => i.offset = Some(v),
            "count" => {
                i.limit = v
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .map(|n| n.clamp(1, MAX_LIMIT).to_string())
            }
            // languageOneOf, statusOneOf, boostLanguages…: not ours to filter by.
            _ => {}
        }
    }
    (i, categories)
}

fn mobilizon_event(base: &str, found: Found) -> MobilizonEvent {
    let item = found.item;
    let key = item.key();
    MobilizonEvent {
        id: key.clone(),
        uuid: key,
        url: item.url(base),
        name: item.title,
        start_time: item.start,
        end_time: item.end,
        banner: None,
        category: category_to_ap(&item.category).to_string(),
        creator: MobilizonCreator {
            id: item.association.clone(),
            name: item.association.clone(),
            display_name: item.association,
            avatar: None,
        },
        location: item.position.map(|(lat, lon)| MobilizonLocation {
            id: item.origin_url.clone(),
            name: item.place.clone(),
            address: MobilizonAddress {
                address_country: String::new(),
                address_locality: item.locality.clone(),
                address_region: String::new(),
                postal_code: String::new(),
                street_address: item.place.clone(),
            },
            location: MobilizonPoint { lat, lon },
        }),
        participant_count: item.taken,
        tags: Vec::new(),
    }
}

#[utoipa::path(get, path = "/api/v1/search/events", tag = "search",
    summary = "Mobilizon's global search of events: the missions and events of this node",
    description = "The contract Mobilizon's global search calls (search.joinmobilizon.org's): \
        `search`, `startDateMin`, `startDateMax`, `categoryOneOf` (Mobilizon's categories, \
        repeated as `categoryOneOf[]` or comma-separated), `latlon` (`lat:lon` as Mobilizon \
        sends it, `lat,lon` or a geohash), `distance` (`10_km`, kept within 2 and 50 km), \
        `bbox` (`north,west:south,east`), `sort`/`sortBy` (`-match` by relevance, anything \
        else by date), `start`, `count` (at most 100). Other Mobilizon parameters are ignored.",
    params(MobilizonParams),
    responses(
        (status = 200, description = "Mobilizon's search result shape", body = MobilizonResults),
        (status = 422, description = "a parameter is not valid (per field)", body = ErrorBody)))]
async fn search_events(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<MobilizonResults>> {
    let (mut input, categories) = mobilizon_input(pairs(raw.as_deref()));
    if let Some(asked) = categories {
        let ours = categories_of_mobilizon(&asked);
        if ours.is_empty() {
            // Only categories none of our missions has: nothing matches.
            return Ok(Json(MobilizonResults {
                total: 0,
                data: Vec::new(),
            }));
        }
        input.categories = ours;
    }
    let checked = input.check(state.config.timezone());
    let q = checked.map_err(|e| ApiError::from(service::ServiceError::from(e)))?;
    let page = service::search::run(&state, q).await?;
    let base = state.config.base();
    Ok(Json(MobilizonResults {
        total: page.total,
        data: (page.hits.into_iter())
            .filter(|f| f.item.kind != ItemKind::Equipment)
            .map(|f| mobilizon_event(&base, f))
            .collect(),
    }))
}
