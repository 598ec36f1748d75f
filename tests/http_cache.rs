//! HTTP caching and lists whose cost stays flat (issue 17): validators answered 304,
//! compressed bodies, no cache shared between people, keyset cursors, streamed exports.

#![allow(clippy::unwrap_used)]

mod common;

use axum::{
    body::Body,
    http::{header, Method, Request},
};
use common::{Resp, TestApp};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Read;

/// A mission of `epicerie` on `day` of June 2030, 09:00–12:00 in Paris.
fn mission(title: &str, day: u32) -> Value {
    json!({
        "title": title,
        "description": "Trier les **dons** et servir le café, une longue description pour que le corps dépasse le seuil de compression.",
        "category": "solidarity",
        "place_name": "Salle Jangot",
        "locality": "Brest",
        "start_time": format!("2030-06-{day:02}T09:00:00+02:00"),
        "end_time": format!("2030-06-{day:02}T12:00:00+02:00"),
        "capacity": 8
    })
}

/// A node with the association `epicerie` (owner alice, token returned) and three missions.
async fn node() -> (TestApp, String) {
    let t = TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    t.association("epicerie", "alice").await;
    for (i, title) in ["Tri", "Collecte", "Distribution"].iter().enumerate() {
        t.publish("epicerie", &alice, &mission(title, 10 + i as u32))
            .await;
    }
    (t, alice)
}

fn header_of(res: &Resp, name: header::HeaderName) -> String {
    res.headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect::<Vec<_>>()
        .join(", ")
}

async fn get_headers(t: &TestApp, path: &str, headers: &[(header::HeaderName, &str)]) -> Resp {
    let mut req = Request::get(path);
    for (name, value) in headers {
        req = req.header(name, *value);
    }
    t.send(req.body(Body::empty()).unwrap()).await
}

/// Asks `path` once, then again with its `ETag`: 304 without a body, the same validator.
async fn revalidates(t: &TestApp, path: &str) -> String {
    let first = t.get(path).await;
    first.expect(200);
    let etag = header_of(&first, header::ETAG);
    assert!(!etag.is_empty(), "{path} has an ETag");
    let again = get_headers(t, path, &[(header::IF_NONE_MATCH, &etag)]).await;
    again.expect(304);
    assert!(again.body.is_empty(), "{path}: a 304 has no body");
    assert_eq!(header_of(&again, header::ETAG), etag, "{path}");
    let other = get_headers(t, path, &[(header::IF_NONE_MATCH, "W/\"other\"")]).await;
    other.expect(200);
    assert_eq!(other.body, first.body, "{path}");
    etag
}

