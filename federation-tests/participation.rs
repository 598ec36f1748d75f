//! Volunteers across nodes: a user on node B signs up for a slot owned by node A (`Join` →
//! `Accept{Join}`), withdraws (`Leave`), is refused in manual approval; and many sign-ups at
//! once never exceed a slot's capacity.

use crate::{
    mission_body,
    support::{eventually, Api, Db, Node},
};
use serde_json::{json, Value};

/// A mission with one slot on `node`, owned by `asso`; returns (mission, slot) as the API shows them.
pub fn mission_with_slot(api: &Api, node: &Node, token: &str, asso: &str, capacity: i64, join_mode: &str) -> (Value, Value) {
    let mut body = mission_body("Collecte de printemps");
    body["join_mode"] = json!(join_mode);
    let (status, mission) = api.send("POST", &node.url(&format!("/api/v1/associations/{asso}/missions")), Some(token), Some(&body));
    assert_eq!(status, 201, "{mission}");
    let slots = json!({"slots": [{"start_time": "2030-06-14T09:00:00+02:00", "end_time": "2030-06-14T12:00:00+02:00", "capacity": capacity}]});
    let url = node.url(&format!("/api/v1/missions/{}/slots", mission["id"]));
    let (status, created) = api.send("POST", &url, Some(token), Some(&slots));
    assert_eq!(status, 201, "{created}");
    (mission, created["slots"][0].clone())
}

/// The copy of a remote slot a node holds, found by its ActivityPub id.
pub fn remote_slot(api: &Api, node: &Node, mission_ap_id: &str, slot_ap_id: &str) -> Option<Value> {
    let (_, missions) = api.get(&node.url("/api/v1/missions?origin=remote"), None);
    let mission = missions["missions"].as_array()?.iter().find(|m| m["ap_id"] == mission_ap_id)?.clone();
    let (_, slots) = api.get(&node.url(&format!("/api/v1/missions/{}/slots", mission["id"])), None);
    slots["slots"].as_array()?.iter().find(|s| s["ap_id"] == slot_ap_id).cloned()
}

fn my_participation(api: &Api, node: &Node, token: &str, id: &Value) -> Value {
    let (status, mine) = api.get(&node.url("/api/v1/me/participations"), Some(token));
    assert_eq!(status, 200, "{mine}");
    mine["participations"].as_array().and_then(|l| l.iter().find(|p| &p["id"] == id).cloned()).unwrap_or(Value::Null)
}

#[test]
fn a_volunteer_on_node_b_signs_up_for_a_slot_on_node_a_then_leaves() {
    let api = Api::default();
    let mut a = Node::new("a", Db::Sqlite);
    let mut b = Node::new("b", Db::Sqlite);
    a.start();
    b.start();
    let token_a = a.user_with_token("alice");
    a.association("epicerie", "alice");
    let token_b = b.user_with_token("bob");
    let (status, v) = api.send("POST", &b.url("/api/v1/follows"), Some(&token_b), Some(&json!({"target": format!("@epicerie@{}", a.host())})));
    assert_eq!(status, 202, "{v}");
    eventually(20, "A's association has B's user as follower", || {
        let (_, v) = api.get(&a.url("/api/v1/associations/epicerie"), None);
        (v["followers_count"] == 1).then_some(())
    });
    let (mission, slot) = mission_with_slot(&api, &a, &token_a, "epicerie", 2, "free");
    let mission_ap = mission["ap_id"].as_str().unwrap_or_default().to_string();
    let slot_ap = slot["ap_id"].as_str().unwrap_or_default().to_string();
    let copy = eventually(20, "B holds A's slot", || remote_slot(&api, &b, &mission_ap, &slot_ap));
    assert_eq!(copy["capacity"], 2);
    assert_eq!(copy["local"], false);

    // Bob asks on B: pending until A answers.
    let (status, asked) = api.send("POST", &b.url(&format!("/api/v1/slots/{}/participations", copy["id"])), Some(&token_b), Some(&json!({"message": "Je peux venir à 9 h."})));
    assert_eq!(status, 201, "{asked}");
    assert_eq!(asked["status"], "pending");
    let accepted = eventually(20, "A accepts B's Join", || {
        let p = my_participation(&api, &b, &token_b, &asked["id"]);
        (p["status"] == "accepted").then_some(p)
    });
    assert_eq!(accepted["slot"]["ap_id"], slot_ap.as_str());
    // A counts the place and knows who took it.
    let (_, owner_view) = api.get(&a.url(&format!("/api/v1/slots/{}/participations", slot["id"])), Some(&token_a));
    let list = owner_view["participations"].as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 1, "{owner_view}");
    assert_eq!(list[0]["participant"]["actor_ap_id"], format!("{}/u/bob", b.base));
    assert_eq!(list[0]["message"], "Je peux venir à 9 h.");
    assert_eq!(owner_view["slot"]["participant_count"], 1);
    // The Update of the mission brings the new count back to B.
    eventually(20, "B sees 1 place taken", || {
        remote_slot(&api, &b, &mission_ap, &slot_ap).filter(|s| s["participant_count"] == 1)
    });

    // Bob leaves: a Leave frees the place on A.
    let (status, left) = api.send("DELETE", &b.url(&format!("/api/v1/participations/{}", asked["id"])), Some(&token_b), None);
    assert_eq!(status, 200, "{left}");
    assert_eq!(left["status"], "withdrawn");
    eventually(20, "A frees the place", || {
        let (_, v) = api.get(&a.url(&format!("/api/v1/slots/{}", slot["id"])), None);
        (v["participant_count"] == 0).then_some(())
    });
}
