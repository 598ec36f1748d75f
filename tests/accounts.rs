//! People come in by themselves (issue 14), in process: registration on an open, approval or
//! closed node; the confirmation link (valid, reused, expired) and no sign-up before it; a new
//! password by email (once, expiring, closing sessions); changes of address, password and
//! names; the brakes; bad input. The emails are read from the node's mail queue; one test sends
//! them through a real SMTP server (aiosmtpd) and follows the link it received.

#![allow(clippy::unwrap_used)]

mod common;

use axum::{
    body::Body,
    http::{header, Method, Request},
};
use chrono::Duration;
use common::{smtp::SmtpSink, test_config, Resp, TestApp};
use entraide::{notify::mail, service::accounts, storage::Notification};
use serde_json::json;

const PASSWORD: &str = "a long password";

/// A node with `registration = mode`; sending email (to nowhere: no worker runs) when `smtp`.
async fn node(mode: &str, smtp: bool) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.accounts.registration = serde_json::from_value(json!(mode)).unwrap();
    config.smtp.enabled = smtp;
    TestApp::with_config(config, dir).await
}

async fn register(t: &TestApp, name: &str, email: &str) -> Resp {
    let body = json!({"username": name, "email": email, "password": PASSWORD,
                      "full_name": "Anne Kerhervé", "language": "en"});
    t.api(Method::POST, "/api/v1/accounts", None, Some(&body))
        .await
}

/// The emails queued so far, oldest first.
async fn queued(t: &TestApp) -> Vec<Notification> {
    let mut all = t.store().list_notifications(None, 500).await.unwrap();
    all.reverse();
    all
}

/// The last queued email of `kind` to `to`.
async fn last_mail(t: &TestApp, kind: &str, to: &str) -> Notification {
    queued(t)
        .await
        .into_iter()
        .rev()
        .find(|n| n.kind == kind && n.recipient == to)
        .unwrap_or_else(|| panic!("no {kind} email to {to}"))
}

