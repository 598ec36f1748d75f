//! Volunteer hours across servers: a volunteer whose account is on node B logs hours for an
//! association on node A (`Create{EconomicEvent}`); A's coordinator validates (`Accept`) or
//! refuses with a reason (`Reject`); B shows the decision; a deletion on B withdraws the hours
//! on A. A third-party signer (the test peer) checks that a duplicate `Create` counts once,
//! that bad hours are refused with a reason and record nothing, and that nobody sends hours in
//! someone else's name.

use crate::support::dates::days_ago;
use crate::support::{eventually, peer::Peer, Api, Db, Neighbours, Node};
use serde_json::{json, Value};

/// The association's entries on `node`, as its coordinator sees them.
fn association_entries(api: &Api, node: &Node, token: &str, asso: &str) -> Vec<Value> {
    let (status, v) = api.get(
        &node.url(&format!("/api/v1/associations/{asso}/hours")),
        Some(token),
    );
    assert_eq!(status, 200, "{v}");
    v["entries"].as_array().cloned().unwrap_or_default()
}

fn entry(api: &Api, node: &Node, token: &str, id: &Value) -> Value {
    let (status, v) = api.get(&node.url(&format!("/api/v1/hours/{id}")), Some(token));
    assert_eq!(status, 200, "{v}");
    v
}

#[test]
fn hours_logged_on_node_b_are_validated_or_refused_on_node_a() {
    let api = Api::default();
    let Neighbours {
        a,
        b,
        token_a,
        token_b,
    } = Neighbours::following(&api);
    let address = format!("epicerie@{}", a.host());
    let log = |body: Value| {
        api.send(
            "POST",
            &b.url("/api/v1/me/hours"),
            Some(&token_b),
            Some(&body),
        )
    };

    // Bad hours are refused on B with a clear message, and nothing reaches A.
    let (status, v) = log(json!({"association": address, "date": days_ago(1), "minutes": 1800}));
    assert_eq!(status, 422, "{v}");
    assert!(v["fields"]["minutes"].is_string(), "{v}");
    let (status, v) = log(
        json!({"association": format!("nobody@{}", a.host()), "date": days_ago(1), "minutes": 60}),
    );
    assert_eq!(status, 422, "{v}");
    assert!(v["fields"]["association"].is_string(), "{v}");

    // Bob logs 2 h 30 and 12.5 km: pending on B until A answers.
    let (status, first) = log(json!({
        "association": address, "date": days_ago(2), "minutes": 150, "distance_km": "12.5",
        "category": "solidarity", "description": "Tri des dons",
    }));
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["status"], "pending");
    assert_eq!(first["association"], address.as_str());
    let ap_id = first["ap_id"]
        .as_str()
        .expect("an EconomicEvent id")
        .to_string();
    assert!(ap_id.starts_with(&b.base), "{ap_id}");

    // A holds them, waiting for its coordinator (moderation is on by default).
    let on_a = eventually(20, "A receives B's hours", || {
        association_entries(&api, &a, &token_a, "epicerie")
            .into_iter()
            .find(|e| e["ap_id"] == ap_id.as_str())
    });
    assert_eq!(on_a["status"], "pending");
    assert_eq!(on_a["minutes"], 150);
    assert_eq!(on_a["distance_km"], "12.5");
    assert_eq!(on_a["category"], "solidarity");
    assert_eq!(on_a["description"], "Tri des dons");
    assert_eq!(on_a["date"], days_ago(2));
    assert_eq!(on_a["volunteer"]["kind"], "remote");
    assert_eq!(
        on_a["volunteer"]["actor_ap_id"],
        format!("{}/u/bob", b.base)
    );

    // A validates: B learns it (Accept).
    let (status, v) = api.send(
        "POST",
        &a.url(&format!("/api/v1/hours/{}/validate", on_a["id"])),
        Some(&token_a),
        None,
    );
    assert_eq!(status, 200, "{v}");
    eventually(20, "B sees the hours validated", || {
        (entry(&api, &b, &token_b, &first["id"])["status"] == "validated").then_some(())
    });
    let (_, totals) = api.get(
        &a.url("/api/v1/associations/epicerie/hours/totals"),
        Some(&token_a),
    );
    assert_eq!(totals["overall"]["minutes"], 150, "{totals}");
    assert_eq!(totals["overall"]["hours"], "2.50", "{totals}");

    // A second entry is refused with a reason: B shows the reason (Reject).
    let (status, second) = log(json!({"association": address, "date": days_ago(3), "minutes": 60}));
    assert_eq!(status, 201, "{second}");
    let second_ap = second["ap_id"].as_str().unwrap_or_default().to_string();
    let on_a2 = eventually(20, "A receives the second entry", || {
        association_entries(&api, &a, &token_a, "epicerie")
            .into_iter()
            .find(|e| e["ap_id"] == second_ap.as_str())
    });
    let (status, v) = api.send(
        "POST",
        &a.url(&format!("/api/v1/hours/{}/refuse", on_a2["id"])),
        Some(&token_a),
        Some(&json!({"reason": "Pas de permanence ce jour-là"})),
    );
    assert_eq!(status, 200, "{v}");
    let refused = eventually(20, "B sees the refusal", || {
        let e = entry(&api, &b, &token_b, &second["id"]);
        (e["status"] == "refused").then_some(e)
    });
    assert_eq!(refused["reason"], "Pas de permanence ce jour-là");
    // B's history says the change came from elsewhere (no local author).
    let (status, h) = api.get(
        &b.url(&format!("/api/v1/hours/{}/history", second["id"])),
        Some(&token_b),
    );
    assert_eq!(status, 200, "{h}");
    let changes = h["history"].as_array().cloned().unwrap_or_default();
    assert_eq!(changes.len(), 2, "{h}");
    assert_eq!(changes[0]["changed_by"], "bob");
    assert_eq!(changes[1]["changed_by"], Value::Null);
    assert_eq!(changes[1]["after"]["status"], "refused");

    // A third entry, changed then deleted by Bob: A follows (Update, then Delete).
    let (status, third) = log(json!({"association": address, "date": days_ago(4), "minutes": 30}));
    assert_eq!(status, 201, "{third}");
    let third_ap = third["ap_id"].as_str().unwrap_or_default().to_string();
    eventually(20, "A receives the third entry", || {
        association_entries(&api, &a, &token_a, "epicerie")
            .into_iter()
            .find(|e| e["ap_id"] == third_ap.as_str())
    });
    let (status, v) = api.send(
        "PATCH",
        &b.url(&format!("/api/v1/hours/{}", third["id"])),
        Some(&token_b),
        Some(&json!({"minutes": 45})),
    );
    assert_eq!(status, 200, "{v}");
    eventually(20, "A sees the change", || {
        association_entries(&api, &a, &token_a, "epicerie")
            .into_iter()
            .find(|e| e["ap_id"] == third_ap.as_str() && e["minutes"] == 45)
    });
    let (status, _) = api.send(
        "DELETE",
        &b.url(&format!("/api/v1/hours/{}", third["id"])),
        Some(&token_b),
        None,
    );
    assert_eq!(status, 204);
    eventually(20, "A drops the withdrawn entry", || {
        (!association_entries(&api, &a, &token_a, "epicerie")
            .iter()
            .any(|e| e["ap_id"] == third_ap.as_str()))
        .then_some(())
    });
    // Only the validated hours count on A.
    let (_, totals) = api.get(
        &a.url("/api/v1/associations/epicerie/hours/totals"),
        Some(&token_a),
    );
    assert_eq!(totals["overall"]["minutes"], 150, "{totals}");
}

