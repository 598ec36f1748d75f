//! Lists and exports whose cost stays flat (issue 17, continued): an association's resources
//! walked by cursor, and the person's own hours CSV streamed in keyset chunks.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{header, Method};
use common::TestApp;
use serde_json::json;
use std::collections::BTreeMap;

async fn add_resource(t: &TestApp, token: &str, name: &str) {
    t.api(
        Method::POST,
        "/api/v1/associations/materiel/resources",
        Some(token),
        Some(&json!({"name": name, "quantity": 1, "approval": "automatic"})),
    )
    .await
    .expect(201);
}

fn names(body: &serde_json::Value) -> Vec<String> {
    body["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_cursor_walks_every_resource_once_while_resources_are_added() {
    let t = TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    t.association("materiel", "alice").await;
    for i in 0..9 {
        // Names with the cursor's separator and accents: the key is text.
        add_resource(&t, &alice, &format!("M:{i} Chaise été")).await;
    }
    let base = "/api/v1/associations/materiel/resources";
    // Without `limit`, a small association's list is whole, as before, and has no `next`.
    let whole = t.get(base).await;
    whole.expect(200);
    assert_eq!(names(&whole.json()).len(), 9);
    assert!(whole.json().get("next").is_none_or(|n| n.is_null()));

    let mut seen: Vec<String> = Vec::new();
    let mut path = format!("{base}?limit=2");
    let mut added = 0;
    loop {
        let page = t.get(&path).await;
        page.expect(200);
        let body = page.json();
        let list = names(&body);
        assert!(list.len() <= 2);
        seen.extend(list);
        if added < 3 {
            added += 1;
            // One before the walk's place (by name), one after it.
            add_resource(&t, &alice, &format!("A avant {added}")).await;
            add_resource(&t, &alice, &format!("Z après {added}")).await;
        }
        match body["next"].as_str() {
            Some(c) => path = format!("{base}?limit=2&cursor={c}"),
            None => break,
        }
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for n in &seen {
        *counts.entry(n).or_default() += 1;
    }
    assert!(counts.values().all(|n| *n == 1), "{seen:?}");
    for i in 0..9 {
        assert!(counts.contains_key(format!("M:{i} Chaise été").as_str()));
    }
    assert!(counts.contains_key("Z après 1"), "{seen:?}");
    assert!(!counts.contains_key("A avant 1"), "{seen:?}");
    // The offset works too; a bad cursor or a cursor with an offset is a 400.
    let all = names(&t.get(&format!("{base}?limit=100")).await.json());
    assert_eq!(all.len(), 15);
    let third = t.get(&format!("{base}?limit=1&offset=2")).await;
    assert_eq!(names(&third.json()), [all[2].clone()]);
    for bad in [
        "cursor=%%%",
        "cursor=bm9wZQ",
        "cursor=MTox&offset=3",
        "limit=0x",
    ] {
        let res = t.get(&format!("{base}?{bad}")).await;
        res.expect(400);
        assert_eq!(res.json()["error"], "bad_request", "{bad}");
    }
}

#[tokio::test]
async fn my_hours_stream_as_the_csv_built_before() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.server.api_requests_per_minute = 100_000;
    let t = TestApp::with_config(config, dir).await;
    let (alice_user, alice) = t.user("alice").await;
    t.association("epicerie", "alice").await;
    t.association("jardin", "alice").await;
    // More entries than one chunk read, over a year, in two associations, two on some days.
    for i in 0..1_100u32 {
        let day = chrono::NaiveDate::from_ymd_opt(2029, 1, 1).unwrap()
            + chrono::Days::new(u64::from(i % 365));
        let name = if i % 3 == 0 { "jardin" } else { "epicerie" };
        t.api(
            Method::POST,
            &format!("/api/v1/associations/{name}/hours"),
            Some(&alice),
            Some(&json!({"user": "alice", "date": day.to_string(),
                         "minutes": 30 + i % 200, "description": format!("Tri; \"{i}\"")})),
        )
        .await
        .expect(201);
    }
    let path = "/api/v1/me/hours/export.csv?year=2029";
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
    let built = entraide::service::hours::export_mine_csv(
        t.store(),
        &alice_user,
        &period,
        entraide::service::hours::CsvStyle::CODES,
    )
    .await
    .unwrap();
    assert_eq!(res.text().lines().count(), 1_101);
    assert_eq!(res.text(), built);
    // A bad period is refused before the first byte; no token, no file.
    let bad = t
        .api(
            Method::GET,
            "/api/v1/me/hours/export.csv?year=zz",
            Some(&alice),
            None,
        )
        .await;
    assert_eq!(bad.status.as_u16(), 422, "{}", bad.text());
    let anon = t
        .api(Method::GET, "/api/v1/me/hours/export.csv", None, None)
        .await;
    assert_eq!(anon.status.as_u16(), 401);
}

/// A node whose API answers as many calls as a test makes.
async fn busy_node() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.server.api_requests_per_minute = 100_000;
    TestApp::with_config(config, dir).await
}