#[tokio::test]
async fn validators_answer_304_for_pages_lists_feeds_and_static_files() {
    let (t, alice) = node().await;
    revalidates(&t, "/").await;
    revalidates(&t, "/g/epicerie").await;
    let list = revalidates(&t, "/api/v1/missions").await;
    assert!(
        list.starts_with("W/\""),
        "a built body has a weak ETag: {list}"
    );
    revalidates(&t, "/g/epicerie/calendar.ics").await;
    revalidates(&t, "/search.atom?q=").await;
    // An ActivityPub document too.
    let mission_url = t
        .api(Method::GET, "/api/v1/missions", None, None)
        .await
        .json()["missions"][0]["ap_id"]
        .as_str()
        .unwrap()
        .replace(common::BASE, "");
    let ap = get_headers(
        &t,
        &mission_url,
        &[(header::ACCEPT, "application/activity+json")],
    )
    .await;
    ap.expect(200);
    let etag = header_of(&ap, header::ETAG);
    let again = get_headers(
        &t,
        &mission_url,
        &[
            (header::ACCEPT, "application/activity+json"),
            (header::IF_NONE_MATCH, &etag),
        ],
    )
    .await;
    again.expect(304);
    assert!(header_of(&again, header::VARY).contains("Accept"));
    // A change changes the validator.
    t.publish("epicerie", &alice, &mission("Nouvelle", 20))
        .await;
    let after = get_headers(&t, "/api/v1/missions", &[(header::IF_NONE_MATCH, &list)]).await;
    after.expect(200);
    assert_ne!(header_of(&after, header::ETAG), list);

    // Static files: linked with their version, kept a year at that address, strong ETag.
    let home = t.get("/").await.text();
    let at = home
        .find("/static/style.css?v=")
        .expect("a versioned style sheet");
    let href = &home[at..at + home[at..].find('"').unwrap()];
    let css = t.get(href).await;
    css.expect(200);
    assert_eq!(
        header_of(&css, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    let etag = header_of(&css, header::ETAG);
    assert!(etag.starts_with('"'), "a strong ETag: {etag}");
    revalidates(&t, href).await;
    // Without the version (or an old one): an hour, then ask again.
    for path in ["/static/style.css", "/static/style.css?v=old"] {
        let plain = t.get(path).await;
        plain.expect(200);
        assert_eq!(
            header_of(&plain, header::CACHE_CONTROL),
            "public, max-age=3600"
        );
        assert_eq!(header_of(&plain, header::ETAG), etag);
    }
    revalidates(&t, "/static/vendor/leaflet/images/marker-icon.png").await;
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[tokio::test]
async fn bodies_are_compressed_when_asked_and_only_then() {
    let (t, _) = node().await;
    for path in [
        "/",
        "/api/v1/missions",
        "/g/epicerie/calendar.ics",
        "/static/style.css",
    ] {
        let plain = t.get(path).await;
        plain.expect(200);
        assert!(
            plain.headers.get(header::CONTENT_ENCODING).is_none(),
            "{path}"
        );
        assert!(
            header_of(&plain, header::VARY)
                .to_lowercase()
                .contains("accept-encoding"),
            "{path}"
        );
        let gz = get_headers(&t, path, &[(header::ACCEPT_ENCODING, "gzip")]).await;
        gz.expect(200);
        assert_eq!(header_of(&gz, header::CONTENT_ENCODING), "gzip", "{path}");
        assert_eq!(gunzip(&gz.body), plain.body, "{path}");
        assert!(gz.body.len() < plain.body.len(), "{path}");
        let br = get_headers(&t, path, &[(header::ACCEPT_ENCODING, "br;q=1, gzip;q=0.5")]).await;
        assert_eq!(header_of(&br, header::CONTENT_ENCODING), "br", "{path}");
    }
    // The revalidation of a compressed answer works with the validator it carried.
    let gz = get_headers(
        &t,
        "/static/style.css",
        &[(header::ACCEPT_ENCODING, "gzip")],
    )
    .await;
    let etag = header_of(&gz, header::ETAG);
    assert!(
        etag.starts_with("W/"),
        "compressed bytes, weak ETag: {etag}"
    );
    let again = get_headers(
        &t,
        "/static/style.css",
        &[
            (header::ACCEPT_ENCODING, "gzip"),
            (header::IF_NONE_MATCH, &etag),
        ],
    )
    .await;
    again.expect(304);
    // What is compressed already is sent as it is; so are tiny bodies.
    let png = get_headers(
        &t,
        "/static/vendor/leaflet/images/marker-icon.png",
        &[(header::ACCEPT_ENCODING, "gzip")],
    )
    .await;
    png.expect(200);
    assert!(png.headers.get(header::CONTENT_ENCODING).is_none());
    let tiny = get_headers(&t, "/health/live", &[(header::ACCEPT_ENCODING, "gzip")]).await;
    assert!(tiny.headers.get(header::CONTENT_ENCODING).is_none());
}

#[tokio::test]
async fn no_cache_is_shared_between_people() {
    let (t, alice) = node().await;
    // Anyone: a shared cache may keep the page, asking each time; per language and cookie.
    let anon = t.get("/").await;
    let cc = header_of(&anon, header::CACHE_CONTROL);
    assert!(
        cc.contains("no-cache") && !cc.contains("private") && !cc.contains("public"),
        "{cc}"
    );
    let vary = header_of(&anon, header::VARY);
    for v in ["Accept-Language", "Cookie", "accept-encoding"] {
        assert!(vary.to_lowercase().contains(&v.to_lowercase()), "{vary}");
    }
    // Someone logged in: their browser only.
    let cookie = t.web_login("alice", "a long password").await;
    for path in ["/", "/g/epicerie", "/me/calendar"] {
        let mine = get_headers(&t, path, &[(header::COOKIE, &cookie)]).await;
        mine.expect(200);
        assert_eq!(
            header_of(&mine, header::CACHE_CONTROL),
            "private, no-cache",
            "{path}"
        );
    }
    let api = t.api(Method::GET, "/api/v1/me", Some(&alice), None).await;
    api.expect(200);
    assert!(header_of(&api, header::CACHE_CONTROL).starts_with("private"));
    // A public list names the token among what it depends on (a coordinator sees drafts).
    let list = t.get("/api/v1/associations/epicerie/missions").await;
    assert!(header_of(&list, header::VARY).contains("Authorization"));
    // An answer that sets a cookie is never shared either.
    let lang = t.get("/?lang=en").await;
    assert_eq!(header_of(&lang, header::CACHE_CONTROL), "private, no-cache");
}

/// The missions of `/api/v1/missions` page by page, following `next`.
async fn walk(t: &TestApp, alice: &str, limit: usize, add_while: bool) -> Vec<String> {
    let mut seen = Vec::new();
    let mut path = format!("/api/v1/missions?limit={limit}");
    let mut added = 0;
    loop {
        let page = t.get(&path).await;
        page.expect(200);
        let body = page.json();
        let list = body["missions"].as_array().unwrap();
        assert!(list.len() <= limit);
        seen.extend(
            list.iter()
                .map(|m| m["title"].as_str().unwrap().to_string()),
        );
        if add_while && added < 3 {
            // Something new before what was read, and something after.
            added += 1;
            t.publish("epicerie", alice, &mission(&format!("Avant {added}"), 1))
                .await;
            t.publish("epicerie", alice, &mission(&format!("Après {added}"), 28))
                .await;
        }
        match body["next"].as_str() {
            Some(cursor) => path = format!("/api/v1/missions?limit={limit}&cursor={cursor}"),
            None => break,
        }
    }
    seen
}

#[tokio::test]
async fn a_cursor_walks_every_mission_once_while_missions_are_added() {
    let (t, alice) = node().await;
    for day in 13..20 {
        t.publish("epicerie", &alice, &mission(&format!("Jour {day}"), day))
            .await;
    }
    let all = walk(&t, &alice, 100, false).await;
    assert_eq!(all.len(), 10);
    let seen = walk(&t, &alice, 3, true).await;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for title in &seen {
        *counts.entry(title).or_default() += 1;
    }
    for title in &all {
        assert_eq!(counts.get(title.as_str()), Some(&1), "{title} in {seen:?}");
    }
    assert!(counts.values().all(|n| *n == 1), "{seen:?}");
    // Those added after the cursor's place are met; those before it are not.
    assert!(counts.contains_key("Après 1"), "{seen:?}");
    assert!(!counts.contains_key("Avant 2"), "{seen:?}");
    // The offset still works as it did.
    let now_all = walk(&t, &alice, 500, false).await;
    assert_eq!(now_all.len(), 16);
    let third = t.get("/api/v1/missions?limit=1&offset=2").await;
    assert_eq!(third.titles(), [now_all[2].clone()]);
    // A cursor that cannot be read is a 400 in words, and so is a cursor with an offset.
    for bad in ["cursor=%%%", "cursor=bm9wZQ", "cursor=MTox&offset=3"] {
        let res = t.get(&format!("/api/v1/missions?{bad}")).await;
        res.expect(400);
        assert_eq!(res.json()["error"], "bad_request", "{bad}");
    }
    // An association's list takes the cursor too.
    let first = t
        .get("/api/v1/associations/epicerie/missions?limit=2")
        .await;
    let next = first.json()["next"].as_str().unwrap().to_string();
    let second = t
        .get(&format!(
            "/api/v1/associations/epicerie/missions?limit=2&cursor={next}"
        ))
        .await;
    assert_eq!(second.titles().len(), 2);
    assert!(!first.titles().contains(&second.titles()[0]));
}

#[tokio::test]
async fn a_year_of_hours_streams_as_the_csv_built_before() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.server.api_requests_per_minute = 100_000;
    let t = TestApp::with_config(config, dir).await;
    let (alice_user, alice) = t.user("alice").await;
    t.association("epicerie", "alice").await;
    // More entries than one chunk read, over a year, two on some days.
    for i in 0..1_300u32 {
        let day = chrono::NaiveDate::from_ymd_opt(2029, 1, 1).unwrap()
            + chrono::Days::new(u64::from(i % 365));
        t.api(
            Method::POST,
            "/api/v1/associations/epicerie/hours",
            Some(&alice),
            Some(
                &json!({"guest_name": format!("Bénévole {i}"), "date": day.to_string(),
                         "minutes": 30 + i % 200, "description": format!("Tri; \"{i}\"")}),
            ),
        )
        .await
        .expect(201);
    }
    let path = "/api/v1/associations/epicerie/hours/export.csv?year=2029";
    let res = t.api(Method::GET, path, Some(&alice), None).await;
    res.expect(200);
    assert!(res.content_type().starts_with("text/csv"));
    assert!(
        res.headers.get(header::CONTENT_LENGTH).is_none(),
        "streamed, not built in memory"
    );
    let period = entraide::service::hours::Period {
        year: Some("2029".into()),
        ..Default::default()
    };
    let built = entraide::service::hours::export_csv(
        t.store(),
        &alice_user,
        "epicerie",
        &period,
        entraide::service::hours::CsvStyle::CODES,
    )
    .await
    .unwrap();
    assert_eq!(res.text().lines().count(), 1_301);
    assert_eq!(res.text(), built);
}
