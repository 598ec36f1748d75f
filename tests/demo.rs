//! `entraide serve --demo` fills an empty node so that every screen shows something: the
//! dashboard's work list has counts, hours are validated, attestations asked (one confirmed),
//! loans are in every state, associations have logos and missions pictures, and volunteers who
//! gave a full name are shown by it, and the coordinator, also a référent, finds two requests
//! for help. On SQLite and PostgreSQL; a second fill adds nothing.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::header;
use common::{PgDb, TestApp};
use entraide::{
    demo,
    service::{self, hours::Period},
};
use std::collections::BTreeSet;

const ASSO: &str = demo::DEMO_ASSOCIATION;
const PAST: &str = demo::DEMO_HISTORY;

/// A page read with the session of `user`.
async fn page_as(t: &TestApp, user: &entraide::domain::account::User, path: &str) -> String {
    let session = service::accounts::open_session(t.store(), user, t.now())
        .await
        .unwrap();
    let req = axum::http::Request::builder()
        .uri(path)
        .header(header::COOKIE, format!("entraide_session={session}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let r = t.send(req).await;
    r.expect(200);
    r.text()
}

async fn filled(t: &TestApp) {
    assert!(demo::fill(&t.app.state).await.unwrap());
    let store = t.store();
    let config = &t.app.state.config;
    let now = t.now();
    let coordinator = store.find_user_by_name("demo").await.unwrap().unwrap();

    // The work lists have something in each line the demo feeds: hours and an attestation to
    // confirm at the friends of the shore, loans to answer, hand over and take back at the
    // épicerie.
    let board =
        |name: &'static str| service::dashboard::board(store, config, &coordinator, name, now);
    let w = board(PAST).await.unwrap().work;
    assert_eq!((w.hours, w.attestations), (2, 1), "{w:?}");
    let w = board(ASSO).await.unwrap().work;
    assert!(w.reservations > 0, "{w:?}");
    assert!(w.pickups > 0, "{w:?}");
    assert!(w.returns > 0, "{w:?}");

    // Validated hours: from the attendance marked on the past slots and one validated entry.
    let validated = Period {
        status: Some("validated".into()),
        ..Default::default()
    };
    let totals = service::hours::totals(store, &coordinator, PAST, &validated)
        .await
        .unwrap();
    // Three presences of three hours (Yann twice, a guest once), and two hours typed by Yann
    // then validated.
    let overall = &totals.report.overall;
    assert_eq!((overall.entries, overall.minutes), (4, 3 * 180 + 120));
    // By full name when given.
    assert!(
        totals
            .report
            .by_volunteer
            .contains_key(demo::DEMO_SECOND_FULL_NAME),
        "{:?}",
        totals.report.by_volunteer.keys()
    );

    // Attestations: one confirmed, one waiting.
    let (_, asked) = service::attestations::of_association(store, &coordinator, PAST)
        .await
        .unwrap();
    let confirmed: Vec<bool> = asked
        .iter()
        .map(|(a, _)| a.confirmed_at.is_some())
        .collect();
    assert!(
        confirmed.contains(&true) && confirmed.contains(&false),
        "{confirmed:?}"
    );

    // Loans of the épicerie's equipment in every state.
    let (_, loans) = service::reservations::of_association(store, &coordinator, ASSO)
        .await
        .unwrap();
    let states: BTreeSet<&str> = loans.iter().map(|r| r.state.as_str()).collect();
    for s in [
        "requested",
        "accepted",
        "picked_up",
        "returned",
        "refused",
        "cancelled",
    ] {
        assert!(states.contains(s), "{s} missing: {states:?}");
    }
    // Each resource has a photo.
    for owner in [ASSO, "repair-cafe-landerneau", "littoral-plouzane"] {
        let (_, resources) = service::resources::of_association(store, owner)
            .await
            .unwrap();
        assert!(!resources.is_empty(), "{owner}");
        for r in &resources {
            let files = service::files::of_resource(store, r.id).await.unwrap();
            assert!(files.iter().any(|f| f.kind == "photo"), "{owner}");
        }
    }

    // The association page shows its logo, which is a JPEG.
    let page = t.get(&format!("/g/{ASSO}")).await;
    page.expect(200);
    assert!(page.text().contains(r#"class="logo""#), "{}", page.text());
    let logo = t.get(&format!("/g/{ASSO}/logo.jpg")).await;
    logo.expect(200);
    assert_eq!(logo.content_type(), "image/jpeg");

    // A mission page shows its picture.
    let missions = store.list_missions(Default::default()).await.unwrap();
    let beach = missions
        .iter()
        .find(|m| m.title.contains("plage du Minou"))
        .unwrap();
    let path = format!("/missions/{}", beach.id);
    let mut r = t.get(&path).await;
    if r.status == 303 || r.status == 302 {
        let to = r.headers[header::LOCATION.as_str()]
            .to_str()
            .unwrap()
            .to_string();
        r = t.get(&to).await;
    }
    r.expect(200);
    // (The page escapes `/` as `&#x2f;`.)
    let picture = format!("/missions/{}/picture.jpg", beach.id);
    let html = r.text().replace("&#x2f;", "/");
    assert!(
        html.contains(&format!(r#"class="mission-picture" src="{picture}?v="#)),
        "{html}"
    );
    let jpeg = t.get(&picture).await;
    jpeg.expect(200);
    assert_eq!(jpeg.content_type(), "image/jpeg");

    // The dashboard names the volunteer who gave a full name by it (signed up for the coming
    // beach cleaning), and the hours page too.
    let html = page_as(t, &coordinator, &format!("/g/{PAST}/dashboard")).await;
    assert!(html.contains(demo::DEMO_SECOND_FULL_NAME), "{html}");
    let html = page_as(t, &coordinator, &format!("/g/{PAST}/hours")).await;
    assert!(html.contains(demo::DEMO_SECOND_FULL_NAME), "{html}");
    // Camille, whom the tests of a real demo node follow from her first step, did nothing yet.
    let camille = store
        .find_user_by_name(demo::DEMO_VOLUNTEER)
        .await
        .unwrap()
        .unwrap();
    assert!(service::slots::of_user(store, camille.id)
        .await
        .unwrap()
        .is_empty());

    // The coordinator is also a référent: two people asked for help, one to be called back
    // (no email), one by email; the référents' list shows both, new.
    let html = page_as(t, &coordinator, "/help/requests").await;
    for name in ["Monique", "Jean"] {
        assert!(html.contains(name), "{html}");
    }
    // Camille is not a référent: the list is not hers to see.
    let session = service::accounts::open_session(store, &camille, now)
        .await
        .unwrap();
    let req = axum::http::Request::builder()
        .uri("/help/requests")
        .header(header::COOKIE, format!("entraide_session={session}"))
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(t.send(req).await.status, 403);

    // A second fill adds nothing.
    assert!(!demo::fill(&t.app.state).await.unwrap());
    let (_, again) = service::reservations::of_association(store, &coordinator, ASSO)
        .await
        .unwrap();
    assert_eq!(again.len(), loans.len());
}

#[tokio::test]
async fn the_demo_shows_every_screen_on_sqlite() {
    filled(&TestApp::new().await).await;
}

#[tokio::test]
async fn the_demo_shows_every_screen_on_postgres() {
    let Some(db) = PgDb::fresh("demo::every_screen").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.database.url = db.url.clone();
    filled(&TestApp::with_config(config, dir).await).await;
}

/// A login through the API: the status, and the token when it went through.
async fn api_login(t: &TestApp, name: &str, password: &str) -> (u16, Option<String>) {
    let body = serde_json::json!({"username": name, "password": password});
    let res = t
        .api(
            axum::http::Method::POST,
            "/api/v1/auth/token",
            None,
            Some(&body),
        )
        .await;
    let token =
        (res.status.as_u16() == 201).then(|| res.json()["token"].as_str().unwrap().to_string());
    (res.status.as_u16(), token)
}

/// The published demo password opens no door on a real node: the demo accounts are never
/// administrators (even as the node's first accounts), and a start without `--demo` takes the
/// demo password from them (their sessions and tokens end); `--demo` again gives it back. An
/// account that merely has a demo name is left alone.
#[tokio::test]
async fn the_demo_password_works_only_while_the_node_runs_the_demo() {
    let t = TestApp::new().await;
    assert_eq!(t.store().count_users().await.unwrap(), 0, "a fresh node");
    demo::start(&t.app.state, true).await.unwrap();
    let names = ["demo", demo::DEMO_VOLUNTEER, demo::DEMO_SECOND_VOLUNTEER];
    for name in names {
        let user = t.store().find_user_by_name(name).await.unwrap().unwrap();
        assert!(!user.is_admin, "{name} is no administrator");
    }
    let (status, token) = api_login(&t, "demo", demo::DEMO_PASSWORD).await;
    assert_eq!(status, 201);
    let token = token.unwrap();
    let me = |token: String| {
        let t = &t;
        async move {
            t.api(axum::http::Method::GET, "/api/v1/me", Some(&token), None)
                .await
                .status
                .as_u16()
        }
    };
    assert_eq!(me(token.clone()).await, 200);
    // Someone with their own password.
    t.user("sam").await;

    // Started again without `--demo`.
    demo::start(&t.app.state, false).await.unwrap();
    for name in names {
        let (status, _) = api_login(&t, name, demo::DEMO_PASSWORD).await;
        assert_eq!(status, 401, "{name} no longer opens with the demo password");
    }
    assert_eq!(me(token).await, 401, "the demo's tokens end");
    assert_eq!(api_login(&t, "sam", "a long password").await.0, 201);

    // `--demo` again: the demo opens again (nothing else added).
    demo::start(&t.app.state, true).await.unwrap();
    assert_eq!(api_login(&t, "demo", demo::DEMO_PASSWORD).await.0, 201);
}
