//! The aggregator, in process: its sources through the API, the admin page and the command
//! line (administrators only, French and English words, silent sources flagged on the node's
//! clock), the territory bounding what a walk takes, FEP-5feb consent, and every node's
//! `/relay/current` collection. A test peer (`federation-tests/support/peer.rs`) plays a
//! Mobilizon-shaped server: NodeInfo, a `relay` actor and its outbox, a group, events.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../federation-tests/support/peer.rs"]
#[allow(dead_code)]
mod peer;

use axum::{
    body::Body,
    http::{header, Method, Request},
};
use chrono::Duration;
use common::{Resp, TestApp};
use entraide::federation::aggregator::{
    limiter::HostLimiter,
    walk::{walk, Mode},
    worker::walk_source,
};
use peer::{Peer, PeerActor, PUBLIC};
use serde_json::{json, Value};

const AP: &str = "application/activity+json";

/// An aggregator node taking Finistère (29) only, that may talk to the peer on loopback.
async fn aggregator(enabled: bool) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.federation.allow_private_addresses = true;
    config.aggregator.enabled = enabled;
    config.aggregator.departements = vec!["29".into()];
    config.aggregator.silent_after_seconds = 3600;
    TestApp::with_config(config, dir).await
}

/// An event of the peer, in March 2030 (after the test clock's start).
fn event(base: &str, slug: &str, group: &str, place: Option<(&str, f64, f64)>) -> Value {
    let id = format!("{base}/events/{slug}");
    let mut e = json!({
        "type": "Event", "id": id, "url": id, "attributedTo": group,
        "to": [PUBLIC], "cc": [format!("{group}/followers")],
        "name": format!("Événement {slug}"), "content": "<p>Venez !</p>",
        "startTime": "2030-03-02T09:30:00+01:00", "endTime": "2030-03-02T12:00:00+01:00",
        "published": "2030-01-01T10:00:00Z", "updated": "2030-01-02T10:00:00Z",
        "joinMode": "free", "category": "CAUSES",
    });
    if let Some((postcode, lat, lon)) = place {
        e["location"] = json!({"type": "Place", "name": "Salle",
            "address": {"type": "PostalAddress", "postalCode": postcode, "addressLocality": "Ville"},
            "latitude": lat, "longitude": lon});
    } else {
        e["isOnline"] = json!(true);
    }
    e
}

/// An actor of the peer as `kind`, with FEP-5feb flags (`None`: the key left out).
fn actor_doc(a: &PeerActor, kind: &str, indexable: Option<bool>) -> Value {
    let mut doc = a.document();
    doc["type"] = json!(kind);
    doc["outbox"] = json!(format!("{}/outbox", a.id));
    if let Some(flag) = indexable {
        doc["indexable"] = json!(flag);
        doc["discoverable"] = json!(true);
    }
    doc
}

/// A Mobilizon-shaped peer: NodeInfo naming Mobilizon and its relay; the relay's outbox (two
/// pages) announces a Brest event, a Rennes one and an online one of the group `jardins`; the
/// group `prive` (no `indexable`) has one event in Brest in its outbox.
fn mobilizon() -> Peer {
    Peer::start_serving(&["relay", "jardins", "prive"], |actors, base| {
        let (relay, group, prive) = (&actors[0], &actors[1], &actors[2]);
        let brest = event(base, "brest", &group.id, Some(("29200", 48.39, -4.49)));
        let rennes = event(base, "rennes", &group.id, Some(("35000", 48.11, -1.68)));
        let online = event(base, "en-ligne", &group.id, None);
        let hidden = event(base, "prive", &prive.id, Some(("29200", 48.39, -4.49)));
        let outbox = format!("{}/outbox", relay.id);
        let announce = |e: &Value| {
            json!({"type": "Announce", "actor": relay.id,
            "id": format!("{}/announces/1", e["id"].as_str().unwrap()),
            "object": e["id"], "published": "2030-01-02T10:00:00Z"})
        };
        vec![
            (
                "/.well-known/nodeinfo".into(),
                json!({"links": [
                    {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                     "href": format!("{base}/nodeinfo/2.0")},
                    {"rel": "https://www.w3.org/ns/activitystreams#Application", "href": relay.id}]}),
            ),
            (
                "/nodeinfo/2.0".into(),
                json!({"software": {"name": "mobilizon", "version": "5.1.0"}}),
            ),
            (
                "/actors/relay".into(),
                actor_doc(relay, "Application", None),
            ),
            (
                "/actors/jardins".into(),
                actor_doc(group, "Group", Some(true)),
            ),
            ("/actors/prive".into(), actor_doc(prive, "Group", None)),
            (
                "/actors/relay/outbox".into(),
                json!({"id": outbox, "type": "OrderedCollection", "totalItems": 3,
                       "first": format!("{outbox}?page=1")}),
            ),
            (
                "/actors/relay/outbox?page=1".into(),
                json!({"id": format!("{outbox}?page=1"), "type": "OrderedCollectionPage",
                       "next": format!("{outbox}?page=2"),
                       "orderedItems": [announce(&brest), announce(&rennes)]}),
            ),
            (
                "/actors/relay/outbox?page=2".into(),
                json!({"id": format!("{outbox}?page=2"), "type": "OrderedCollectionPage",
                       "orderedItems": [announce(&online)]}),
            ),
            (
                "/actors/prive/outbox".into(),
                json!({"id": format!("{}/outbox", prive.id), "type": "OrderedCollection",
                       "orderedItems": [{"type": "Create", "actor": prive.id, "object": hidden}]}),
            ),
            ("/events/brest".into(), brest),
            ("/events/rennes".into(), rennes),
            ("/events/en-ligne".into(), online),
            ("/events/prive".into(), hidden),
        ]
    })
}

