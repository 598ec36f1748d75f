//! Messages by SMS, email and fediverse (issue 16), in process, against a fake SMS gateway on
//! loopback (`tests/sms_support`: records what it receives, answers 429, 500 or 400 when told),
//! a real SMTP server (`aiosmtpd`, as in `tests/notifications.rs`) and a fediverse peer's inbox
//! on the same loopback server: consent and STOP, a message to a slot reaching every channel,
//! retries without duplicates, a process killed after claiming, the daily cap.

#![allow(clippy::unwrap_used)]

mod common;
mod sms_support;

use axum::http::Method;
use chrono::{DateTime, Duration, Utc};
use common::{smtp::SmtpSink, TestApp, BASE};
use entraide::{
    config::Config,
    domain::{
        actor::{ActorKind, RemoteActor},
        slot::Participant,
    },
    federation::{delivery, outbox},
    notify::{mail, sms},
    storage::{SignUp, Store},
};
use serde_json::json;
use sms_support::FakeGateway;

/// The tokens `FakeGateway::configure` sets.
const TOKEN: &str = "gateway-secret";
const INBOUND: &str = "replies-secret";

async fn node(gateway: &FakeGateway, smtp: Option<&SmtpSink>) -> TestApp {
    node_on(gateway, smtp, None).await
}

async fn node_on(gateway: &FakeGateway, smtp: Option<&SmtpSink>, db: Option<&str>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config: Config = common::test_config(dir.path());
    if let Some(url) = db {
        config.database.url = url.to_string();
    }
    config.federation.allow_private_addresses = true;
    gateway.configure(&mut config);
    config.sms.retry_base_seconds = 60;
    config.sms.max_attempts = 4;
    if let Some(sink) = smtp {
        sink.configure(&mut config);
    }
    TestApp::with_config(config, dir).await
}

/// The coordinator (the node's first account: its administrator) of "epicerie", with a
/// mission and a slot tomorrow; alice, a volunteer with an email, signed up for it.
struct Scene {
    t: TestApp,
    coord: String,
    alice: String,
    slot: i64,
}

async fn scene(t: TestApp) -> Scene {
    let (_, coord) = t.user("coord").await;
    t.association("epicerie", "coord").await;
    let (_, alice) = t.user_with_email("alice", "alice@example.test").await;
    let start = common::start() + Duration::hours(30);
    let body = json!({
        "title": "Distribution du samedi", "locality": "Brest", "street_address": "12 rue de Siam",
        "category": "solidarity", "join_mode": "free",
        "start_time": start.to_rfc3339(), "end_time": (start + Duration::days(3)).to_rfc3339(),
    });
    let mission = t.publish("epicerie", &coord, &body).await.json();
    let path = format!("/api/v1/missions/{}/slots", mission["id"]);
    let slots = json!({"slots": [{"start_time": start.to_rfc3339(),
        "end_time": (start + Duration::hours(3)).to_rfc3339(), "capacity": 10}]});
    let res = t.api(Method::POST, &path, Some(&coord), Some(&slots)).await;
    res.expect(201);
    let slot = res.json()["slots"][0]["id"].as_i64().unwrap();
    t.api(
        Method::POST,
        &format!("/api/v1/slots/{slot}/participations"),
        Some(&alice),
        None,
    )
    .await
    .expect(201);
    Scene {
        t,
        coord,
        alice,
        slot,
    }
}

/// Sends the SMS due now.
async fn send_sms(t: &TestApp) -> usize {
    sms::run_once(&t.app.context()).await.unwrap()
}

/// Sends the SMS due at `at`; how many were tried.
async fn send_sms_at(t: &TestApp, at: DateTime<Utc>) -> usize {
    sms::run_once_at(&t.app.context(), at).await.unwrap()
}

/// `token` posts a message of "epicerie" (`POST …/messages`).
async fn post_message(t: &TestApp, token: &str, body: &serde_json::Value) -> common::Resp {
    let path = "/api/v1/associations/epicerie/messages";
    t.api(Method::POST, path, Some(token), Some(body)).await
}

/// The six digits of the last code the gateway carried.
fn last_code(gateway: &FakeGateway) -> String {
    let (_, text) = gateway.accepted().pop().unwrap();
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.chars().take(6).collect()
}

/// alice gives her number, confirms it and chooses messages (and reminders) by SMS.
/// The coordinator posts `body` to `path` (a message or its preview).
async fn coordinator_posts(s: &Scene, path: &str, body: &serde_json::Value) -> common::Resp {
    s.t.api(Method::POST, path, Some(&s.coord), Some(body))
        .await
}