/// Walks a list by cursor, `between` called after each page; every item's `key` seen.
async fn walk(
    t: &TestApp,
    token: &str,
    base: &str,
    field: &str,
    key: &str,
    mut between: impl AsyncFnMut(usize),
) -> Vec<String> {
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut seen = Vec::new();
    let mut path = base.to_string();
    for page in 0.. {
        let res = t.api(Method::GET, &path, Some(token), None).await;
        res.expect(200);
        let body = res.json();
        seen.extend(
            body[field]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x[key].to_string()),
        );
        between(page).await;
        match body["next"].as_str() {
            Some(c) => path = format!("{base}{sep}cursor={c}"),
            None => break,
        }
    }
    seen
}

fn once_each(seen: &[String]) -> BTreeMap<&str, usize> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for n in seen {
        *counts.entry(n).or_default() += 1;
    }
    assert!(counts.values().all(|n| *n == 1), "{seen:?}");
    counts
}

#[tokio::test]
async fn hours_are_walked_by_cursor_while_entries_are_added() {
    let t = busy_node().await;
    let (_, alice) = t.user("alice").await;
    t.association("epicerie", "alice").await;
    let record = async |date: String, what: &str| {
        let res = t
            .api(
                Method::POST,
                "/api/v1/associations/epicerie/hours",
                Some(&alice),
                Some(&json!({"user": "alice", "date": date, "minutes": 60, "description": what})),
            )
            .await;
        res.expect(201);
    };
    // Two a day, so that the id orders a day's entries.
    for i in 0..9u32 {
        record(format!("2029-03-{:02}", 10 + i / 2), &format!("tri {i}")).await;
    }
    for base in ["/api/v1/me/hours", "/api/v1/associations/epicerie/hours"] {
        let whole = t.api(Method::GET, base, Some(&alice), None).await;
        whole.expect(200);
        assert_eq!(whole.json()["entries"].as_array().unwrap().len(), 9);
        assert!(whole.json().get("next").is_none(), "{base}");
    }
    let mut added = 0;
    let seen = walk(
        &t,
        &alice,
        "/api/v1/me/hours?limit=2&year=2029",
        "entries",
        "description",
        async |_| {
            if added < 3 {
                added += 1;
                // Newest first: a later day is before the walk's place, an earlier one after.
                record(format!("2029-05-0{added}"), &format!("avant {added}")).await;
                record(format!("2029-01-0{added}"), &format!("après {added}")).await;
            }
        },
    )
    .await;
    let counts = once_each(&seen);
    for i in 0..9 {
        assert!(
            counts.contains_key(format!("\"tri {i}\"").as_str()),
            "{seen:?}"
        );
    }
    assert!(counts.contains_key("\"après 1\""), "{seen:?}");
    assert!(!counts.contains_key("\"avant 1\""), "{seen:?}");
    // The association's list walked by three is its whole list, in the same order.
    let base = "/api/v1/associations/epicerie/hours";
    let whole = t.api(Method::GET, base, Some(&alice), None).await.json();
    let all: Vec<String> = (whole["entries"].as_array().unwrap().iter())
        .map(|e| e["id"].to_string())
        .collect();
    let walked = walk(
        &t,
        &alice,
        &format!("{base}?limit=3"),
        "entries",
        "id",
        async |_| {},
    )
    .await;
    assert_eq!(walked, all);
    for bad in ["cursor=%%%", "cursor=bm9wZQ", "cursor=MTox", "limit=0x"] {
        let res = t
            .api(Method::GET, &format!("{base}?{bad}"), Some(&alice), None)
            .await;
        res.expect(400);
        assert_eq!(res.json()["error"], "bad_request", "{bad}");
    }
}

