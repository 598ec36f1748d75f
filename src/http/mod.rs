//! HTTP: the JSON API, the web pages and the federation routes, in one router.

pub mod api;
pub mod auth;
pub mod cache;
pub mod download;
pub mod error;
pub mod operating;
pub mod params;
pub mod server;
pub mod throttle;
pub mod web;

use crate::state::AppState;
use activitypub_federation::config::{FederationConfig, FederationMiddleware};
use axum::Router;

pub fn router(state: AppState, federation: FederationConfig<AppState>) -> Router {
    let csp = server::content_security_policy(state.config.map.tile_origin().as_deref());
    Router::new()
        .merge(api::router())
        .merge(web::router())
        .merge(crate::federation::routes::router(&state))
        .merge(operating::router())
        // After every route: a page or the API's JSON, in words, for what no route takes.
        .fallback(params::not_found)
        .method_not_allowed_fallback(params::method_not_allowed)
        // Validators and lifetimes on built answers, then their compression (`cache.rs`).
        .layer(axum::middleware::from_fn(cache::validators))
        .layer(cache::compression())
        .layer(axum::middleware::map_response(cache::weaken_when_encoded))
        // Every request counted for /metrics, by the route it matched.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            operating::record,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(FederationMiddleware::new(federation))
        // Outermost: every answer, errors included, carries the security headers.
        .layer(axum::middleware::map_response(
            move |res: axum::response::Response| server::security_headers(csp.clone(), res),
        ))
        .with_state(state)
}
