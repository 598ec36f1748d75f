//! A coordinator's first hour, in process: the answers to addresses and parameters no route
//! takes (pages in French and English, the API's JSON), the mission form's first slots, the
//! dashboard's work list, and what the walkthrough of issue 14 found.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{header, Method};
use common::TestApp;

/// A web request with optional session cookie and form fields.
async fn web(
    t: &TestApp,
    method: Method,
    path: &str,
    session: Option<&str>,
    form: &str,
) -> common::Resp {
    let mut req = axum::http::Request::builder().method(method).uri(path);
    if let Some(s) = session {
        req = req.header(header::COOKIE, format!("entraide_session={s}"));
    }
    let req = req
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(form.to_string()))
        .unwrap();
    t.send(req).await
}

#[track_caller]
fn html_page(r: &common::Resp, status: u16, lang: &str, words: &str) {
    r.expect(status);
    assert!(
        r.content_type().starts_with("text/html"),
        "{}",
        r.content_type()
    );
    let text = r.text();
    assert!(text.contains(&format!(r#"<html lang="{lang}">"#)), "{text}");
    assert!(text.contains(words), "no {words:?} in {text}");
}

#[track_caller]
fn api_error(r: &common::Resp, status: u16, code: &str) {
    r.expect(status);
    let body = r.json();
    assert_eq!(body["error"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

#[tokio::test]
async fn unknown_addresses_bad_parameters_and_wrong_methods_answer_in_words() {
    let t = TestApp::new().await;
    // No such address.
    html_page(&t.get("/nulle-part").await, 404, "fr", "Page introuvable");
    html_page(
        &t.get("/nowhere?lang=en").await,
        404,
        "en",
        "Page not found",
    );
    html_page(
        &t.get_with("/nowhere", "accept-language", "en-GB,en").await,
        404,
        "en",
        "Page not found",
    );
    // A path parameter of the wrong kind names nothing.
    html_page(&t.get("/missions/abc").await, 404, "fr", "Page introuvable");
    html_page(
        &t.get("/reservations/abc?lang=en").await,
        404,
        "en",
        "Page not found",
    );
    // A query parameter that cannot be read.
    html_page(
        &t.get("/login?n=abc").await,
        400,
        "fr",
        "Adresse incomplète ou mal écrite",
    );
    // A known address with another method.
    let wrong = web(&t, Method::DELETE, "/", None, "").await;
    html_page(&wrong, 405, "fr", "Action impossible à cette adresse");
    assert!(
        wrong.headers.contains_key(header::ALLOW),
        "{:?}",
        wrong.headers
    );
    html_page(
        &web(&t, Method::PUT, "/resources?lang=en", None, "").await,
        405,
        "en",
        "Not possible at this address",
    );

    // The API answers with its JSON error.
    api_error(&t.get("/api/v1/nothing-here").await, 404, "not_found");
    api_error(&t.get("/api/v1/missions/abc").await, 404, "not_found");
    let bad = t.get("/api/v1/missions?limit=abc").await;
    api_error(&bad, 400, "bad_request");
    assert!(
        bad.json()["message"].as_str().unwrap().contains("limit"),
        "{}",
        bad.text()
    );
    let method = t.api(Method::PATCH, "/api/v1/missions", None, None).await;
    api_error(&method, 405, "method_not_allowed");
    assert!(method.headers.contains_key(header::ALLOW));
}