/// A resource of `materiel` lent at once to anyone, 10,000 of them.
async fn chairs(t: &TestApp, token: &str) -> i64 {
    let res = t
        .api(
            Method::POST,
            "/api/v1/associations/materiel/resources",
            Some(token),
            Some(&json!({"name": "Chaises", "quantity": 10000, "approval": "automatic"})),
        )
        .await;
    res.expect(201);
    res.json()["id"].as_i64().unwrap()
}

/// `epicerie` borrows one of `resource` on day `d` from now.
async fn borrow(t: &TestApp, token: &str, resource: i64, d: i64, hour: u32) {
    let at = |h: u32| {
        (t.now().date_naive() + chrono::Duration::days(d))
            .and_hms_opt(h, 0, 0)
            .unwrap()
            .and_utc()
            .to_rfc3339()
    };
    let res = t
        .api(
            Method::POST,
            &format!("/api/v1/resources/{resource}/reservations"),
            Some(token),
            Some(&json!({"borrower": "epicerie", "quantity": 1, "start": at(hour), "end": at(hour + 1)})),
        )
        .await;
    res.expect(201);
}

#[tokio::test]
async fn reservations_are_walked_by_cursor_while_reservations_are_added() {
    let t = busy_node().await;
    let (_, alice) = t.user("alice").await;
    t.association("materiel", "alice").await;
    t.association("epicerie", "alice").await;
    let chairs = chairs(&t, &alice).await;
    for i in 0..9 {
        borrow(&t, &alice, chairs, 20 + i / 2, 9 + (i % 2) as u32).await;
    }
    let mut added = 0;
    let base = "/api/v1/associations/materiel/reservations";
    let seen = walk(
        &t,
        &alice,
        &format!("{base}?limit=2"),
        "reservations",
        "id",
        async |_| {
            if added < 3 {
                added += 1;
                // By pickup: an earlier day is before the walk's place, a later one after.
                borrow(&t, &alice, chairs, 10 + added, 9).await;
                borrow(&t, &alice, chairs, 40 + added, 9).await;
            }
        },
    )
    .await;
    once_each(&seen);
    // 9, then the 3 after the place; not the 3 before it.
    assert_eq!(seen.len(), 12, "{seen:?}");
    let whole = t.api(Method::GET, base, Some(&alice), None).await.json();
    assert!(whole.get("next").is_none());
    let all: Vec<String> = (whole["reservations"].as_array().unwrap().iter())
        .map(|r| r["id"].to_string())
        .collect();
    assert_eq!(all.len(), 15);
    assert!(seen.iter().all(|id| all.contains(id)));
    // A resource's, by three: the whole list in the same order.
    let of_chairs = format!("/api/v1/resources/{chairs}/reservations");
    let walked = walk(
        &t,
        &alice,
        &format!("{of_chairs}?limit=3"),
        "reservations",
        "id",
        async |_| {},
    )
    .await;
    assert_eq!(walked, all);
    for bad in ["cursor=%%%", "cursor=bm9wZQ", "limit=zz", "offset=2"] {
        let res = t
            .api(
                Method::GET,
                &format!("{of_chairs}?{bad}"),
                Some(&alice),
                None,
            )
            .await;
        res.expect(400);
    }
}

#[tokio::test]
async fn the_reservations_csv_streams_as_the_csv_built_before() {
    let t = busy_node().await;
    let (alice_user, alice) = t.user("alice").await;
    t.association("materiel", "alice").await;
    t.association("epicerie", "alice").await;
    let chairs = chairs(&t, &alice).await;
    // More than one chunk read, several on the same day.
    let n = entraide::service::reservations::CSV_CHUNK + 20;
    for i in 0..n {
        borrow(&t, &alice, chairs, 10 + i / 8, 8 + (i % 8) as u32).await;
    }
    let cookie = t.web_login("alice", "a long password").await;
    let res = t
        .get_with("/g/materiel/reservations.csv", "cookie", &cookie)
        .await;
    res.expect(200);
    assert!(res.content_type().starts_with("text/csv"));
    assert!(
        res.headers.get(header::CONTENT_LENGTH).is_none(),
        "streamed, not built in memory"
    );
    let built = entraide::service::reservations::csv(
        t.store(),
        &t.app.state.config,
        &alice_user,
        "materiel",
        t.now(),
        entraide::service::csv::CsvStyle::for_reader(entraide::i18n::Lang::Fr),
    )
    .await
    .unwrap();
    assert_eq!(res.text().lines().count() as i64, n + 1);
    assert_eq!(res.body, built.bytes);
    // Someone who does not coordinate it gets no file.
    t.user("bob").await;
    let bob = t.web_login("bob", "a long password").await;
    let refused = t
        .get_with("/g/materiel/reservations.csv", "cookie", &bob)
        .await;
    assert_eq!(refused.status.as_u16(), 403, "{}", refused.text());
}

