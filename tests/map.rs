//! The regional aggregator's search (issue 15), in process: a place typed ("Près de": a
//! commune or a postcode, located by the node) instead of a latitude, its errors in both
//! languages, distance sort around it, a box (what the map sends) followed by the list, the
//! feeds of a search (iCalendar read back by Python's `icalendar`, Atom by Python's XML
//! parser), and the map's files and Content-Security-Policy. The map in a real browser is
//! checked by tests/browser/check.mjs (`cargo test --test web pages_in_a_real_browser`).

#![allow(clippy::unwrap_used)]

mod common;
mod search_support;

use common::{Resp, TestApp};
use search_support::*;
use serde_json::Value;
use std::process::Command;

/// The titles of the result cards of a search page, in order.
fn cards(html: &str) -> Vec<String> {
    html.split("<h3><a href=\"")
        .skip(1)
        .map(|s| {
            let text = &s[s.find('>').unwrap() + 1..];
            text[..text.find("</a>").unwrap()].replace("&#x27;", "'")
        })
        .collect()
}

async fn page(t: &TestApp, query: &str, status: u16) -> String {
    let res = t.get(&format!("/search?{query}")).await;
    res.expect(status);
    res.html()
}

#[tokio::test]
async fn a_commune_or_a_postcode_is_searched_around() {
    let d = fill(TestApp::new().await).await;
    let t = &d.t;
    // The form asks for a place, no latitude.
    let html = t.get("/").await.html();
    assert!(
        html.contains(r#"<label for="near">Près de</label>"#),
        "{html}"
    );
    assert!(!html.contains(r#"<label for="lat">"#), "{html}");
    // A commune: Brest, 10 km around (Landerneau is 19 km away, Quimper 60).
    let html = page(t, "near=Brest&radius=10&kind=mission", 200).await;
    assert_eq!(cards(&html), [VELOS], "{html}");
    assert!(html.contains("Autour de Brest (29)."), "{html}");
    assert!(
        html.contains(r#"value="Brest""#),
        "the field is filled again"
    );
    // A postcode: Landerneau's; and the nearest first.
    let html = page(t, "near=29800&radius=30&sort=distance&kind=mission", 200).await;
    assert_eq!(cards(&html), [DISTRIBUTION, VELOS], "{html}");
    assert!(html.contains("Autour de Landerneau (29)."), "{html}");
    // Case does not matter; a département in brackets is read.
    let html = page(t, "near=brest+(29)&radius=10&kind=mission", 200).await;
    assert_eq!(cards(&html), [VELOS], "{html}");
    // lat/lon still work (the browser's position, links): said, with a way to drop them.
    let html = page(t, "lat=48.39&lon=-4.49&radius=10&kind=mission", 200).await;
    assert_eq!(cards(&html), [VELOS], "{html}");
    assert!(html.contains("Autour de votre position."), "{html}");
    assert!(
        html.contains(r#"href="/search?kind=mission&amp;radius=10&amp;page=1""#),
        "{html}"
    );
    // A place typed wins over a position sent with it.
    let html = page(t, "near=Landerneau&lat=48.39&lon=-4.49&radius=5", 200).await;
    assert_eq!(cards(&html), [DISTRIBUTION], "{html}");
    // The API takes `near` too.
    let v = get(t, "near=Brest&radius=10").await.json();
    let mut found: Vec<&str> = (v["results"].as_array().unwrap().iter())
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    found.sort();
    assert_eq!(found, [VELOS, TENTE], "{v}");
}

#[tokio::test]
async fn an_unknown_or_ambiguous_place_is_said_on_its_field() {
    let t = TestApp::new().await;
    let html = page(&t, "near=Zzyzxville&radius=10", 422).await;
    assert!(
        html.contains(r#"id="near-error""#)
            && html.contains(r#"aria-invalid="true" aria-describedby="near-hint near-error""#),
        "{html}"
    );
    assert!(html.contains("Commune introuvable"), "{html}");
    assert!(
        html.contains(r##"href="#near""##),
        "the summary links the field"
    );
    let html = page(&t, "near=Zzyzxville&lang=en", 422).await;
    assert!(html.contains("Place not found"), "{html}");
    // Saint-Martin: communes of about 400 people in several départements.
    let html = page(&t, "near=Saint-Martin", 422).await;
    assert!(
        html.contains("Plusieurs communes s'appellent")
            && html.contains("Saint-Martin (65)")
            && html.contains("Saint-Martin (32)"),
        "{html}"
    );
    let html = page(&t, "near=Saint-Martin&lang=en", 422).await;
    assert!(html.contains("Several towns are called"), "{html}");
    // Told apart by the département; the biggest by far needs nothing (Valence, Drôme).
    page(&t, "near=Saint-Martin+(65)", 200).await;
    let html = page(&t, "near=Valence", 200).await;
    assert!(html.contains("Autour de Valence (26)."), "{html}");
    // Distance sort needs a place: said on the field.
    let html = page(&t, "sort=distance", 422).await;
    assert!(html.contains(r#"id="near-error""#), "{html}");
    // The API: a 422 on `near`.
    let res = get(&t, "near=Saint-Martin").await;
    res.expect(422);
    assert!(res.text().contains("near"), "{}", res.text());
}

#[tokio::test]
async fn a_node_prefers_its_own_departements() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.places.departements = vec!["93".into()];
    let t = TestApp::with_config(config, dir).await;
    let html = page(&t, "near=Saint-Denis", 200).await;
    assert!(html.contains("Autour de Saint-Denis (93)."), "{html}");
}

#[tokio::test]
async fn the_list_follows_the_maps_box() {
    let d = fill(TestApp::new().await).await;
    let t = &d.t;
    // Brest and around, west of Landerneau (-4.25).
    let html = page(t, "bbox=48.5,-4.6:48.3,-4.3&kind=mission", 200).await;
    assert_eq!(cards(&html), [VELOS], "{html}");
    assert!(
        html.contains(r#"data-bbox="48.5,-4.6:48.3,-4.3""#),
        "{html}"
    );
    let html = page(t, "bbox=48.5,-4.6:48.3,-4.2&kind=mission&sort=date", 200).await;
    assert_eq!(cards(&html), [VELOS, DISTRIBUTION], "{html}");
    page(t, "bbox=nowhere", 422).await;
    // The map's markers: the same search through the API, with the point found.
    let html = page(t, "near=Brest&radius=10", 200).await;
    assert!(
        html.contains(r#"data-markers="/api/v1/search?near=Brest&amp;radius=10&amp;limit=100""#),
        "{html}"
    );
    assert!(html.contains(r#"data-center="48."#), "{html}");
    let v = get(t, "near=Brest&radius=10&limit=100").await.json();
    let velos = (v["results"].as_array().unwrap().iter())
        .find(|r| r["title"] == VELOS)
        .unwrap();
    assert_eq!(velos["latitude"], 48.39, "{v}");
}

/// Runs a Python script on a file holding `text`; its standard output as JSON.
fn python(script: &str, text: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("feed");
    std::fs::write(&file, text).unwrap();
    let python = std::env::var("ENTRAIDE_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python)
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python refused the feed ({}): {}\n{text}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

const ICS: &str = r#"
import json, sys
from icalendar import Calendar  # .ci/run installs icalendar==7.3.0
cal = Calendar.from_ical(open(sys.argv[1], "rb").read())
assert not cal.errors, cal.errors
events = []
for ev in cal.walk("VEVENT"):
    assert not ev.errors, ev.errors
    assert ev.decoded("DTSTART").tzinfo is not None
    events.append({k: str(ev[k]) for k in ["UID", "SUMMARY", "URL", "LOCATION"] if k in ev})
print(json.dumps({"name": str(cal["X-WR-CALNAME"]), "events": events}))
"#;

const ATOM: &str = r#"
import json, sys
import xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
feed = ET.parse(sys.argv[1]).getroot()
assert feed.tag == A + "feed", feed.tag
links = {l.get("rel"): l.get("href") for l in feed.findall(A + "link")}
entries = [{"title": e.findtext(A + "title"), "id": e.findtext(A + "id"),
            "updated": e.findtext(A + "updated"), "author": e.findtext(A + "author/" + A + "name"),
            "link": e.find(A + "link").get("href")} for e in feed.findall(A + "entry")]
print(json.dumps({"title": feed.findtext(A + "title"), "id": feed.findtext(A + "id"),
                  "updated": feed.findtext(A + "updated"), "links": links, "entries": entries}))
"#;

fn titles_of(list: &Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = (list.as_array().unwrap().iter())
        .map(|e| e[key].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn every_search_has_an_ical_and_an_atom_feed() {
    let d = fill(TestApp::new().await).await;
    let t = &d.t;
    let query = "q=&near=Brest&radius=30";
    let html = page(t, query, 200).await;
    assert!(html.contains("Suivre cette recherche"), "{html}");
    let (ics, atom) = (
        "/search.ics?near=Brest&amp;radius=30",
        "/search.atom?near=Brest&amp;radius=30",
    );
    assert!(
        html.contains(&format!(r#"href="{ics}""#)) && html.contains(&format!(r#"href="{atom}""#)),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            r#"<link rel="alternate" type="application/atom+xml" href="{atom}""#
        )),
        "feed readers find it: {html}"
    );
    // iCalendar: the missions and events found (the tent has no dates).
    let res: Resp = t.get("/search.ics?near=Brest&radius=30").await;
    res.expect(200);
    assert!(
        res.content_type().starts_with("text/calendar"),
        "{}",
        res.content_type()
    );
    let cal = python(ICS, &res.text());
    assert_eq!(titles_of(&cal["events"], "SUMMARY"), [DISTRIBUTION, VELOS]);
    assert!(
        cal["name"].as_str().unwrap().contains("près de Brest (29)"),
        "{cal}"
    );
    let url = cal["events"][0]["URL"].as_str().unwrap();
    assert!(url.starts_with("http://localhost:8080/"), "{cal}");
    // Atom: everything found, the tent too.
    let res = t.get("/search.atom?near=Brest&radius=30&lang=en").await;
    res.expect(200);
    assert!(
        res.content_type().starts_with("application/atom+xml"),
        "{}",
        res.content_type()
    );
    let feed = python(ATOM, &res.text());
    assert_eq!(
        titles_of(&feed["entries"], "title"),
        [DISTRIBUTION, VELOS, TENTE]
    );
    assert!(
        feed["title"].as_str().unwrap().contains("near Brest (29)"),
        "{feed}"
    );
    assert_eq!(
        feed["links"]["self"],
        "http://localhost:8080/search.atom?near=Brest&radius=30"
    );
    assert_eq!(
        feed["links"]["alternate"],
        "http://localhost:8080/search?near=Brest&radius=30"
    );
    for e in feed["entries"].as_array().unwrap() {
        assert_eq!(e["author"], "Épicerie solidaire", "{e}");
        assert_eq!(e["id"], e["link"], "{e}");
        assert!(e["updated"].as_str().unwrap().starts_with("20"), "{e}");
    }
    // A refused search: 422 in plain text, the field said.
    let res = t.get("/search.atom?near=Zzyzxville").await;
    res.expect(422);
    assert!(res.text().starts_with("near: "), "{}", res.text());
    t.get("/search.ics?from=yesterday").await.expect(422);
}

#[tokio::test]
async fn the_map_is_served_by_the_node_and_its_tiles_allowed() {
    let t = TestApp::new().await;
    for (path, kind, start) in [
        (
            "leaflet.js",
            "text/javascript",
            "/* @preserve\n * Leaflet 1.9.4",
        ),
        ("leaflet.css", "text/css", "/* required styles */"),
        ("leaflet.markercluster.js", "text/javascript", "!function"),
        ("MarkerCluster.css", "text/css", ".leaflet-cluster"),
        ("images/marker-icon.png", "image/png", "\u{fffd}PNG"),
        ("LICENSE-leaflet", "text/plain", "BSD 2-Clause License"),
    ] {
        let res = t.get(&format!("/static/vendor/leaflet/{path}")).await;
        res.expect(200);
        assert!(res.content_type().starts_with(kind), "{path}");
        assert!(
            res.text().starts_with(start),
            "{path}: {}",
            &res.text()[..40]
        );
    }
    t.get("/static/vendor/leaflet/nothing.js").await.expect(404);
    t.get("/static/search.js").await.expect(200);
    // OpenStreetMap's tiles by default, credited.
    let res = t.get("/search?q=").await;
    let html = res.html();
    assert!(
        html.contains(r#"data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png""#),
        "{html}"
    );
    assert!(
        html.contains("OpenStreetMap&lt;/a&gt; contributors"),
        "{html}"
    );
    assert!(html.contains(r#"<script src="/static/vendor/leaflet/leaflet.js?v="#));
    let csp = res.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("img-src 'self' https: https://tile.openstreetmap.org;"),
        "{csp}"
    );
    // Another tile server: its origin is allowed for images, every other directive kept.
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.map.tile_url = "http://127.0.0.1:8099/tiles/{z}/{x}/{y}.png".into();
    let t = TestApp::with_config(config, dir).await;
    let res = t.get("/search").await;
    let csp = res.headers["content-security-policy"].to_str().unwrap();
    assert_eq!(
        csp,
        "default-src 'none'; img-src 'self' https: http://127.0.0.1:8099; style-src 'self'; \
         script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
         base-uri 'none'"
    );
    // No tile server: no map, the list alone.
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.map.tile_url = String::new();
    let t = TestApp::with_config(config, dir).await;
    let html = t.get("/search").await.text();
    assert!(
        !html.contains("search-map") && !html.contains("leaflet.js"),
        "{html}"
    );
}
