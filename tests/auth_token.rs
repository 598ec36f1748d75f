//! In-process tests of API tokens without the command line: logging in by name or email
//! (`POST /api/v1/auth/token`), the brake on failed logins, and listing and revoking one's
//! tokens (`/api/v1/me/tokens`).

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{header, Method};
use chrono::Duration;
use common::{TestApp, BASE, HOST};
use entraide::service::accounts;
use serde_json::{json, Value};

const PASSWORD: &str = "a long password";

/// A node with `camille` (email `Camille@Example.org`, password [`PASSWORD`]).
async fn node() -> TestApp {
    with_camille(TestApp::new().await).await
}

/// `t` with the account `camille`.
async fn with_camille(t: TestApp) -> TestApp {
    accounts::create_user(
        t.store(),
        BASE,
        HOST,
        "camille",
        Some("Camille@Example.org"),
        Some(PASSWORD),
        t.now(),
    )
    .await
    .unwrap();
    t
}

async fn log_in(t: &TestApp, body: Value) -> common::Resp {
    t.api(Method::POST, "/api/v1/auth/token", None, Some(&body))
        .await
}

#[tokio::test]
async fn an_app_logs_in_by_name_or_email_and_the_token_works() {
    let t = node().await;
    let by_name = log_in(
        &t,
        json!({"username": "camille", "password": PASSWORD, "label": "phone"}),
    )
    .await;
    by_name.expect(201);
    let by_name = by_name.json();
    assert_eq!(by_name["label"], "phone");
    assert!(by_name["id"].as_i64().is_some(), "{by_name}");
    let created: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(by_name["created_at"].clone()).unwrap();
    assert!((t.now() - created).num_seconds().abs() < 60, "{created}");
    let secret = by_name["token"].as_str().unwrap().to_string();
    assert!(secret.len() >= 40, "{secret}");

    let me = t.api(Method::GET, "/api/v1/me", Some(&secret), None).await;
    me.expect(200);
    assert_eq!(me.json()["name"], "camille", "{}", me.text());

    // The email, in any case; without a label, the token gets a default one.
    let by_email = log_in(
        &t,
        json!({"username": "camille@example.ORG", "password": PASSWORD}),
    )
    .await;
    by_email.expect(201);
    let by_email = by_email.json();
    assert_eq!(by_email["label"], "api");
    assert_ne!(by_email["token"], by_name["token"]);
    assert_ne!(by_email["id"], by_name["id"]);
    let other = by_email["token"].as_str().unwrap();
    t.api(Method::GET, "/api/v1/me", Some(other), None)
        .await
        .expect(200);
}

#[tokio::test]
async fn a_wrong_password_or_an_unknown_account_gets_the_same_401() {
    let t = node().await;
    let wrong = log_in(&t, json!({"username": "camille", "password": "not it"})).await;
    wrong.expect(401);
    let unknown = log_in(&t, json!({"username": "nobody", "password": PASSWORD})).await;
    unknown.expect(401);
    let unknown_email = log_in(
        &t,
        json!({"username": "nobody@example.org", "password": PASSWORD}),
    )
    .await;
    unknown_email.expect(401);
    let expected = json!({"error": "unauthorized", "message": "wrong name or password"});
    assert_eq!(wrong.json(), expected);
    assert_eq!(unknown.json(), expected);
    assert_eq!(unknown_email.json(), expected);
    // Missing fields and overlong labels are refused before any check.
    log_in(&t, json!({"username": "camille"})).await.expect(422);
    let long = "x".repeat(101);
    log_in(
        &t,
        json!({"username": "camille", "password": PASSWORD, "label": long}),
    )
    .await
    .expect(422);
}

