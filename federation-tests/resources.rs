//! Shared equipment across nodes: an association of node B reserves chairs owned on node A
//! (`Offer{Agreement}` → `Accept{result: Agreement}`), both sides accept the lending agreement
//! online, the owner hands over and takes back, and cancellations travel both ways. A test peer
//! checks that a redelivered `Offer` is one reservation and that bad requests are refused with
//! a reason and record nothing, here or on the wrong node. Then 100 requests from three nodes
//! at once for the last 10 chairs: exactly 10 granted, with A on SQLite and on PostgreSQL.

use crate::support::{
    eventually, fresh_postgres_db, peer::Peer, postgres_base_url, Api, Db, Neighbours, Node,
};
use chrono::{Duration, Utc};
use serde_json::{json, Value};

/// Day `d` from today at `h` o'clock UTC, RFC 3339.
fn day(d: i64, h: u32) -> String {
    (Utc::now().date_naive() + Duration::days(d))
        .and_hms_opt(h, 0, 0)
        .expect("time")
        .and_utc()
        .to_rfc3339()
}

fn chairs_body(approval: &str) -> Value {
    json!({
        "name": "Chaises pliantes", "description": "Chaises en bois, pliantes.", "category": "furniture",
        "quantity": 80, "approval": approval, "min_notice_hours": 24, "max_days": 5,
        "turnaround_hours": 12, "deposit": "150", "replacement_value": "25",
        "place": "Maison des associations, Brest", "latitude": 48.39, "longitude": -4.49,
        "agreement_template": "Prêt de {quantity} {resource} par {owner}.\n\nCaution : {deposit}.",
    })
}

/// A coordinator of `node` follows `owner_asso` of `owner`, which then has `expected`
/// followers: what it publishes reaches `node`.
fn follow(api: &Api, node: &Node, token: &str, owner: &Node, owner_asso: &str, expected: i64) {
    let (status, v) = api.send(
        "POST",
        &node.url("/api/v1/follows"),
        Some(token),
        Some(&json!({"target": format!("@{owner_asso}@{}", owner.host())})),
    );
    assert_eq!(status, 202, "{v}");
    eventually(20, "the owner has the new follower", || {
        let (_, v) = api.get(
            &owner.url(&format!("/api/v1/associations/{owner_asso}")),
            None,
        );
        (v["followers_count"].as_i64() == Some(expected)).then_some(())
    });
}

/// The id, on `node`, of the resource `ap_id` (once it arrived).
fn resource_on(api: &Api, node: &Node, ap_id: &str) -> i64 {
    eventually(20, "the resource reaches the borrower's node", || {
        let (_, v) = api.get(&node.url("/api/v1/resources?q=chaises"), None);
        v["resources"]
            .as_array()?
            .iter()
            .find(|r| r["ap_id"] == ap_id)
            .and_then(|r| r["id"].as_i64())
    })
}

fn reservation(api: &Api, node: &Node, token: &str, id: &Value) -> Value {
    let (status, v) = api.get(
        &node.url(&format!("/api/v1/reservations/{id}")),
        Some(token),
    );
    assert_eq!(status, 200, "{v}");
    v
}

fn association_reservations(api: &Api, node: &Node, token: &str, asso: &str) -> Vec<Value> {
    let (status, v) = api.get(
        &node.url(&format!("/api/v1/associations/{asso}/reservations")),
        Some(token),
    );
    assert_eq!(status, 200, "{v}");
    v["reservations"].as_array().cloned().unwrap_or_default()
}