#[tokio::test]
async fn the_reservations_feed_keeps_recent_loans_after_a_long_history() {
    let t = busy_node().await;
    let (_, alice) = t.user("alice").await;
    t.association("materiel", "alice").await;
    let epicerie = t.association("epicerie", "alice").await;
    let chairs = chairs(&t, &alice).await;
    // More than 5,000 loans over the past years (the feed read the oldest 5,000 of them)…
    let long_ago = t.now() - chrono::Duration::days(1000);
    for i in 0..5_001 {
        let start = long_ago + chrono::Duration::hours(i);
        let loan = entraide::storage::NewReservation {
            resource_id: chairs,
            offer_id: format!("https://entraide.test/offers/old-{i}"),
            borrower_actor_id: Some(epicerie.id),
            quantity: 1,
            start,
            end: start + chrono::Duration::minutes(30),
            automatic: true,
            agreement_id: None,
        };
        t.store().reserve(loan, t.now()).await.unwrap();
    }
    // … then one to come: it is in the feed, the old ones are not.
    borrow(&t, &alice, chairs, 10, 9).await;
    let res = t
        .api(Method::GET, "/api/v1/me/calendar-token", Some(&alice), None)
        .await;
    let url = res.json()["feed_url"].as_str().unwrap().to_string();
    let path = url[url.find("/feeds/").unwrap()..].trim_end_matches(".ics");
    let feed = t.get(&format!("{path}/reservations/epicerie.ics")).await;
    feed.expect(200);
    let text = feed.text();
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 1, "{text}");
}

#[tokio::test]
async fn the_reservations_page_shows_loans_to_come_after_a_long_history() {
    let t = busy_node().await;
    let (_, alice) = t.user("alice").await;
    t.association("materiel", "alice").await;
    let epicerie = t.association("epicerie", "alice").await;
    let chairs = chairs(&t, &alice).await;
    // More than 5,000 loans over the past years (the page read the oldest 5,000 of them), the
    // last ones refused (so they are past, whatever their dates)…
    let long_ago = t.now() - chrono::Duration::days(1000);
    for i in 0..5_001 {
        let start = long_ago + chrono::Duration::hours(i);
        let loan = entraide::storage::NewReservation {
            resource_id: chairs,
            offer_id: format!("https://entraide.test/offers/old-{i}"),
            borrower_actor_id: Some(epicerie.id),
            quantity: 1,
            start,
            end: start + chrono::Duration::minutes(30),
            automatic: i < 4_990,
            agreement_id: None,
        };
        let made = t.store().reserve(loan, t.now()).await.unwrap();
        if i >= 4_990 {
            use entraide::domain::resource::ReservationState::*;
            let refuse = entraide::storage::ReservationMove {
                to: Refused,
                from: vec![Requested],
                reason: String::new(),
                notes: None,
                agreement_id: None,
                by_owner: true,
                check_pool: false,
            };
            let id = made.reservation().id;
            t.store()
                .move_reservation(id, &refuse, t.now())
                .await
                .unwrap();
        }
    }
    // … then a loan to come of another resource: the page shows it, and the newest past ones.
    let res = t
        .api(
            Method::POST,
            "/api/v1/associations/materiel/resources",
            Some(&alice),
            Some(&json!({"name": "Barnum bleu", "quantity": 1, "approval": "automatic"})),
        )
        .await;
    let barnum = res.json()["id"].as_i64().unwrap();
    borrow(&t, &alice, barnum, 10, 9).await;
    let cookie = t.web_login("alice", "a long password").await;
    let page = t
        .get_with("/g/materiel/reservations", "cookie", &cookie)
        .await;
    page.expect(200);
    let html = page.text();
    assert!(html.contains("Barnum bleu"), "{html}");
    assert!(html.contains("h-past"), "{html}");
}
