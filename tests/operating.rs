//! Operating a node (issue 18): `/metrics` (what it counts, who may read it), `/health/live`
//! and `/health/ready`, JSON log lines, and `entraide admin doctor` against a real node.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../federation-tests/support/mod.rs"]
mod support;

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{header, Request},
};
use common::{Resp, TestApp};
use serde_json::Value;
use std::net::SocketAddr;
use support::{Db, Node};

/// GET `/metrics` as a client at `peer` (none: the address is unknown), with these headers.
async fn scrape(t: &TestApp, peer: Option<&str>, headers: &[(&str, &str)]) -> Resp {
    let mut req = Request::get("/metrics");
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let mut req = req.body(Body::empty()).unwrap();
    if let Some(peer) = peer {
        let addr = SocketAddr::new(peer.parse().unwrap(), 40000);
        req.extensions_mut().insert(ConnectInfo(addr));
    }
    t.send(req).await
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_and_read_the_queue_when_scraped() {
    let t = TestApp::new().await;
    for id in [123, 456] {
        t.get(&format!("/api/v1/missions/{id}")).await.expect(404);
    }
    t.get("/no/such/page").await.expect(404);
    // A refused activity (not JSON) is counted with its reason.
    let bad = Request::post("/inbox")
        .header(header::CONTENT_TYPE, "application/activity+json")
        .body(Body::from("{not json"))
        .unwrap();
    assert_eq!(t.send(bad).await.status.as_u16(), 400);

    let res = scrape(&t, Some("127.0.0.1"), &[]).await;
    res.expect(200);
    assert!(res
        .content_type()
        .starts_with("application/openmetrics-text"));
    let text = res.text();
    assert!(
        text.contains(
            r#"entraide_http_requests_total{route="/api/v1/missions/{id}",method="GET",status="4xx"} 2"#
        ),
        "{text}"
    );
    assert!(!text.contains("/api/v1/missions/123"), "{text}");
    assert!(
        text.contains(
            r#"entraide_http_requests_total{route="unmatched",method="GET",status="4xx"} 1"#
        ),
        "{text}"
    );
    assert!(
        text.contains(
            r#"entraide_http_request_duration_seconds_count{route="/api/v1/missions/{id}"} 2"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"entraide_inbox_refused_total{reason="bad_request"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"entraide_delivery_queue{state="pending"} 0"#),
        "{text}"
    );
    assert!(text.contains("entraide_search_documents"), "{text}");
    assert!(text.contains(r#"entraide_build_info{version=""#), "{text}");
    // The scrape itself is counted by the next one.
    let again = scrape(&t, Some("127.0.0.1"), &[]).await.text();
    assert!(
        again.contains(
            r#"entraide_http_requests_total{route="/metrics",method="GET",status="2xx"} 1"#
        ),
        "{again}"
    );
}

#[tokio::test]
async fn metrics_are_for_loopback_or_the_token() {
    let t = TestApp::new().await;
    scrape(&t, Some("127.0.0.1"), &[]).await.expect(200);
    scrape(&t, Some("::1"), &[]).await.expect(200);
    // Through a proxy on this machine, or from elsewhere, or from an unknown address: no.
    for (peer, headers) in [
        (Some("127.0.0.1"), vec![("x-forwarded-for", "203.0.113.9")]),
        (Some("127.0.0.1"), vec![("forwarded", "for=203.0.113.9")]),
        (Some("192.0.2.1"), vec![]),
        (None, vec![]),
    ] {
        let res = scrape(&t, peer, &headers).await;
        res.expect(404);
        assert!(res.text().contains("[metrics] token"), "{}", res.text());
    }
    let bearer = ("authorization", "Bearer s3cret");
    scrape(&t, Some("192.0.2.1"), &[bearer]).await.expect(404);

    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.metrics.token = "s3cret".into();
    let t = TestApp::with_config(config, dir).await;
    let res = scrape(&t, Some("192.0.2.1"), &[]).await;
    res.expect(401);
    assert!(res.headers.contains_key(header::WWW_AUTHENTICATE));
    assert!(res.text().contains("Bearer"), "{}", res.text());
    scrape(&t, Some("192.0.2.1"), &[("authorization", "Bearer wrong")])
        .await
        .expect(401);
    let res = scrape(&t, Some("192.0.2.1"), &[bearer]).await;
    res.expect(200);
    assert!(res.text().contains("entraide_http_requests_total"));
    scrape(
        &t,
        Some("127.0.0.1"),
        &[("x-real-ip", "203.0.113.9"), bearer],
    )
    .await
    .expect(200);

    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.metrics.enabled = false;
    let t = TestApp::with_config(config, dir).await;
    scrape(&t, Some("127.0.0.1"), &[]).await.expect(404);
}

#[tokio::test]
async fn health_live_and_ready() {
    let t = TestApp::new().await;
    let live = t.get("/health/live").await;
    live.expect(200);
    assert_eq!(live.json()["status"], "live");
    // Built but its workers not started: not ready, and says why.
    let ready = t.get("/health/ready").await;
    ready.expect(503);
    let body = ready.json();
    assert_eq!(body["status"], "not_ready", "{body}");
    assert_eq!(body["database"]["ok"], true, "{body}");
    assert_eq!(body["migrations"]["ok"], true, "{body}");
    assert_eq!(body["workers"]["ok"], false, "{body}");
    let workers = t.app.spawn_workers();
    let ready = t.get("/health/ready").await;
    ready.expect(200);
    assert_eq!(ready.json()["status"], "ready");
    workers.abort();
    let _ = workers.await;
    t.get("/health/ready").await.expect(503);
}

/// `entraide admin doctor` with a node's configuration: its exit code and its lines.
fn doctor(node: &Node, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let out = node
        .command()
        .args(["admin", "doctor"])
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    (out.status.success(), text)
}

fn line<'a>(out: &'a str, check: &str) -> &'a str {
    out.lines()
        .find(|l| {
            l.get(5..)
                .is_some_and(|rest| rest.starts_with(&format!("{check}:")))
        })
        .unwrap_or_else(|| panic!("no line for {check} in:\n{out}"))
}

#[test]
fn a_running_node_logs_json_answers_health_and_metrics_and_passes_the_doctor() {
    let mut node = Node::new("ops", Db::Sqlite);
    node.extra_env
        .push(("ENTRAIDE_LOG_FORMAT".into(), "json".into()));
    node.start();

    // Every log line is one JSON object.
    let log = node.log();
    let lines: Vec<Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["fields"]["message"] == "Entraide is running" && l["level"] == "INFO"),
        "{log}"
    );

    let get = |path: &str| reqwest::blocking::get(node.url(path)).unwrap();
    assert_eq!(get("/health/live").status(), 200);
    let ready = get("/health/ready");
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<Value>().unwrap()["status"], "ready");
    // A direct connection from loopback reads the metrics; one through a proxy does not.
    let metrics = get("/metrics");
    assert_eq!(metrics.status(), 200);
    assert!(metrics
        .text()
        .unwrap()
        .contains("entraide_http_requests_total"));
    let proxied = reqwest::blocking::Client::new()
        .get(node.url("/metrics"))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .unwrap();
    assert_eq!(proxied.status(), 404);

    // The doctor: all is well (plain http is only a warning with private addresses allowed).
    let (ok, out) = doctor(&node, &[], &[]);
    assert!(ok, "{out}");
    for check in ["database", "migrations", "public URL", "clock"] {
        assert!(line(&out, check).starts_with("ok "), "{check}:\n{out}");
    }
    // (A warning on a machine short of space.)
    assert!(line(&out, "data_dir").contains("is writable"), "{out}");
    assert!(line(&out, "https").starts_with("warn"), "{out}");
    let (ok, out) = doctor(&node, &["--peer", node.base.as_str()], &[]);
    assert!(ok && line(&out, "clock").starts_with("ok "), "{out}");
    let (ok, out) = doctor(&node, &["--peer", "http://localhost:1"], &[]);
    assert!(ok && line(&out, "clock").starts_with("skip"), "{out}");

    // Plain http where other servers expect https: a failure.
    let (ok, out) = doctor(
        &node,
        &[],
        &[("ENTRAIDE__FEDERATION__ALLOW_PRIVATE_ADDRESSES", "false")],
    );
    assert!(!ok && line(&out, "https").starts_with("fail"), "{out}");

    // A configuration that does not load.
    let (ok, out) = doctor(&node, &[], &[("ENTRAIDE__SERVER__PUBLIC_URL", "ftp://x")]);
    assert!(
        !ok && line(&out, "configuration").starts_with("fail"),
        "{out}"
    );

    // The node stopped: its public URL does not answer, the clock is not compared.
    node.kill9();
    let (ok, out) = doctor(&node, &[], &[]);
    assert!(!ok, "{out}");
    assert!(line(&out, "public URL").starts_with("fail"), "{out}");
    assert!(line(&out, "clock").starts_with("skip"), "{out}");
    assert!(line(&out, "database").starts_with("ok "), "{out}");

    // No database where the configuration says.
    let (ok, out) = doctor(
        &node,
        &[],
        &[(
            "ENTRAIDE__DATABASE__URL",
            "sqlite:///nonexistent/dir/x.sqlite",
        )],
    );
    assert!(!ok && line(&out, "database").starts_with("fail"), "{out}");
}
