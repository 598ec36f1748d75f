//! A person's data (issue 14), in process: the export read back from its zip archive, the
//! deletion of an account (totals that add up before and after, places freed, tokens and
//! sessions gone, refusals that change nothing), the pages, and a remote account's deletion
//! of itself.

#![allow(clippy::unwrap_used)]

mod common;

use axum::{
    body::Body,
    http::{header, Method, Request},
};
use chrono::Duration;
use common::TestApp;
use entraide::{domain::account::Role, service::accounts, storage::Erasure};
use serde_json::{json, Value};
use std::io::{Cursor, Read};

const ASSO: &str = "/api/v1/associations/epicerie";

/// alice owns "epicerie"; bob (password "a long password") is signed up to a slot to come,
/// has 2 h 30 validated and 1 h waiting, an attestation, a calendar address and a profile.
struct Scene {
    t: TestApp,
    alice: String,
    bob: String,
    bob_id: i64,
    slot: Value,
    participation_id: i64,
}

async fn scene() -> Scene {
    let t = TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    let (bob_user, bob) = t.user("bob").await;
    t.association("epicerie", "alice").await;
    let day = |d: i64| (t.now() + Duration::days(d)).format("%Y-%m-%d").to_string();
    let mission = t
        .api(
            Method::POST,
            "/api/v1/associations/epicerie/missions",
            Some(&alice),
            Some(&json!({
                "title": "Distribution du samedi", "locality": "Brest", "category": "solidarity",
                "join_mode": "free", "start_time": format!("{}T08:00", day(20)),
                "end_time": format!("{}T20:00", day(40))
            })),
        )
        .await;
    mission.expect(201);
    let mission = mission.json();
    let slots = t
        .api(
            Method::POST,
            &format!("/api/v1/missions/{}/slots", mission["id"]),
            Some(&alice),
            Some(
                &json!({"slots": [{"start_time": format!("{}T09:00", day(21)),
                                     "end_time": format!("{}T12:00", day(21)), "capacity": 3}]}),
            ),
        )
        .await;
    slots.expect(201);
    let slot = slots.json()["slots"][0].clone();
    let signed = t
        .api(
            Method::POST,
            &format!("/api/v1/slots/{}/participations", slot["id"]),
            Some(&bob),
            Some(&json!({"message": "Je serai là"})),
        )
        .await;
    signed.expect(201);
    let participation_id = signed.json()["id"].as_i64().unwrap();
    // Hours: alice records 2 h 30 for bob (validated), bob logs 1 h himself (waiting).
    t.api(
        Method::POST,
        &format!("{ASSO}/hours"),
        Some(&alice),
        Some(&json!({"user": "bob", "date": day(-10), "minutes": 150, "category": "solidarity"})),
    )
    .await
    .expect(201);
    t.api(
        Method::POST,
        &format!("{ASSO}/hours"),
        Some(&alice),
        Some(&json!({"guest_name": "Jeanne", "date": day(-9), "minutes": 45, "category": "solidarity"})),
    )
    .await
    .expect(201);
    t.api(
        Method::POST,
        "/api/v1/me/hours",
        Some(&bob),
        Some(&json!({"association": "epicerie", "date": day(-8), "minutes": 60})),
    )
    .await
    .expect(201);
    t.api(
        Method::POST,
        "/api/v1/me/attestations",
        Some(&bob),
        Some(&json!({"association": "epicerie", "from": day(-30), "to": day(-1)})),
    )
    .await
    .expect(201);
    t.api(Method::POST, "/api/v1/me/calendar-token", Some(&bob), None)
        .await;
    t.api(
        Method::PUT,
        "/api/v1/me/profile",
        Some(&bob),
        Some(&json!({"skills": ["cuisine"], "home_town": "Brest"})),
    )
    .await
    .expect(200);
    Scene {
        t,
        alice,
        bob,
        bob_id: bob_user.id,
        slot,
        participation_id,
    }
}

fn unzip(bytes: &[u8]) -> zip::ZipArchive<Cursor<Vec<u8>>> {
    zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("a zip archive")
}

fn read(archive: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the archive"))
        .read_to_end(&mut out)
        .unwrap();
    out
}