async fn add(t: &TestApp, token: &str, target: &str) -> Resp {
    t.api(
        Method::POST,
        "/api/v1/admin/sources",
        Some(token),
        Some(&json!({ "target": target })),
    )
    .await
}

async fn sources(t: &TestApp, token: &str) -> Vec<Value> {
    let res = t
        .api(Method::GET, "/api/v1/admin/sources", Some(token), None)
        .await;
    res.expect(200);
    res.json()["sources"].as_array().unwrap().clone()
}

/// The titles of the remote missions the node lists now.
async fn remote_titles(t: &TestApp) -> Vec<String> {
    t.get("/api/v1/missions?origin=remote&limit=500")
        .await
        .titles()
}

/// Walks every source once, as the worker would.
async fn walk_all(t: &TestApp) -> HostLimiter {
    let ctx = t.app.context();
    let limiter = HostLimiter::new(&t.app.state.config.aggregator);
    for s in t.store().list_sources().await.unwrap() {
        walk_source(&ctx, &limiter, &s).await.unwrap();
    }
    limiter
}

#[tokio::test]
async fn sources_are_for_administrators_of_an_aggregator() {
    let peer = mobilizon();
    let t = aggregator(true).await;
    let (_, admin) = t.user("gwen").await; // the first user administers the node
    let (_, camille) = t.user("camille").await;
    add(&t, &camille, &peer.base).await.expect(403);
    let res = t
        .api(Method::GET, "/api/v1/admin/sources", Some(&camille), None)
        .await;
    res.expect(403);
    t.api(Method::GET, "/api/v1/admin/sources", None, None)
        .await
        .expect(401);

    let res = add(&t, &admin, &peer.base).await;
    res.expect(201);
    let relay = res.json();
    assert_eq!(relay["kind"], "mobilizon");
    assert_eq!(relay["actor"], peer.actor("relay").id);
    assert_eq!(
        relay["collection"],
        format!("{}/outbox", peer.actor("relay").id)
    );
    let res = add(&t, &admin, &peer.base).await;
    res.expect(409);
    assert!(res.json()["message"]
        .as_str()
        .unwrap()
        .contains("already a source"));
    let group = add(&t, &admin, &peer.actor("jardins").handle()).await;
    group.expect(201);
    assert_eq!(group.json()["kind"], "group");
    // Nothing answers there: the server is said unreachable.
    add(&t, &admin, "@nobody@localhost:1").await.expect(502);

    // Listed with their freshness; the relay was followed by ours.
    let listed = sources(&t, &admin).await;
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["silent"], false);
    assert!(listed[0]["last_reconciled_at"].is_null());
    let relay_actor = t
        .store()
        .find_local_actor("Application", "relay")
        .await
        .unwrap()
        .unwrap();
    let follows = t.store().list_following(relay_actor.id).await.unwrap();
    assert!(follows
        .iter()
        .any(|f| f.target_ap_id == peer.actor("relay").id));

    // Nothing heard for longer than the threshold (an hour here): flagged silent.
    t.clock.advance(Duration::minutes(59));
    assert_eq!(sources(&t, &admin).await[0]["silent"], false);
    t.clock.advance(Duration::minutes(2));
    assert_eq!(sources(&t, &admin).await[0]["silent"], true);
    // An activity from it: fresh again.
    let relay_id = peer.actor("relay").id.clone();
    t.store().source_heard(&relay_id, t.now()).await.unwrap();
    let fresh = sources(&t, &admin).await;
    assert_eq!(fresh[0]["silent"], false);
    assert!(fresh[0]["last_activity_at"].is_string());

    // Removed: no longer listed, no longer followed.
    let id = relay["id"].as_i64().unwrap();
    let path = format!("/api/v1/admin/sources/{id}");
    t.api(Method::DELETE, &path, Some(&camille), None)
        .await
        .expect(403);
    t.api(Method::DELETE, &path, Some(&admin), None)
        .await
        .expect(200);
    t.api(Method::DELETE, &path, Some(&admin), None)
        .await
        .expect(404);
    assert_eq!(sources(&t, &admin).await.len(), 1);
    let follows = t.store().list_following(relay_actor.id).await.unwrap();
    assert!(!follows.iter().any(|f| f.target_ap_id == relay_id));
}