/// Alice's choices of SMS (messages, reminders); the status the node answers.
async fn choose(s: &Scene, messages: bool, reminders: bool) -> common::Resp {
    let choices = json!({"messages": messages, "reminders": reminders});
    s.t.api(
        Method::PUT,
        "/api/v1/me/phone/choices",
        Some(&s.alice),
        Some(&choices),
    )
    .await
}

async fn opt_in(s: &Scene, gateway: &FakeGateway, reminders: bool) {
    let t = &s.t;
    let res = t
        .api(
            Method::PUT,
            "/api/v1/me/phone",
            Some(&s.alice),
            Some(&json!({"phone": "06 12 34 56 78"})),
        )
        .await;
    res.expect(202);
    assert_eq!(send_sms(t).await, 1);
    let code = last_code(gateway);
    t.api(
        Method::POST,
        "/api/v1/me/phone/confirm",
        Some(&s.alice),
        Some(&json!({"code": code})),
    )
    .await
    .expect(200);
    choose(s, true, reminders).await.expect(200);
}

#[tokio::test]
async fn consent_first_and_stop() {
    let gateway = FakeGateway::start().await;
    let s = scene(node(&gateway, None).await).await;
    let t = &s.t;
    // A number that is not one: refused, nothing sent.
    let res = t
        .api(
            Method::PUT,
            "/api/v1/me/phone",
            Some(&s.alice),
            Some(&json!({"phone": "12"})),
        )
        .await;
    res.expect(422);
    assert_eq!(res.json()["fields"]["phone"], "is not a valid phone number");
    t.api(Method::GET, "/api/v1/me/phone", Some(&s.alice), None)
        .await
        .expect(404);

    // The number in E.164, a code sent by SMS through the gateway with its token and sender.
    let res = t
        .api(
            Method::PUT,
            "/api/v1/me/phone",
            Some(&s.alice),
            Some(&json!({"phone": "06 12 34 56 78"})),
        )
        .await;
    res.expect(202);
    assert_eq!(res.json()["number"], "+33612345678");
    assert_eq!(res.json()["confirmed"], false);
    // Asked again at once: refused (one code a minute).
    t.api(
        Method::PUT,
        "/api/v1/me/phone",
        Some(&s.alice),
        Some(&json!({"phone": "0612345678"})),
    )
    .await
    .expect(409);
    assert_eq!(send_sms(t).await, 1);
    let got = gateway.sms();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].authorization, format!("Bearer {TOKEN}"));
    assert_eq!(got[0].body["to"], "+33612345678");
    assert_eq!(got[0].body["sender"], "Entraide");
    assert!(
        got[0].body["text"]
            .as_str()
            .unwrap()
            .contains("Votre code Entraide"),
        "{got:?}"
    );
    assert!(!got[0].idempotency_key.is_empty());

    // Not confirmed yet: no choice, and a message to the slot reaches her by email only.
    choose(&s, true, true).await.expect(409);
    let preview = json!({"scope": "slot", "scope_id": s.slot, "text": "Bonjour à tous"});
    let path = "/api/v1/associations/epicerie/messages/preview";
    let reach = coordinator_posts(&s, path, &preview).await.json();
    assert_eq!(
        (reach["people"].as_i64(), reach["sms"].as_i64()),
        (Some(1), Some(0)),
        "{reach}"
    );

    // A wrong code, then the right one.
    let res = t
        .api(
            Method::POST,
            "/api/v1/me/phone/confirm",
            Some(&s.alice),
            Some(&json!({"code": "000000x"})),
        )
        .await;
    res.expect(422);
    let code = last_code(&gateway);
    let res = t
        .api(
            Method::POST,
            "/api/v1/me/phone/confirm",
            Some(&s.alice),
            Some(&json!({"code": code})),
        )
        .await;
    res.expect(200);
    assert_eq!(res.json()["confirmed"], true);
    // Confirmed but nothing chosen: still no SMS.
    let reach = coordinator_posts(&s, path, &preview).await.json();
    assert_eq!(reach["sms"], 0, "{reach}");
    choose(&s, true, false).await.expect(200);
    let reach = coordinator_posts(&s, path, &preview).await.json();
    assert_eq!(
        (reach["sms"].as_i64(), reach["sms_parts_each"].as_i64()),
        (Some(1), Some(1)),
        "{reach}"
    );

    // STOP forwarded by the gateway: a wrong token is refused; the right one stops her.
    let stop = json!({"from": "+33612345678", "text": "STOP"});
    let res = t
        .api(
            Method::POST,
            "/api/v1/sms/inbound",
            Some("wrong"),
            Some(&stop),
        )
        .await;
    res.expect(401);
    let res = t
        .api(
            Method::POST,
            "/api/v1/sms/inbound",
            Some(INBOUND),
            Some(&stop),
        )
        .await;
    res.expect(200);
    assert_eq!(res.json()["stopped"], 1);
    let phone = t
        .api(Method::GET, "/api/v1/me/phone", Some(&s.alice), None)
        .await
        .json();
    assert_eq!(
        (phone["messages"].as_bool(), phone["stopped_at"].is_string()),
        (Some(false), true)
    );
    let reach = coordinator_posts(&s, path, &preview).await.json();
    assert_eq!(reach["sms"], 0, "stopped: {reach}");
    // Another reply changes nothing; she opts in again from her profile, then stops there.
    let other = json!({"from": "06 12 34 56 78", "text": "merci"});
    let res = t
        .api(
            Method::POST,
            "/api/v1/sms/inbound",
            Some(INBOUND),
            Some(&other),
        )
        .await;
    assert_eq!(res.json()["stopped"], 0);
    choose(&s, true, true).await.expect(200);
    let reach = coordinator_posts(&s, path, &preview).await.json();
    assert_eq!(reach["sms"], 1, "{reach}");
    t.api(Method::POST, "/api/v1/me/phone/stop", Some(&s.alice), None)
        .await
        .expect(200);
    let reach = coordinator_posts(&s, path, &preview).await.json();
    assert_eq!(reach["sms"], 0, "{reach}");
    // Only what was asked left: the code, once.
    assert_eq!(gateway.sms().len(), 1);
    // Her data export holds her number, her choices and the SMS sent to her, no code's hash.
    let user = t.store().find_user_by_name("alice").await.unwrap().unwrap();
    let data = entraide::service::privacy::personal_data(
        t.store(),
        &t.app.state.config,
        &user,
        "fr",
        t.now(),
    )
    .await
    .unwrap();
    let phone = data.phone.unwrap();
    assert_eq!(
        (phone.number.as_str(), phone.messages, phone.sms.len()),
        ("+33612345678", false, 1)
    );
    let json = serde_json::to_string(&phone).unwrap();
    assert!(!json.contains("hash"), "{json}");
}