async fn remaining(t: &TestApp, slot: &Value) -> i64 {
    let list = t
        .get(&format!("/api/v1/missions/{}/slots", slot["mission_id"]))
        .await
        .json();
    list["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == slot["id"])
        .unwrap()["remaining"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn the_export_holds_everything_and_no_secret() {
    let s = scene().await;
    let t = &s.t;
    assert_eq!(
        t.api(Method::GET, "/api/v1/me/export", None, None)
            .await
            .status
            .as_u16(),
        401
    );
    let res = t
        .api(Method::GET, "/api/v1/me/export", Some(&s.bob), None)
        .await;
    res.expect(200);
    assert_eq!(res.content_type(), "application/zip");
    let mut zip = unzip(&res.body);
    let data: Value = serde_json::from_slice(&read(&mut zip, "data.json")).unwrap();
    assert_eq!(data["format"], "entraide-personal-data/1");
    assert_eq!(data["account"]["name"], "bob");
    assert_eq!(data["account"]["actor"], "http://localhost:8080/u/bob");
    assert!(data["account"]["created_at"].is_string());
    assert_eq!(data["profile"]["skills"][0], "cuisine");
    let sign_ups = data["sign_ups"].as_array().unwrap();
    assert_eq!(sign_ups.len(), 1);
    assert_eq!(sign_ups[0]["participation"]["message"], "Je serai là");
    assert_eq!(sign_ups[0]["slot"]["id"], s.slot["id"]);
    assert_eq!(sign_ups[0]["mission"]["title"], "Distribution du samedi");
    assert_eq!(sign_ups[0]["mission"]["association"], "epicerie");
    let hours = data["hours"].as_array().unwrap();
    let mut minutes: Vec<i64> = hours
        .iter()
        .map(|h| h["minutes"].as_i64().unwrap())
        .collect();
    minutes.sort_unstable();
    assert_eq!(minutes, vec![60, 150], "bob's own entries, not Jeanne's");
    assert_eq!(data["attestations"].as_array().unwrap().len(), 1);
    assert!(data["calendar_token_created"].is_string());
    let tokens = data["api_tokens"].as_array().unwrap();
    assert_eq!(tokens[0]["label"], "tests");
    // Never a secret.
    let text = String::from_utf8(read(&mut zip, "data.json")).unwrap();
    assert!(!text.contains(&s.bob), "the token itself");
    for secret in ["password", "argon2", "token_hash"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // The documents: the attestation as a PDF, the hours as CSV.
    let attestation = data["attestations"][0]["document"]
        .as_str()
        .unwrap()
        .to_string();
    let pdf = read(&mut zip, &attestation);
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let csv = String::from_utf8(read(&mut zip, "documents/hours.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3, "a header and two entries: {csv}");
    let listed: Vec<&str> = data["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert_eq!(listed, vec![attestation.as_str(), "documents/hours.csv"]);
    assert_eq!(zip.len(), 3);
}

#[tokio::test]
async fn deleting_an_account_erases_the_person_and_keeps_the_totals() {
    let s = scene().await;
    let t = &s.t;
    let totals = || async {
        let r = t
            .api(
                Method::GET,
                &format!("{ASSO}/hours/totals"),
                Some(&s.alice),
                None,
            )
            .await;
        r.expect(200);
        r.json()
    };
    let before = totals().await;
    assert_eq!(before["overall"]["minutes"], 195);
    assert_eq!(remaining(t, &s.slot).await, 2);

    // A wrong password: 403, said plainly, nothing deleted.
    let wrong = t
        .api(
            Method::DELETE,
            "/api/v1/me",
            Some(&s.bob),
            Some(&json!({"password": "not it"})),
        )
        .await;
    wrong.expect(403);
    assert_eq!(wrong.json()["error"], "wrong_password");
    assert!(wrong.json()["message"]
        .as_str()
        .unwrap()
        .contains("nothing was deleted"));
    t.api(Method::GET, "/api/v1/me", Some(&s.bob), None)
        .await
        .expect(200);
    // No password at all: the body is refused, nothing deleted.
    t.api(Method::DELETE, "/api/v1/me", Some(&s.bob), Some(&json!({})))
        .await
        .expect(422);

    let session = accounts::open_session(
        t.store(),
        &t.store().get_user(s.bob_id).await.unwrap(),
        t.now(),
    )
    .await
    .unwrap();
    let done = t
        .api(
            Method::DELETE,
            "/api/v1/me",
            Some(&s.bob),
            Some(&json!({"password": "a long password"})),
        )
        .await;
    done.expect(200);
    let body = done.json();
    assert_eq!(body["withdrawn"], 1);
    assert_eq!(body["hours_kept"], 1);
    assert_eq!(body["hours_removed"], 1);

    // The place is free again; the worker tells nobody (there is nobody left to tell).
    assert_eq!(remaining(t, &s.slot).await, 3);
    entraide::federation::outbox::run_once(&t.app.context())
        .await
        .unwrap();
    let notices = t
        .store()
        .list_notifications(Some(s.participation_id), 10)
        .await
        .unwrap();
    assert!(notices.iter().all(|n| n.kind != "withdrawn"), "{notices:?}");
    // The association's totals add up as before: bob's validated 2 h 30 stay, nameless.
    let after = totals().await;
    assert_eq!(after["overall"], before["overall"]);
    let names: Vec<&str> = after["by_volunteer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["volunteer"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"bob"), "{names:?}");
    assert!(
        names
            .iter()
            .any(|n| n.contains("bénévole") || n.contains("volunteer")),
        "{names:?}"
    );
    let csv = t
        .api(
            Method::GET,
            &format!("{ASSO}/hours/export.csv"),
            Some(&s.alice),
            None,
        )
        .await;
    csv.expect(200);
    let csv = csv.text();
    assert!(!csv.contains("bob"), "{csv}");
    assert!(
        csv.contains("former volunteer"),
        "the API's CSV is in English: {csv}"
    );

    // The token, the session, the calendar address are gone; the password no longer works.
    t.api(Method::GET, "/api/v1/me", Some(&s.bob), None)
        .await
        .expect(401);
    assert_eq!(
        accounts::user_by_session(t.store(), &session, t.now())
            .await
            .unwrap(),
        None
    );
    assert!(accounts::authenticate(t.store(), "bob", "a long password")
        .await
        .is_err());
    let tomb = t.store().get_user(s.bob_id).await.unwrap();
    assert_eq!((tomb.email, tomb.password_hash), (None, None));
    assert_eq!(t.store().get_profile(s.bob_id).await.unwrap(), None);
    // The name stays reserved: nobody takes over the address.
    assert!(accounts::create_user(
        t.store(),
        common::BASE,
        common::HOST,
        "bob",
        None,
        Some("another long password"),
        t.now()
    )
    .await
    .is_err());
    // The fediverse identity answers 410 and leaves WebFinger.
    let actor = t
        .get_with("/u/bob", "accept", "application/activity+json")
        .await;
    actor.expect(410);
    assert_eq!(actor.json()["type"], "Tombstone");
    t.get("/.well-known/webfinger?resource=acct:bob@localhost:8080")
        .await
        .expect(404);
}

#[tokio::test]
async fn the_last_coordinator_is_asked_to_name_another_first() {
    let s = scene().await;
    let t = &s.t;
    let alice_token = s.alice.clone();
    let refused = t
        .api(
            Method::DELETE,
            "/api/v1/me",
            Some(&alice_token),
            Some(&json!({"password": "a long password"})),
        )
        .await;
    refused.expect(409);
    assert_eq!(refused.json()["error"], "last_coordinator");
    let message = refused.json()["message"].as_str().unwrap().to_string();
    assert!(
        message.contains("epicerie") && message.contains("another coordinator"),
        "{message}"
    );
    t.api(Method::GET, "/api/v1/me", Some(&alice_token), None)
        .await
        .expect(200);
    // Once bob coordinates too, alice may go; the association keeps its coordinator.
    accounts::set_role(t.store(), "epicerie", "bob", Role::Coordinator)
        .await
        .unwrap();
    t.api(
        Method::DELETE,
        "/api/v1/me",
        Some(&alice_token),
        Some(&json!({"password": "a long password"})),
    )
    .await
    .expect(200);
    assert!(matches!(
        t.store().erase_user(s.bob_id, t.now()).await.unwrap(),
        Erasure::LastCoordinator(_)
    ));
    // A deleted account takes no role any more.
    assert!(
        accounts::set_role(t.store(), "epicerie", "alice", Role::Coordinator)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_pages_export_and_delete() {
    let s = scene().await;
    let t = &s.t;
    let user = t.store().get_user(s.bob_id).await.unwrap();
    let session = accounts::open_session(t.store(), &user, t.now())
        .await
        .unwrap();
    let cookie = format!("entraide_session={session}");
    let page = t.get_with("/me/data", "cookie", &cookie).await;
    page.expect(200);
    let html = page.text();
    assert!(
        html.contains("Mes données") && html.contains("Supprimer mon compte"),
        "{html}"
    );
    assert!(
        html.contains("href=\"/me/data\" aria-current=\"page\""),
        "in the menu"
    );
    let csrf = common::csrf_in(&html);
    // Logged out: the login page, coming back here.
    let anonymous = t.get("/me/data").await;
    assert!(anonymous.status.is_redirection() || anonymous.status.as_u16() == 401);

    let export = t.get_with("/me/data/export", "cookie", &cookie).await;
    export.expect(200);
    let mut zip = unzip(&export.body);
    let data: Value = serde_json::from_slice(&read(&mut zip, "data.json")).unwrap();
    assert_eq!(data["account"]["language"], "fr");

    let post = |password: &str| {
        let body = format!("csrf={csrf}&password={password}");
        Request::post("/me/delete")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let wrong = t.send(post("faux")).await;
    wrong.expect(403);
    assert!(wrong.text().contains("pas le mot de passe de votre compte"));
    let done = t.send(post("a+long+password")).await;
    done.expect(200);
    assert!(done.text().contains("Compte supprimé"), "{}", done.text());
    // The page that says so is a logged-out page: no menu of the account just deleted.
    assert!(
        !done.text().contains(r#"action="/logout""#) && !done.text().contains("/me/slots"),
        "{}",
        done.text()
    );
    assert!(done
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|c| c.to_str().unwrap().contains("Max-Age=0")));
    assert_eq!(remaining(t, &s.slot).await, 3);
    assert_eq!(
        accounts::user_by_session(t.store(), &session, t.now())
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn the_privacy_page_says_what_is_kept_in_both_languages() {
    let t = TestApp::new().await;
    let fr = t.get("/privacy").await;
    fr.expect(200);
    let text = fr.text();
    assert!(
        text.contains("Vie privée") && text.contains("30 jours"),
        "{text}"
    );
    let en = t.get("/privacy?lang=en").await;
    en.expect(200);
    assert!(en.text().contains("Privacy") && en.text().contains("kept 30 days"));
    // Linked from every page's footer.
    assert!(t.get("/").await.text().contains("href=\"/privacy\""));
}
