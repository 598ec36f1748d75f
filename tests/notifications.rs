//! Notifications, in process, against a real SMTP server: `aiosmtpd` (from PyPI) started by the
//! test on a free port, writing every message it accepts into a Maildir that the test reads
//! back. Confirmation, refusal, change, cancellation, reminder (once), retries when the server
//! is down, and direct messages (`Create{Note}`) for people on other servers.
//!
//! Needs `python3` with `aiosmtpd` (`python3 -m pip install aiosmtpd==1.4.6`; `.ci/run` does it).

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use chrono::{DateTime, Duration, Timelike, Utc};
use common::{PgDb, TestApp, BASE, HOST};
use entraide::{
    config::Config,
    domain::{
        actor::{ActorKind, RemoteActor},
        slot::{Participant, SignUpOutcome},
    },
    federation::outbox,
    notify::{self, mail},
    service::accounts,
    storage::{SignUp, Store},
};
use serde_json::{json, Value};
use std::sync::Arc;

use common::smtp::{python_ready, SmtpSink};

// ---------------------------------------------------------------------------------------------
// A node that sends mail to the sink

async fn node(smtp: Option<&SmtpSink>, database_url: Option<&str>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut env = vec![
        ("ENTRAIDE__SERVER__PUBLIC_URL", BASE.to_string()),
        (
            "ENTRAIDE__SERVER__DATA_DIR",
            dir.path().join("data").display().to_string(),
        ),
        ("ENTRAIDE__INSTANCE__NAME", "Nœud de test".to_string()),
        (
            "ENTRAIDE__FEDERATION__ALLOW_PRIVATE_ADDRESSES",
            "true".to_string(),
        ),
    ];
    if let Some(sink) = smtp {
        env.extend([
            ("ENTRAIDE__SMTP__ENABLED", "true".to_string()),
            ("ENTRAIDE__SMTP__HOST", "127.0.0.1".to_string()),
            ("ENTRAIDE__SMTP__PORT", sink.port.to_string()),
            ("ENTRAIDE__SMTP__SECURITY", "none".to_string()),
            (
                "ENTRAIDE__SMTP__FROM",
                "Entraide Brest <entraide@example.test>".to_string(),
            ),
            ("ENTRAIDE__SMTP__TIMEOUT_SECONDS", "5".to_string()),
        ]);
    }
    if let Some(url) = database_url {
        env.push(("ENTRAIDE__DATABASE__URL", url.to_string()));
    }
    let config = Config::load(None, env.into_iter().map(|(k, v)| (k.to_string(), v))).unwrap();
    TestApp::with_config(config, dir).await
}

/// Turns the recorded events into deliveries and notifications, then sends the emails due.
async fn work(t: &TestApp) -> usize {
    let ctx = t.app.context();
    while outbox::run_once(&ctx).await.unwrap() > 0 {}
    mail::run_once(&ctx).await.unwrap()
}

