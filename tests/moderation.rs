//! Moderation (issue 18), in process: blocking a host from the administrators' page refuses its
//! signed inbox requests and removes its follows; the API blocks, silences (kept out of public
//! lists), removes and restores remote missions, takes reports from anyone logged in and lets
//! administrators resolve and forward them; a `Flag` from another server lands in the reports;
//! the command line blocks, lists and unblocks. A test peer
//! (`federation-tests/support/peer.rs`) plays the other server.

#![allow(clippy::unwrap_used)]

mod common;
#[path = "../federation-tests/support/peer.rs"]
#[allow(dead_code)]
mod peer;

use axum::{
    body::Body,
    http::{Method, Request},
};
use common::{Resp, TestApp, BASE};
use peer::{Peer, PeerActor, AS_CONTEXT};
use serde_json::{json, Value};

/// A node that talks to the peer on loopback, with `spam.example` blocked in its configuration;
/// `alice` (its administrator, owner of `epicerie`) and `ann`.
async fn node() -> (TestApp, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.federation.allow_private_addresses = true;
    config.federation.blocked_domains = vec!["spam.example".into()];
    let t = TestApp::with_config(config, dir).await;
    let (_, admin) = t.user("alice").await;
    let (_, ann) = t.user("ann").await;
    t.association("epicerie", "alice").await;
    (t, admin, ann)
}

/// POSTs an activity to the node's shared inbox, signed by `actor`.
async fn to_inbox(t: &TestApp, actor: &PeerActor, activity: &Value) -> Resp {
    let body = activity.to_string();
    let mut req = Request::post("/inbox").header("host", common::HOST);
    for (name, value) in actor.sign(&format!("{BASE}/inbox"), body.as_bytes()) {
        req = req.header(name, value);
    }
    t.send(req.body(Body::from(body)).unwrap()).await
}

fn follow(actor: &PeerActor) -> Value {
    actor.follow(&actor.new_id("follow"), &format!("{BASE}/g/epicerie"))
}

async fn followers(t: &TestApp) -> i64 {
    let g = t
        .store()
        .find_actor_by_ap_id(&format!("{BASE}/g/epicerie"))
        .await
        .unwrap()
        .unwrap();
    t.store().count_followers(g.id).await.unwrap()
}

#[tokio::test]
async fn a_host_blocked_from_the_page_is_refused_at_the_inbox_and_loses_its_follows() {
    let peer = Peer::start(&["troll"]);
    let troll = peer.actor("troll");
    let host = peer.base.trim_start_matches("http://").to_string();
    let (t, _, _) = node().await;
    to_inbox(&t, troll, &follow(troll)).await.expect(202);
    assert_eq!(followers(&t).await, 1);

    let ann = t.web_login("ann", "a long password").await;
    t.get_with("/admin/moderation", "cookie", &ann)
        .await
        .expect(403);
    let admin = t.web_login("alice", "a long password").await;
    let page = t.get_with("/admin/moderation", "cookie", &admin).await;
    page.expect(200);
    let html = page.html();
    assert!(html.contains("spam.example"), "the configuration's rule");
    assert!(html.contains("fichier de configuration (lecture seule)"));
    let csrf = page.csrf();

    // Bad input: a clear message, nothing recorded.
    let res = t
        .form(
            "/admin/moderation/rules",
            Some(&admin),
            &[
                ("csrf", &csrf),
                ("target", "not a host"),
                ("severity", "block"),
            ],
        )
        .await;
    res.expect(422);
    assert!(res.html().contains("Indiquez un serveur"), "{}", res.html());

    let res = t
        .form(
            "/admin/moderation/rules",
            Some(&admin),
            &[
                ("csrf", &csrf),
                ("target", &host),
                ("severity", "block"),
                ("reason", "harcèlement"),
            ],
        )
        .await;
    res.expect(303);
    assert_eq!(followers(&t).await, 0, "its follows are gone");
    let refused = to_inbox(&t, troll, &follow(troll)).await;
    refused.expect(403);
    assert!(refused.text().contains("blocked"), "{}", refused.text());
    assert_eq!(followers(&t).await, 0);

    let html = t
        .get_with("/admin/moderation", "cookie", &admin)
        .await
        .html();
    assert!(
        html.contains(&host) && html.contains("harcèlement"),
        "{html}"
    );
    assert!(html.contains("blocage"), "the log: {html}");

    // Twice: a conflict said in words.
    let again = t
        .form(
            "/admin/moderation/rules",
            Some(&admin),
            &[("csrf", &csrf), ("target", &host), ("severity", "silence")],
        )
        .await;
    again.expect(409);

    let rules = t.store().list_rules().await.unwrap();
    let id = rules[0].id.unwrap();
    t.form(
        &format!("/admin/moderation/rules/{id}/lift"),
        Some(&admin),
        &[("csrf", &csrf)],
    )
    .await
    .expect(303);
    to_inbox(&t, troll, &follow(troll)).await.expect(202);
    assert_eq!(followers(&t).await, 1, "lifted: accepted again");
}