#[test]
fn chairs_of_node_a_are_reserved_from_node_b() {
    let api = Api::default();
    let mut a = Node::new("a", Db::Sqlite);
    let mut b = Node::new("b", Db::Sqlite);
    a.start();
    b.start();
    let alice = a.user_with_token("alice");
    a.association("materiel", "alice");
    let bob = b.user_with_token("bob");
    b.association("fete", "bob");
    follow(&api, &b, &bob, &a, "materiel", 1);

    let (status, chairs) = api.send(
        "POST",
        &a.url("/api/v1/associations/materiel/resources"),
        Some(&alice),
        Some(&chairs_body("manual")),
    );
    assert_eq!(status, 201, "{chairs}");
    let ap_id = chairs["ap_id"].as_str().expect("ap id").to_string();
    // The resource is a Page with the FEP-0837 fields.
    let (status, page) = api.get_ap(&ap_id);
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["type"], "Page");
    assert_eq!(page["purpose"], "offer");
    assert_eq!(page["publishes"]["action"], "use");
    assert_eq!(
        page["publishes"]["resourceQuantity"]["hasNumericalValue"],
        "80"
    );
    assert_eq!(page["availability"]["type"], "OrderedCollection");

    let on_b = resource_on(&api, &b, &ap_id);
    let (_, seen) = api.get(&b.url(&format!("/api/v1/resources/{on_b}")), None);
    assert_eq!(seen["local"], false);
    assert_eq!(seen["quantity"], 80);
    assert_eq!(seen["deposit"], "150");
    assert_eq!(seen["owner_address"], format!("materiel@{}", a.host()));

    let ask = |body: Value| {
        api.send(
            "POST",
            &b.url(&format!("/api/v1/resources/{on_b}/reservations")),
            Some(&bob),
            Some(&body),
        )
    };
    // Bad requests are refused on B at once, with the owner's terms, and nothing is sent.
    for (body, field) in [
        (
            json!({"borrower": "fete", "quantity": 5, "start": day(10, 18), "end": day(10, 9)}),
            "end",
        ),
        (
            json!({"borrower": "fete", "quantity": 81, "start": day(10, 9), "end": day(10, 18)}),
            "quantity",
        ),
        (
            json!({"borrower": "fete", "quantity": 5, "start": day(0, 23), "end": day(1, 23)}),
            "start",
        ),
    ] {
        let (status, v) = ask(body.clone());
        assert_eq!(status, 422, "{body}: {v}");
        assert!(v["fields"][field].is_string(), "{body}: {v}");
    }

    // Bob asks for 30 chairs: requested on B, waiting for A's coordinator.
    let (status, asked) =
        ask(json!({"borrower": "fete", "quantity": 30, "start": day(10, 9), "end": day(11, 18)}));
    assert_eq!(status, 201, "{asked}");
    assert_eq!(asked["state"], "requested");
    let on_a = eventually(20, "A receives the request", || {
        association_reservations(&api, &a, &alice, "materiel")
            .into_iter()
            .find(|r| r["offer_id"] == asked["offer_id"])
    });
    assert_eq!(on_a["state"], "requested");
    assert_eq!(on_a["quantity"], 30);
    assert_eq!(on_a["borrower"], format!("fete@{}", b.host()));
    let (status, v) = api.send(
        "POST",
        &a.url(&format!("/api/v1/reservations/{}/accept", on_a["id"])),
        Some(&alice),
        None,
    );
    assert_eq!(status, 200, "{v}");
    let accepted = eventually(20, "B learns it is accepted", || {
        let r = reservation(&api, &b, &bob, &asked["id"]);
        (r["state"] == "accepted").then_some(r)
    });
    assert!(accepted["agreement_id"]
        .as_str()
        .is_some_and(|id| id.starts_with(&a.base)));
    // A's followers see 50 of 80 free that day.
    eventually(20, "B sees the busy period", || {
        let (_, v) = api.get(
            &b.url(&format!(
                "/api/v1/resources/{on_b}/availability?from={}&days=1",
                &day(10, 0)[..10]
            )),
            None,
        );
        (v["days"][0]["free"] == 50).then_some(())
    });

    // Both sides accept the agreement online; each sees the other's signature.
    let sign = |node: &Node, token: &str, id: &Value| {
        let (status, v) = api.send(
            "POST",
            &node.url(&format!("/api/v1/reservations/{id}/sign")),
            Some(token),
            None,
        );
        assert_eq!(status, 200, "{v}");
        v
    };
    let signed = sign(&b, &bob, &asked["id"]);
    assert!(signed["borrower_signed"]["by"]
        .as_str()
        .is_some_and(|s| s.contains("bob")));
    sign(&a, &alice, &on_a["id"]);
    eventually(20, "A sees the borrower's signature", || {
        let r = reservation(&api, &a, &alice, &on_a["id"]);
        r["borrower_signed"]["by"].as_str().map(str::to_string)
    });
    eventually(20, "B sees the owner's signature", || {
        let r = reservation(&api, &b, &bob, &asked["id"]);
        r["owner_signed"]["by"].as_str().map(str::to_string)
    });
    // Both servers print the same agreement: the owner's text, both signatures.
    for (node, token, id) in [(&a, &alice, &on_a["id"]), (&b, &bob, &asked["id"])] {
        let (status, agreement) = api.get(
            &node.url(&format!("/api/v1/reservations/{id}/agreement")),
            Some(token),
        );
        assert_eq!(status, 200, "{agreement}");
        assert_eq!(
            agreement["text"][0], "Prêt de 30 Chaises pliantes par materiel.",
            "{agreement}"
        );
        assert_eq!(agreement["text"][1], "Caution : 150,00 €.", "{agreement}");
        assert!(
            agreement["owner"]["signed"]
                .as_str()
                .is_some_and(|s| s.contains("alice")),
            "{agreement}"
        );
        assert!(
            agreement["borrower"]["signed"]
                .as_str()
                .is_some_and(|s| s.contains("bob")),
            "{agreement}"
        );
    }
    // The borrower cannot decide for the owner.
    let (status, _) = api.send(
        "POST",
        &b.url(&format!("/api/v1/reservations/{}/pickup", asked["id"])),
        Some(&bob),
        None,
    );
    assert_eq!(status, 403);

    // A second request, cancelled by the borrower (Undo{Offer}).
    let (_, second) =
        ask(json!({"borrower": "fete", "quantity": 5, "start": day(20, 9), "end": day(20, 18)}));
    let second_on_a = eventually(20, "A receives the second request", || {
        association_reservations(&api, &a, &alice, "materiel")
            .into_iter()
            .find(|r| r["offer_id"] == second["offer_id"])
    });
    let (status, v) = api.send(
        "POST",
        &b.url(&format!("/api/v1/reservations/{}/cancel", second["id"])),
        Some(&bob),
        None,
    );
    assert_eq!(status, 200, "{v}");
    eventually(20, "A sees the request withdrawn", || {
        (reservation(&api, &a, &alice, &second_on_a["id"])["state"] == "cancelled").then_some(())
    });

    // The owner hands the first one over with notes; B follows; then the owner cancels a
    // third one it had accepted (Delete{Agreement}).
    let (status, v) = api.send(
        "POST",
        &a.url(&format!("/api/v1/reservations/{}/pickup", on_a["id"])),
        Some(&alice),
        Some(&json!({"notes": "30 chaises, une rayée"})),
    );
    assert_eq!(status, 200, "{v}");
    eventually(20, "B sees the chairs picked up", || {
        let r = reservation(&api, &b, &bob, &asked["id"]);
        (r["state"] == "picked_up" && r["pickup_notes"] == "30 chaises, une rayée").then_some(())
    });
    let (_, third) =
        ask(json!({"borrower": "fete", "quantity": 2, "start": day(25, 9), "end": day(25, 18)}));
    let third_on_a = eventually(20, "A receives the third request", || {
        association_reservations(&api, &a, &alice, "materiel")
            .into_iter()
            .find(|r| r["offer_id"] == third["offer_id"])
    });
    for action in ["accept", "cancel"] {
        let (status, v) = api.send(
            "POST",
            &a.url(&format!(
                "/api/v1/reservations/{}/{action}",
                third_on_a["id"]
            )),
            Some(&alice),
            Some(&json!({"reason": "la salle est fermée ce jour-là"})),
        );
        assert_eq!(status, 200, "{action}: {v}");
    }
    eventually(20, "B sees the owner's cancellation", || {
        let r = reservation(&api, &b, &bob, &third["id"]);
        (r["state"] == "cancelled" && r["reason"] == "la salle est fermée ce jour-là").then_some(())
    });

    // A third-party signer: a redelivered Offer is one reservation; bad ones are refused with
    // a reason and record nothing; an Offer for A's chairs sent to B (the wrong node) too.
    let peer = Peer::start(&["pat"]);
    let pat = peer.actor("pat");
    let offer = |id: &str, quantity: i64, start: String, end: String| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": id, "type": "Offer", "actor": pat.id, "to": [format!("{}/g/materiel", a.base)],
            "object": {"type": "Agreement", "stipulates": {
                "type": "Commitment", "action": "use", "satisfies": format!("{ap_id}#primary"),
                "resourceQuantity": {"hasUnit": "one", "hasNumericalValue": quantity.to_string()},
                "hasBeginning": start, "hasEnd": end}},
        })
    };
    let before = association_reservations(&api, &a, &alice, "materiel").len();
    let good = offer(&pat.new_id("offer"), 3, day(30, 9), day(30, 18));
    for _ in 0..3 {
        let (status, v) = pat.post(&a.url("/g/materiel/inbox"), &good);
        assert!(status == 202 || status == 200, "{status} {v}");
    }
    let bad = offer(&pat.new_id("offer"), 3, day(30, 18), day(30, 9));
    let (status, _) = pat.post(&a.url("/g/materiel/inbox"), &bad);
    assert_eq!(status, 202);
    let too_many = offer(&pat.new_id("offer"), 500, day(31, 9), day(31, 18));
    pat.post(&a.url("/g/materiel/inbox"), &too_many);
    let wrong_node = offer(&pat.new_id("offer"), 3, day(30, 9), day(30, 18));
    pat.post(&b.url("/g/fete/inbox"), &wrong_node);
    let rejected = |id: &Value| {
        let id = id.as_str().unwrap_or_default().to_string();
        peer.received()
            .into_iter()
            .find(|r| r.kind() == "Reject" && r.object_id() == id)
    };
    let r = eventually(20, "the bad period is rejected", || rejected(&bad["id"]));
    assert!(
        r.activity["content"]
            .as_str()
            .is_some_and(|c| c.contains("end")),
        "{}",
        r.activity
    );
    let r = eventually(20, "the quantity is rejected", || rejected(&too_many["id"]));
    assert!(
        r.activity["content"]
            .as_str()
            .is_some_and(|c| c.contains("80")),
        "{}",
        r.activity
    );
    let r = eventually(20, "the wrong node rejects", || rejected(&wrong_node["id"]));
    assert!(
        r.activity["content"]
            .as_str()
            .is_some_and(|c| c.contains("another server")),
        "{}",
        r.activity
    );
    let after = association_reservations(&api, &a, &alice, "materiel");
    assert_eq!(
        after.len(),
        before + 1,
        "one reservation for three deliveries, none for bad ones"
    );
    assert_eq!(
        after.iter().filter(|r| r["offer_id"] == good["id"]).count(),
        1
    );
    assert!(association_reservations(&api, &b, &bob, "fete")
        .iter()
        .all(|r| r["offer_id"] != wrong_node["id"]));

    // Changes and removal of the resource federate like a mission's.
    let (status, v) = api.send(
        "PATCH",
        &a.url(&format!("/api/v1/resources/{}", chairs["id"])),
        Some(&alice),
        Some(&json!({"quantity": 90, "name": "Chaises pliantes en bois"})),
    );
    assert_eq!(status, 200, "{v}");
    eventually(20, "B sees the change", || {
        let (_, v) = api.get(&b.url(&format!("/api/v1/resources/{on_b}")), None);
        (v["quantity"] == 90 && v["name"] == "Chaises pliantes en bois").then_some(())
    });
    let (status, _) = api.send(
        "DELETE",
        &a.url(&format!("/api/v1/resources/{}", chairs["id"])),
        Some(&alice),
        None,
    );
    assert_eq!(status, 204);
    let (status, tombstone) = api.get_ap(&ap_id);
    assert_eq!(status, 410, "{tombstone}");
    assert_eq!(tombstone["type"], "Tombstone");
    eventually(20, "B forgets the resource", || {
        let (status, _) = api.get(&b.url(&format!("/api/v1/resources/{on_b}")), None);
        (status == 404).then_some(())
    });
    // A loan already out stays as it is (only requests and loans to come are cancelled).
    eventually(20, "B sees the loan cancelled", || {
        let r = reservation(&api, &b, &bob, &asked["id"]);
        (r["state"] == "picked_up").then_some(())
    });
}

