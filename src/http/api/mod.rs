//! JSON API under `/api/v1`, described by `/api/v1/openapi.json`.

mod accounts;
mod associations;
mod calendar;
pub(crate) mod cursor;
mod follows;
mod help;
pub(crate) mod hours;
pub(crate) mod hours_documents;
mod interests;
mod json;
pub(crate) mod missions;
mod moderation;
mod openapi;
pub(crate) mod places;
mod privacy;
mod resources;
pub(crate) mod schema;
mod schema_resources;
mod schema_search;
mod search;
pub(crate) mod slots;
mod sms;
mod sources;
mod statistics;
mod tokens;
mod volunteers;

pub use json::ApiJson;
pub use schema::ErrorBody;

use crate::state::AppState;
use axum::{routing::get, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::spec))
        .merge(missions::router())
        .merge(calendar::router())
        .merge(follows::router())
        .merge(hours::router())
        .merge(hours_documents::router())
        .merge(resources::router())
        .merge(interests::router())
        .merge(slots::router())
        .merge(volunteers::router())
        .merge(tokens::router())
        .merge(privacy::router())
        .merge(accounts::router())
        .merge(associations::router())
        .merge(search::router())
        .merge(sources::router())
        .merge(statistics::router())
        .merge(moderation::router())
        .merge(help::router())
        .merge(places::router())
        .merge(sms::router())
}