/// A remote association of `host` with one upcoming mission; the mission's id.
async fn remote_mission(t: &TestApp, host: &str) -> String {
    t.remote_mission(host, "Annonce douteuse").await
}

async fn listed(t: &TestApp) -> Vec<String> {
    let res = t.api(Method::GET, "/api/v1/missions", None, None).await;
    res.expect(200);
    res.json()["missions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["ap_id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn the_api_silences_removes_restores_and_handles_reports() {
    let (t, admin, ann) = node().await;
    let mission = remote_mission(&t, "noisy.example").await;
    assert_eq!(listed(&t).await, vec![mission.clone()]);
    let api = |method: Method, path: &'static str, token: String, body: Option<Value>| {
        let t = &t;
        async move { t.api(method, path, Some(&token), body.as_ref()).await }
    };

    // Reports: anyone logged in; checked; administrators only see them.
    let report = json!({"kind": "mission", "target": mission, "comment": "arnaque"});
    let made = api(Method::POST, "/api/v1/reports", ann.clone(), Some(report)).await;
    made.expect(201);
    let id = made.json()["id"].as_i64().unwrap();
    let wrong = json!({"kind": "post", "target": mission});
    let res = api(Method::POST, "/api/v1/reports", ann.clone(), Some(wrong)).await;
    res.expect(422);
    assert!(
        res.text().contains("must be mission, resource or actor"),
        "{}",
        res.text()
    );
    let nothing = json!({"kind": "mission", "target": "https://noisy.example/m/404"});
    api(Method::POST, "/api/v1/reports", ann.clone(), Some(nothing))
        .await
        .expect(404);
    t.api(
        Method::GET,
        "/api/v1/admin/moderation/reports",
        Some(&ann),
        None,
    )
    .await
    .expect(403);
    let open = api(
        Method::GET,
        "/api/v1/admin/moderation/reports",
        admin.clone(),
        None,
    )
    .await;
    open.expect(200);
    let reports = open.json()["reports"].clone();
    assert_eq!(reports.as_array().unwrap().len(), 1);
    assert_eq!(reports[0]["reporter"], "ann");
    assert_eq!(
        reports[0]["target_actor"],
        "https://noisy.example/g/voisins"
    );

    let path = format!("/api/v1/admin/moderation/reports/{id}/forward");
    let res = t.api(Method::POST, &path, Some(&admin), None).await;
    res.expect(200);
    assert!(res.json()["forwarded_at"].is_string());
    let path = format!("/api/v1/admin/moderation/reports/{id}/resolve");
    let note = json!({"note": "retirée"});
    t.api(Method::POST, &path, Some(&admin), Some(&note))
        .await
        .expect(200);
    t.api(Method::POST, &path, Some(&admin), Some(&note))
        .await
        .expect(409);

    // Silenced: out of the public list; lifted: back.
    let silence = json!({"target": "noisy.example", "severity": "silence", "reason": "pub"});
    let rules = "/api/v1/admin/moderation/rules";
    t.api(Method::POST, rules, Some(&ann), Some(&silence))
        .await
        .expect(403);
    let res = t
        .api(Method::POST, rules, Some(&admin), Some(&silence))
        .await;
    res.expect(201);
    let rule = res.json()["id"].as_i64().unwrap();
    assert!(listed(&t).await.is_empty(), "silenced");
    let list = t.api(Method::GET, rules, Some(&admin), None).await.json();
    assert_eq!(
        list["rules"][0]["read_only"], true,
        "the configuration's first"
    );
    assert_eq!(list["rules"][1]["severity"], "silence");
    let mute = json!({"target": "x.example", "severity": "mute"});
    t.api(Method::POST, rules, Some(&admin), Some(&mute))
        .await
        .expect(422);
    let own = json!({"target": BASE});
    t.api(Method::POST, rules, Some(&admin), Some(&own))
        .await
        .expect(403);
    let path = format!("{rules}/{rule}");
    t.api(Method::DELETE, &path, Some(&admin), None)
        .await
        .expect(200);
    assert_eq!(listed(&t).await, vec![mission.clone()]);

    // Removed: gone, and a later update does not bring it back; restored: back.
    let item = json!({"ap_id": mission, "reason": "arnaque"});
    let removed = "/api/v1/admin/moderation/removed";
    t.api(Method::POST, removed, Some(&admin), Some(&item))
        .await
        .expect(201);
    assert!(listed(&t).await.is_empty());
    remote_mission(&t, "noisy.example").await;
    assert!(listed(&t).await.is_empty(), "not taken again");
    let list = t.api(Method::GET, removed, Some(&admin), None).await.json();
    assert_eq!(list["removed"][0]["ap_id"], mission.as_str());
    let restore = "/api/v1/admin/moderation/restore";
    t.api(Method::POST, restore, Some(&admin), Some(&item))
        .await
        .expect(204);
    assert_eq!(listed(&t).await, vec![mission.clone()]);

    let log = t
        .api(
            Method::GET,
            "/api/v1/admin/moderation/log",
            Some(&admin),
            None,
        )
        .await
        .json();
    let actions: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        vec!["restore", "remove", "unblock", "silence", "resolve", "forward"]
    );
    assert_eq!(log["entries"][1]["by"], "alice");
    assert_eq!(log["entries"][1]["reason"], "arnaque");
}

