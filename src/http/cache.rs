//! HTTP caching (issue 17): validators, lifetimes and compressed bodies.
//!
//! - **Validators.** A successful `GET` whose body is already built (pages, JSON lists, iCal
//!   and Atom feeds, ActivityPub documents: every handler renders its whole answer before
//!   returning it) gets a weak `ETag`, a hash of that body, and a request whose
//!   `If-None-Match` names it is answered `304 Not Modified` without a body. Hashing here
//!   rather than in each handler: the body exists anyway, hashing it costs a fraction of
//!   rendering it, and no handler can forget it; what the client saves is the transfer (and
//!   its parsing), which on a slow link is most of the wait. A streamed body (the CSV
//!   exports) has no known length and is left alone. Static files carry a strong `ETag`
//!   computed once at start (`web::assets`), kept as is.
//! - **Lifetimes.** An answer that sets its own `Cache-Control` keeps it (static files,
//!   private documents). Otherwise: `private, no-cache` for anyone logged in (session cookie
//!   or bearer token) and for an answer that sets a cookie, so that no shared cache ever hands
//!   one person's page to another; `no-cache` for the rest (a cache may keep it but asks each
//!   time, which the `ETag` makes cheap). Pages say `Vary: Accept, Accept-Language, Cookie`
//!   (`web::render`); documents negotiated by `Accept` (ActivityPub) say `Vary: Accept`, the
//!   API's answers `Vary: Authorization`; the compression adds `Accept-Encoding`.
//! - **Compression.** gzip or brotli as the client asks, for text (HTML, CSS, JavaScript,
//!   JSON and ActivityPub JSON, iCal, Atom, CSV, SVG), never for what is compressed already
//!   (images, PDF, ODS, zip archives) nor for bodies under [`MIN_COMPRESSED`] bytes. Only
//!   answers are compressed: incoming activities, and the signatures over them, are untouched.

use axum::{
    body::{Body, HttpBody},
    extract::Request,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::Response,
};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::compression::{
    predicate::{Predicate, SizeAbove},
    CompressionLayer,
};

/// Below this size a compressed body saves less than the work and the header it costs.
pub const MIN_COMPRESSED: u16 = 256;

/// Bodies larger than this are not held back to be hashed (none of our built answers comes
/// near; a large document is better streamed).
const MAX_HASHED: u64 = 8 * 1024 * 1024;

/// The content types worth compressing.
fn compressible(headers: &HeaderMap) -> bool {
    let Some(kind) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let kind = kind.split(';').next().unwrap_or("").trim();
    kind.starts_with("text/")
        || matches!(
            kind,
            "application/json"
                | "application/activity+json"
                | "application/ld+json"
                | "application/jrd+json"
                | "application/xrd+xml"
                | "application/atom+xml"
                | "application/xml"
                | "application/javascript"
                | "image/svg+xml"
        )
}

/// The compression of answers (see the module's documentation).
pub fn compression() -> CompressionLayer<impl Predicate> {
    let by_type = |_: StatusCode, _: axum::http::Version, h: &HeaderMap, _: &_| compressible(h);
    CompressionLayer::new()
        .gzip(true)
        .br(true)
        .no_deflate()
        .no_zstd()
        .compress_when(SizeAbove::new(MIN_COMPRESSED).and(by_type))
}

/// The weak validator of a body: `W/"` and the first 16 bytes of its SHA-256, base64url.
pub fn weak_etag(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
    let tag = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16]);
    HeaderValue::from_str(&format!("W/\"{tag}\"")).unwrap_or(HeaderValue::from_static("W/\"\""))
}

/// A validator without its weakness mark (`If-None-Match` compares weakly, RFC 9110 13.1.2).
fn opaque(tag: &str) -> &str {
    tag.trim().trim_start_matches("W/")
}

/// Whether an `If-None-Match` header names `etag` (or is `*`).
pub fn none_match_hits(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let (Ok(asked), Ok(etag)) = (if_none_match.to_str(), etag.to_str()) else {
        return false;
    };
    let etag = opaque(etag);
    asked.trim() == "*" || asked.split(',').any(|t| opaque(t) == etag)
}