/// A time `minutes` from now, on a whole minute, as the API takes it.
fn at(minutes: i64) -> String {
    let t = common::start() + Duration::minutes(minutes);
    t.with_second(0)
        .unwrap()
        .with_nanosecond(0)
        .unwrap()
        .to_rfc3339()
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

/// How the emails write a slot's time.
fn when(slot: &Value) -> String {
    entraide::i18n::short_span(
        entraide::i18n::Lang::Fr,
        time(&slot["start_time"]),
        time(&slot["end_time"]),
        chrono_tz::Europe::Paris,
    )
}

struct Scene {
    t: TestApp,
    coord: String,
    alice: String,
    mission: Value,
}

/// A coordinator of "epicerie", a volunteer alice with an email, and a mission approved by hand
/// running from in an hour to in ten days.
async fn scene(t: TestApp) -> Scene {
    let (_, coord) = t.user("coord").await;
    t.association("epicerie", "coord").await;
    let (_, alice) = t.user_with_email("alice", "alice@example.test").await;
    let body = json!({
        "title": "Distribution du samedi", "locality": "Brest", "street_address": "12 rue de Siam",
        "category": "solidarity", "join_mode": "restricted",
        "start_time": at(60), "end_time": at(10 * 24 * 60),
    });
    let res = t.publish("epicerie", &coord, &body).await;
    let mission = res.json();
    Scene {
        t,
        coord,
        alice,
        mission,
    }
}

impl Scene {
    async fn slot(&self, start_minutes: i64, hours: i64) -> Value {
        let path = format!("/api/v1/missions/{}/slots", self.mission["id"]);
        let body = json!({"slots": [{"start_time": at(start_minutes), "end_time": at(start_minutes + hours * 60), "capacity": 3}]});
        let res = self
            .t
            .api(Method::POST, &path, Some(&self.coord), Some(&body))
            .await;
        res.expect(201);
        res.json()["slots"][0].clone()
    }

    async fn sign_up(&self, slot: &Value) -> Value {
        let path = format!("/api/v1/slots/{}/participations", slot["id"]);
        let res = self
            .t
            .api(Method::POST, &path, Some(&self.alice), None)
            .await;
        res.expect(201);
        res.json()
    }

    async fn decide(&self, p: &Value, verb: &str, body: Option<&Value>) {
        let path = format!("/api/v1/participations/{}/{verb}", p["id"]);
        self.t
            .api(Method::POST, &path, Some(&self.coord), body)
            .await
            .expect(200);
    }
}

// ---------------------------------------------------------------------------------------------
// Tests

async fn emails_for_every_change(database_url: Option<&str>) {
    let sink = SmtpSink::start();
    let s = scene(node(Some(&sink), database_url).await).await;
    let t = &s.t;
    let title = "Distribution du samedi";

    // Sign-up awaiting approval: "request received".
    let tomorrow = s.slot(24 * 60 + 30, 3).await;
    let p = s.sign_up(&tomorrow).await;
    assert_eq!(p["status"], "pending");
    assert_eq!(work(t).await, 1);
    let received = sink.with_subject("Demande reçue");
    assert_eq!(received.len(), 1, "{:?}", sink.mails());
    assert_eq!(received[0].to, "alice@example.test");

    // Accepted: the confirmation names the mission, the association, the date and the place.
    s.decide(&p, "accept", None).await;
    assert_eq!(work(t).await, 1);
    let confirmed = sink.with_subject(&format!("Inscription confirmée : {title}"));
    assert_eq!(confirmed.len(), 1, "{:?}", sink.mails());
    let m = &confirmed[0];
    assert_eq!(m.to, "alice@example.test");
    assert!(
        m.rcpt.contains("alice@example.test"),
        "envelope: {}",
        m.rcpt
    );
    assert!(m.from.contains("entraide@example.test"), "from: {}", m.from);
    assert!(m.body.starts_with("Bonjour alice,"), "{}", m.body);
    assert!(
        m.body.contains(&format!(
            "« {title} » avec Épicerie solidaire est confirmée"
        )),
        "{}",
        m.body
    );
    assert!(
        m.body.contains(&format!("Quand : {}", when(&tomorrow))),
        "{}",
        m.body
    );
    assert!(m.body.contains("Où : 12 rue de Siam, Brest"), "{}", m.body);
    assert!(
        m.body.contains(&format!(
            "Mission : {}",
            s.mission["url"].as_str().unwrap_or("")
        )),
        "{}",
        m.body
    );
    // Handled again (an event redelivered after a crash): nobody is told twice.
    assert_eq!(work(t).await, 0);

    // The reminder the day before: recorded once however often the scan runs.
    let ctx = t.app.context();
    assert_eq!(
        notify::scan_reminders(&ctx, common::start()).await.unwrap(),
        1
    );
    assert_eq!(
        notify::scan_reminders(&ctx, common::start()).await.unwrap(),
        0
    );
    assert_eq!(work(t).await, 1);
    assert_eq!(
        notify::scan_reminders(&ctx, common::start()).await.unwrap(),
        0
    );
    assert_eq!(work(t).await, 0);
    let reminders = sink.with_subject("Rappel : ");
    assert_eq!(reminders.len(), 1, "{:?}", sink.mails());
    assert_eq!(
        reminders[0].subject,
        format!("Rappel : {title}, {}", when(&tomorrow))
    );
    assert!(
        reminders[0].body.contains("vous êtes attendu·e"),
        "{}",
        reminders[0].body
    );
    // A slot further away gets no reminder yet.
    let later = s.slot(3 * 24 * 60, 2).await;

    // Refused, with the coordinator's reason.
    let q = s.sign_up(&later).await;
    assert_eq!(work(t).await, 1, "request received");
    s.decide(
        &q,
        "reject",
        Some(&json!({"reason": "Nous sommes assez nombreux, merci !"})),
    )
    .await;
    assert_eq!(work(t).await, 1);
    let refused = sink.with_subject("Inscription non retenue");
    assert_eq!(refused.len(), 1, "{:?}", sink.mails());
    assert!(
        refused[0]
            .body
            .contains("Motif indiqué : Nous sommes assez nombreux, merci !"),
        "{}",
        refused[0].body
    );
    assert!(
        refused[0].body.contains(&when(&later)),
        "{}",
        refused[0].body
    );
    assert_eq!(
        notify::scan_reminders(&ctx, common::start()).await.unwrap(),
        0,
        "no second reminder, and none for a slot in three days"
    );

    // A person without an account, signed up by the coordinator with an email address, is
    // told too; one signed up with a phone number cannot be (recorded as skipped).
    let guests = format!("/api/v1/slots/{}/guests", tomorrow["id"]);
    t.api(
        Method::POST,
        &guests,
        Some(&s.coord),
        Some(&json!({"name": "Bruno", "contact": "bruno@example.test"})),
    )
    .await
    .expect(201);
    let phone = t
        .api(
            Method::POST,
            &guests,
            Some(&s.coord),
            Some(&json!({"name": "Chloé", "contact": "06 12 34 56 78"})),
        )
        .await;
    phone.expect(201);
    assert_eq!(work(t).await, 1);
    let bruno = sink.with_subject("Inscription confirmée");
    assert_eq!(bruno.len(), 2);
    assert_eq!(bruno[1].to, "bruno@example.test");
    assert!(
        bruno[1].body.starts_with("Bonjour Bruno,"),
        "{}",
        bruno[1].body
    );
    let chloe = t
        .store()
        .list_notifications(Some(phone.json()["id"].as_i64().unwrap()), 10)
        .await
        .unwrap();
    assert_eq!(chloe.len(), 1);
    assert_eq!(
        (chloe[0].status.as_str(), chloe[0].recipient.as_str()),
        ("skipped", "")
    );

    // The slot moves: everyone signed up gets the new time.
    let path = format!("/api/v1/slots/{}", tomorrow["id"]);
    let moved = t
        .api(
            Method::PATCH,
            &path,
            Some(&s.coord),
            Some(&json!({"start_time": at(26 * 60), "end_time": at(29 * 60), "capacity": 3})),
        )
        .await;
    moved.expect(200);
    let moved = moved.json();
    assert_eq!(work(t).await, 2);
    let changed = sink.with_subject(&format!("Créneau modifié : {title}"));
    assert_eq!(changed.len(), 2, "{:?}", sink.mails());
    let mut to: Vec<&str> = changed.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(to, ["alice@example.test", "bruno@example.test"]);
    assert!(
        changed[0]
            .body
            .contains(&format!("Nouvel horaire : {}", when(&moved))),
        "{}",
        changed[0].body
    );

    // The slot is cancelled: its participants are told.
    t.api(Method::DELETE, &path, Some(&s.coord), None)
        .await
        .expect(200);
    assert_eq!(work(t).await, 2);
    let cancelled = sink.with_subject(&format!("Créneau annulé : {title}"));
    assert_eq!(cancelled.len(), 2, "{:?}", sink.mails());
    assert!(
        cancelled[0].body.contains("a annulé le créneau"),
        "{}",
        cancelled[0].body
    );

    // Withdrawing is confirmed.
    let third = s.slot(5 * 24 * 60, 2).await;
    let r = s.sign_up(&third).await;
    s.decide(&r, "accept", None).await;
    assert_eq!(
        work(t).await,
        1,
        "one confirmation (the request and the answer handled together)"
    );
    t.api(
        Method::DELETE,
        &format!("/api/v1/participations/{}", r["id"]),
        Some(&s.alice),
        None,
    )
    .await
    .expect(200);
    assert_eq!(work(t).await, 1);
    assert_eq!(
        sink.with_subject(&format!("Désinscription enregistrée : {title}"))
            .len(),
        1
    );

    // Nothing sent twice, nothing left behind.
    let all = t.store().list_notifications(None, 100).await.unwrap();
    assert!(
        all.iter()
            .all(|n| n.status == "sent" || n.status == "skipped"),
        "{all:#?}"
    );
    assert_eq!(
        all.iter().filter(|n| n.status == "sent").count(),
        sink.mails().len(),
        "one email per notice"
    );
}

#[tokio::test]
async fn emails_for_every_change_on_sqlite() {
    emails_for_every_change(None).await;
}

#[tokio::test]
async fn emails_for_every_change_on_postgres() {
    let Some(db) = PgDb::fresh("notifications_emails").await else {
        return;
    };
    emails_for_every_change(Some(&db.url)).await;
}

#[tokio::test]
async fn smtp_down_means_later_not_lost() {
    let mut sink = SmtpSink::start();
    let s = scene(node(Some(&sink), None).await).await;
    let t = &s.t;
    let slot = s.slot(2 * 24 * 60, 2).await;
    let p = s.sign_up(&slot).await;
    s.decide(&p, "accept", None).await;
    sink.down();

    // The server does not answer: the email stays, with the error and a later attempt.
    assert_eq!(work(t).await, 1);
    let n = t
        .store()
        .list_notifications(p["id"].as_i64(), 10)
        .await
        .unwrap();
    assert_eq!(n.len(), 1, "{n:#?}");
    assert_eq!((n[0].status.as_str(), n[0].attempts), ("pending", 1));
    assert!(n[0].last_error.is_some());
    assert!(
        n[0].next_attempt_at > common::start() + Duration::seconds(30),
        "backoff: {}",
        n[0].next_attempt_at
    );
    let emails = |state: &str| format!("entraide_emails_total{{state=\"{state}\"}} 1");
    assert!(t.app.state.metrics.text().contains(&emails("failed")));
    // Not due yet: nothing is tried.
    assert_eq!(work(t).await, 0);

    // Once due, with the server back, it goes out, once.
    sink.up();
    let ctx = t.app.context();
    assert_eq!(
        mail::run_once_at(&ctx, n[0].next_attempt_at + Duration::seconds(1))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        mail::run_once_at(&ctx, n[0].next_attempt_at + Duration::hours(1))
            .await
            .unwrap(),
        0
    );
    let mails = sink.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].subject.starts_with("Inscription confirmée"));
    let n = t
        .store()
        .list_notifications(p["id"].as_i64(), 10)
        .await
        .unwrap();
    assert_eq!((n[0].status.as_str(), n[0].attempts), ("sent", 2));
    assert!(t.app.state.metrics.text().contains(&emails("sent")));
}