#[tokio::test]
async fn a_flag_from_another_server_lands_in_the_reports() {
    let peer = Peer::start(&["actor"]);
    let instance = peer.actor("actor");
    let (t, admin, _) = node().await;
    let group = format!("{BASE}/g/epicerie");
    let flag = json!({
        "@context": AS_CONTEXT, "id": instance.new_id("flag"), "type": "Flag",
        "actor": instance.id, "content": "Ce compte publie du spam.",
        "object": [group, format!("{BASE}/m/inconnue")],
    });
    to_inbox(&t, instance, &flag).await.expect(202);
    let reports = || async {
        let path = "/api/v1/admin/moderation/reports";
        t.api(Method::GET, path, Some(&admin), None).await.json()
    };
    let first = reports().await;
    let r = &first["reports"][0];
    assert_eq!(r["origin"], "remote");
    assert_eq!(r["kind"], "actor");
    assert_eq!(r["target"], group.as_str());
    assert_eq!(r["reporter"], instance.id.as_str());
    assert_eq!(r["comment"], "Ce compte publie du spam.");
    // Received again: still one report.
    to_inbox(&t, instance, &flag).await.expect(202);
    let again = reports().await;
    assert_eq!(again["reports"].as_array().unwrap().len(), 1);
    // A remote report is not forwarded back.
    let id = r["id"].as_i64().unwrap();
    let path = format!("/api/v1/admin/moderation/reports/{id}/forward");
    t.api(Method::POST, &path, Some(&admin), None)
        .await
        .expect(409);
}

#[tokio::test]
async fn the_report_form_takes_a_report_from_anyone_logged_in() {
    let (t, _, _) = node().await;
    let mission = remote_mission(&t, "noisy.example").await;
    t.get("/report").await.expect(303);
    let ann = t.web_login("ann", "a long password").await;
    let path = format!("/report?kind=mission&target={mission}");
    let page = t.get_with(&path, "cookie", &ann).await;
    page.expect(200);
    let csrf = page.csrf();
    let fields = [
        ("csrf", csrf.as_str()),
        ("kind", "mission"),
        ("target", mission.as_str()),
        ("comment", "arnaque"),
    ];
    t.form("/report", Some(&ann), &fields).await.expect(303);
    let too_long = "x".repeat(2001);
    let res = t
        .form(
            "/report",
            Some(&ann),
            &[
                ("csrf", &csrf),
                ("kind", "mission"),
                ("target", &mission),
                ("comment", &too_long),
            ],
        )
        .await;
    res.expect(422);
    assert_eq!(t.store().list_reports(true).await.unwrap().len(), 1);
}

/// The operator's commands, run by the binary against the node's configuration.
#[test]
fn the_command_line_blocks_lists_and_unblocks() {
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
    let (ok, out) = run(&["admin", "block", "bad.example", "--reason", "spam"]);
    assert!(ok && out.contains("block bad.example"), "{out}");
    let (ok, out) = run(&["admin", "block", "https://noisy.example/u/x", "--silence"]);
    assert!(
        ok && out.contains("silence https://noisy.example/u/x"),
        "{out}"
    );
    let (ok, out) = run(&["admin", "block", "not a host"]);
    assert!(!ok, "{out}");
    let (ok, out) = run(&["admin", "blocks"]);
    assert!(ok, "{out}");
    assert!(out.contains("block host bad.example (spam)"), "{out}");
    assert!(
        out.contains("silence actor https://noisy.example/u/x"),
        "{out}"
    );
    let (ok, out) = run(&["admin", "unblock", "bad.example"]);
    assert!(ok && out.contains("lifted"), "{out}");
    let (ok, out) = run(&["admin", "blocks"]);
    assert!(ok && !out.contains("bad.example"), "{out}");
    let (ok, out) = run(&["admin", "unblock", "bad.example"]);
    assert!(!ok && out.contains("not found"), "{out}");
}