#[tokio::test]
async fn a_node_that_is_not_an_aggregator_has_no_sources() {
    let t = aggregator(false).await;
    let (_, admin) = t.user("gwen").await;
    let res = add(&t, &admin, "https://example.org").await;
    res.expect(403);
    assert!(res.json()["message"]
        .as_str()
        .unwrap()
        .contains("not an aggregator"));
}

#[tokio::test]
async fn a_walk_takes_every_page_inside_the_territory_with_consent() {
    let peer = mobilizon();
    let t = aggregator(true).await;
    let (_, admin) = t.user("gwen").await;
    add(&t, &admin, &peer.base).await.expect(201);
    add(&t, &admin, &peer.actor("prive").handle())
        .await
        .expect(201);
    let limiter = walk_all(&t).await;

    let titles = remote_titles(&t).await;
    // Page 2 was read; Rennes (35) is outside Finistère; online events are not outside; the
    // group without `indexable: true` gave nothing.
    assert!(
        titles.contains(&"Événement brest".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Événement en-ligne".to_string()),
        "{titles:?}"
    );
    assert!(
        !titles.contains(&"Événement rennes".to_string()),
        "{titles:?}"
    );
    assert!(
        !titles.contains(&"Événement prive".to_string()),
        "{titles:?}"
    );
    let host = peer.base.trim_start_matches("http://");
    let (requests, peak) = limiter.seen(host);
    assert!(
        requests >= 3 && peak <= 2,
        "{requests} requests, {peak} at once"
    );
    let listed = sources(&t, &admin).await;
    assert!(listed.iter().all(|s| s["last_reconciled_at"].is_string()));
    assert_eq!(listed[0]["items"], 2, "{listed:?}");
    assert_eq!(listed[1]["items"], 0);
    // An event taken from Mobilizon is marked as an event, its link leads there.
    let brest = format!("{}/events/brest", peer.base);
    let item = t
        .store()
        .find_aggregated_item(&brest)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.kind, "event");
    let m = t
        .store()
        .find_mission_by_ap_id(&brest)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.url, brest);

    // A reconciliation stops at the first item already known and unchanged: the collection
    // and its first page read, no event fetched again, page 2 never asked for.
    let ctx = t.app.context();
    let relay = t.store().list_sources().await.unwrap().remove(0);
    let before = limiter.seen(host).0;
    let walked = walk(&ctx, &limiter, &relay, Mode::Reconcile).await.unwrap();
    assert!(walked.stopped_at_known && walked.taken == 0, "{walked:?}");
    assert_eq!(limiter.seen(host).0 - before, 2);

    // A narrower territory later: the Brest event, refetched, leaves.
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.federation.allow_private_addresses = true;
    config.aggregator.enabled = true;
    config.aggregator.bbox = vec![-1.8, 48.0, -1.5, 48.2]; // around Rennes
    let rennes_only = TestApp::with_config(config, dir).await;
    let (_, admin) = rennes_only.user("gwen").await;
    add(&rennes_only, &admin, &peer.base).await.expect(201);
    walk_all(&rennes_only).await;
    let titles = remote_titles(&rennes_only).await;
    assert!(
        titles.contains(&"Événement rennes".to_string()),
        "{titles:?}"
    );
    assert!(
        !titles.contains(&"Événement brest".to_string()),
        "{titles:?}"
    );
}

