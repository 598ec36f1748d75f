//! The path and query extractors of every route, and the answers to what no route takes: a
//! wrong path parameter (`/missions/abc`) is a 404, a query that cannot be read
//! (`?limit=abc`) a 400, an unknown address a 404 and a known one asked with another method a
//! 405. Pages answer with a page in the reader's language; `/api/…` answers with the API's
//! JSON error (`{"error", "message"}`). axum's own rejections are plain English text, hence
//! these wrappers (same names and shapes as `axum::extract::{Path, Query}`).

use crate::{
    http::{error::ApiError, web::Page},
    state::AppState,
};
use axum::{
    extract::FromRequestParts,
    http::{request::Parts, HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;

/// What went wrong with a request that reached no handler, or that a handler could not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No such address (or a path parameter of the wrong kind).
    NotFound,
    /// A query parameter that cannot be read.
    BadQuery,
    /// The address exists, not with this method.
    MethodNotAllowed,
}

impl Refusal {
    fn status(self) -> StatusCode {
        match self {
            Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::BadQuery => StatusCode::BAD_REQUEST,
            Refusal::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// The catalogue's heading and sentence of the page.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Refusal::NotFound => ("not_found", "not_found_text"),
            Refusal::BadQuery => ("bad_request", "bad_request_text"),
            Refusal::MethodNotAllowed => ("method_not_allowed", "method_not_allowed_text"),
        }
    }

    /// The API's error: its code and English message (`detail` says what could not be read).
    fn api(self, detail: Option<String>) -> ApiError {
        let (code, message) = match self {
            Refusal::NotFound => ("not_found", "there is nothing at this address".to_string()),
            Refusal::BadQuery => ("bad_request", "a query parameter is not valid".to_string()),
            Refusal::MethodNotAllowed => (
                "method_not_allowed",
                "this address does not take this method (see the Allow header)".to_string(),
            ),
        };
        let message = match detail {
            Some(d) => format!("{message}: {d}"),
            None => message,
        };
        ApiError::new(self.status(), code, message)
    }
}

/// Whether a path belongs to the JSON API.
pub fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// The answer to a refused request: JSON under `/api/`, else a page.
pub async fn refuse(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    refusal: Refusal,
    detail: Option<String>,
) -> Response {
    if is_api(uri.path()) {
        return refusal.api(detail).into_response();
    }
    let asked = axum::extract::Query::<LangParam>::try_from_uri(uri)
        .ok()
        .and_then(|q| q.0.lang);
    // The user is not read here: a refused request shows the page without the menu's name
    // (reading the session would take a statement for an address that names nothing).
    let page = Page::new(state, headers, asked.as_deref(), None, None);
    let (heading, text) = refusal.words();
    page.message(refusal.status(), heading, text)
}

#[derive(serde::Deserialize)]
struct LangParam {
    lang: Option<String>,
}

/// The router's fallback: no route has this address.
pub async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    refuse(&state, &uri, &headers, Refusal::NotFound, None).await
}

/// The routes' fallback for a method they do not take (axum adds the `Allow` header).
pub async fn method_not_allowed(
    axum::extract::State(state): axum::extract::State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    refuse(&state, &uri, &headers, Refusal::MethodNotAllowed, None).await
}

/// `Path<T>` whose wrong values (`/missions/abc`) answer 404 in words.
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Path<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(e) => {
                tracing::debug!(error = %e, "path parameter refused");
                Err(refuse(state, &parts.uri, &parts.headers, Refusal::NotFound, None).await)
            }
        }
    }
}

/// `Query<T>` whose unreadable parameters (`?limit=abc`) answer 400 in words.
#[derive(Debug, Default)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Query<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match axum::extract::Query::<T>::try_from_uri(&parts.uri) {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(e) => {
                // serde's message names the parameter and what it expected.
                let detail = e.body_text();
                let detail = detail
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&detail)
                    .to_string();
                Err(refuse(
                    state,
                    &parts.uri,
                    &parts.headers,
                    Refusal::BadQuery,
                    Some(detail),
                )
                .await)
            }
        }
    }
}
