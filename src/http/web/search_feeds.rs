//! Following a search (issue 15): `/search.ics?<the search's query string>` (its missions and
//! events, for calendar software) and `/search.atom?<…>` (everything it finds, for feed
//! readers). The same parameters as `/search` (`near`, `lat`/`lon`, `bbox`, …) and `lang`.
//! A refused search answers 422 in plain text, each field said: the reader is a program.

use super::search::read_form;
use crate::domain::DomainError;
use crate::i18n::Lang;
use crate::service::{self, ServiceError};
use crate::state::AppState;
use axum::{
    extract::{RawQuery, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/search.ics", get(ics))
        .route("/search.atom", get(atom))
}

/// `?lang=fr` or `en`, otherwise the node's language (the calendar feeds' rule).
fn feed_lang(state: &AppState, raw: Option<&str>) -> Lang {
    let lang = url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned());
    super::calendar::lang_param(state, lang.as_deref())
}

fn answer(kind: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=900"),
            ),
        ],
        body,
    )
        .into_response()
}

/// A refused search (422, each field said) or a failure (503, logged), in plain text.
fn refused(e: ServiceError, lang: Lang) -> Response {
    let (status, text) = match e {
        ServiceError::Domain(DomainError::Invalid(errors)) => {
            let lines: Vec<String> = (errors.0.iter())
                .map(|(field, e)| format!("{field}: {}", super::i18n::field_error(lang, e)))
                .collect();
            (StatusCode::UNPROCESSABLE_ENTITY, lines.join("\n") + "\n")
        }
        e => {
            tracing::error!(error = %e, "search feed failed");
            let text = "the feed cannot be made right now, please retry later\n";
            (StatusCode::SERVICE_UNAVAILABLE, text.to_string())
        }
    };
    let kind = HeaderValue::from_static("text/plain; charset=utf-8");
    (status, [(header::CONTENT_TYPE, kind)], text).into_response()
}

async fn ics(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let lang = feed_lang(&state, raw.as_deref());
    let form = read_form(raw.as_deref());
    match service::search_feeds::ical(&state, &form.input, lang).await {
        Ok(body) => answer("text/calendar; charset=utf-8", body),
        Err(e) => refused(e, lang),
    }
}

async fn atom(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let lang = feed_lang(&state, raw.as_deref());
    let form = read_form(raw.as_deref());
    let query = form.query();
    match service::search_feeds::atom(&state, &form.input, &query, lang).await {
        Ok(body) => answer("application/atom+xml; charset=utf-8", body),
        Err(e) => refused(e, lang),
    }
}