/// The admin page: the list with freshness, the form, and the words in both languages.
#[tokio::test]
async fn the_admin_page_lists_adds_and_removes_sources() {
    let peer = mobilizon();
    let t = aggregator(true).await;
    t.user("gwen").await;
    t.user("camille").await;
    let cookie = t.web_login("gwen", "a long password").await;
    let page = t.get_with("/admin/sources", "cookie", &cookie).await;
    page.expect(200);
    let html = page.text();
    assert!(
        html.contains("Sources de l&#x27;agrégateur") || html.contains("Sources de l'agrégateur")
    );
    assert!(html.contains("<label for=\"target\">"));
    assert!(
        html.contains("<a href=\"/admin/sources\">Sources</a>"),
        "in the menu"
    );
    let token = page.csrf();
    let res = t
        .form(
            "/admin/sources",
            Some(&cookie),
            &[("csrf", &token), ("target", &peer.base)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    let page = t
        .get_with("/admin/sources?done=source_added", "cookie", &cookie)
        .await;
    let html = page.text();
    assert!(html.contains("La source est suivie"), "{html}");
    assert!(
        html.contains("Instance Mobilizon") && html.contains("jamais"),
        "{html}"
    );
    // Nothing there: said next to the field, the page kept.
    let res = t
        .form(
            "/admin/sources",
            Some(&cookie),
            &[("csrf", &token), ("target", "@personne@localhost:1")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text().contains("aria-invalid=\"true\""));
    // In English, and silent once the hour has passed.
    t.clock.advance(Duration::hours(49));
    let english = t
        .send(
            Request::get("/admin/sources")
                .header(header::COOKIE, format!("{cookie}; lang=en"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let html = english.text();
    assert!(
        html.contains("Sources of the aggregator") && html.contains("Silent"),
        "{html}"
    );
    // Removal, then the empty list.
    let id = t.store().list_sources().await.unwrap()[0].id;
    let res = t
        .form(
            &format!("/admin/sources/{id}/remove"),
            Some(&cookie),
            &[("csrf", &token)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text());
    assert!(t.store().list_sources().await.unwrap().is_empty());
    // Not an administrator: refused.
    let other = t.web_login("camille", "a long password").await;
    let page = t.get_with("/admin/sources", "cookie", &other).await;
    assert_eq!(page.status, 403);
}

/// `/relay/current`: pages of 50 full objects, newest change first, ended missions left out.
#[tokio::test]
async fn every_node_serves_its_current_items_in_pages() {
    let t = aggregator(false).await;
    let (_, alice) = t.user("alice").await;
    t.association("epicerie", "alice").await;
    let mut ids = Vec::new();
    for i in 0..60 {
        let body = json!({"title": format!("Mission {i}"), "locality": "Brest",
            "category": "solidarity", "start_time": "2030-03-01T08:00", "end_time": "2030-03-01T12:00"});
        let res = t.publish("epicerie", &alice, &body).await;
        ids.push(res.json()["ap_id"].as_str().unwrap().to_string());
        t.clock.advance(Duration::seconds(1));
    }
    let whole = t.get_with("/relay/current", "accept", AP).await;
    whole.expect(200);
    let whole = whole.json();
    assert_eq!(whole["type"], "OrderedCollection");
    assert_eq!(whole["totalItems"], 60);
    let first = t
        .get_with("/relay/current?page=1", "accept", AP)
        .await
        .json();
    assert_eq!(first["type"], "OrderedCollectionPage");
    let items = first["orderedItems"].as_array().unwrap();
    assert_eq!(items.len(), 50);
    assert_eq!(items[0]["id"], ids[59].as_str(), "newest change first");
    assert_eq!(items[0]["type"], "Event");
    assert_eq!(
        first["next"],
        format!("{}/relay/current?page=2", common::BASE)
    );
    let second = t
        .get_with("/relay/current?page=2", "accept", AP)
        .await
        .json();
    assert_eq!(second["orderedItems"].as_array().unwrap().len(), 10);
    assert!(second.get("next").is_none());
    t.get_with("/relay/current?page=0", "accept", AP)
        .await
        .expect(400);
    // Once they are over, they leave the collection.
    t.clock.advance(Duration::days(60));
    let after = t.get_with("/relay/current", "accept", AP).await.json();
    assert_eq!(after["totalItems"], 0);
}

/// The operator's commands, run by the binary against the node's configuration.
#[test]
fn the_command_line_adds_lists_and_removes_sources() {
    let peer = mobilizon();
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], enabled: bool| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_entraide"))
            .args(args)
            .env("ENTRAIDE__SERVER__PUBLIC_URL", "http://localhost:1")
            .env("ENTRAIDE__SERVER__DATA_DIR", dir.path().join("data"))
            .env("ENTRAIDE__FEDERATION__ALLOW_PRIVATE_ADDRESSES", "true")
            .env(
                "ENTRAIDE__AGGREGATOR__ENABLED",
                if enabled { "true" } else { "false" },
            )
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, out) = run(&["admin", "source", "add", &peer.base], false);
    assert!(!ok && out.contains("not an aggregator"), "{out}");
    let (ok, out) = run(&["admin", "source", "add", &peer.base], true);
    assert!(ok && out.contains("mobilizon"), "{out}");
    let (ok, out) = run(&["admin", "source", "list"], true);
    assert!(ok, "{out}");
    assert!(
        out.contains(&peer.actor("relay").id) && out.contains("walked never"),
        "{out}"
    );
    let (ok, out) = run(&["admin", "source", "remove", &peer.base], true);
    assert!(ok && out.contains("removed"), "{out}");
    let (ok, out) = run(&["admin", "source", "list"], true);
    assert!(ok && !out.contains(&peer.actor("relay").id), "{out}");
}

// Pages: logging in and posting forms as a browser does.