/// The token of the link to `path` in an email body.
fn token_in(body: &str, path: &str) -> String {
    let start = body
        .find(&format!("{path}?token="))
        .unwrap_or_else(|| panic!("no link to {path} in {body}"));
    let rest = &body[start + path.len() + "?token=".len()..];
    rest.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

async fn token_for(t: &TestApp, login: &str) -> Resp {
    let body = json!({"username": login, "password": PASSWORD});
    t.api(Method::POST, "/api/v1/auth/token", None, Some(&body))
        .await
}

async fn confirm(t: &TestApp, token: &str) -> Resp {
    t.api(
        Method::POST,
        "/api/v1/accounts/confirm",
        None,
        Some(&json!({ "token": token })),
    )
    .await
}

/// A coordinator's mission with one slot in March 2030; the slot's sign-up path.
async fn a_slot(t: &TestApp) -> String {
    let (_, alice) = t.user("alice").await;
    t.association("epicerie", "alice").await;
    let body = json!({
        "title": "Distribution du samedi", "locality": "Brest", "category": "solidarity",
        "join_mode": "free", "start_time": "2030-03-01T08:00", "end_time": "2030-03-31T20:00"
    });
    let m = t.publish("epicerie", &alice, &body).await;
    let path = format!("/api/v1/missions/{}/slots", m.json()["id"]);
    let slots = json!({"slots": [{"start_time": "2030-03-02T09:00", "end_time": "2030-03-02T12:00", "capacity": 3}]});
    let s = t.api(Method::POST, &path, Some(&alice), Some(&slots)).await;
    s.expect(201);
    format!(
        "/api/v1/slots/{}/participations",
        s.json()["slots"][0]["id"]
    )
}

/// Camille's account, confirmed, with an email address and `PASSWORD`.
async fn camille(t: &TestApp) {
    accounts::create_user(
        t.store(),
        common::BASE,
        common::HOST,
        "camille",
        Some("camille@example.org"),
        Some(PASSWORD),
        t.now(),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn an_open_node_registers_and_the_link_confirms_once_then_sign_ups_open() {
    let t = node("open", true).await;
    let slot = a_slot(&t).await;
    let res = register(&t, "anne", "Anne@Example.org").await;
    res.expect(202);
    assert_eq!(res.json()["status"], "check_email");

    // Logged in, but no sign-up before the address is confirmed: a clear 403.
    let login = token_for(&t, "anne").await;
    login.expect(201);
    let anne = login.json()["token"].as_str().unwrap().to_string();
    let me = t.api(Method::GET, "/api/v1/me", Some(&anne), None).await;
    me.expect(200);
    let me = me.json();
    assert_eq!(me["full_name"], "Anne Kerhervé");
    assert_eq!(me["display_name"], "anne");
    assert_eq!(me["email_confirmed"], false);
    assert_eq!(me["state"], "active");
    let refused = t.api(Method::POST, &slot, Some(&anne), None).await;
    refused.expect(403);
    assert_eq!(refused.json()["error"], "email_unconfirmed");
    assert!(refused.json()["message"]
        .as_str()
        .unwrap()
        .contains("/api/v1/me/email/confirmation"));

    // The email, in English (the language given), with its link.
    let mail = last_mail(&t, "acc_confirm", "Anne@Example.org").await;
    assert_eq!(mail.status, "pending");
    assert!(
        mail.subject.starts_with("Confirm your email"),
        "{}",
        mail.subject
    );
    assert!(
        mail.body_text.contains("Anne Kerhervé"),
        "{}",
        mail.body_text
    );
    let token = token_in(&mail.body_text, "/register/confirm");

    confirm(&t, "not-a-token").await.expect(410);
    let done = confirm(&t, &token).await;
    done.expect(200);
    assert_eq!(done.json()["name"], "anne");
    let reused = confirm(&t, &token).await;
    reused.expect(410);
    assert_eq!(reused.json()["error"], "link_invalid");

    t.api(Method::POST, &slot, Some(&anne), None)
        .await
        .expect(201);
}

/// The same flow on PostgreSQL: register, confirm once, sign up, reset the password once.
#[tokio::test]
async fn registration_confirmation_and_reset_on_postgres() {
    let Some(db) = common::PgDb::fresh("accounts_flow").await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.database.url = db.url.clone();
    config.smtp.enabled = true;
    let t = TestApp::with_config(config, dir).await;
    assert_eq!(t.store().backend(), "postgres");
    let slot = a_slot(&t).await;
    register(&t, "anne", "anne@example.org").await.expect(202);
    let anne = token_for(&t, "anne").await.json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    t.api(Method::POST, &slot, Some(&anne), None)
        .await
        .expect(403);
    let token = token_in(
        &last_mail(&t, "acc_confirm", "anne@example.org")
            .await
            .body_text,
        "/register/confirm",
    );
    confirm(&t, &token).await.expect(200);
    confirm(&t, &token).await.expect(410);
    t.api(Method::POST, &slot, Some(&anne), None)
        .await
        .expect(201);
    let ask = json!({"email": "ANNE@example.org"});
    t.api(
        Method::POST,
        "/api/v1/auth/password-reset",
        None,
        Some(&ask),
    )
    .await
    .expect(202);
    let reset = token_in(
        &last_mail(&t, "acc_reset", "anne@example.org")
            .await
            .body_text,
        "/password/reset",
    );
    let body = json!({"token": reset, "password": "a new long password"});
    let path = "/api/v1/auth/password-reset/confirm";
    t.api(Method::POST, path, None, Some(&body))
        .await
        .expect(204);
    t.api(Method::POST, path, None, Some(&body))
        .await
        .expect(410);
}

#[tokio::test]
async fn a_confirmation_link_expires_and_a_new_one_replaces_it() {
    let t = node("open", true).await;
    register(&t, "anne", "anne@example.org").await.expect(202);
    let first = token_in(
        &last_mail(&t, "acc_confirm", "anne@example.org")
            .await
            .body_text,
        "/register/confirm",
    );
    t.clock.advance(Duration::hours(49));
    confirm(&t, &first).await.expect(410);

    // Sent again on demand; the earlier link stays dead, the new one works.
    let login = token_for(&t, "anne").await;
    let anne = login.json()["token"].as_str().unwrap().to_string();
    let again = t
        .api(
            Method::POST,
            "/api/v1/me/email/confirmation",
            Some(&anne),
            None,
        )
        .await;
    again.expect(202);
    assert_eq!(again.json()["status"], "sent");
    let second = token_in(
        &last_mail(&t, "acc_confirm", "anne@example.org")
            .await
            .body_text,
        "/register/confirm",
    );
    assert_ne!(first, second);
    confirm(&t, &second).await.expect(200);
    let after = t
        .api(
            Method::POST,
            "/api/v1/me/email/confirmation",
            Some(&anne),
            None,
        )
        .await;
    assert_eq!(after.json()["status"], "already_confirmed");
}

#[tokio::test]
async fn an_approval_node_keeps_new_accounts_waiting_for_an_administrator() {
    let t = node("approval", true).await;
    let (_, admin) = t.user("root").await; // the first account: administrator
    let (_, someone) = t.user("someone").await;
    let res = register(&t, "anne", "anne@example.org").await;
    res.expect(202);
    assert_eq!(res.json()["status"], "awaiting_approval");
    let login = token_for(&t, "anne").await;
    login.expect(403);
    assert_eq!(login.json()["error"], "awaiting_approval");

    let list = "/api/v1/admin/accounts?state=pending";
    t.api(Method::GET, list, Some(&someone), None)
        .await
        .expect(403);
    t.api(
        Method::GET,
        "/api/v1/admin/accounts?state=nope",
        Some(&admin),
        None,
    )
    .await
    .expect(422);
    let waiting = t.api(Method::GET, list, Some(&admin), None).await;
    waiting.expect(200);
    let accounts = waiting.json()["accounts"].as_array().unwrap().clone();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0]["name"], "anne");
    assert_eq!(accounts[0]["full_name"], "Anne Kerhervé");
    let id = accounts[0]["id"].as_i64().unwrap();

    let approve = format!("/api/v1/admin/accounts/{id}/approve");
    t.api(Method::POST, &approve, Some(&someone), None)
        .await
        .expect(403);
    let done = t.api(Method::POST, &approve, Some(&admin), None).await;
    done.expect(200);
    assert_eq!(done.json()["state"], "active");
    t.api(Method::POST, &approve, Some(&admin), None)
        .await
        .expect(409);
    let told = last_mail(&t, "acc_approved", "anne@example.org").await;
    assert!(told.body_text.contains("/login"), "{}", told.body_text);
    token_for(&t, "anne").await.expect(201);

    // Refused: told too, and the account stays out.
    register(&t, "bruno", "bruno@example.org").await.expect(202);
    let bruno = t.store().find_user_by_name("bruno").await.unwrap().unwrap();
    let refuse = format!("/api/v1/admin/accounts/{}/refuse", bruno.id);
    t.api(Method::POST, &refuse, Some(&admin), None)
        .await
        .expect(200);
    last_mail(&t, "acc_refused", "bruno@example.org").await;
    assert_eq!(
        token_for(&t, "bruno").await.json()["error"],
        "account_refused"
    );

    // The administrators' page lists who waits.
    register(&t, "carla", "carla@example.org").await.expect(202);
    let admin_cookie = {
        let res = t
            .form("/login", None, &[("name", "root"), ("password", PASSWORD)])
            .await;
        res.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string()
    };
    let html = t.get_with("/admin/accounts", "cookie", &admin_cookie).await;
    assert_eq!(html.status, 200);
    assert!(html.text().contains("carla") && !html.text().contains("bruno"));
}

#[tokio::test]
async fn a_closed_node_says_so_on_the_page_and_answers_403() {
    let t = node("closed", true).await;
    let res = register(&t, "anne", "anne@example.org").await;
    res.expect(403);
    assert_eq!(res.json()["error"], "registration_closed");
    assert!(t.store().find_user_by_name("anne").await.unwrap().is_none());
    let page = (t.get("/register").await).html();
    assert!(page.contains("n'accepte pas de nouveaux comptes"), "{page}");
    assert!(!page.contains(r#"action="/register""#));
    let login = t.get("/login").await.text();
    assert!(
        !login.contains(r#"href="/register""#),
        "no link to a closed registration"
    );
    assert!(login.contains(r#"href="/password/forgot""#));
}

#[tokio::test]
async fn bad_input_is_refused_field_by_field_and_a_taken_email_is_not_revealed() {
    let t = node("open", true).await;
    let bad = json!({"username": "Anne Marie", "email": "nope", "password": "short",
                     "full_name": "x".repeat(101), "language": "de"});
    let res = t
        .api(Method::POST, "/api/v1/accounts", None, Some(&bad))
        .await;
    res.expect(422);
    let fields = res.json()["fields"].clone();
    for f in ["username", "email", "password", "full_name", "language"] {
        assert!(fields[f].is_string(), "{f}: {fields}");
    }
    t.api(
        Method::POST,
        "/api/v1/accounts",
        None,
        Some(&json!({"username": "x"})),
    )
    .await
    .expect(422);

    register(&t, "anne", "anne@example.org").await.expect(202);
    let taken = register(&t, "anne", "other@example.org").await;
    taken.expect(422);
    assert_eq!(taken.json()["fields"]["username"], "is taken already");
    // An association's name is taken as well.
    t.user("alice").await;
    t.association("epicerie", "alice").await;
    register(&t, "epicerie", "x@example.org").await.expect(422);

    // The same answer as a success; the address's owner hears of it; no account is made.
    let same = register(&t, "anne2", "ANNE@example.org").await;
    same.expect(202);
    assert_eq!(same.json()["status"], "check_email");
    assert!(t
        .store()
        .find_user_by_name("anne2")
        .await
        .unwrap()
        .is_none());
    let told = last_mail(&t, "acc_address_in_use", "ANNE@example.org").await;
    assert!(
        told.body_text.contains("/password/forgot"),
        "{}",
        told.body_text
    );

    // The web form says what is wrong, in French, next to each field.
    let html = t
        .form(
            "/register",
            None,
            &[
                ("username", "anne"),
                ("email", "a@b"),
                ("password", "x"),
                ("full_name", ""),
            ],
        )
        .await;
    assert_eq!(html.status, 422);
    let text = html.html();
    assert!(text.contains("Cet identifiant est déjà pris"), "{text}");
    assert!(
        text.contains("Ce n'est pas une adresse e-mail valide"),
        "{text}"
    );
    assert!(text.contains("Écrivez au moins 8 caractères"), "{text}");
    assert!(
        !text.contains(r#"value="x""#),
        "the password is never shown again"
    );
}

#[tokio::test]
async fn a_reset_link_works_once_within_the_hour_and_closes_the_sessions() {
    let t = node("open", true).await;
    camille(&t).await;
    let cookie = t.web_login("camille", PASSWORD).await;
    assert_eq!(
        t.get_with("/me/account", "cookie", &cookie).await.status,
        200
    );

    let ask = |email: &'static str| {
        let t = &t;
        async move {
            t.api(
                Method::POST,
                "/api/v1/auth/password-reset",
                None,
                Some(&json!({ "email": email })),
            )
            .await
        }
    };
    let before = queued(&t).await.len();
    let unknown = ask("nobody@example.org").await;
    unknown.expect(202);
    assert_eq!(
        queued(&t).await.len(),
        before,
        "no email for an unknown address"
    );
    let known = ask("Camille@example.org").await;
    known.expect(202);
    assert_eq!(known.json(), unknown.json(), "the same answer");
    let first = token_in(
        &last_mail(&t, "acc_reset", "camille@example.org")
            .await
            .body_text,
        "/password/reset",
    );
    t.clock.advance(Duration::minutes(61));
    let reset = |token: String, password: &'static str| {
        let t = &t;
        async move {
            t.api(
                Method::POST,
                "/api/v1/auth/password-reset/confirm",
                None,
                Some(&json!({ "token": token, "password": password })),
            )
            .await
        }
    };
    reset(first, "a new long password").await.expect(410);

    ask("camille@example.org").await.expect(202);
    let second = token_in(
        &last_mail(&t, "acc_reset", "camille@example.org")
            .await
            .body_text,
        "/password/reset",
    );
    reset(second.clone(), "short").await.expect(422);
    reset(second.clone(), "a new long password")
        .await
        .expect(204);
    reset(second, "another long password").await.expect(410);

    // The session opened before is closed; the old password is gone.
    let after = t.get_with("/me/account", "cookie", &cookie).await;
    assert_eq!(after.status, 303, "back to the login page");
    token_for(&t, "camille").await.expect(401);
    let body = json!({"username": "camille", "password": "a new long password"});
    t.api(Method::POST, "/api/v1/auth/token", None, Some(&body))
        .await
        .expect(201);
}

#[tokio::test]
async fn reset_requests_and_registrations_are_braked() {
    let t = node("open", true).await;
    for _ in 0..3 {
        t.api(
            Method::POST,
            "/api/v1/auth/password-reset",
            None,
            Some(&json!({"email": "someone@example.org"})),
        )
        .await
        .expect(202);
    }
    let braked = t
        .api(
            Method::POST,
            "/api/v1/auth/password-reset",
            None,
            Some(&json!({"email": "Someone@example.org"})),
        )
        .await;
    braked.expect(429);
    assert!(braked.headers.contains_key(header::RETRY_AFTER));

    // Ten registrations from one address an hour.
    let from = std::net::SocketAddr::from(([192, 0, 2, 7], 40000));
    let send = |i: usize| {
        let t = &t;
        async move {
            let body = json!({"username": format!("p{i}"), "email": format!("p{i}@example.org"),
                              "password": PASSWORD});
            let mut req = Request::post("/api/v1/accounts")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap();
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(from));
            t.send(req).await
        }
    };
    for i in 0..10 {
        send(i).await.expect(202);
    }
    send(10).await.expect(429);

    // Three confirmation emails sent again an hour, per account.
    let p0 = token_for(&t, "p0").await.json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let resend = || {
        t.api(
            Method::POST,
            "/api/v1/me/email/confirmation",
            Some(&p0),
            None,
        )
    };
    for _ in 0..3 {
        resend().await.expect(202);
    }
    let braked = resend().await;
    braked.expect(429);
    assert!(braked.headers.contains_key(header::RETRY_AFTER));
    assert!(t.store().find_user_by_name("p10").await.unwrap().is_none());
    t.clock.advance(Duration::minutes(61));
    send(11).await.expect(202);
}

#[tokio::test]
async fn names_language_password_and_address_change_from_the_profile() {
    let t = node("open", true).await;
    camille(&t).await;
    let token = token_for(&t, "camille").await.json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let tok = Some(token.as_str());
    let changed = t
        .api(
            Method::PATCH,
            "/api/v1/me",
            tok,
            Some(&json!({"full_name": "Camille Le Goff", "display_name": "Camille", "language": "en"})),
        )
        .await;
    changed.expect(200);
    let me = changed.json();
    assert_eq!(
        (&me["full_name"], &me["display_name"], &me["language"]),
        (&json!("Camille Le Goff"), &json!("Camille"), &json!("en"))
    );
    let actor = t
        .get_with("/u/camille", "accept", "application/activity+json")
        .await;
    assert_eq!(
        actor.json()["name"],
        "Camille",
        "the fediverse shows the new name"
    );
    t.api(
        Method::PATCH,
        "/api/v1/me",
        tok,
        Some(&json!({"language": "de"})),
    )
    .await
    .expect(422);

    // The address: the current password is needed; the link goes to the new one.
    let move_to = |password: &'static str, email: &'static str| {
        let t = &t;
        let token = token.clone();
        async move {
            t.api(
                Method::POST,
                "/api/v1/me/email",
                Some(&token),
                Some(&json!({"current_password": password, "email": email})),
            )
            .await
        }
    };
    let wrong = move_to("not my password", "new@example.org").await;
    wrong.expect(422);
    assert_eq!(
        wrong.json()["fields"]["current_password"],
        "is not the current password"
    );
    move_to(PASSWORD, "camille@example.org").await.expect(422);
    // Another account's address: the same answer, its owner is told, nothing changes.
    accounts::create_user(
        t.store(),
        common::BASE,
        common::HOST,
        "dana",
        Some("dana@example.org"),
        None,
        t.now(),
    )
    .await
    .unwrap();
    move_to(PASSWORD, "dana@example.org").await.expect(202);
    let warned = last_mail(&t, "acc_address_in_use", "dana@example.org").await;
    assert!(
        !warned.body_text.contains("Camille"),
        "{}",
        warned.body_text
    );
    assert!(queued(&t).await.iter().all(|n| n.kind != "acc_new_address"));
    move_to(PASSWORD, "new@example.org").await.expect(202);
    let link = last_mail(&t, "acc_new_address", "new@example.org").await;
    assert!(
        link.subject.starts_with("Confirm your new email"),
        "in English now"
    );
    let told = last_mail(&t, "acc_address_changing", "camille@example.org").await;
    assert!(
        !told.body_text.contains("token="),
        "the old address gets no link"
    );
    let user = t
        .store()
        .find_user_by_name("camille")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        user.email.as_deref(),
        Some("camille@example.org"),
        "until confirmed"
    );
    confirm(&t, &token_in(&link.body_text, "/register/confirm"))
        .await
        .expect(200);
    let me = t.api(Method::GET, "/api/v1/me", tok, None).await.json();
    assert_eq!(me["email"], "new@example.org");

    // The password: the current one is needed; the web sessions end.
    let cookie = t.web_login("camille", PASSWORD).await;
    t.api(
        Method::POST,
        "/api/v1/me/password",
        tok,
        Some(&json!({"current_password": "wrong password", "new_password": "a fresh password"})),
    )
    .await
    .expect(422);
    t.api(
        Method::POST,
        "/api/v1/me/password",
        tok,
        Some(&json!({"current_password": PASSWORD, "new_password": "a fresh password"})),
    )
    .await
    .expect(204);
    assert_eq!(
        t.get_with("/me/account", "cookie", &cookie).await.status,
        303
    );
}

#[tokio::test]
async fn the_web_pages_register_confirm_and_change_the_password_keeping_this_session() {
    let t = node("open", true).await;
    let login = t.get("/login").await.text();
    assert!(
        !login.contains("reçus"),
        "no more 'identifiers you were given'"
    );
    assert!(login.contains(r#"href="/register""#) && login.contains(r#"href="/password/forgot""#));
    let guide = (t.get("/guide/compte").await).html();
    assert!(
        guide.contains("<h1>Créer mon compte, m'inscrire, retrouver mes heures</h1>"),
        "{guide}"
    );

    let done = t
        .form(
            "/register",
            None,
            &[
                ("username", "anne"),
                ("email", "anne@example.org"),
                ("password", PASSWORD),
                ("full_name", "Anne Kerhervé"),
            ],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(
        done.text().contains("vérifiez vos e-mails"),
        "{}",
        done.text()
    );
    // Registered from a French page: the email is in French.
    let mail = last_mail(&t, "acc_confirm", "anne@example.org").await;
    assert!(
        mail.subject.starts_with("Confirmez votre adresse"),
        "{}",
        mail.subject
    );
    let token = token_in(&mail.body_text, "/register/confirm");

    // The unconfirmed account's page says so, with the button to send the link again.
    let cookie = t.web_login("anne", PASSWORD).await;
    let account = t.get_with("/me/account", "cookie", &cookie).await;
    assert!(account.text().contains("/me/account/resend"));
    let csrf = common::csrf_in(&account.text());

    // Opening the link changes nothing; the button confirms.
    let opened = t.get(&format!("/register/confirm?token={token}")).await;
    assert_eq!(opened.status, 200);
    assert!(
        !t.store()
            .find_user_by_name("anne")
            .await
            .unwrap()
            .unwrap()
            .email_confirmed
    );
    let confirmed = t
        .form("/register/confirm", None, &[("token", &token)])
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text());
    let again = t
        .form("/register/confirm", None, &[("token", &token)])
        .await;
    assert_eq!(again.status, 410);
    assert!(again.html().contains("déjà servi"), "{}", again.html());

    // A new password from the page: this session stays, the other one ends.
    let other = t.web_login("anne", PASSWORD).await;
    let changed = t
        .form(
            "/me/account/password",
            Some(&cookie),
            &[
                ("csrf", &csrf),
                ("current_password", PASSWORD),
                ("new_password", "a fresh password"),
            ],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.text());
    assert_eq!(
        t.get_with("/me/account", "cookie", &cookie).await.status,
        200
    );
    assert_eq!(
        t.get_with("/me/account", "cookie", &other).await.status,
        303
    );
    let wrong = t
        .form(
            "/me/account/password",
            Some(&cookie),
            &[
                ("csrf", &csrf),
                ("current_password", "nope"),
                ("new_password", "x"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong
            .html()
            .contains("Ce n'est pas votre mot de passe actuel"),
        "{}",
        wrong.html()
    );
}

#[tokio::test]
async fn without_smtp_the_pages_say_so_and_the_operator_confirms() {
    let t = node("open", false).await;
    let page = (t.get("/register").await).html();
    assert!(
        page.contains("ne peut pas encore envoyer d'e-mails"),
        "{page}"
    );
    assert!(
        page.contains(r#"action="/register""#),
        "registration stays possible"
    );
    register(&t, "anne", "anne@example.org").await.expect(202);
    assert_eq!(
        last_mail(&t, "acc_confirm", "anne@example.org")
            .await
            .status,
        "skipped"
    );
    let user = entraide::service::registration::confirm_by_operator(t.store(), "anne")
        .await
        .unwrap();
    assert!(user.email_confirmed);
}

/// Through a real SMTP server: the confirmation email arrives, its link opens the page and
/// its button confirms the address.
#[tokio::test]
async fn the_confirmation_email_arrives_and_its_link_works() {
    let sink = SmtpSink::start();
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    config.smtp.enabled = true;
    config.smtp.host = "127.0.0.1".into();
    config.smtp.port = sink.port;
    config.smtp.security = entraide::config::SmtpSecurity::None;
    let t = TestApp::with_config(config, dir).await;
    register(&t, "anne", "anne@example.org").await.expect(202);
    let ctx = t.app.context();
    assert_eq!(mail::run_once(&ctx).await.unwrap(), 1);
    let mails = sink.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].to, "anne@example.org");
    let body = &mails[0].body;
    let start = body.find(common::BASE).unwrap();
    let url: String = body[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let path = url.strip_prefix(common::BASE).unwrap();
    let opened = t.get(path).await;
    assert_eq!(opened.status, 200);
    let token = token_in(body, "/register/confirm");
    assert!(opened.text().contains(&token));
    let done = t
        .form("/register/confirm", None, &[("token", &token)])
        .await;
    assert_eq!(done.status, 200);
    let anne = t.store().find_user_by_name("anne").await.unwrap().unwrap();
    assert!(anne.email_confirmed);
}

/// The full name, private, is what the association's hours export prints for the volunteer;
/// without one, the username.
#[tokio::test]
async fn documents_print_the_full_name_or_else_the_username() {
    let t = TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    let asso = t.association("epicerie", "alice").await;
    let (bob, bob_token) = t.user("bob").await;
    let (carl, carl_token) = t.user("carl").await;
    for (user, token) in [(&bob, &bob_token), (&carl, &carl_token)] {
        t.store()
            .set_member(asso.id, user.id, entraide::domain::account::Role::Member)
            .await
            .unwrap();
        let day = (t.now() - Duration::days(3)).date_naive().to_string();
        let mine = json!({"association": "epicerie", "date": day, "minutes": 60});
        t.api(Method::POST, "/api/v1/me/hours", Some(token), Some(&mine))
            .await
            .expect(201);
    }
    t.api(
        Method::PATCH,
        "/api/v1/me",
        Some(&bob_token),
        Some(&json!({"full_name": "Bob Le Bihan"})),
    )
    .await
    .expect(200);
    let csv = t
        .api(
            Method::GET,
            "/api/v1/associations/epicerie/hours/export.csv",
            Some(&alice),
            None,
        )
        .await;
    csv.expect(200);
    let text = csv.text();
    assert!(text.contains("Bob Le Bihan"), "{text}");
    assert!(text.contains("carl"), "{text}");
    let fields: Vec<&str> = text
        .lines()
        .flat_map(|l| l.split([',', ';']))
        .map(|f| f.trim_matches('"'))
        .collect();
    assert!(
        !fields.contains(&"bob"),
        "the username is not printed when a full name is: {text}"
    );
    assert!(fields.contains(&"carl"), "{text}");
}

/// From an invitation's page (`/register?next=…`): the form keeps where to come back to (a page
/// of this site only), and the page after registering logs in and goes back there.
#[tokio::test]
async fn a_registration_from_an_invitation_leads_back_to_it() {
    let t = node("open", true).await;
    let back = r#"href="/login?next=%2Finvitations%2Fabc""#;
    let page = (t.get("/register?next=%2Finvitations%2Fabc").await).html();
    assert!(
        page.contains(r#"name="next" value="/invitations/abc""#),
        "{page}"
    );
    assert!(
        page.contains(back),
        "the login link forgets the invitation: {page}"
    );
    let elsewhere = (t.get("/register?next=https%3A%2F%2Fevil.example%2F").await).html();
    assert!(
        !elsewhere.contains(r#"name="next""#) && !elsewhere.contains("evil.example"),
        "{elsewhere}"
    );

    let fields = |name: &'static str, next: &'static str| {
        [
            ("username", name),
            (
                "email",
                if name == "anne" {
                    "anne@example.org"
                } else {
                    "bob@example.org"
                },
            ),
            ("password", PASSWORD),
            ("next", next),
        ]
    };
    let done = t
        .form("/register", None, &fields("anne", "/invitations/abc"))
        .await;
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(done.html().contains(back), "{}", done.html());
    let plain = t
        .form("/register", None, &fields("bob", "//evil.example/"))
        .await;
    assert_eq!(plain.status, 200, "{}", plain.text());
    assert!(
        !plain.html().contains("/login?next=") && !plain.html().contains("evil.example"),
        "{}",
        plain.html()
    );
}

/// A refused registration lists every refused field at the top of the form, each linking to
/// its field (the page's list of errors is not hidden by the macro that prints it).
#[tokio::test]
async fn a_refused_registration_lists_each_refused_field_in_the_error_box() {
    let t = node("open", true).await;
    let page = t
        .form(
            "/register",
            None,
            &[
                ("username", "anne"),
                ("email", "not an address"),
                ("password", "court"),
                ("full_name", "Anne Kerhervé"),
            ],
        )
        .await
        .html();
    let start = page.find(r#"class="error-box""#).expect("an error box");
    let end = start + page[start..].find("</div>").expect("the box ends");
    let summary = &page[start..end];
    for field in ["email", "password"] {
        assert!(
            summary.contains(&format!(r##"<a href="#{field}">"##)),
            "the box links to {field}: {summary}"
        );
    }
}
