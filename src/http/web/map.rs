//! The search page's map (issue 15), an enhancement over the list: Leaflet and
//! leaflet.markercluster served by the node itself from `static/vendor/leaflet/` (embedded in
//! the program; versions in docs/search.md), and the page's own script and style.

use crate::state::AppState;
use axum::{
    extract::Path,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/search.js", get(|| file("search.js")))
        .route("/static/map.css", get(|| file("map.css")))
        .route("/static/blank.gif", get(|| file("blank.gif")))
        .route("/static/vendor/leaflet/{*name}", get(vendor))
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

/// Every file served, by its path under `/static/`, with its type.
static FILES: [(&str, &str, &[u8]); 15] = [
    ("blank.gif", "image/gif", BLANK_GIF),
    ("search.js", JS, include_bytes!("../../../static/search.js")),
    ("map.css", CSS, include_bytes!("../../../static/map.css")),
    (
        "leaflet.js",
        JS,
        include_bytes!("../../../static/vendor/leaflet/leaflet.js"),
    ),
    (
        "leaflet.css",
        CSS,
        include_bytes!("../../../static/vendor/leaflet/leaflet.css"),
    ),
    (
        "leaflet.markercluster.js",
        JS,
        include_bytes!("../../../static/vendor/leaflet/leaflet.markercluster.js"),
    ),
    (
        "MarkerCluster.css",
        CSS,
        include_bytes!("../../../static/vendor/leaflet/MarkerCluster.css"),
    ),
    (
        "MarkerCluster.Default.css",
        CSS,
        include_bytes!("../../../static/vendor/leaflet/MarkerCluster.Default.css"),
    ),
    (
        "images/layers.png",
        PNG,
        include_bytes!("../../../static/vendor/leaflet/images/layers.png"),
    ),
    (
        "images/layers-2x.png",
        PNG,
        include_bytes!("../../../static/vendor/leaflet/images/layers-2x.png"),
    ),
    (
        "images/marker-icon.png",
        PNG,
        include_bytes!("../../../static/vendor/leaflet/images/marker-icon.png"),
    ),
    (
        "images/marker-icon-2x.png",
        PNG,
        include_bytes!("../../../static/vendor/leaflet/images/marker-icon-2x.png"),
    ),
    (
        "images/marker-shadow.png",
        PNG,
        include_bytes!("../../../static/vendor/leaflet/images/marker-shadow.png"),
    ),
    (
        "LICENSE-leaflet",
        TEXT,
        include_bytes!("../../../static/vendor/leaflet/LICENSE-leaflet"),
    ),
    (
        "LICENSE-markercluster",
        TEXT,
        include_bytes!("../../../static/vendor/leaflet/LICENSE-markercluster"),
    ),
];

fn file(name: &str) -> std::future::Ready<Response> {
    let found = FILES.iter().find(|(n, _, _)| *n == name);
    std::future::ready(match found {
        Some((_, kind, bytes)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=86400"),
                ),
            ],
            *bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    })
}

/// A file of `static/vendor/leaflet/`; our own files are not served under this path.
async fn vendor(Path(name): Path<String>) -> Response {
    if matches!(name.as_str(), "search.js" | "map.css" | "blank.gif") {
        return StatusCode::NOT_FOUND.into_response();
    }
    file(&name).await
}
