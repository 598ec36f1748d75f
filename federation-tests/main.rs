//! Multi-process federation tests: real `entraide` nodes on loopback, driven through their
//! CLI and JSON API. See `support/` for how a node is started.

mod support;

use serde_json::json;
use support::{eventually, Api, Db, Node};

fn mission_body(title: &str) -> serde_json::Value {
    json!({
        "title": title,
        "description": "Trier les dons et servir le café.",
        "start_time": "2030-06-14T09:00:00+02:00",
        "end_time": "2030-06-14T12:00:00+02:00",
        "locality": "Brest",
        "capacity": 8,
        "category": "solidarity"
    })
}

/// Node B's relay follows node A's; a mission created on A reaches B.
#[test]
fn relay_follow_brings_missions() {
    let api = Api::default();
    let mut a = Node::new("a", Db::Sqlite);
    let mut b = Node::new("b", Db::Sqlite);
    a.start();
    b.start();
    let token_a = a.user_with_token("alice");
    a.association("epicerie", "alice");
    b.cli(&["admin", "follow", &a.base], None);
    eventually(20, "A's relay has a follower", || {
        let (_, v) = api.get_ap(&a.url("/relay/followers"));
        (v["totalItems"].as_i64() == Some(1)).then_some(())
    });
    let (status, created) = api.send("POST", &a.url("/api/v1/associations/epicerie/missions"), Some(&token_a), Some(&mission_body("Distribution du samedi")));
    assert_eq!(status, 201, "{created}");
    let ap_id = created["ap_id"].as_str().expect("ap_id").to_string();
    let found = eventually(20, "the mission reaches B", || {
        let (_, v) = api.get(&b.url("/api/v1/missions?origin=remote"), None);
        v["missions"].as_array()?.iter().find(|m| m["ap_id"] == ap_id.as_str()).cloned()
    });
    assert_eq!(found["title"], "Distribution du samedi");
    assert_eq!(found["capacity"], 8);
    assert_eq!(found["place"]["locality"], "Brest");
}