/// 100 requests for one chair each, from three nodes at once, when 10 of 80 are left.
fn last_ten_chairs(db_a: Db) {
    let api = Api::default();
    let mut a = Node::new("a", db_a);
    a.start();
    let alice = a.user_with_token("alice");
    a.association("materiel", "alice");
    a.association("club", "alice");
    let mut borrowers = Vec::new();
    for name in ["b", "c", "d"] {
        let mut n = Node::new(name, Db::Sqlite);
        n.start();
        let token = n.user_with_token("bob");
        n.association("fete", "bob");
        borrowers.push((n, token));
    }
    for (i, (n, token)) in borrowers.iter().enumerate() {
        follow(&api, n, token, &a, "materiel", i as i64 + 1);
    }
    let (status, chairs) = api.send(
        "POST",
        &a.url("/api/v1/associations/materiel/resources"),
        Some(&alice),
        Some(&chairs_body("automatic")),
    );
    assert_eq!(status, 201, "{chairs}");
    let ap_id = chairs["ap_id"].as_str().expect("ap id").to_string();
    // 70 of the 80 go to an association of A first.
    let (status, v) = api.send(
        "POST",
        &a.url(&format!("/api/v1/resources/{}/reservations", chairs["id"])),
        Some(&alice),
        Some(&json!({"borrower": "club", "quantity": 70, "start": day(12, 8), "end": day(12, 20)})),
    );
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["state"], "accepted");
    let ids: Vec<i64> = borrowers
        .iter()
        .map(|(n, _)| resource_on(&api, n, &ap_id))
        .collect();

    // 100 requests at once: 34 from B, 33 from C, 33 from D.
    std::thread::scope(|s| {
        let mut handles = Vec::new();
        for i in 0..100usize {
            let (n, token) = &borrowers[i % 3];
            let id = ids[i % 3];
            let api = &api;
            handles.push(s.spawn(move || {
                let (status, v) = api.send(
                    "POST",
                    &n.url(&format!("/api/v1/resources/{id}/reservations")),
                    Some(token),
                    Some(&json!({"borrower": "fete", "quantity": 1, "start": day(12, 10), "end": day(12, 16)})),
                );
                assert_eq!(status, 201, "{v}");
            }));
        }
        for h in handles {
            h.join().expect("request thread");
        }
    });
    // Every request is answered on its node; exactly 10 are accepted, on A and on the borrowers.
    let answered = eventually(90, "all 100 requests are answered", || {
        let mut states = Vec::new();
        for (n, token) in &borrowers {
            for r in association_reservations(&api, n, token, "fete") {
                states.push(r["state"].as_str().unwrap_or_default().to_string());
            }
        }
        (states.len() == 100 && states.iter().all(|s| s != "requested")).then_some(states)
    });
    assert_eq!(answered.iter().filter(|s| *s == "accepted").count(), 10);
    assert_eq!(answered.iter().filter(|s| *s == "refused").count(), 90);
    let on_a = association_reservations(&api, &a, &alice, "materiel");
    let granted: i64 = on_a
        .iter()
        .filter(|r| r["state"] == "accepted")
        .map(|r| r["quantity"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(granted, 80, "70 + exactly 10, never more");
    assert_eq!(on_a.len(), 101);
    let (_, free) = api.get(
        &a.url(&format!(
            "/api/v1/resources/{}/availability?from={}&days=1",
            chairs["id"],
            &day(12, 0)[..10]
        )),
        None,
    );
    assert_eq!(free["days"][0]["free"], 0, "{free}");
}

#[test]
fn last_ten_chairs_asked_by_three_nodes_at_once_on_sqlite() {
    last_ten_chairs(Db::Sqlite);
}

#[test]
fn last_ten_chairs_asked_by_three_nodes_at_once_on_postgres() {
    let Some(base) = postgres_base_url(
        "federation-tests::resources::last_ten_chairs_asked_by_three_nodes_at_once_on_postgres",
    ) else {
        return;
    };
    last_ten_chairs(Db::Postgres(fresh_postgres_db(&base, "fed_chairs_a")));
}

/// A node whose relay follows another's gets its resources through the relay's `Announce`
/// (fetched from their origin), and forgets them when they are removed.
#[test]
fn a_relay_brings_resources() {
    let api = Api::default();
    let (a, b, alice) = Neighbours::relays(&api, "materiel");
    let (status, chairs) = api.send(
        "POST",
        &a.url("/api/v1/associations/materiel/resources"),
        Some(&alice),
        Some(&chairs_body("automatic")),
    );
    assert_eq!(status, 201, "{chairs}");
    let ap_id = chairs["ap_id"].as_str().expect("ap id").to_string();
    let on_b = resource_on(&api, &b, &ap_id);
    let (status, _) = api.send(
        "DELETE",
        &a.url(&format!("/api/v1/resources/{}", chairs["id"])),
        Some(&alice),
        None,
    );
    assert_eq!(status, 204);
    eventually(20, "B forgets the resource", || {
        let (status, _) = api.get(&b.url(&format!("/api/v1/resources/{on_b}")), None);
        (status == 404).then_some(())
    });
}