/// A remote person whose inbox is the fake server's `/inbox`.
async fn remote_person(store: &dyn Store, gateway: &FakeGateway) -> String {
    let ap_id = "https://social.example/users/dana".to_string();
    store
        .upsert_remote_actor(
            RemoteActor {
                ap_id: ap_id.clone(),
                kind: ActorKind::Person,
                name: "dana".into(),
                host: "social.example".into(),
                display_name: "Dana".into(),
                summary: String::new(),
                inbox: format!("{}/inbox", gateway.base),
                shared_inbox: None,
                outbox: None,
                followers: None,
                url: None,
                public_key_pem: String::new(),
            },
            common::start(),
        )
        .await
        .unwrap();
    ap_id
}

async fn sign_up(t: &TestApp, slot: i64, participant: Participant, join: &str) {
    t.store()
        .sign_up(
            SignUp {
                slot_id: slot,
                participant,
                join_ap_id: join.into(),
                message: String::new(),
                auto_accept: true,
                record_refusal: false,
            },
            common::start(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_message_to_a_slot_reaches_every_channel_once() {
    every_channel(None).await;
}

#[tokio::test]
async fn a_message_to_a_slot_reaches_every_channel_once_on_postgres() {
    let Some(db) = common::PgDb::fresh("sms::every_channel").await else {
        return;
    };
    every_channel(Some(&db.url)).await;
}

async fn every_channel(db: Option<&str>) {
    let gateway = FakeGateway::start().await;
    let sink = SmtpSink::start();
    let s = scene(node_on(&gateway, Some(&sink), db).await).await;
    let t = &s.t;
    opt_in(&s, &gateway, false).await;
    let dana = remote_person(t.store(), &gateway).await;
    sign_up(
        t,
        s.slot,
        Participant::Remote {
            actor_ap_id: dana.clone(),
        },
        "https://social.example/join/1",
    )
    .await;
    let guest = Participant::Guest {
        name: "Gaston".into(),
        contact: "gaston@example.test".into(),
    };
    sign_up(t, s.slot, guest, &format!("{BASE}/join/guest")).await;
    let nobody = Participant::Guest {
        name: "Sans contact".into(),
        contact: String::new(),
    };
    sign_up(t, s.slot, nobody, &format!("{BASE}/join/nobody")).await;
    let ctx = t.app.context();
    while outbox::run_once(&ctx).await.unwrap() > 0 {}
    mail::run_once(&ctx).await.unwrap();
    delivery::run_until_idle(&ctx).await.unwrap();
    let before_mails = sink.mails().len();
    let before_inbox = gateway.inbox().len();

    let text = "Rendez-vous à 9h devant l'entrepôt, merci !";
    let body = json!({"scope": "slot", "scope_id": s.slot, "text": text, "request_key": "form-1"});
    let reach = t
        .api(
            Method::POST,
            "/api/v1/associations/epicerie/messages/preview",
            Some(&s.coord),
            Some(&body),
        )
        .await
        .json();
    assert_eq!(
        (
            reach["people"].as_i64(),
            reach["email"].as_i64(),
            reach["fediverse"].as_i64(),
            reach["sms"].as_i64(),
            reach["unreachable"].as_i64()
        ),
        (Some(4), Some(2), Some(1), Some(1), Some(1)),
        "{reach}"
    );
    // Not a coordinator: refused.
    post_message(t, &s.alice, &body).await.expect(403);
    let res = post_message(t, &s.coord, &body).await;
    res.expect(201);
    let id = res.json()["id"].as_i64().unwrap();
    // The same form sent again (a double click): the same message, nothing more queued.
    let again = post_message(t, &s.coord, &body).await;
    assert_eq!(again.json()["id"].as_i64(), Some(id));

    mail::run_once(&ctx).await.unwrap();
    assert_eq!(send_sms(t).await, 1);
    delivery::run_until_idle(&ctx).await.unwrap();
    assert_eq!(send_sms(t).await, 0);

    let mails: Vec<_> = sink.mails().into_iter().skip(before_mails).collect();
    let mut to: Vec<&str> = mails.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(
        to,
        ["alice@example.test", "gaston@example.test"],
        "{mails:?}"
    );
    assert!(mails
        .iter()
        .all(|m| m.subject == "Message de Épicerie solidaire" && m.body.contains(text)));
    let sms = gateway.accepted();
    let last = sms.last().unwrap();
    assert_eq!(last.0, "+33612345678");
    assert!(
        last.1.starts_with("Épicerie solidaire : Rendez-vous"),
        "{last:?}"
    );
    assert!(last.1.contains("STOP"), "{last:?}");
    let inbox: Vec<_> = gateway.inbox().into_iter().skip(before_inbox).collect();
    assert_eq!(inbox.len(), 1, "{inbox:#?}");
    assert_eq!(inbox[0]["type"], "Create");
    assert_eq!(inbox[0]["object"]["to"], json!([dana]));
    assert!(inbox[0]["object"]["content"]
        .as_str()
        .unwrap()
        .contains("Rendez-vous"));

    let log = t
        .api(
            Method::GET,
            &format!("/api/v1/associations/epicerie/messages/{id}"),
            Some(&s.coord),
            None,
        )
        .await
        .json();
    let mut lines: Vec<(String, String, String)> = log["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["channel"].as_str().unwrap().into(),
                l["recipient"].as_str().unwrap().into(),
                l["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        vec![
            ("email".into(), "alice@example.test".into(), "sent".into()),
            ("email".into(), "gaston@example.test".into(), "sent".into()),
            ("fediverse".into(), dana.clone(), "federated".into()),
            ("sms".into(), "+33612345678".into(), "sent".into()),
        ]
    );
    // Another association's coordinator cannot read it.
    let (_, other) = t.user("zoe").await;
    t.api(
        Method::GET,
        &format!("/api/v1/associations/epicerie/messages/{id}"),
        Some(&other),
        None,
    )
    .await
    .expect(403);
}

#[tokio::test]
async fn retries_without_duplicates_and_a_killed_claim() {
    let gateway = FakeGateway::start().await;
    let s = scene(node(&gateway, None).await).await;
    let t = &s.t;
    opt_in(&s, &gateway, true).await;
    let ctx = t.app.context();
    let sent_before = gateway.sms().len();
    // The gateway is busy, then fails, then takes it: three attempts, one SMS accepted.
    gateway.answer(&[429, 500]);
    let body = json!({"scope": "slot", "scope_id": s.slot, "text": "Premier message"});
    post_message(t, &s.coord, &body).await.expect(201);
    let now = t.now();
    assert_eq!(send_sms_at(t, now).await, 1);
    assert_eq!(
        send_sms_at(t, now + Duration::seconds(30)).await,
        0,
        "backing off"
    );
    assert_eq!(send_sms_at(t, now + Duration::seconds(61)).await, 1);
    assert_eq!(send_sms_at(t, now + Duration::seconds(200)).await, 1);
    assert_eq!(send_sms_at(t, now + Duration::hours(5)).await, 0);
    let tries: Vec<_> = gateway.sms().into_iter().skip(sent_before).collect();
    assert_eq!(
        tries.iter().map(|r| r.status).collect::<Vec<_>>(),
        [429, 500, 200]
    );
    assert!(tries
        .iter()
        .all(|r| r.idempotency_key == tries[0].idempotency_key));

    // A process claims the next SMS and is killed before sending: after the lease the SMS
    // goes once, not before.
    let body = json!({"scope": "mission_is_not_a_scope", "text": "x"});
    post_message(t, &s.coord, &body).await.expect(422);
    let body = json!({"scope": "association", "text": "Deuxième message"});
    post_message(t, &s.coord, &body).await.expect(201);
    let later = now + Duration::hours(6);
    let claimed = t
        .store()
        .claim_sms(10, later, later + Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(send_sms_at(t, later + Duration::minutes(1)).await, 0);
    assert_eq!(send_sms_at(t, later + Duration::minutes(3)).await, 1);
    assert_eq!(send_sms_at(t, later + Duration::minutes(30)).await, 0);
    let texts: Vec<String> = gateway
        .accepted()
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    assert_eq!(
        texts
            .iter()
            .filter(|x| x.contains("Deuxième message"))
            .count(),
        1
    );

    // A refusal for the number (400) is never retried.
    gateway.answer(&[400]);
    let body =
        json!({"scope": "mission", "scope_id": mission_of(t, s.slot).await, "text": "Troisième"});
    post_message(t, &s.coord, &body).await.expect(201);
    assert_eq!(send_sms_at(t, later + Duration::hours(1)).await, 1);
    assert_eq!(send_sms_at(t, later + Duration::days(2)).await, 0);
    let refused = t.store().sms_to("+33612345678", 20).await.unwrap();
    assert_eq!(refused.last().unwrap().status, "refused");

    // The reminder the day before goes by SMS too, once.
    let reminders = entraide::notify::scan_reminders(&ctx, later).await.unwrap();
    assert_eq!(reminders, 1);
    assert_eq!(
        entraide::notify::scan_reminders(&ctx, later).await.unwrap(),
        0
    );
    let far = later + Duration::days(3);
    assert_eq!(send_sms_at(t, far).await, 1);
    let (_, reminder) = gateway.accepted().pop().unwrap();
    assert!(
        reminder.contains("rappel") && reminder.contains("Distribution du samedi"),
        "{reminder}"
    );
}

async fn mission_of(t: &TestApp, slot: i64) -> i64 {
    t.store().get_slot(slot).await.unwrap().mission_id
}

#[tokio::test]
async fn the_daily_cap() {
    let gateway = FakeGateway::start().await;
    let s = scene(node(&gateway, None).await).await;
    let t = &s.t;
    opt_in(&s, &gateway, false).await;
    // The administrator sets a cap of 2 SMS a day; a volunteer may not.
    let cap = json!({"daily_cap": 2});
    t.api(
        Method::PUT,
        "/api/v1/associations/epicerie/sms/cap",
        Some(&s.alice),
        Some(&cap),
    )
    .await
    .expect(403);
    t.api(
        Method::PUT,
        "/api/v1/associations/epicerie/sms/cap",
        Some(&s.coord),
        Some(&cap),
    )
    .await
    .expect(200);
    // A long message takes 2 SMS: it fits once, then the next is refused whole.
    let long = "Bonjour ".repeat(25);
    let body = json!({"scope": "slot", "scope_id": s.slot, "text": long});
    let path = "/api/v1/associations/epicerie/messages";
    let reach = t
        .api(
            Method::POST,
            &format!("{path}/preview"),
            Some(&s.coord),
            Some(&body),
        )
        .await
        .json();
    assert_eq!(
        (
            reach["sms_parts"].as_i64(),
            reach["sms_left_today"].as_i64()
        ),
        (Some(2), Some(2)),
        "{reach}"
    );
    post_message(t, &s.coord, &body).await.expect(201);
    let res = post_message(t, &s.coord, &body).await;
    res.expect(409);
    assert!(
        res.json()["message"]
            .as_str()
            .unwrap()
            .contains("0 left today"),
        "{}",
        res.text()
    );
    // The next day, it goes.
    t.clock.advance(Duration::days(1));
    post_message(t, &s.coord, &body).await.expect(201);
}

/// The coordinator's message form, posted.
async fn post_form(t: &TestApp, cookie: &str, f: Vec<(&'static str, String)>) -> common::Resp {
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    t.form("/g/epicerie/messages", Some(cookie), &pairs).await
}

/// A GET with the session cookie.
async fn page(t: &TestApp, path: &str, cookie: &str) -> common::Resp {
    t.get_with(path, "cookie", cookie).await
}

#[tokio::test]
async fn the_pages_of_the_person_and_of_the_coordinator() {
    let gateway = FakeGateway::start().await;
    let s = scene(node(&gateway, None).await).await;
    let t = &s.t;
    // The person's page: number, code, choices.
    let alice = t.web_login("alice", "a long password").await;
    let res = page(t, "/me/sms", &alice).await;
    res.expect(200);
    assert!(res.html().contains("Recevoir des SMS"), "{}", res.html());
    let csrf = res.csrf();
    let res = t
        .form(
            "/me/sms/number",
            Some(&alice),
            &[("csrf", &csrf), ("phone", "12")],
        )
        .await;
    res.expect(422);
    assert!(
        res.html().contains("aria-invalid=\"true\""),
        "{}",
        res.html()
    );
    let res = t
        .form(
            "/me/sms/number",
            Some(&alice),
            &[("csrf", &csrf), ("phone", "06 12 34 56 78")],
        )
        .await;
    res.expect(303);
    assert_eq!(send_sms(t).await, 1);
    let res = page(t, "/me/sms?done=sms_code_sent", &alice).await;
    assert!(res.html().contains("one-time-code"), "the code's field");
    let code = last_code(&gateway);
    t.form(
        "/me/sms/confirm",
        Some(&alice),
        &[("csrf", &csrf), ("code", &code)],
    )
    .await
    .expect(303);
    t.form(
        "/me/sms/choices",
        Some(&alice),
        &[("csrf", &csrf), ("messages", "on")],
    )
    .await
    .expect(303);
    let phone = t
        .api(Method::GET, "/api/v1/me/phone", Some(&s.alice), None)
        .await
        .json();
    assert_eq!(
        (phone["messages"].as_bool(), phone["reminders"].as_bool()),
        (Some(true), Some(false))
    );

    // The coordinator's form: preview, then send, then the log.
    let coord = t.web_login("coord", "a long password").await;
    let res = page(
        t,
        &format!("/g/epicerie/messages/new?scope=slot&id={}", s.slot),
        &coord,
    )
    .await;
    res.expect(200);
    let html = res.html();
    let csrf = res.csrf();
    let key = html
        .split("name=\"request_key\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let slot = s.slot.to_string();
    let fields = |action: &'static str, text: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("scope", "slot".to_string()),
            ("id", slot.clone()),
            ("request_key", key.clone()),
            ("text", text.to_string()),
            ("action", action.to_string()),
        ]
    };
    let empty = post_form(t, &coord, fields("preview", "")).await;
    empty.expect(422);
    let preview = post_form(t, &coord, fields("preview", "À demain !")).await;
    preview.expect(200);
    assert!(preview.html().contains("Aperçu"), "{}", preview.html());
    let sent = post_form(t, &coord, fields("send", "À demain !")).await;
    sent.expect(303);
    let to = sent.headers["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/g/epicerie/messages/"), "{to}");
    // The same form sent again: the same message.
    let again = post_form(t, &coord, fields("send", "À demain !")).await;
    assert_eq!(again.headers["location"].to_str().unwrap(), to);
    assert_eq!(send_sms(t).await, 1);
    let log = page(t, &to, &coord).await;
    log.expect(200);
    assert!(
        log.html().contains("+33612345678") && log.html().contains("envoyé"),
        "{}",
        log.html()
    );
    // A volunteer may not open the form.
    page(t, "/g/epicerie/messages/new", &alice)
        .await
        .expect(403);
}
