//! The iCalendar feeds calendar software subscribes to: an association's public feed and each
//! volunteer's private one (its secret address). They answer in plain text when they cannot
//! answer a calendar: the reader is a program, not a person.

use crate::http::params::{Path, Query};
use crate::http::web::kept_pages;
use crate::i18n::Lang;
use crate::{
    service::{self, ServiceError},
    state::AppState,
};
use axum::{
    extract::State,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

/// `?lang=` of a feed: `fr` or `en`, otherwise the node's language.
#[derive(Debug, Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FeedQuery {
    /// `fr` or `en` (the node's language when left out).
    lang: Option<String>,
}

pub(crate) fn feed_lang(state: &AppState, q: &FeedQuery) -> Lang {
    lang_param(state, q.lang.as_deref())
}

/// A feed's `?lang=` when it names a language, otherwise the node's.
pub(crate) fn lang_param(state: &AppState, lang: Option<&str>) -> Lang {
    lang.and_then(Lang::parse)
        .unwrap_or_else(|| Lang::or_reference(&state.config.instance.default_language))
}

fn ics(body: String, file_name: &str, cache: &'static str) -> Response {
    let disposition = format!("inline; filename=\"{file_name}\"");
    let mut res = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        body,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// Whether `s` may be one of our secrets (URL-safe base64): anything else is not one of ours.
pub(crate) fn is_secret(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A feed read through a secret address: not kept by shared caches, not indexed, and its
/// address not sent on to the sites it links to.
pub(crate) fn private_ics(body: String, file_name: &str) -> Response {
    let mut res = ics(body, file_name, "private, max-age=300");
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res.headers_mut()
        .insert("x-robots-tag", HeaderValue::from_static("noindex"));
    res
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

/// 503 in plain text, the failure logged.
fn unavailable(e: ServiceError, what: &str) -> Response {
    tracing::error!(error = %e, feed = what, "calendar feed failed");
    plain(
        StatusCode::SERVICE_UNAVAILABLE,
        "the calendar cannot be made right now, please retry later\n",
    )
}

#[utoipa::path(get, path = "/g/{name}/calendar.ics", tag = "calendar",
    summary = "iCalendar feed (RFC 5545) of an association's slots, public; cancelled slots are marked CANCELLED",
    params(("name" = String, Path, description = "the association's name"), FeedQuery),
    responses(
        (status = 200, description = "the calendar", content_type = "text/calendar", body = String),
        (status = 404, description = "no such association", content_type = "text/plain", body = String)))]
pub(crate) async fn association_feed(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<FeedQuery>,
) -> Response {
    let lang = feed_lang(&state, &q);
    let store = state.store.as_ref();
    let a = match service::missions::association(store, &name).await {
        Ok(a) => a,
        Err(ServiceError::NotFound(_)) => {
            return plain(StatusCode::NOT_FOUND, "no such association\n")
        }
        Err(e) => return unavailable(e, "association"),
    };
    match kept_pages::association_feed(&state, &a, lang).await {
        Ok(body) => ics(body, &format!("{name}.ics"), "public, max-age=300"),
        Err(ServiceError::NotFound(_)) => plain(StatusCode::NOT_FOUND, "no such association\n"),
        Err(e) => unavailable(e, "association"),
    }
}

#[utoipa::path(get, path = "/feeds/{token}.ics", tag = "calendar",
    summary = "iCalendar feed of one volunteer's slots (accepted: CONFIRMED, waiting: TENTATIVE), here and on other nodes",
    params(("token" = String, Path, description = "the secret from /api/v1/me/calendar-token"), FeedQuery),
    responses(
        (status = 200, description = "the calendar", content_type = "text/calendar", body = String),
        (status = 404, description = "unknown address", content_type = "text/plain", body = String)))]
pub(crate) async fn volunteer_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<FeedQuery>,
) -> Response {
    const UNKNOWN: &str = "unknown calendar address\n";
    let token = match file.strip_suffix(".ics") {
        Some(t) if is_secret(t) => t,
        _ => return plain(StatusCode::NOT_FOUND, UNKNOWN),
    };
    let lang = feed_lang(&state, &q);
    let user = match service::calendar::feed_owner(state.store.as_ref(), token).await {
        Ok(Some(user)) => user,
        Ok(None) => return plain(StatusCode::NOT_FOUND, UNKNOWN),
        Err(e) => return unavailable(e, "volunteer"),
    };
    match kept_pages::volunteer_feed(&state, &user, lang).await {
        Ok(body) => private_ics(body, "entraide.ics"),
        Err(e) => unavailable(e, "volunteer"),
    }
}