#[tokio::test]
async fn people_list_their_tokens_without_secrets_and_revoke_them() {
    let t = node().await;
    let (_, bob_token) = t.user("bob").await;
    let first = log_in(
        &t,
        json!({"username": "camille", "password": PASSWORD, "label": "phone"}),
    )
    .await
    .json();
    t.clock.advance(Duration::minutes(5));
    let second = log_in(
        &t,
        json!({"username": "camille", "password": PASSWORD, "label": "laptop"}),
    )
    .await
    .json();
    let (first_secret, second_secret) = (
        first["token"].as_str().unwrap(),
        second["token"].as_str().unwrap(),
    );

    let list = t
        .api(Method::GET, "/api/v1/me/tokens", Some(first_secret), None)
        .await;
    list.expect(200);
    let list = list.json();
    assert_eq!(
        list,
        json!({"tokens": [
            {"id": first["id"], "label": "phone", "created_at": first["created_at"]},
            {"id": second["id"], "label": "laptop", "created_at": second["created_at"]},
        ]})
    );
    assert!(!list.to_string().contains(first_secret));
    t.api(Method::GET, "/api/v1/me/tokens", None, None)
        .await
        .expect(401);

    // Someone else's token, or an unknown one: 404, and it keeps working.
    let bobs = t
        .api(Method::GET, "/api/v1/me/tokens", Some(&bob_token), None)
        .await
        .json();
    let bob_id = bobs["tokens"][0]["id"].as_i64().unwrap();
    t.api(
        Method::DELETE,
        &format!("/api/v1/me/tokens/{bob_id}"),
        Some(first_secret),
        None,
    )
    .await
    .expect(404);
    t.api(
        Method::DELETE,
        "/api/v1/me/tokens/999999",
        Some(first_secret),
        None,
    )
    .await
    .expect(404);
    t.api(Method::GET, "/api/v1/me", Some(&bob_token), None)
        .await
        .expect(200);

    // Revoked with itself: it stops working at once; the other goes on.
    let revoke = t
        .api(
            Method::DELETE,
            &format!("/api/v1/me/tokens/{}", second["id"]),
            Some(second_secret),
            None,
        )
        .await;
    revoke.expect(204);
    t.api(Method::GET, "/api/v1/me", Some(second_secret), None)
        .await
        .expect(401);
    let left = t
        .api(Method::GET, "/api/v1/me/tokens", Some(first_secret), None)
        .await
        .json();
    assert_eq!(left["tokens"].as_array().unwrap().len(), 1);
    assert_eq!(left["tokens"][0]["id"], first["id"]);
}

#[tokio::test]
async fn ten_failed_logins_for_an_account_then_429_until_the_window_passes() {
    let t = node().await;
    for _ in 0..10 {
        log_in(&t, json!({"username": "camille", "password": "guess"}))
            .await
            .expect(401);
    }
    // Even the right password is refused now, with how long to wait.
    let braked = log_in(&t, json!({"username": "camille", "password": PASSWORD})).await;
    let wait = braked.braked();
    assert!((15 * 60 - 10..=15 * 60).contains(&wait), "{wait}");
    // Counted per account name as typed, whatever its case; other accounts are not braked.
    log_in(&t, json!({"username": "CAMILLE ", "password": PASSWORD}))
        .await
        .expect(429);
    log_in(&t, json!({"username": "nobody", "password": "guess"}))
        .await
        .expect(401);

    t.clock.advance(Duration::minutes(15));
    log_in(&t, json!({"username": "camille", "password": PASSWORD}))
        .await
        .expect(201);
    // A success forgets the failures: ten more are allowed before the brake.
    for _ in 0..10 {
        log_in(&t, json!({"username": "camille", "password": "guess"}))
            .await
            .expect(401);
    }
    log_in(&t, json!({"username": "camille", "password": "guess"}))
        .await
        .expect(429);
}

/// A login from an address (`ConnectInfo`, which `serve` provides), for the per-address brake.
async fn log_in_from(t: &TestApp, ip: [u8; 4], username: &str, password: &str) -> common::Resp {
    let body = json!({"username": username, "password": password}).to_string();
    let mut req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/token")
        .header(header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(body))
        .unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            ip, 40000,
        ))));
    t.send(req).await
}

#[tokio::test]
async fn fifty_failed_logins_from_one_address_brake_that_address_only() {
    let t = node().await;
    let guesser = [203, 0, 113, 7];
    // Fifty guesses over many account names (each stays under its own limit of ten).
    for i in 0..50 {
        log_in_from(&t, guesser, &format!("someone{}", i % 10), "guess")
            .await
            .expect(401);
    }
    // The address is braked, for a right password too, and for any account.
    let braked = log_in_from(&t, guesser, "camille", PASSWORD).await;
    braked.expect(429);
    assert!(braked.headers.contains_key(header::RETRY_AFTER));
    // Another address logs in to the same account.
    log_in_from(&t, [198, 51, 100, 2], "camille", PASSWORD)
        .await
        .expect(201);
    t.clock.advance(Duration::minutes(15));
    log_in_from(&t, guesser, "camille", PASSWORD)
        .await
        .expect(201);
}

