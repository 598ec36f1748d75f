//! Places offered while typing a commune or a postcode (`GET /api/v1/places?q=plou`): what the
//! forms' lists use, and any client. From the gazetteer embedded in the node: nothing leaves it.

use crate::http::params::Query;
use crate::{service::places::Suggestion, state::AppState};
use axum::{extract::State, routing::get, Json, Router};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/places", get(complete))
}

/// At most this many places in one answer.
const MAX_PLACES: usize = 20;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlacesQuery {
    /// The start of a commune's name ("plou", "st ren") or of a postcode ("292").
    #[serde(default)]
    q: String,
    /// How many places at most (1 to 20, 10 by default).
    limit: Option<usize>,
}

/// Communes whose name or postcode starts with what was typed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Places {
    /// The biggest first (the node's own départements before others).
    pub places: Vec<Suggestion>,
}

#[utoipa::path(get, path = "/api/v1/places", tag = "places",
    summary = "Communes whose name or postcode starts with what was typed (the commune gazetteer, offline)",
    params(PlacesQuery),
    responses(
        (status = 200, description = "the places, biggest first; none for an empty `q`", body = Places),
        (status = 400, description = "an unreadable `limit`", body = crate::http::api::ErrorBody)))]
pub(crate) async fn complete(
    State(state): State<AppState>,
    Query(q): Query<PlacesQuery>,
) -> Json<Places> {
    let limit = q.limit.unwrap_or(10).clamp(1, MAX_PLACES);
    Json(Places {
        places: state.places.complete(&q.q, limit),
    })
}
