//! "Aidez-moi à trouver" (issue 16): anyone asks for help from the home page; the node's
//! référents (named by an administrator) see the requests, take one, note their calls and
//! propose missions ranked by the matching; the person gets an email with one-click links that
//! lead to the mission's slot (through registration when they have no account). Requests are
//! for référents only, braked like registrations, purged after the node's retention, exported
//! and erased with the account. A person who chose SMS gets the links by SMS (the fake gateway
//! of `tests/sms_support`), under the node's daily cap, until they reply STOP.

#![allow(clippy::unwrap_used)]

mod common;
mod sms_support;

use axum::http::Method;
use chrono::Duration;
use common::{TestApp, BASE};
use serde_json::{json, Value};

/// A node with an association and a mission in Brest with one slot; alice (the first user)
/// administers the node, carla will be a référent, bob is a volunteer.
struct Scene {
    t: TestApp,
    carla: String,
    mission_id: i64,
    slot_id: i64,
}

async fn scene() -> Scene {
    scene_on(TestApp::new().await).await
}

async fn scene_on(t: TestApp) -> Scene {
    let (_, alice) = t.user("alice").await;
    let (_, carla) = t.user("carla").await;
    t.user("bob").await;
    t.association("epicerie", "alice").await;
    let m = t
        .publish(
            "epicerie",
            &alice,
            &json!({
                "title": "Distribution de colis",
                "description": "Préparer et distribuer les colis.",
                "category": "solidarity",
                "locality": "Brest",
                "start_time": "2030-06-14T09:00:00+02:00",
                "end_time": "2030-06-14T12:00:00+02:00",
                "capacity": 8
            }),
        )
        .await
        .json();
    let path = format!("/api/v1/missions/{}/slots", m["id"]);
    let body = json!({"slots": [{"start_time": "2030-06-14T09:00:00+02:00",
        "end_time": "2030-06-14T12:00:00+02:00", "capacity": 4}]});
    let res = t.api(Method::POST, &path, Some(&alice), Some(&body)).await;
    res.expect(201);
    let slot_id = res.json()["slots"][0]["id"].as_i64().unwrap();
    Scene {
        t,
        carla,
        mission_id: m["id"].as_i64().unwrap(),
        slot_id,
    }
}

const FORM: [(&str, &str); 8] = [
    ("help_name", "Maryvonne"),
    ("help_wishes", "Aider à l'épicerie solidaire"),
    ("interests", "solidarity"),
    ("availability", "4-morning"),
    ("help_when_note", "le vendredi matin"),
    ("home_town", "Brest"),
    ("help_email", "maryvonne@example.org"),
    ("help_consent", "true"),
];

async fn ask(t: &TestApp, fields: &[(&str, &str)]) -> common::Resp {
    t.form("/help", None, fields).await
}

async fn make_referent(t: &TestApp, name: &str) {
    let cookie = t.web_login("alice", "a long password").await;
    let page = t.get_with("/admin/referents", "cookie", &cookie).await;
    page.expect(200);
    let csrf = page.csrf();
    let res = t
        .form(
            "/admin/referents/add",
            Some(&cookie),
            &[("csrf", csrf.as_str()), ("name", name)],
        )
        .await;
    res.expect(303);
    let page = t.get_with("/admin/referents", "cookie", &cookie).await;
    assert!(page.text().contains(name), "{}", page.text());
}

async fn only_request(t: &TestApp, token: &str) -> Value {
    let res = t
        .api(Method::GET, "/api/v1/help/requests", Some(token), None)
        .await;
    res.expect(200);
    res.json()["requests"][0].clone()
}