/// A login that reached the node from `peer` (the proxy, or a client without one) carrying
/// `X-Forwarded-For: forwarded` when given.
async fn log_in_through(
    t: &TestApp,
    peer: [u8; 4],
    forwarded: Option<&str>,
    username: &str,
    password: &str,
) -> common::Resp {
    let body = json!({"username": username, "password": password}).to_string();
    let mut req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/token")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(chain) = forwarded {
        req = req.header("x-forwarded-for", chain);
    }
    let mut req = req.body(axum::body::Body::from(body)).unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            peer, 40000,
        ))));
    t.send(req).await
}

/// A node like [`node`] whose `[server] trusted_proxies` are `proxies`.
async fn node_trusting(proxies: &[&str]) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.server.trusted_proxies = proxies.iter().map(|p| p.to_string()).collect();
    with_camille(TestApp::with_config(config, dir).await).await
}

const PROXY: [u8; 4] = [127, 0, 0, 1];

/// Behind a trusted proxy, the brake counts per client as `X-Forwarded-For` names it (the
/// rightmost address that is not a trusted proxy): a guesser behind the proxy is braked alone,
/// and naming another client first in the header does not get it out.
#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_is_braked_alone() {
    let t = node_trusting(&["127.0.0.1", "10.0.0.0/8"]).await;
    let guesser = "203.0.113.7";
    for i in 0..50 {
        log_in_through(
            &t,
            PROXY,
            Some(guesser),
            &format!("someone{}", i % 10),
            "guess",
        )
        .await
        .expect(401);
    }
    log_in_through(&t, PROXY, Some(guesser), "camille", PASSWORD)
        .await
        .expect(429);
    // A spoofed address put first by the guesser: the proxy appends the real one, which counts.
    // Through a second trusted proxy (10.1.2.3) too.
    for chain in [
        "198.51.100.2, 203.0.113.7",
        "198.51.100.2, 203.0.113.7, 10.1.2.3",
        "garbage, 203.0.113.7",
    ] {
        log_in_through(&t, PROXY, Some(chain), "camille", PASSWORD)
            .await
            .expect(429);
    }
    // Another client behind the same proxy logs in.
    log_in_through(&t, PROXY, Some("198.51.100.2"), "camille", PASSWORD)
        .await
        .expect(201);
    log_in_through(&t, PROXY, Some("[2001:db8::5]:4711"), "camille", PASSWORD)
        .await
        .expect(201);
    // A request from the proxy itself with no (or an unreadable) header counts as the proxy's.
    log_in_through(&t, PROXY, None, "camille", PASSWORD)
        .await
        .expect(201);
    log_in_through(&t, PROXY, Some("not an address"), "camille", PASSWORD)
        .await
        .expect(201);
}

/// Without `trusted_proxies` (the default), and from a peer that is not trusted,
/// `X-Forwarded-For` is ignored: the peer's address is braked whatever the header says.
#[tokio::test]
async fn forwarded_addresses_from_an_untrusted_peer_are_ignored() {
    for (t, peer) in [
        (node().await, PROXY),
        (node_trusting(&["127.0.0.1"]).await, [192, 0, 2, 9]),
    ] {
        for i in 0..50 {
            let spoofed = format!("198.51.100.{i}");
            log_in_through(
                &t,
                peer,
                Some(&spoofed),
                &format!("someone{}", i % 10),
                "guess",
            )
            .await
            .expect(401);
        }
        log_in_through(&t, peer, Some("198.51.100.200"), "camille", PASSWORD)
            .await
            .expect(429);
    }
}