/// Whether the request comes from someone signed in (a session cookie or a bearer token).
fn personal(headers: &HeaderMap) -> bool {
    headers.contains_key(header::AUTHORIZATION)
        || headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .any(|c| {
                c.trim()
                    .starts_with(&format!("{}=", crate::http::auth::SESSION_COOKIE))
            })
}

/// Adds `value` to the answer's `Vary` unless it is named there already.
fn vary(headers: &mut HeaderMap, value: &'static str) {
    let named = headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| v.trim().eq_ignore_ascii_case(value));
    if !named {
        headers.append(header::VARY, HeaderValue::from_static(value));
    }
}

/// The validators and lifetimes of answers to `GET` and `HEAD` (see the module's
/// documentation); the router's layer inside the compression.
pub async fn validators(req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return next.run(req).await;
    }
    let asked = req.headers().get(header::IF_NONE_MATCH).cloned();
    let personal = personal(req.headers());
    let api = crate::http::params::is_api(req.uri().path());
    let res = next.run(req).await;
    if res.status() != StatusCode::OK {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let headers = &mut parts.headers;
    if !headers.contains_key(header::CACHE_CONTROL) {
        let lifetime = if personal || headers.contains_key(header::SET_COOKIE) {
            "private, no-cache"
        } else {
            "no-cache"
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(lifetime));
    }
    let negotiated = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.contains("activity+json") || t.contains("ld+json"));
    if negotiated {
        vary(headers, "Accept");
    }
    if api {
        // A token may see more (an association's drafts): never another's answer.
        vary(headers, "Authorization");
    }
    let body = match headers.get(header::ETAG) {
        Some(_) => body,
        None => match body.size_hint().exact() {
            Some(len) if len <= MAX_HASHED => {
                match axum::body::to_bytes(body, len as usize).await {
                    Ok(bytes) => {
                        headers.insert(header::ETAG, weak_etag(&bytes));
                        Body::from(bytes)
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot read an answer's body");
                        return Response::from_parts(parts, Body::empty());
                    }
                }
            }
            _ => body,
        },
    };
    let hit = match (&asked, headers.get(header::ETAG)) {
        (Some(asked), Some(etag)) => none_match_hits(asked, etag),
        _ => false,
    };
    if hit {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.remove(header::CONTENT_TYPE);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, body)
}

/// A strong `ETag` becomes weak once the body was compressed: the bytes sent are no longer
/// those it names (the router's layer outside the compression).
pub async fn weaken_when_encoded(mut res: Response) -> Response {
    let headers = res.headers_mut();
    if headers.contains_key(header::CONTENT_ENCODING) {
        let strong = headers
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .filter(|t| t.starts_with('"'))
            .and_then(|t| HeaderValue::from_str(&format!("W/{t}")).ok());
        if let Some(weak) = strong {
            headers.insert(header::ETAG, weak);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly() {
        let etag = HeaderValue::from_static("\"abc\"");
        for (asked, hit) in [
            ("\"abc\"", true),
            ("W/\"abc\"", true),
            ("\"x\", W/\"abc\"", true),
            ("*", true),
            ("\"abd\"", false),
            ("", false),
        ] {
            assert_eq!(
                none_match_hits(&HeaderValue::from_static(asked), &etag),
                hit,
                "{asked}"
            );
        }
    }

    #[test]
    fn only_text_is_compressed() {
        for (kind, yes) in [
            ("text/html; charset=utf-8", true),
            ("application/activity+json", true),
            ("text/calendar; charset=utf-8", true),
            ("application/atom+xml", true),
            ("text/csv; charset=utf-8", true),
            ("image/png", false),
            ("image/jpeg", false),
            ("application/pdf", false),
            ("application/vnd.oasis.opendocument.spreadsheet", false),
            ("application/zip", false),
        ] {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            assert_eq!(compressible(&h), yes, "{kind}");
        }
        assert!(!compressible(&HeaderMap::new()));
    }
}