#[tokio::test]
async fn without_smtp_nothing_is_sent_and_notices_are_skipped() {
    let s = scene(node(None, None).await).await;
    let t = &s.t;
    let slot = s.slot(2 * 24 * 60, 2).await;
    let p = s.sign_up(&slot).await;
    s.decide(&p, "accept", None).await;
    assert_eq!(work(t).await, 0, "mail is off by default");
    let n = t
        .store()
        .list_notifications(p["id"].as_i64(), 10)
        .await
        .unwrap();
    assert_eq!(n.len(), 1, "{n:#?}");
    assert_eq!(
        (n[0].status.as_str(), n[0].recipient.as_str()),
        ("skipped", "alice@example.test")
    );
    assert!(n[0].subject.starts_with("Inscription confirmée"));
}

/// A remote actor as another server would describe it.
async fn remote_person(store: &dyn Store) -> String {
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
                inbox: "https://social.example/users/dana/inbox".into(),
                shared_inbox: Some("https://social.example/inbox".into()),
                outbox: None,
                followers: None,
                url: Some("https://social.example/@dana".into()),
                public_key_pem: String::new(),
            },
            common::start(),
        )
        .await
        .unwrap();
    ap_id
}

/// The `Create{Note}` deliveries queued since the last call (claimed for an hour, so each is
/// seen once), as (inbox, activity).
async fn direct_messages(t: &TestApp) -> Vec<(String, Value)> {
    let now = t.now();
    t.store()
        .claim_deliveries(100, now, now + Duration::hours(1))
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.inbox, serde_json::from_str::<Value>(&d.payload).unwrap()))
        .filter(|(_, a)| a["type"] == "Create" && a["object"]["type"] == "Note")
        .collect()
}