/// A web request with the session cookie (and, for a form, its fields).
async fn web(t: &TestApp, method: Method, path: &str, session: &str, form: &str) -> common::Resp {
    let req = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, format!("entraide_session={session}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(form.to_string()))
        .unwrap();
    t.send(req).await
}

/// "Mes accès": the page lists one's tokens, makes one (shown once) and revokes one, which
/// then stops working; a form without the session's token does nothing.
#[tokio::test]
async fn the_tokens_page_lists_makes_and_revokes() {
    let t = node().await;
    let camille = accounts::authenticate_login(t.store(), "camille", PASSWORD)
        .await
        .unwrap();
    let session = accounts::open_session(t.store(), &camille, t.now())
        .await
        .unwrap();
    let csrf = entraide::http::auth::csrf_token(&session);

    // Nobody logged in: the login page, coming back here.
    let anonymous = t.get("/me/tokens").await;
    anonymous.expect(303);
    assert_eq!(
        anonymous.headers[header::LOCATION],
        "/login?next=%2Fme%2Ftokens"
    );

    let empty = web(&t, Method::GET, "/me/tokens", &session, "").await;
    empty.expect(200);
    assert!(
        empty.text().contains("Aucune application"),
        "{}",
        empty.text()
    );

    // Made from the page: its secret is shown once and works on the API.
    let made = web(
        &t,
        Method::POST,
        "/me/tokens",
        &session,
        &format!("csrf={csrf}&label=T%C3%A9l%C3%A9phone"),
    )
    .await;
    made.expect(200);
    let page = made.text();
    let start = page.find(r#"<code class="token">"#).expect("the new token")
        + r#"<code class="token">"#.len();
    let secret = &page[start..start + page[start..].find('<').unwrap()];
    assert!(
        page.contains("Téléphone") && page.contains("il ne sera plus affiché"),
        "{page}"
    );
    t.api(Method::GET, "/api/v1/me", Some(secret), None)
        .await
        .expect(200);
    let listed = web(&t, Method::GET, "/me/tokens", &session, "")
        .await
        .text();
    assert!(!listed.contains(secret), "the secret is shown only once");
    let id = accounts::tokens(t.store(), &camille).await.unwrap()[0].id;

    // A revoke without the session's form token: refused, nothing done.
    web(
        &t,
        Method::POST,
        &format!("/me/tokens/{id}/revoke"),
        &session,
        "csrf=forged",
    )
    .await
    .expect(403);
    t.api(Method::GET, "/api/v1/me", Some(secret), None)
        .await
        .expect(200);
    // With it: back to the list, and the token no longer works.
    let revoked = web(
        &t,
        Method::POST,
        &format!("/me/tokens/{id}/revoke"),
        &session,
        &format!("csrf={csrf}"),
    )
    .await;
    revoked.expect(303);
    assert_eq!(revoked.headers[header::LOCATION], "/me/tokens");
    t.api(Method::GET, "/api/v1/me", Some(secret), None)
        .await
        .expect(401);
    // Someone else's or an unknown token: not found.
    web(
        &t,
        Method::POST,
        &format!("/me/tokens/{id}/revoke"),
        &session,
        &format!("csrf={csrf}"),
    )
    .await
    .expect(404);
}

/// The web login takes the name or the email, and is braked like the API's: after ten wrong
/// passwords for an account, 429 with the wait in words, even for the right password.
#[tokio::test]
async fn the_web_login_takes_an_email_and_is_braked() {
    let t = node().await;
    let login = |name: &str, password: &str| {
        let form = format!(
            "name={}&password={}&next=%2Fme%2Fslots",
            name.replace('@', "%40"),
            password.replace(' ', "+")
        );
        axum::http::Request::builder()
            .method(Method::POST)
            .uri("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(form))
            .unwrap()
    };
    let by_email = t.send(login("camille@example.org", PASSWORD)).await;
    by_email.expect(303);
    assert_eq!(by_email.headers[header::LOCATION], "/me/slots");
    assert!(by_email.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .starts_with("entraide_session="));
    for _ in 0..10 {
        t.send(login("camille", "guess")).await.expect(401);
    }
    let braked = t.send(login("camille", PASSWORD)).await;
    braked.expect(429);
    assert!(braked.headers.contains_key(header::RETRY_AFTER));
    assert!(
        braked.text().contains("Réessayez dans 15 minutes"),
        "{}",
        braked.text()
    );
    t.clock.advance(Duration::minutes(15));
    t.send(login("camille", PASSWORD)).await.expect(303);
}