#[test]
fn a_duplicate_create_counts_once_and_bad_hours_are_rejected_with_a_reason() {
    let api = Api::default();
    let mut a = Node::new("a", Db::Sqlite);
    a.start();
    let token_a = a.user_with_token("alice");
    a.association("epicerie", "alice");
    let peer = Peer::start(&["pat", "mallory"]);
    let (pat, mallory) = (peer.actor("pat"), peer.actor("mallory"));
    let inbox = a.url("/g/epicerie/inbox");
    let asso = a.url("/g/epicerie");
    let event = |id: &str, provider: &str, minutes: i64| {
        json!({
            "id": id, "type": "EconomicEvent", "provider": provider, "receiver": asso,
            "to": [asso], "action": "work",
            "effortQuantity": {"hasUnit": "hour", "hasNumericalValue": (minutes as f64 / 60.0).to_string()},
            "hasBeginning": days_ago(1), "hasEnd": days_ago(1), "note": "Accueil du public",
        })
    };
    let create = |actor: &crate::support::peer::PeerActor, object: Value| {
        let mut c = actor.activity("Create", object);
        c["to"] = json!([asso]);
        c
    };

    // The same EconomicEvent in two Creates (two activity ids): one entry.
    let hours_id = pat.new_id("hours");
    for _ in 0..2 {
        let (status, v) = pat.post(&inbox, &create(pat, event(&hours_id, &pat.id, 90)));
        assert_eq!(status, 202, "{v}");
    }
    let entries = association_entries(&api, &a, &token_a, "epicerie");
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["minutes"], 90);
    assert_eq!(
        entries[0]["status"], "pending",
        "an unknown volunteer's hours wait"
    );
    assert_eq!(entries[0]["description"], "Accueil du public");

    // Hours in someone else's name are refused, and nothing is recorded.
    let (status, v) = mallory.post(
        &inbox,
        &create(mallory, event(&mallory.new_id("hours"), &pat.id, 60)),
    );
    assert_eq!(status, 403, "{v}");
    // Absurd hours (30 h in one day): a Reject with the reason, nothing recorded.
    let bad_id = pat.new_id("hours");
    let (status, v) = pat.post(&inbox, &create(pat, event(&bad_id, &pat.id, 1800)));
    assert_eq!(status, 202, "{v}");
    let reject = eventually(20, "the peer gets a Reject", || {
        peer.received()
            .into_iter()
            .find(|r| r.kind() == "Reject" && r.object_id() == bad_id)
    });
    assert!(
        reject.activity["content"]
            .as_str()
            .unwrap_or("")
            .contains("minutes"),
        "{}",
        reject.activity
    );
    assert_eq!(association_entries(&api, &a, &token_a, "epicerie").len(), 1);

    // Validated by the coordinator: the peer gets an Accept of its EconomicEvent.
    let (status, v) = api.send(
        "POST",
        &a.url(&format!("/api/v1/hours/{}/validate", entries[0]["id"])),
        Some(&token_a),
        None,
    );
    assert_eq!(status, 200, "{v}");
    eventually(20, "the peer gets an Accept", || {
        peer.received()
            .into_iter()
            .find(|r| r.kind() == "Accept" && r.object_id() == hours_id)
    });
    // A Delete from someone else does not remove it; the volunteer's own does.
    let delete = |actor: &crate::support::peer::PeerActor| {
        actor.activity("Delete", json!({"id": hours_id, "type": "Tombstone"}))
    };
    let (status, _) = mallory.post(&inbox, &delete(mallory));
    assert_eq!(status, 403);
    assert_eq!(association_entries(&api, &a, &token_a, "epicerie").len(), 1);
    let (status, _) = pat.post(&inbox, &delete(pat));
    assert_eq!(status, 202);
    assert!(association_entries(&api, &a, &token_a, "epicerie").is_empty());
}