#[tokio::test]
async fn a_visitor_asks_and_a_referent_proposes_a_mission_by_email() {
    let s = scene().await;
    let t = &s.t;
    let home = t.get("/").await;
    assert!(home.text().contains(r#"href="/help""#), "{}", home.text());
    let form = t.get("/help").await;
    form.expect(200);
    assert!(form.text().contains("Aidez-moi à trouver une mission"));
    let sent = ask(t, &FORM).await;
    sent.expect(200);
    assert!(sent.text().contains("Demande envoyée"), "{}", sent.text());

    // Not yet a référent: nothing to see.
    t.api(Method::GET, "/api/v1/help/requests", Some(&s.carla), None)
        .await
        .expect(403);
    t.api(Method::GET, "/api/v1/help/requests", None, None)
        .await
        .expect(401);
    make_referent(t, "carla").await;
    let r = only_request(t, &s.carla).await;
    assert_eq!(r["name"], "Maryvonne");
    assert_eq!(r["state"], "new");
    assert_eq!(r["channel"], "email");
    assert_eq!(r["commune"], "Brest (29)");
    let id = r["id"].as_i64().unwrap();

    let cookie = t.web_login("carla", "a long password").await;
    let list = t.get_with("/help/requests", "cookie", &cookie).await;
    list.expect(200);
    assert!(list.text().contains("Maryvonne") && list.text().contains("nouvelle"));
    let page = t
        .get_with(&format!("/help/requests/{id}"), "cookie", &cookie)
        .await;
    page.expect(200);
    assert!(
        page.text().contains("Distribution de colis"),
        "the matching ranks the mission: {}",
        page.text()
    );
    let csrf = page.csrf();
    let took = t
        .form(
            &format!("/help/requests/{id}/state"),
            Some(&cookie),
            &[("csrf", csrf.as_str()), ("to", "in_progress")],
        )
        .await;
    took.expect(303);
    let noted = t
        .form(
            &format!("/help/requests/{id}/notes"),
            Some(&cookie),
            &[("csrf", csrf.as_str()), ("body", "Appelée, intéressée")],
        )
        .await;
    noted.expect(303);
    let mission = s.mission_id.to_string();
    let proposed = t
        .form(
            &format!("/help/requests/{id}/propose"),
            Some(&cookie),
            &[("csrf", csrf.as_str()), ("missions", mission.as_str())],
        )
        .await;
    proposed.expect(200);
    let html = proposed.html();
    let link_start = html.find(&format!("{BASE}/help/go/")).unwrap();
    let link: String = html[link_start..]
        .chars()
        .take_while(|c| *c != '"' && *c != '<')
        .collect();

    // The email carries the same link.
    let emails = t.store().list_notifications(None, 10).await.unwrap();
    let mail = emails.iter().find(|n| n.kind == "help_proposal").unwrap();
    assert_eq!(mail.recipient, "maryvonne@example.org");
    assert!(mail.body_text.contains(&link), "{}", mail.body_text);
    assert!(mail.body_text.contains("Distribution de colis"));

    // The API shows the note, the proposal and the state.
    let file = t
        .api(
            Method::GET,
            &format!("/api/v1/help/requests/{id}"),
            Some(&s.carla),
            None,
        )
        .await;
    file.expect(200);
    let file = file.json();
    assert_eq!(file["request"]["state"], "in_progress");
    assert_eq!(file["request"]["referent"], "carla");
    assert_eq!(file["notes"][0]["body"], "Appelée, intéressée");
    assert_eq!(file["proposals"][0]["mission_id"], s.mission_id);
    assert_eq!(file["ranked"][0]["mission_id"], s.mission_id);

    // Without an account, the link goes through registration and back to the slot.
    let path = link.strip_prefix(BASE).unwrap();
    let anonymous = t.get(path).await;
    anonymous.expect(303);
    let to = anonymous.headers["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/register?next="), "{to}");
    assert!(to.contains(&format!("slot-{}", s.slot_id)), "{to}");
    // Logged in, straight to the slot with its button.
    let bob = t.web_login("bob", "a long password").await;
    let went = t.get_with(path, "cookie", &bob).await;
    went.expect(303);
    let to = went.headers["location"].to_str().unwrap();
    assert!(to.ends_with(&format!("#slot-{}", s.slot_id)), "{to}");
    // An unknown link says so.
    assert_eq!(t.get("/help/go/nothing").await.status.as_u16(), 410);
}

#[tokio::test]
async fn a_refused_request_names_each_field_and_keeps_what_was_typed() {
    let s = scene().await;
    let res = ask(
        &s.t,
        &[("help_name", "Yann"), ("home_town", "Nulle-part-sur-Mer")],
    )
    .await;
    res.expect(422);
    let text = res.html();
    for words in [
        "Dites ce que vous aimeriez faire",
        "Donnez un numéro de téléphone ou une adresse e-mail",
        "Cochez la case pour accepter d'être contacté·e",
        "Nulle-part-sur-Mer",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
    assert!(text.contains(r#"value="Yann""#), "{text}");
    assert!(s
        .t
        .store()
        .list_help_requests(None)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_phone_only_request_shows_the_links_to_read_out_and_sends_no_email() {
    let s = scene().await;
    let t = &s.t;
    let mut fields: Vec<(&str, &str)> = FORM
        .iter()
        .copied()
        .filter(|(k, _)| *k != "help_email")
        .collect();
    fields.push(("help_phone", "06 12 34 56 78"));
    ask(t, &fields).await.expect(200);
    make_referent(t, "carla").await;
    let id = only_request(t, &s.carla).await["id"].as_i64().unwrap();
    let res = t
        .api(
            Method::POST,
            &format!("/api/v1/help/requests/{id}/proposals"),
            Some(&s.carla),
            Some(&json!({"missions": [s.mission_id]})),
        )
        .await;
    res.expect(201);
    let body = res.json();
    assert_eq!(body["emailed"], false);
    assert_eq!(body["channel"], "phone");
    assert_eq!(body["phone"], "06 12 34 56 78");
    assert!(body["links"][0]["link"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{BASE}/help/go/")));
    let emails = t.store().list_notifications(None, 10).await.unwrap();
    assert!(emails.iter().all(|n| n.kind != "help_proposal"));
    // The request was taken by proposing; a second take is refused.
    let again = t
        .api(
            Method::POST,
            &format!("/api/v1/help/requests/{id}/state"),
            Some(&s.carla),
            Some(&json!({"state": "in_progress"})),
        )
        .await;
    again.expect(409);
    // Nothing proposed, or an unknown mission: 422 naming the field.
    for missions in [json!([]), json!([999999])] {
        let bad = t
            .api(
                Method::POST,
                &format!("/api/v1/help/requests/{id}/proposals"),
                Some(&s.carla),
                Some(&json!({ "missions": missions })),
            )
            .await;
        bad.expect(422);
        assert!(
            bad.json()["fields"]["missions"].is_string(),
            "{}",
            bad.text()
        );
    }
}

/// A node whose SMS go to the fake gateway, `daily_cap` parts a day for the node.
async fn sms_scene(gateway: &sms_support::FakeGateway, daily_cap: i64) -> Scene {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    gateway.configure(&mut config);
    config.sms.daily_cap_default = daily_cap;
    scene_on(TestApp::with_config(config, dir).await).await
}

async fn propose_api(s: &Scene, id: i64) -> Value {
    let res =
        s.t.api(
            Method::POST,
            &format!("/api/v1/help/requests/{id}/proposals"),
            Some(&s.carla),
            Some(&json!({"missions": [s.mission_id]})),
        )
        .await;
    res.expect(201);
    res.json()
}

fn by(channel: &str, phone: &str) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&str, String)> = FORM
        .iter()
        .filter(|(k, _)| *k != "help_email")
        .map(|(k, v)| (*k, v.to_string()))
        .collect();
    fields.push(("help_phone", phone.into()));
    fields.push(("help_channel", channel.into()));
    fields
}

async fn ask_by(t: &TestApp, channel: &str, phone: &str) -> common::Resp {
    let fields = by(channel, phone);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    ask(t, &pairs).await
}

#[tokio::test]
async fn a_person_who_chose_sms_gets_the_links_by_sms_once_until_stop() {
    let gateway = sms_support::FakeGateway::start().await;
    let s = sms_scene(&gateway, 200).await;
    let t = &s.t;
    let form = t.get("/help").await;
    assert!(form.text().contains(r#"value="sms""#), "{}", form.text());
    ask_by(t, "sms", "06 12 34 56 78").await.expect(200);
    make_referent(t, "carla").await;
    let r = only_request(t, &s.carla).await;
    assert_eq!(
        (r["channel"].as_str(), r["phone"].as_str()),
        (Some("sms"), Some("+33612345678"))
    );
    let id = r["id"].as_i64().unwrap();

    let body = propose_api(&s, id).await;
    assert_eq!(
        (body["texted"].as_bool(), body["emailed"].as_bool()),
        (Some(true), Some(false))
    );
    let link = body["links"][0]["link"].as_str().unwrap().to_string();
    // Sent by the SMS sender, once, whatever runs after.
    for _ in 0..2 {
        entraide::notify::sms::run_once(&t.app.context())
            .await
            .unwrap();
    }
    let sent = gateway.accepted();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].0, "+33612345678");
    assert!(sent[0].1.contains(&link), "{}", sent[0].1);
    assert!(
        sent[0].1.contains("Distribution de colis") && sent[0].1.contains("STOP"),
        "{}",
        sent[0].1
    );
    assert!(t
        .store()
        .list_notifications(None, 10)
        .await
        .unwrap()
        .iter()
        .all(|n| n.kind != "help_proposal"));
    // The référent's page says an SMS left.
    let cookie = t.web_login("carla", "a long password").await;
    let page = t
        .get_with(&format!("/help/requests/{id}"), "cookie", &cookie)
        .await;
    let csrf = page.csrf();
    let mission = s.mission_id.to_string();
    let proposed = t
        .form(
            &format!("/help/requests/{id}/propose"),
            Some(&cookie),
            &[("csrf", csrf.as_str()), ("missions", mission.as_str())],
        )
        .await;
    proposed.expect(200);
    assert!(
        proposed.text().contains("Un SMS part avec ces liens"),
        "{}",
        proposed.text()
    );
    entraide::notify::sms::run_once(&t.app.context())
        .await
        .unwrap();
    assert_eq!(gateway.accepted().len(), 2);

    // STOP forwarded by the gateway: called from now on, no SMS.
    let stop = json!({"from": "+33612345678", "text": "STOP"});
    t.api(
        Method::POST,
        "/api/v1/sms/inbound",
        Some("replies-secret"),
        Some(&stop),
    )
    .await
    .expect(200);
    assert_eq!(only_request(t, &s.carla).await["channel"], "phone");
    let body = propose_api(&s, id).await;
    assert_eq!(body["texted"], false);
    entraide::notify::sms::run_once(&t.app.context())
        .await
        .unwrap();
    assert_eq!(gateway.accepted().len(), 2);
}

#[tokio::test]
async fn no_sms_without_the_choice_nor_past_the_nodes_cap() {
    let gateway = sms_support::FakeGateway::start().await;
    // One part a day: the first proposal takes more (a link is long), so it is capped.
    let s = sms_scene(&gateway, 1).await;
    let t = &s.t;
    make_referent(t, "carla").await;
    // A call was chosen with the same mobile: no SMS, the links to read out.
    ask_by(t, "phone", "06 12 34 56 78").await.expect(200);
    let id = only_request(t, &s.carla).await["id"].as_i64().unwrap();
    let body = propose_api(&s, id).await;
    assert_eq!(
        (body["texted"].as_bool(), body["channel"].as_str()),
        (Some(false), Some("phone"))
    );
    // SMS chosen, but past the node's daily cap: kept as capped, the référent calls.
    ask_by(t, "sms", "06 98 76 54 32").await.expect(200);
    let id = only_request(t, &s.carla).await["id"].as_i64().unwrap();
    let body = propose_api(&s, id).await;
    assert_eq!(body["texted"], false);
    entraide::notify::sms::run_once(&t.app.context())
        .await
        .unwrap();
    assert!(gateway.sms().is_empty());
    let held = t.store().sms_to("+33698765432", 10).await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].status, "capped");
    assert!(held[0].parts > 1, "{held:?}");
    // A number that cannot be valid is refused for SMS; so is SMS on a node that sends none.
    let res = ask_by(t, "sms", "06 00 00 00 0").await;
    res.expect(422);
    let plain = scene().await;
    assert!(!plain.t.get("/help").await.text().contains(r#"value="sms""#));
    let res = ask_by(&plain.t, "sms", "06 12 34 56 78").await;
    res.expect(422);
    assert!(plain
        .t
        .store()
        .list_help_requests(None)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn requests_are_braked_per_contact_like_registrations() {
    let s = scene().await;
    for _ in 0..3 {
        ask(&s.t, &FORM).await.expect(200);
    }
    let braked = ask(&s.t, &FORM).await;
    braked.expect(429);
    assert!(braked.headers.contains_key("retry-after"));
    assert_eq!(s.t.store().list_help_requests(None).await.unwrap().len(), 3);
}

#[tokio::test]
async fn requests_are_purged_after_the_retention_exported_and_erased_with_the_account() {
    let s = scene().await;
    let t = &s.t;
    // Bob asks while logged in: his request is in his export.
    let bob = t.web_login("bob", "a long password").await;
    let csrf = t.get_with("/help", "cookie", &bob).await.csrf();
    let mut fields = FORM.to_vec();
    fields.push(("csrf", csrf.as_str()));
    t.form("/help", Some(&bob), &fields).await.expect(200);
    // Without the form's token, nothing is done.
    t.form("/help", Some(&bob), &FORM).await.expect(403);
    let user = t.store().find_user_by_name("bob").await.unwrap().unwrap();
    let data = entraide::service::privacy::personal_data(
        t.store(),
        &t.app.state.config,
        &user,
        "fr",
        t.now(),
    )
    .await
    .unwrap();
    assert_eq!(data.help_requests.len(), 1);
    assert_eq!(data.help_requests[0].name, "Maryvonne");

    // Erasing an account erases what it asked, and its référent role.
    make_referent(t, "bob").await;
    t.store().erase_user(user.id, t.now()).await.unwrap();
    assert!(t
        .store()
        .help_requests_of_user(user.id)
        .await
        .unwrap()
        .is_empty());
    assert!(t.store().list_help_requests(None).await.unwrap().is_empty());
    assert!(!t.store().is_referent(user.id).await.unwrap());

    // Requests are kept 12 months after their last change, then purged by the hourly pass.
    ask(t, &FORM).await.expect(200);
    t.clock.advance(Duration::days(200));
    let mut later = FORM.to_vec();
    later.push(("help_phone", "0298000000"));
    ask(t, &later).await.expect(200);
    t.clock.advance(Duration::days(200));
    let config = &t.app.state.config;
    let gone = entraide::service::help::purge(t.store(), config, t.now())
        .await
        .unwrap();
    assert_eq!(gone, 1, "the one 400 days old");
    let left = t.store().list_help_requests(None).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].phone, "0298000000");
}

/// The operator gives, lists and takes back the référent role from the command line.
#[test]
fn the_command_line_names_lists_and_removes_referents() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_entraide"))
            .args(args)
            .env("ENTRAIDE__SERVER__PUBLIC_URL", "http://localhost:1")
            .env("ENTRAIDE__SERVER__DATA_DIR", dir.path().join("data"))
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, out) = run(&["admin", "create-user", "maela"]);
    assert!(ok, "{out}");
    let (ok, out) = run(&["admin", "referent", "add", "maela"]);
    assert!(ok && out.contains("maela is a référent"), "{out}");
    let (ok, out) = run(&["admin", "referent", "add", "maela"]);
    assert!(ok && out.contains("(already)"), "{out}");
    let (ok, out) = run(&["admin", "referent", "list"]);
    assert!(ok && out.starts_with("maela "), "{out}");
    let (ok, out) = run(&["admin", "referent", "add", "nobody"]);
    assert!(!ok && out.contains("not found"), "{out}");
    let (ok, out) = run(&["admin", "referent", "remove", "maela"]);
    assert!(ok && out.contains("maela is not a référent"), "{out}");
    let (ok, out) = run(&["admin", "referent", "list"]);
    assert!(ok && out.trim().is_empty(), "{out}");
}