#[tokio::test]
async fn people_on_other_servers_get_direct_messages() {
    let s = scene(node(None, None).await).await;
    let t = &s.t;
    let dana = remote_person(t.store()).await;
    let slot = s.slot(24 * 60 + 30, 3).await;
    let outcome = t
        .store()
        .sign_up(
            SignUp {
                slot_id: slot["id"].as_i64().unwrap(),
                participant: Participant::Remote {
                    actor_ap_id: dana.clone(),
                },
                join_ap_id: "https://social.example/activities/join/1".into(),
                message: String::new(),
                auto_accept: true,
                record_refusal: true,
            },
            common::start(),
        )
        .await
        .unwrap();
    let SignUpOutcome::Recorded(p) = outcome else {
        panic!("{outcome:?}")
    };
    work(t).await;
    // Their Join is answered by Accept{Join}: no direct message for that.
    assert!(direct_messages(t).await.is_empty());

    // The day before: a direct message, once.
    let ctx = t.app.context();
    assert_eq!(
        notify::scan_reminders(&ctx, common::start()).await.unwrap(),
        1
    );
    assert_eq!(
        notify::scan_reminders(&ctx, common::start()).await.unwrap(),
        0
    );
    let dms = direct_messages(t).await;
    assert_eq!(dms.len(), 1, "{dms:#?}");
    let (inbox, create) = &dms[0];
    assert_eq!(
        inbox, "https://social.example/users/dana/inbox",
        "the personal inbox, not the shared one"
    );
    let association = format!("{BASE}/g/epicerie");
    assert_eq!(create["actor"], json!(association));
    let note = &create["object"];
    assert_eq!(create["to"], json!([dana]), "to that person only");
    assert_eq!(note["to"], json!([dana]));
    assert_eq!(note["cc"], json!([]));
    assert_eq!(note["attributedTo"], json!(association));
    let tags = note["tag"].as_array().unwrap();
    assert!(
        tags.iter()
            .any(|t| t["type"] == "Mention" && t["href"] == json!(dana)),
        "a Mention makes it a direct message: {tags:?}"
    );
    let content = note["content"].as_str().unwrap();
    assert!(content.contains("Petit rappel"), "{content}");
    assert!(content.contains("Distribution du samedi"), "{content}");
    assert!(content.contains(&when(&slot)), "{content}");
    assert!(!content.contains("public"), "{content}");
    assert!(
        !create
            .to_string()
            .contains("https://www.w3.org/ns/activitystreams#Public"),
        "never public"
    );

    // The slot moves, then is cancelled: a message for each.
    let path = format!("/api/v1/slots/{}", slot["id"]);
    t.api(
        Method::PATCH,
        &path,
        Some(&s.coord),
        Some(&json!({"start_time": at(30 * 60), "end_time": at(32 * 60), "capacity": 3})),
    )
    .await
    .expect(200);
    work(t).await;
    t.api(Method::DELETE, &path, Some(&s.coord), None)
        .await
        .expect(200);
    work(t).await;
    let dms = direct_messages(t).await;
    let contents: Vec<String> = dms
        .iter()
        .map(|(_, a)| a["object"]["content"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(dms.len(), 2, "{contents:#?}");
    assert!(
        contents.iter().any(|c| c.contains("Nouvel horaire")),
        "{contents:#?}"
    );
    assert!(
        contents.iter().any(|c| c.contains("a annulé le créneau")),
        "{contents:#?}"
    );
    assert!(dms.iter().all(|(_, a)| a["object"]["to"] == json!([dana])));

    let kinds: Vec<String> = t
        .store()
        .list_notifications(Some(p.id), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|n| {
            assert_eq!(
                (n.channel.as_str(), n.recipient.as_str()),
                ("fediverse", dana.as_str())
            );
            n.kind
        })
        .collect();
    assert_eq!(kinds, ["reminder", "slot_moved", "slot_cancelled"]);
}

/// Two processes claiming at once never get the same email (SKIP LOCKED on PostgreSQL, one
/// writer on SQLite); a notice recorded twice is one notice.
async fn claims_are_exclusive(a: Arc<dyn Store>, b: Arc<dyn Store>) {
    use entraide::storage::NewNotification;
    let now = common::start();
    let notice = |i: usize| NewNotification {
        participation_id: None,
        kind: "confirmed".into(),
        channel: "email".into(),
        recipient: format!("p{i}@example.test"),
        subject: "s".into(),
        body_text: "b".into(),
        status: "pending".into(),
        dedupe_key: format!("test:{i}"),
        delivery: None,
    };
    assert_eq!(
        a.record_notifications((0..30).map(notice).collect(), now)
            .await
            .unwrap(),
        30
    );
    assert_eq!(
        a.record_notifications((25..35).map(notice).collect(), now)
            .await
            .unwrap(),
        5,
        "known keys are skipped"
    );
    let lease = now + Duration::minutes(5);
    let (x, y) = tokio::join!(
        a.claim_notifications(20, now, lease),
        b.claim_notifications(20, now, lease)
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    let mut ids: Vec<i64> = x.iter().chain(y.iter()).map(|n| n.id).collect();
    assert_eq!(ids.len(), 35, "{} + {}", x.len(), y.len());
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 35, "an email claimed twice");
    assert!(
        a.claim_notifications(20, now, lease)
            .await
            .unwrap()
            .is_empty(),
        "all leased"
    );
    // Once the lease is over, an email nobody finished is taken up again.
    let later = lease + Duration::seconds(1);
    assert_eq!(
        b.claim_notifications(50, later, later + Duration::minutes(5))
            .await
            .unwrap()
            .len(),
        35
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_are_exclusive_on_sqlite() {
    let (a, _dir) = common::sqlite_store().await;
    claims_are_exclusive(a.clone(), a).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_are_exclusive_on_postgres() {
    let Some(db) = PgDb::fresh("notifications_claims").await else {
        return;
    };
    claims_are_exclusive(db.store().await, db.store().await).await;
}

/// One of our users signed up for another node's slot hears from us, by email, when that node
/// answers (`Accept`/`Reject`), and gets our reminder the day before.
#[tokio::test]
async fn our_users_hear_when_another_node_answers() {
    use entraide::{
        domain::mission::{JoinMode, MissionDraft, Place},
        storage::{RemoteMission, RemoteSlot},
    };
    let sink = SmtpSink::start();
    let s = scene(node(Some(&sink), None).await).await;
    let t = &s.t;
    let store = t.store();
    let voisins = store
        .upsert_remote_actor(
            RemoteActor {
                ap_id: "https://voisins.example/g/jardin".into(),
                kind: ActorKind::Group,
                name: "jardin".into(),
                host: "voisins.example".into(),
                display_name: "Jardin des voisins".into(),
                summary: String::new(),
                inbox: "https://voisins.example/g/jardin/inbox".into(),
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
    let start = common::start()
        .with_second(0)
        .unwrap()
        .with_nanosecond(0)
        .unwrap()
        + Duration::minutes(24 * 60 + 30);
    let m = store
        .upsert_remote_mission(RemoteMission {
            ap_id: "https://voisins.example/m/1".into(),
            url: "https://voisins.example/m/1".into(),
            actor_id: voisins.id,
            content_html: String::new(),
            remote_summary: String::new(),
            draft: MissionDraft {
                title: "Jardin partagé".into(),
                category: "environment".into(),
                place: Place {
                    locality: "Quimper".into(),
                    ..Place::default()
                },
                start_time: start,
                end_time: start + Duration::hours(3),
                join_mode: JoinMode::Restricted,
                ..MissionDraft::default()
            },
            participant_count: 0,
            published: common::start(),
            updated: common::start(),
            is_event: false,
        })
        .await
        .unwrap();
    let slot = store
        .upsert_remote_slot(
            m.id,
            "https://voisins.example/s/1",
            RemoteSlot {
                start_time: start,
                end_time: start + Duration::hours(3),
                capacity: 4,
                participant_count: 0,
                cancelled: false,
                updated: common::start(),
            },
        )
        .await
        .unwrap();
    let p =
        s.t.api(
            Method::POST,
            &format!("/api/v1/slots/{}/participations", slot.id),
            Some(&s.alice),
            None,
        )
        .await;
    p.expect(201);
    let p = p.json();
    assert_eq!(p["status"], "pending");
    assert_eq!(work(t).await, 1);
    assert_eq!(
        sink.with_subject("Demande reçue : Jardin partagé").len(),
        1,
        "{:?}",
        sink.mails()
    );

    // Their Accept arrives: alice is told by her own node.
    let join = store
        .get_participation(p["id"].as_i64().unwrap())
        .await
        .unwrap()
        .join_ap_id;
    store
        .record_join_answer(&join, true, "", common::start())
        .await
        .unwrap();
    assert_eq!(work(t).await, 1);
    let confirmed = sink.with_subject("Inscription confirmée : Jardin partagé");
    assert_eq!(confirmed.len(), 1, "{:?}", sink.mails());
    assert!(
        confirmed[0]
            .body
            .contains("avec Jardin des voisins est confirmée"),
        "{}",
        confirmed[0].body
    );
    assert!(
        confirmed[0]
            .body
            .contains("Mission : https://voisins.example/m/1"),
        "{}",
        confirmed[0].body
    );
    // The same Accept redelivered: one email.
    store
        .record_join_answer(&join, true, "", common::start())
        .await
        .unwrap();
    assert_eq!(work(t).await, 0);

    let ctx = t.app.context();
    assert_eq!(
        notify::scan_reminders(&ctx, common::start()).await.unwrap(),
        1
    );
    assert_eq!(work(t).await, 1);
    assert_eq!(sink.with_subject("Rappel : Jardin partagé").len(), 1);

    // Their node moves the slot (an Update of the mission with its slots): alice is told.
    let moved = start + Duration::hours(2);
    let doc: entraide::federation::protocol::EventJson = serde_json::from_value(json!({
        "type": "Event", "id": "https://voisins.example/m/1",
        "attributedTo": "https://voisins.example/g/jardin", "name": "Jardin partagé",
        "startTime": start.to_rfc3339(),
        "slots": [{
            "type": "Event", "id": "https://voisins.example/s/1",
            "attributedTo": "https://voisins.example/g/jardin", "name": "Jardin partagé",
            "superEvent": "https://voisins.example/m/1",
            "startTime": moved.to_rfc3339(), "endTime": (moved + Duration::hours(3)).to_rfc3339(),
            "maximumAttendeeCapacity": 4, "participantCount": 1,
            "updated": (common::start() + Duration::seconds(1)).to_rfc3339()
        }]
    }))
    .unwrap();
    entraide::federation::objects::store_remote_slots(&doc, &m, &ctx)
        .await
        .unwrap();
    assert_eq!(work(t).await, 1);
    let moved_mail = sink.with_subject("Créneau modifié : Jardin partagé");
    assert_eq!(moved_mail.len(), 1, "{:?}", sink.mails());
    assert_eq!(moved_mail[0].to, "alice@example.test");
    // The same document again changes nothing and tells nobody twice.
    entraide::federation::objects::store_remote_slots(&doc, &m, &ctx)
        .await
        .unwrap();
    assert_eq!(work(t).await, 0);
}

#[tokio::test]
async fn a_coordinator_writes_to_everyone_signed_up_for_a_slot() {
    let sink = SmtpSink::start();
    let s = scene(node(Some(&sink), None).await).await;
    let t = &s.t;
    let slot = s.slot(3 * 24 * 60, 2).await;
    let p = s.sign_up(&slot).await;
    s.decide(&p, "accept", None).await;
    // A guest with an email address and one with a phone number only.
    for (name, contact) in [
        ("Mme Le Gall", "legall@example.test"),
        ("M. Tanguy", "06 12 34 56 78"),
    ] {
        t.api(
            Method::POST,
            &format!("/api/v1/slots/{}/guests", slot["id"]),
            Some(&s.coord),
            Some(&json!({"name": name, "contact": contact})),
        )
        .await
        .expect(201);
    }
    while work(t).await > 0 {}
    let before = sink.mails().len();
    let path = format!("/api/v1/slots/{}/message", slot["id"]);
    // Only coordinators write, and the text must be there.
    t.api(
        Method::POST,
        &path,
        Some(&s.alice),
        Some(&json!({"text": "Coucou"})),
    )
    .await
    .expect(403);
    let empty = t
        .api(
            Method::POST,
            &path,
            Some(&s.coord),
            Some(&json!({"text": "  "})),
        )
        .await;
    empty.expect(422);
    assert!(empty.json()["fields"]["text"].is_string());
    let res = t
        .api(
            Method::POST,
            &path,
            Some(&s.coord),
            Some(&json!({"text": "Rendez-vous devant la porte à 8 h 45.\nMerci !"})),
        )
        .await;
    res.expect(200);
    assert_eq!(
        res.json()["recipients"],
        3,
        "alice, and both guests (one recorded as skipped)"
    );
    while work(t).await > 0 {}
    let mails = sink.with_subject("Message de Épicerie solidaire : Distribution du samedi");
    let mut to: Vec<&str> = mails.iter().map(|m| m.to.as_str()).collect();
    to.sort_unstable();
    assert_eq!(
        to,
        vec!["alice@example.test", "legall@example.test"],
        "{:?}",
        sink.mails()
    );
    assert!(
        mails[0]
            .body
            .contains("Rendez-vous devant la porte à 8 h 45."),
        "{}",
        mails[0].body
    );
    assert_eq!(sink.mails().len(), before + 2);
}

/// Shared equipment: the owner's coordinators hear of a request, the borrower's of the answer
/// (with the reason of a refusal) and of a cancellation; reminders before the pickup and the
/// return and the overdue notice reach both parties, each once.
#[tokio::test]
async fn equipment_reservations_are_told_by_email() {
    use entraide::{
        domain::resource::ReservationState,
        storage::{NewReservation, ReservationMove, ReserveOutcome},
    };
    python_ready();
    let sink = SmtpSink::start();
    let t = node(Some(&sink), None).await;
    let store = t.store();
    for (name, email) in [
        ("alice", "alice@example.test"),
        ("carol", "carol@example.test"),
    ] {
        accounts::create_user(
            store,
            BASE,
            HOST,
            name,
            Some(email),
            Some("a long password"),
            t.now(),
        )
        .await
        .unwrap();
    }
    let alice = accounts::create_token(store, "alice", "t", t.now())
        .await
        .unwrap();
    let carol = accounts::create_token(store, "carol", "t", t.now())
        .await
        .unwrap();
    t.association("materiel", "alice").await;
    let fete = t.association("fete", "carol").await;
    let res = t
        .api(
            Method::POST,
            "/api/v1/associations/materiel/resources",
            Some(&alice),
            Some(&json!({"name": "Chaises", "quantity": 80, "min_notice_hours": 1, "max_days": 5})),
        )
        .await;
    res.expect(201);
    let chairs = res.json()["id"].as_i64().unwrap();
    let ask = |quantity: i64, day: i64| json!({"borrower": "fete", "quantity": quantity, "start": at(60 * 24 * day), "end": at(60 * 24 * day + 120)});
    let url = format!("/api/v1/resources/{chairs}/reservations");
    let first = t
        .api(Method::POST, &url, Some(&carol), Some(&ask(3, 5)))
        .await;
    first.expect(201);
    work(&t).await;
    let asked = sink.with_subject("Demande de prêt : 3 × Chaises");
    assert_eq!(asked.len(), 1, "{:?}", sink.mails());
    assert!(
        asked[0].rcpt.contains("alice@example.test"),
        "{:?}",
        asked[0]
    );
    let id = first.json()["id"].as_i64().unwrap();
    t.api(
        Method::POST,
        &format!("/api/v1/reservations/{id}/accept"),
        Some(&alice),
        None,
    )
    .await
    .expect(200);
    work(&t).await;
    let second = t
        .api(Method::POST, &url, Some(&carol), Some(&ask(2, 6)))
        .await;
    let id2 = second.json()["id"].as_i64().unwrap();
    t.api(
        Method::POST,
        &format!("/api/v1/reservations/{id2}/refuse"),
        Some(&alice),
        Some(&json!({"reason": "déjà prêtées ce jour-là"})),
    )
    .await
    .expect(200);
    work(&t).await;
    t.api(
        Method::POST,
        &format!("/api/v1/reservations/{id}/cancel"),
        Some(&carol),
        None,
    )
    .await
    .expect(200);
    work(&t).await;
    let accepted = sink.with_subject("Réservation acceptée : 3 × Chaises");
    assert_eq!(accepted.len(), 1);
    assert!(accepted[0].rcpt.contains("carol@example.test"));
    assert!(accepted[0].body.contains(&format!("/reservations/{id}")));
    let refused = sink.with_subject("Réservation refusée : 2 × Chaises");
    assert_eq!(refused.len(), 1);
    assert!(
        refused[0]
            .body
            .contains("Motif indiqué : déjà prêtées ce jour-là"),
        "{}",
        refused[0].body
    );
    let cancelled = sink.with_subject("Réservation annulée : 3 × Chaises");
    assert_eq!(
        cancelled.len(),
        1,
        "the borrower cancelled: the owner is told"
    );
    assert!(cancelled[0].rcpt.contains("alice@example.test"));

    // Loans recorded straight in the store: one to pick up in 30 hours, one out until in 20
    // hours, one that was due an hour ago.
    let now = t.now();
    let loan = |offer: &str, start: i64, end: i64| NewReservation {
        resource_id: chairs,
        offer_id: format!("{BASE}/offers/{offer}"),
        borrower_actor_id: Some(fete.id),
        quantity: 1,
        start: now + Duration::hours(start),
        end: now + Duration::hours(end),
        automatic: true,
        agreement_id: Some(format!("{BASE}/agreements/{offer}")),
    };
    let mut ids = Vec::new();
    for (offer, s, e) in [("soon", 30, 40), ("out", -20, 20), ("late", -30, -1)] {
        let ReserveOutcome::Recorded(r) = store.reserve(loan(offer, s, e), now).await.unwrap()
        else {
            panic!("recorded")
        };
        ids.push(r.id);
    }
    for id in &ids[1..] {
        let step = ReservationMove {
            to: ReservationState::PickedUp,
            from: vec![ReservationState::Accepted],
            reason: String::new(),
            notes: None,
            agreement_id: None,
            by_owner: true,
            check_pool: true,
        };
        store.move_reservation(*id, &step, now).await.unwrap();
    }
    work(&t).await;
    let ctx = t.app.context();
    // Ten hours from now: the pickup is within a day.
    let later = now + Duration::hours(10);
    let recorded = notify::reservations::scan(&ctx, later).await.unwrap();
    assert_eq!(recorded, 6, "three notices, to both parties");
    assert_eq!(
        notify::reservations::scan(&ctx, later).await.unwrap(),
        0,
        "each once"
    );
    work(&t).await;
    for subject in [
        "Retrait demain : 1 × Chaises",
        "Retour demain : 1 × Chaises",
        "En retard : 1 × Chaises",
    ] {
        let mails = sink.with_subject(subject);
        let to: Vec<&str> = mails.iter().map(|m| m.rcpt.as_str()).collect();
        assert_eq!(mails.len(), 2, "{subject}: {to:?}");
        assert!(
            to.iter().any(|r| r.contains("alice@")) && to.iter().any(|r| r.contains("carol@")),
            "{subject}: {to:?}"
        );
    }
    let (_, late) = (
        (),
        t.api(
            Method::GET,
            &format!("/api/v1/reservations/{}", ids[2]),
            Some(&carol),
            None,
        )
        .await
        .json(),
    );
    assert_eq!(late["shown_state"], "overdue");
}
