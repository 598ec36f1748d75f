//! The static files (style sheets; the scripts of progressive help: place completion, the
//! search page's map with Leaflet and leaflet.markercluster from `static/vendor/leaflet/`,
//! versions in docs/search.md), embedded in the program and
//! served under `/static/`. Each has a strong `ETag`, the hash of its bytes computed once at
//! start, and the pages link them with that hash in the address (`{{ asset("style.css") }}`
//! gives `style.css?v=…`): an address that carries the current version may be kept a year
//! without asking again (`immutable`), since a new version has a new address; an address
//! without it (the images Leaflet's style sheet names) is kept an hour, then revalidated.

use crate::{http::cache::none_match_hits, state::AppState};
use axum::{
    extract::{Path, RawQuery},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{*name}", get(serve))
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const PNG: &str = "image/png";
const TEXT: &str = "text/plain; charset=utf-8";

/// A transparent pixel: what Leaflet puts in the tiles it drops (instead of a `data:` URL).
const BLANK_GIF: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

macro_rules! file {
    ($name:literal, $kind:expr) => {
        (
            $name,
            $kind,
            include_bytes!(concat!("../../../static/", $name)),
        )
    };
}

/// Every file served, by its path under `/static/`, with its type.
static FILES: [(&str, &str, &[u8]); 20] = [
    file!("style.css", CSS),
    file!("hours.css", CSS),
    file!("calendar.css", CSS),
    file!("equipment.css", CSS),
    file!("map.css", CSS),
    file!("places.js", JS),
    file!("search.js", JS),
    ("blank.gif", "image/gif", BLANK_GIF),
    file!("vendor/leaflet/leaflet.js", JS),
    file!("vendor/leaflet/leaflet.css", CSS),
    file!("vendor/leaflet/leaflet.markercluster.js", JS),
    file!("vendor/leaflet/MarkerCluster.css", CSS),
    file!("vendor/leaflet/MarkerCluster.Default.css", CSS),
    file!("vendor/leaflet/images/layers.png", PNG),
    file!("vendor/leaflet/images/layers-2x.png", PNG),
    file!("vendor/leaflet/images/marker-icon.png", PNG),
    file!("vendor/leaflet/images/marker-icon-2x.png", PNG),
    file!("vendor/leaflet/images/marker-shadow.png", PNG),
    file!("vendor/leaflet/LICENSE-leaflet", TEXT),
    file!("vendor/leaflet/LICENSE-markercluster", TEXT),
];

/// Each file's version: the first 12 bytes of its SHA-256, base64url (computed once).
static VERSIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(_, _, bytes)| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&Sha256::digest(bytes)[..12])
        })
        .collect()
});

fn index(name: &str) -> Option<usize> {
    FILES.iter().position(|(n, _, _)| *n == name)
}

/// A file's address under `/static/` with its version (`style.css?v=…`); the templates'
/// `asset()`. An unknown name is given back as it is (and answers 404).
pub fn versioned(name: &str) -> String {
    match index(name) {
        Some(i) => format!("{name}?v={}", VERSIONS[i]),
        None => name.to_string(),
    }
}

async fn serve(Path(name): Path<String>, RawQuery(q): RawQuery, headers: HeaderMap) -> Response {
    let Some(i) = index(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (_, kind, bytes) = FILES[i];
    let version = &VERSIONS[i];
    let etag = HeaderValue::from_str(&format!("\"{version}\""))
        .unwrap_or(HeaderValue::from_static("\"\""));
    let current = q
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p.strip_prefix("v=") == Some(version)));
    let lifetime = if current {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    let head = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, HeaderValue::from_static(lifetime)),
    ];
    if (headers.get(header::IF_NONE_MATCH)).is_some_and(|asked| none_match_hits(asked, &etag)) {
        return (StatusCode::NOT_MODIFIED, head).into_response();
    }
    let kind = [(header::CONTENT_TYPE, HeaderValue::from_static(kind))];
    (kind, head, bytes).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_its_own_version() {
        let v = versioned("style.css");
        assert!(v.starts_with("style.css?v=") && v.len() == "style.css?v=".len() + 16);
        assert_ne!(versioned("style.css"), versioned("hours.css"));
        assert_eq!(versioned("nothing.css"), "nothing.css");
    }
}
