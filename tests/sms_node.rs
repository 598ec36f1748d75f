//! The node's message to its associations (issue 16): an administrator of the node writes once
//! to the coordinators and owners of every local association; each person receives it once, on
//! the channels they chose (email through a real SMTP server, SMS through the fake gateway of
//! `tests/sms_support`), the SMS counted against the node's own relay actor; a volunteer who
//! coordinates nothing receives nothing; a person who is not an administrator is refused.

#![allow(clippy::unwrap_used)]

mod common;
mod sms_support;

use axum::http::Method;
use common::{smtp::SmtpSink, TestApp};
use entraide::{
    config::Config,
    domain::{account::Role, actor::ActorKind},
    notify::{
        mail,
        mass::{self, Scope},
        sms,
    },
};
use serde_json::json;
use sms_support::FakeGateway;

async fn node(gateway: &FakeGateway, sink: &SmtpSink) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config: Config = common::test_config(dir.path());
    gateway.configure(&mut config);
    sink.configure(&mut config);
    TestApp::with_config(config, dir).await
}

/// A person with an email address and an API token.
async fn person(t: &TestApp, name: &str) -> (i64, String) {
    let email = format!("{name}@example.test");
    let (u, token) = t.user_with_email(name, &email).await;
    (u.id, token)
}

async fn send_sms(t: &TestApp) -> usize {
    sms::run_once(&t.app.context()).await.unwrap()
}

/// The person gives a number, confirms it and chooses messages by SMS.
async fn opt_in(t: &TestApp, gateway: &FakeGateway, token: &str) {
    let number = json!({"phone": "06 12 34 56 78"});
    t.api(Method::PUT, "/api/v1/me/phone", Some(token), Some(&number))
        .await
        .expect(202);
    assert_eq!(send_sms(t).await, 1);
    let (_, text) = gateway.accepted().pop().unwrap();
    let code: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
    let path = "/api/v1/me/phone/confirm";
    let res = t
        .api(
            Method::POST,
            path,
            Some(token),
            Some(&json!({"code": code})),
        )
        .await;
    res.expect(200);
    let choices = json!({"messages": true, "reminders": false});
    let res = t
        .api(
            Method::PUT,
            "/api/v1/me/phone/choices",
            Some(token),
            Some(&choices),
        )
        .await;
    res.expect(200);
}

#[tokio::test]
async fn the_node_writes_to_the_coordinators_of_its_associations() {
    let gateway = FakeGateway::start().await;
    let sink = SmtpSink::start();
    let t = node(&gateway, &sink).await;
    // camille: the node's first account (its administrator), owner of "epicerie".
    let (_, camille_token) = person(&t, "camille").await;
    let epicerie = t.association("epicerie", "camille").await;
    // bea owns "jardin" and coordinates "epicerie": she is told once.
    let (bea, bea_token) = person(&t, "bea").await;
    t.association_named("jardin", "bea", "Jardin partagé").await;
    t.store()
        .set_member(epicerie.id, bea, Role::Coordinator)
        .await
        .unwrap();
    // alice is a member of "epicerie" who coordinates nothing.
    let (alice, _) = person(&t, "alice").await;
    t.store()
        .set_member(epicerie.id, alice, Role::Member)
        .await
        .unwrap();
    opt_in(&t, &gateway, &bea_token).await;
    let before_mails = sink.mails().len();

    let text = "Assemblée des associations jeudi à 18h, salle du conseil.";
    let relay = t
        .store()
        .find_local_actor(ActorKind::Application.as_str(), "relay")
        .await
        .unwrap()
        .unwrap();
    let ctx = t.app.context();
    let reach = mass::preview(&ctx, &relay, Scope::Node, text, t.now())
        .await
        .unwrap();
    assert_eq!(
        (reach.people, reach.email, reach.sms, reach.unreachable),
        (2, 2, 1, 0),
        "{reach:?}"
    );

    // A person who is not an administrator may not open the form nor send.
    let bea_web = t.web_login("bea", "a long password").await;
    let res = t.get_with("/admin/messages/new", "cookie", &bea_web).await;
    res.expect(403);
    let csrf_bea = t.get_with("/me/sms", "cookie", &bea_web).await.csrf();
    let refused = t
        .form(
            "/admin/messages",
            Some(&bea_web),
            &[("csrf", &csrf_bea), ("text", text), ("action", "send")],
        )
        .await;
    refused.expect(403);

    // The administrator: the form, the preview, then the message sent and its log.
    let admin_web = t.web_login("camille", "a long password").await;
    let res = t
        .get_with("/admin/messages/new", "cookie", &admin_web)
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
    let fields = |action: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("request_key", key.clone()),
            ("text", text.to_string()),
            ("action", action.to_string()),
        ]
    };
    let post = |f: Vec<(&'static str, String)>| {
        let t = &t;
        let cookie = admin_web.clone();
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            t.form("/admin/messages", Some(&cookie), &pairs).await
        }
    };
    let preview = post(fields("preview")).await;
    preview.expect(200);
    assert!(preview.html().contains("Aperçu"), "{}", preview.html());
    let sent = post(fields("send")).await;
    sent.expect(303);
    let to = sent.headers["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/admin/messages/"), "{to}");
    // The same form sent again (a double click): the same message.
    let again = post(fields("send")).await;
    assert_eq!(again.headers["location"].to_str().unwrap(), to);

    mail::run_once(&ctx).await.unwrap();
    assert_eq!(send_sms(&t).await, 1);
    assert_eq!(send_sms(&t).await, 0);
    let mails: Vec<_> = sink.mails().into_iter().skip(before_mails).collect();
    let mut addresses: Vec<&str> = mails.iter().map(|m| m.to.as_str()).collect();
    addresses.sort();
    assert_eq!(
        addresses,
        ["bea@example.test", "camille@example.test"],
        "{mails:?}"
    );
    assert!(mails.iter().all(|m| m.body.contains(text)), "{mails:?}");
    let (number, words) = gateway.accepted().pop().unwrap();
    assert_eq!(number, "+33612345678");
    assert!(words.contains(text), "{words}");
    // Counted against the node's own relay actor's daily cap.
    let texted = t.store().sms_to("+33612345678", 10).await.unwrap();
    let last = texted.last().unwrap();
    assert_eq!(last.actor_id, Some(relay.id), "{last:?}");
    assert!(last.mass_message_id.is_some());

    let log = t.get_with(&to, "cookie", &admin_web).await;
    log.expect(200);
    let html = log.html();
    assert!(
        html.contains("+33612345678") && html.contains("bea@example.test"),
        "{html}"
    );
    assert!(!html.contains("alice@example.test"), "{html}");
    // Nor may she read the log.
    t.get_with(&to, "cookie", &bea_web).await.expect(403);

    // The same through the API: refused to bea, sent for the administrator.
    let body = json!({"text": "Rappel : assemblée jeudi."});
    let path = "/api/v1/admin/messages";
    t.api(Method::POST, path, Some(&bea_token), Some(&body))
        .await
        .expect(403);
    let res = t
        .api(Method::POST, path, Some(&camille_token), Some(&body))
        .await;
    res.expect(201);
    let reach = &res.json()["reach"];
    assert_eq!(
        (reach["people"].as_i64(), reach["sms"].as_i64()),
        (Some(2), Some(1)),
        "{reach}"
    );
}
