//! Multi-process federation tests: real `entraide` nodes on loopback, driven through their
//! CLI and JSON API. See `support/` for how a node is started.

mod aggregator;
mod faults;
mod flows;
mod hours;
mod inbox_limits;
mod mastodon;
mod moderation;
mod outgoing;
mod participation;
mod privacy;
mod resources;
mod security;
mod shared_database;
mod support;
mod territory;

use serde_json::Value;
use support::{eventually, mission_body, Api, Neighbours, Node};

/// Node B's relay follows node A's; a mission created on A reaches B.
#[test]
fn relay_follow_brings_missions() {
    let api = Api::default();
    let (a, b, token_a) = Neighbours::relays(&api, "epicerie");
    let (status, created) = api.send(
        "POST",
        &a.url("/api/v1/associations/epicerie/missions"),
        Some(&token_a),
        Some(&mission_body("Distribution du samedi")),
    );
    assert_eq!(status, 201, "{created}");
    let ap_id = created["ap_id"].as_str().expect("ap_id").to_string();
    let found = eventually(20, "the mission reaches B", || {
        let (_, v) = api.get(&b.url("/api/v1/missions?origin=remote"), None);
        v["missions"]
            .as_array()?
            .iter()
            .find(|m| m["ap_id"] == ap_id.as_str())
            .cloned()
    });
    assert_eq!(found["title"], "Distribution du samedi");
    assert_eq!(found["capacity"], 8);
    assert_eq!(found["place"]["locality"], "Brest");
}

/// `totalItems` of a followers/following collection.
fn collection_total(api: &Api, url: &str) -> Option<i64> {
    let (status, v) = api.get_ap(url);
    assert_eq!(status, 200, "GET {url}: {v}");
    v["totalItems"].as_i64()
}

/// The mission with this AP id among the remote missions a node lists, if it is there.
fn remote_mission(api: &Api, node: &Node, ap_id: &str) -> Option<Value> {
    let (status, v) = api.get(&node.url("/api/v1/missions?origin=remote"), None);
    assert_eq!(status, 200, "remote missions of {}: {v}", node.name);
    v["missions"]
        .as_array()?
        .iter()
        .find(|m| m["ap_id"] == ap_id)
        .cloned()
}

/// `(pending, delivered, failed)` as `entraide admin queue` prints them.
fn cli_queue(node: &Node) -> (i64, i64, i64) {
    let out = node.cli(&["admin", "queue"], None);
    let words: Vec<&str> = out.split_whitespace().collect();
    let number = |label: &str| -> i64 {
        let at = words
            .iter()
            .position(|w| *w == label)
            .unwrap_or_else(|| panic!("no {label} in {out:?}"));
        words
            .get(at + 1)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no count after {label} in {out:?}"))
    };
    (number("pending"), number("delivered"), number("failed"))
}

/// `(pending, delivered, failed)` from `/api/v1/admin/queue` (needs an administrator's token).
fn api_queue(api: &Api, node: &Node, admin_token: &str) -> (i64, i64, i64) {
    let (status, v) = api.get(&node.url("/api/v1/admin/queue"), Some(admin_token));
    assert_eq!(status, 200, "queue of {}: {v}", node.name);
    let n = |k: &str| v[k].as_i64().unwrap_or_else(|| panic!("no {k} in {v}"));
    (n("pending"), n("delivered"), n("failed"))
}
