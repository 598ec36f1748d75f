//! Volunteers across nodes: a user on node B signs up for a slot owned by node A (`Join` →
//! `Accept{Join}`), withdraws (`Leave`), is accepted or refused in manual approval, loses the
//! place when A cancels the slot; 60 sign-ups at once from three nodes never exceed a slot's
//! capacity (A on SQLite, then PostgreSQL); bad slots and bad `Join`s change nothing.

use crate::{
    api_queue, collection_total, mission_body,
    support::dates::mission_at,
    support::{
        eventually, fresh_postgres_db,
        peer::{Peer, PeerActor},
        postgres_base_url, Api, Db, Neighbours, Node,
    },
};
use chrono::{Duration, SecondsFormat, Utc};
use serde_json::{json, Value};
use std::{collections::BTreeSet, sync::Barrier};

/// A mission with one slot on `node`, owned by `asso`; returns (mission, slot) as the API shows them.
pub fn mission_with_slot(
    api: &Api,
    node: &Node,
    token: &str,
    asso: &str,
    capacity: i64,
    join_mode: &str,
) -> (Value, Value) {
    mission_with_slot_at(
        api,
        node,
        token,
        asso,
        capacity,
        join_mode,
        (&mission_at(0, 9), &mission_at(0, 12)),
    )
}

/// Like [`mission_with_slot`], with the mission and its slot at `(start, end)`.
pub fn mission_with_slot_at(
    api: &Api,
    node: &Node,
    token: &str,
    asso: &str,
    capacity: i64,
    join_mode: &str,
    (start, end): (&str, &str),
) -> (Value, Value) {
    let mut body = mission_body("Collecte de printemps");
    body["join_mode"] = json!(join_mode);
    body["start_time"] = json!(start);
    body["end_time"] = json!(end);
    let (status, mission) = api.send(
        "POST",
        &node.url(&format!("/api/v1/associations/{asso}/missions")),
        Some(token),
        Some(&body),
    );
    assert_eq!(status, 201, "{mission}");
    let slots = json!({"slots": [{"start_time": start, "end_time": end, "capacity": capacity}]});
    let url = node.url(&format!("/api/v1/missions/{}/slots", mission["id"]));
    let (status, created) = api.send("POST", &url, Some(token), Some(&slots));
    assert_eq!(status, 201, "{created}");
    (mission, created["slots"][0].clone())
}

/// The copy of a remote slot a node holds, found by its ActivityPub id.
pub fn remote_slot(api: &Api, node: &Node, mission_ap_id: &str, slot_ap_id: &str) -> Option<Value> {
    let (_, missions) = api.get(&node.url("/api/v1/missions?origin=remote"), None);
    let mission = missions["missions"]
        .as_array()?
        .iter()
        .find(|m| m["ap_id"] == mission_ap_id)?
        .clone();
    let (_, slots) = api.get(
        &node.url(&format!("/api/v1/missions/{}/slots", mission["id"])),
        None,
    );
    slots["slots"]
        .as_array()?
        .iter()
        .find(|s| s["ap_id"] == slot_ap_id)
        .cloned()
}

/// A mission with one slot on A, and the copy of that slot B holds once it arrived.
pub struct SharedSlot {
    /// The slot as A's API shows it.
    pub slot: Value,
    /// Their ActivityPub ids.
    pub mission_ap: String,
    pub slot_ap: String,
    /// B's copy of the slot, as B's API shows it.
    pub copy: Value,
}

/// A mission of A's "epicerie" with one slot (see [`mission_with_slot`]), waited for on B.
pub fn shared_slot(
    api: &Api,
    (a, token_a): (&Node, &str),
    b: &Node,
    capacity: i64,
    join_mode: &str,
) -> SharedSlot {
    let (mission, slot) = mission_with_slot(api, a, token_a, "epicerie", capacity, join_mode);
    let mission_ap = mission["ap_id"].as_str().unwrap_or_default().to_string();
    let slot_ap = slot["ap_id"].as_str().unwrap_or_default().to_string();
    let copy = eventually(20, "B holds A's slot", || {
        remote_slot(api, b, &mission_ap, &slot_ap)
    });
    SharedSlot {
        slot,
        mission_ap,
        slot_ap,
        copy,
    }
}

fn my_participation(api: &Api, node: &Node, token: &str, id: &Value) -> Value {
    let (status, mine) = api.get(&node.url("/api/v1/me/participations"), Some(token));
    assert_eq!(status, 200, "{mine}");
    mine["participations"]
        .as_array()
        .and_then(|l| l.iter().find(|p| &p["id"] == id).cloned())
        .unwrap_or(Value::Null)
}

#[test]
fn a_volunteer_on_node_b_signs_up_for_a_slot_on_node_a_then_leaves() {
    let api = Api::default();
    let Neighbours {
        a,
        b,
        token_a,
        token_b,
    } = Neighbours::following(&api);
    let SharedSlot {
        slot,
        mission_ap,
        slot_ap,
        copy,
        ..
    } = shared_slot(&api, (&a, &token_a), &b, 2, "free");
    assert_eq!(copy["capacity"], 2);
    assert_eq!(copy["local"], false);

    // Bob asks on B: pending until A answers.
    let (status, asked) = api.send(
        "POST",
        &b.url(&format!("/api/v1/slots/{}/participations", copy["id"])),
        Some(&token_b),
        Some(&json!({"message": "Je peux venir à 9 h."})),
    );
    assert_eq!(status, 201, "{asked}");
    assert_eq!(asked["status"], "pending");
    let accepted = eventually(20, "A accepts B's Join", || {
        let p = my_participation(&api, &b, &token_b, &asked["id"]);
        (p["status"] == "accepted").then_some(p)
    });
    assert_eq!(accepted["slot"]["ap_id"], slot_ap.as_str());
    // A counts the place and knows who took it.
    let (_, owner_view) = api.get(
        &a.url(&format!("/api/v1/slots/{}/participations", slot["id"])),
        Some(&token_a),
    );
    let list = owner_view["participations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(list.len(), 1, "{owner_view}");
    assert_eq!(
        list[0]["participant"]["actor_ap_id"],
        format!("{}/u/bob", b.base)
    );
    assert_eq!(list[0]["message"], "Je peux venir à 9 h.");
    assert_eq!(owner_view["slot"]["participant_count"], 1);
    // The Update of the mission brings the new count back to B.
    eventually(20, "B sees 1 place taken", || {
        remote_slot(&api, &b, &mission_ap, &slot_ap).filter(|s| s["participant_count"] == 1)
    });

    // Bob leaves: a Leave frees the place on A.
    let (status, left) = api.send(
        "DELETE",
        &b.url(&format!("/api/v1/participations/{}", asked["id"])),
        Some(&token_b),
        None,
    );
    assert_eq!(status, 200, "{left}");
    assert_eq!(left["status"], "withdrawn");
    eventually(20, "A frees the place", || {
        let (_, v) = api.get(&a.url(&format!("/api/v1/slots/{}", slot["id"])), None);
        (v["participant_count"] == 0).then_some(())
    });
}

// ---------------------------------------------------------------------------------------------
// Many sign-ups at once

/// A user of one of the nodes that send `Join`s, with an API token.
struct Volunteer {
    /// Index of the node in the list of senders.
    node: usize,
    name: String,
    token: String,
}

/// `per_node` volunteers on each node, created with the CLI (an RSA key each), two threads
/// per node so that key generation uses both cores.
fn volunteers(nodes: &[Node], per_node: usize) -> Vec<Volunteer> {
    std::thread::scope(|s| {
        let handles: Vec<_> = nodes
            .iter()
            .enumerate()
            .flat_map(|(n, node)| {
                (0..2).map(move |half| {
                    s.spawn(move || {
                        (0..per_node)
                            .filter(|i| i % 2 == half)
                            .map(|i| {
                                let name = format!("v{}{i:02}", node.name);
                                Volunteer {
                                    node: n,
                                    token: node.user_with_token(&name),
                                    name,
                                }
                            })
                            .collect::<Vec<_>>()
                    })
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("volunteer thread"))
            .collect()
    })
}

/// Node A (started here, on `db`) owns a slot of 5 places; every volunteer asks for one at the
/// same moment through their own node, which sends a `Join` to A. A alone decides.
fn race_for_five_places(
    api: &Api,
    db: Db,
    senders: &[Node],
    volunteers: &[Volunteer],
    when: (&str, &str),
    backend: &str,
) {
    let mut a = Node::new("a", db);
    a.start();
    let token_a = a.user_with_token("alice");
    a.association("epicerie", "alice");
    for node in senders {
        node.cli(&["admin", "follow", &a.base], None);
    }
    eventually(
        30,
        &format!(
            "{backend}: A's relay has the {} relays as followers",
            senders.len()
        ),
        || {
            (collection_total(api, &a.url("/relay/followers")) == Some(senders.len() as i64))
                .then_some(())
        },
    );
    for node in senders {
        eventually(
            30,
            &format!("{backend}: {}'s follow of A's relay is accepted", node.name),
            || {
                let (_, v) = api.get_ap(&node.url("/relay/following"));
                v["orderedItems"]
                    .as_array()?
                    .iter()
                    .any(|i| i == a.url("/relay").as_str())
                    .then_some(())
            },
        );
    }
    let (mission, slot) = mission_with_slot_at(api, &a, &token_a, "epicerie", 5, "free", when);
    let mission_ap = mission["ap_id"].as_str().unwrap_or_default().to_string();
    let slot_ap = slot["ap_id"].as_str().unwrap_or_default().to_string();
    let copies: Vec<Value> = senders
        .iter()
        .map(|node| {
            eventually(
                30,
                &format!("{backend}: {} holds A's slot", node.name),
                || remote_slot(api, node, &mission_ap, &slot_ap),
            )
        })
        .collect();

    // Everyone at once.
    let barrier = Barrier::new(volunteers.len());
    let asked: Vec<(u16, Value)> = std::thread::scope(|s| {
        let handles: Vec<_> = volunteers
            .iter()
            .map(|v| {
                let (barrier, node, copy) = (&barrier, &senders[v.node], &copies[v.node]);
                s.spawn(move || {
                    barrier.wait();
                    let url = node.url(&format!("/api/v1/slots/{}/participations", copy["id"]));
                    api.send("POST", &url, Some(&v.token), None)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("sign-up thread"))
            .collect()
    });
    for (v, (status, body)) in volunteers.iter().zip(&asked) {
        assert_eq!(
            *status, 201,
            "{backend}: {} on {}: {body}",
            v.name, senders[v.node].name
        );
        assert_eq!(body["status"], "pending", "{backend}: {body}");
    }

    // A: every Join answered, five places taken, the others refused as full.
    let total = volunteers.len();
    let owner_view = eventually(
        60,
        &format!("{backend}: A records all {total} Joins"),
        || {
            let (status, v) = api.get(
                &a.url(&format!("/api/v1/slots/{}/participations", slot["id"])),
                Some(&token_a),
            );
            assert_eq!(status, 200, "{v}");
            (v["participations"].as_array()?.len() >= total).then_some(v)
        },
    );
    let list = owner_view["participations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        list.len(),
        total,
        "{backend}: one participation per Join on A"
    );
    let with_status = |s: &str| list.iter().filter(|p| p["status"] == s).collect::<Vec<_>>();
    let (accepted, rejected) = (with_status("accepted"), with_status("rejected"));
    assert_eq!(
        accepted.len(),
        5,
        "{backend}: exactly 5 accepted on A: {owner_view}"
    );
    assert_eq!(
        rejected.len(),
        total - 5,
        "{backend}: the others refused on A: {owner_view}"
    );
    assert!(
        rejected.iter().all(|p| p["reason"] == "full"),
        "{backend}: refused because full: {owner_view}"
    );
    let actors: BTreeSet<String> = list
        .iter()
        .filter_map(|p| p["participant"]["actor_ap_id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        actors.len(),
        total,
        "{backend}: one participation per volunteer on A"
    );
    let (_, now) = api.get(&a.url(&format!("/api/v1/slots/{}", slot["id"])), None);
    assert_eq!(now["participant_count"], 5, "{backend}: {now}");
    assert_eq!(now["remaining"], 0, "{backend}: {now}");

    // B, C, D: each volunteer learns the answer (Accept or Reject{full}).
    let answers: Vec<Value> = eventually(
        60,
        &format!("{backend}: every volunteer's node gets A's answer"),
        || {
            let mut answers = Vec::with_capacity(total);
            for (v, (_, asked)) in volunteers.iter().zip(&asked) {
                let p = my_participation(api, &senders[v.node], &v.token, &asked["id"]);
                if p["status"] != "accepted" && p["status"] != "rejected" {
                    return None;
                }
                answers.push(p);
            }
            Some(answers)
        },
    );
    let confirmed: BTreeSet<String> = volunteers
        .iter()
        .zip(&answers)
        .filter(|(_, p)| p["status"] == "accepted")
        .map(|(v, _)| format!("{}/u/{}", senders[v.node].base, v.name))
        .collect();
    assert_eq!(
        confirmed.len(),
        5,
        "{backend}: 5 volunteers see their place confirmed"
    );
    let refused = answers
        .iter()
        .filter(|p| p["status"] == "rejected")
        .collect::<Vec<_>>();
    assert_eq!(
        refused.len(),
        total - 5,
        "{backend}: the others see a refusal"
    );
    assert!(
        refused.iter().all(|p| p["reason"] == "full"),
        "{backend}: the refusal says why"
    );
    let accepted_on_a: BTreeSet<String> = accepted
        .iter()
        .filter_map(|p| p["participant"]["actor_ap_id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        confirmed, accepted_on_a,
        "{backend}: the same five people on both sides"
    );
    // The mission's Update brings the count back to every copy, whatever order parallel
    // delivery brings the five Updates in (each slot change is dated after the one before).
    for node in senders {
        eventually(
            30,
            &format!("{backend}: {} sees the slot full", node.name),
            || {
                remote_slot(api, node, &mission_ap, &slot_ap)
                    .filter(|s| s["participant_count"] == 5)
            },
        );
    }
}

/// 60 volunteers on three nodes ask for a slot of 5 places at the same time: exactly 5 are
/// confirmed and 55 refused, with node A on SQLite, then on PostgreSQL (same senders).
#[test]
fn sixty_concurrent_sign_ups_from_three_nodes_for_five_places() {
    // Asked first: with ENTRAIDE_REQUIRE_POSTGRES=1 and no server, fail before any work.
    let postgres = postgres_base_url(
        "sixty_concurrent_sign_ups_from_three_nodes_for_five_places (A on PostgreSQL)",
    );
    let api = Api::default();
    let mut senders = vec![
        Node::new("b", Db::Sqlite),
        Node::new("c", Db::Sqlite),
        Node::new("d", Db::Sqlite),
    ];
    for node in senders.iter_mut() {
        node.start();
    }
    let volunteers = volunteers(&senders, 20);
    assert_eq!(volunteers.len(), 60);
    race_for_five_places(
        &api,
        Db::Sqlite,
        &senders,
        &volunteers,
        (&mission_at(0, 9), &mission_at(0, 12)),
        "A on SQLite",
    );
    if let Some(base) = postgres {
        // Another day, so that nobody's first slot overlaps this one.
        race_for_five_places(
            &api,
            Db::Postgres(fresh_postgres_db(&base, "fed_race_a")),
            &senders,
            &volunteers,
            (&mission_at(7, 9), &mission_at(7, 12)),
            "A on PostgreSQL",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Manual approval

/// A mission in manual approval: Joins wait on both sides until A's coordinator accepts one
/// (B sees it accepted) and refuses another with a reason (B sees the refusal and why).
#[test]
fn manual_approval_and_refusal_across_nodes() {
    let api = Api::default();
    let (a, b, token_a) = Neighbours::relays(&api, "epicerie");
    let bob = b.user_with_token("bob");
    let bea = b.user_with_token("bea");
    let SharedSlot {
        slot,
        mission_ap,
        slot_ap,
        copy,
        ..
    } = shared_slot(&api, (&a, &token_a), &b, 3, "restricted");
    let ask = |token: &str, message: &str| {
        let url = b.url(&format!("/api/v1/slots/{}/participations", copy["id"]));
        let (status, v) = api.send(
            "POST",
            &url,
            Some(token),
            Some(&json!({"message": message})),
        );
        assert_eq!(status, 201, "{v}");
        assert_eq!(v["status"], "pending", "{v}");
        v
    };
    let bob_asked = ask(&bob, "Disponible toute la matinée.");
    let bea_asked = ask(&bea, "Je viens avec ma voiture.");

    // A has both requests, pending; the places are not taken yet.
    let pending = eventually(20, "A records both Joins as pending", || {
        let (_, v) = api.get(
            &a.url(&format!("/api/v1/slots/{}/participations", slot["id"])),
            Some(&token_a),
        );
        let list = v["participations"].as_array()?.clone();
        (list.len() == 2).then_some(list)
    });
    assert!(
        pending.iter().all(|p| p["status"] == "pending"),
        "{pending:?}"
    );
    let on_a = |who: &str| {
        pending
            .iter()
            .find(|p| p["participant"]["actor_ap_id"] == format!("{}/u/{who}", b.base).as_str())
            .cloned()
            .unwrap_or_else(|| panic!("no participation of {who} on A: {pending:?}"))
    };
    let (bob_on_a, bea_on_a) = (on_a("bob"), on_a("bea"));
    assert_eq!(bea_on_a["message"], "Je viens avec ma voiture.");
    let (_, s) = api.get(&a.url(&format!("/api/v1/slots/{}", slot["id"])), None);
    assert_eq!(
        s["participant_count"], 0,
        "pending requests take no place: {s}"
    );
    // Nothing was sent back while A has not decided: B still waits (A's queue is empty).
    eventually(20, "A's queue is empty", || {
        (api_queue(&api, &a, &token_a).0 == 0).then_some(())
    });
    assert_eq!(
        my_participation(&api, &b, &bob, &bob_asked["id"])["status"],
        "pending"
    );
    assert_eq!(
        my_participation(&api, &b, &bea, &bea_asked["id"])["status"],
        "pending"
    );

    // A volunteer cannot decide for the coordinator; a reason too long is refused.
    let decide = |id: &Value, what: &str, token: &str, body: Option<&Value>| {
        api.send(
            "POST",
            &a.url(&format!("/api/v1/participations/{id}/{what}")),
            Some(token),
            body,
        )
    };
    let too_long = json!({"reason": "x".repeat(501)});
    let (status, v) = decide(&bea_on_a["id"], "reject", &token_a, Some(&too_long));
    assert_eq!(status, 422, "{v}");
    assert!(!v["fields"]["reason"].is_null(), "{v}");

    // Accept Bob: B sees it.
    let (status, v) = decide(&bob_on_a["id"], "accept", &token_a, None);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "accepted");
    eventually(20, "B sees Bob accepted", || {
        (my_participation(&api, &b, &bob, &bob_asked["id"])["status"] == "accepted").then_some(())
    });
    // A decision is final: accepting again is a conflict.
    let (status, v) = decide(&bob_on_a["id"], "accept", &token_a, None);
    assert_eq!(status, 409, "{v}");

    // Refuse Bea with a reason: B sees the refusal and the reason.
    let reason = "Nous avons déjà assez de conducteurs ce jour-là.";
    let (status, v) = decide(
        &bea_on_a["id"],
        "reject",
        &token_a,
        Some(&json!({"reason": reason})),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["status"], "rejected");
    let refused = eventually(20, "B sees Bea refused", || {
        let p = my_participation(&api, &b, &bea, &bea_asked["id"]);
        (p["status"] == "rejected").then_some(p)
    });
    assert_eq!(refused["reason"], reason);
    let (_, s) = api.get(&a.url(&format!("/api/v1/slots/{}", slot["id"])), None);
    assert_eq!(s["participant_count"], 1, "{s}");
    eventually(20, "B sees one place taken", || {
        remote_slot(&api, &b, &mission_ap, &slot_ap).filter(|s| s["participant_count"] == 1)
    });

    // A cancels the slot: on B, Bob's sign-up ends as on A (the refusal stays a refusal).
    let (status, v) = api.send(
        "DELETE",
        &a.url(&format!("/api/v1/slots/{}", slot["id"])),
        Some(&token_a),
        None,
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["withdrawn"], 1, "{v}");
    let ended = eventually(20, "B sees Bob's slot cancelled", || {
        let p = my_participation(&api, &b, &bob, &bob_asked["id"]);
        (p["status"] == "withdrawn").then_some(p)
    });
    assert_eq!(ended["reason"], "slot_cancelled", "{ended}");
    assert_eq!(ended["slot"]["status"], "cancelled", "{ended}");
    let p = my_participation(&api, &b, &bea, &bea_asked["id"]);
    assert_eq!(p["status"], "rejected", "{p}");
    assert_eq!(p["reason"], reason, "{p}");
    // B sends nothing back for a slot A cancelled itself.
    eventually(20, "B's queue is empty", || {
        (api_queue(&api, &b, &bob).0 == 0).then_some(())
    });
    let (_, v) = api.get(&a.url(&format!("/api/v1/slots/{}", slot["id"])), None);
    assert_eq!(v["status"], "cancelled", "{v}");
}

// ---------------------------------------------------------------------------------------------
// Bad input

/// The participations of a slot on `node`, as its coordinator sees them.
fn participations(api: &Api, node: &Node, token: &str, slot_id: &Value) -> Vec<Value> {
    let (status, v) = api.get(
        &node.url(&format!("/api/v1/slots/{slot_id}/participations")),
        Some(token),
    );
    assert_eq!(status, 200, "{v}");
    v["participations"].as_array().cloned().unwrap_or_default()
}

/// A `Join` of `object` by a peer actor, with a fresh id.
fn join(actor: &PeerActor, object: &Value) -> Value {
    actor.activity("Join", object.clone())
}

/// Bad requests through A's API and bad `Join`s signed by a foreign server: each gets a clear
/// answer and changes nothing; a redelivered `Join` is one sign-up and one `Accept`.
#[test]
fn bad_slots_and_bad_joins_change_nothing() {
    let api = Api::default();
    let mut a = Node::new("a", Db::Sqlite);
    a.start();
    let token_a = a.user_with_token("alice");
    let token_v = a.user_with_token("victor");
    a.association("epicerie", "alice");
    let peer = Peer::start(&["pat", "quentin", "rose"]);
    let (pat, quentin, rose) = (peer.actor("pat"), peer.actor("quentin"), peer.actor("rose"));
    let inbox = a.url("/inbox");

    // A slot that will be over in a few seconds (its end is checked when it is made).
    let now = Utc::now();
    let at = |d: Duration| (now + d).to_rfc3339_opts(SecondsFormat::Secs, true);
    let (soon_start, soon_end) = (at(Duration::hours(-1)), at(Duration::seconds(4)));
    let (_, short) = mission_with_slot_at(
        &api,
        &a,
        &token_a,
        "epicerie",
        5,
        "free",
        (&soon_start, &soon_end),
    );

    let (mission, slot) = mission_with_slot(&api, &a, &token_a, "epicerie", 2, "free");
    let slots_url = a.url(&format!("/api/v1/missions/{}/slots", mission["id"]));
    let slot_count = || {
        let (_, v) = api.get(&slots_url, None);
        v["slots"].as_array().map(Vec::len).unwrap_or(0)
    };

    // 1. Through the API.
    let bad_slots = [
        (
            json!({"start_time": mission_at(0, 11), "end_time": mission_at(0, 10), "capacity": 3}),
            "slots[0].end_time",
        ),
        (
            json!({"start_time": mission_at(0, 9), "end_time": mission_at(0, 10), "capacity": 0}),
            "slots[0].capacity",
        ),
        (
            json!({"start_time": mission_at(0, 9), "end_time": mission_at(0, 10), "capacity": -4}),
            "slots[0].capacity",
        ),
        (
            json!({"start_time": mission_at(0, 9), "end_time": mission_at(0, 10)}),
            "slots[0].capacity",
        ),
        (
            json!({"start_time": "le matin", "end_time": mission_at(0, 10), "capacity": 2}),
            "slots[0].start_time",
        ),
    ];
    for (bad, field) in &bad_slots {
        let (status, v) = api.send(
            "POST",
            &slots_url,
            Some(&token_a),
            Some(&json!({"slots": [bad]})),
        );
        assert_eq!(status, 422, "{bad}: {v}");
        assert!(
            !v["fields"][field].is_null(),
            "{bad}: a message for {field}: {v}"
        );
    }
    // One good and one bad: none is added.
    let mixed = json!({"slots": [
        {"start_time": mission_at(0, 9), "end_time": mission_at(0, 10), "capacity": 2},
        {"start_time": mission_at(0, 10), "end_time": mission_at(0, 9), "capacity": 2},
    ]});
    let (status, v) = api.send("POST", &slots_url, Some(&token_a), Some(&mixed));
    assert_eq!(status, 422, "{v}");
    assert!(!v["fields"]["slots[1].end_time"].is_null(), "{v}");
    assert_eq!(slot_count(), 1, "no slot added by bad requests");

    // Unknown slots and missions: 404 with a message.
    for (method, path, token) in [
        ("GET", "/api/v1/slots/999999".to_string(), None),
        ("DELETE", "/api/v1/slots/999999".to_string(), Some(&token_a)),
        (
            "POST",
            "/api/v1/slots/999999/participations".to_string(),
            Some(&token_v),
        ),
        (
            "GET",
            "/api/v1/slots/999999/participations".to_string(),
            Some(&token_a),
        ),
        (
            "POST",
            "/api/v1/missions/999999/slots".to_string(),
            Some(&token_a),
        ),
        (
            "POST",
            "/api/v1/participations/999999/accept".to_string(),
            Some(&token_a),
        ),
    ] {
        let body = (method == "POST").then(|| json!({}));
        let (status, v) = api.send(
            method,
            &a.url(&path),
            token.map(String::as_str),
            body.as_ref(),
        );
        assert_eq!(status, 404, "{method} {path}: {v}");
        assert!(
            v["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{method} {path}: {v}"
        );
    }
    // A message too long from a local volunteer: refused, no sign-up.
    let url = a.url(&format!("/api/v1/slots/{}/participations", slot["id"]));
    let (status, v) = api.send(
        "POST",
        &url,
        Some(&token_v),
        Some(&json!({"message": "é".repeat(1001)})),
    );
    assert_eq!(status, 422, "{v}");
    assert!(!v["fields"]["message"].is_null(), "{v}");
    assert!(participations(&api, &a, &token_a, &slot["id"]).is_empty());

    // 2. Signed Joins from another server.
    // Unknown object: 400, nothing recorded.
    let (status, v) = pat.post(
        &inbox,
        &join(
            pat,
            &json!(a.url("/s/00000000-0000-0000-0000-000000000000")),
        ),
    );
    assert_eq!(status, 400, "{v}");
    assert!(
        v["message"]
            .as_str()
            .is_some_and(|m| m.contains("neither a slot nor a mission")),
        "{v}"
    );
    // A mission with several slots: Reject{Join} saying to join one of them, nothing recorded.
    let (two, _) = mission_with_slot_at(
        &api,
        &a,
        &token_a,
        "epicerie",
        4,
        "free",
        (&mission_at(17, 9), &mission_at(17, 18)),
    );
    let second = json!({"slots": [{"start_time": mission_at(17, 14), "end_time": mission_at(17, 18), "capacity": 4}]});
    let (status, v) = api.send(
        "POST",
        &a.url(&format!("/api/v1/missions/{}/slots", two["id"])),
        Some(&token_a),
        Some(&second),
    );
    assert_eq!(status, 201, "{v}");
    let to_two = join(pat, &two["ap_id"]);
    let (status, v) = pat.post(&inbox, &to_two);
    assert_eq!(status, 202, "{v}");
    let refused = eventually(
        20,
        "the peer gets Reject{Join} naming the several slots",
        || {
            peer.received()
                .into_iter()
                .find(|r| r.kind() == "Reject" && r.object_id() == to_two["id"])
        },
    );
    assert!(
        refused.activity["content"]
            .as_str()
            .is_some_and(|m| m.contains("several time slots")),
        "{:?}",
        refused.activity
    );
    let (_, two_slots) = api.get(
        &a.url(&format!("/api/v1/missions/{}/slots", two["id"])),
        None,
    );
    for s in two_slots["slots"].as_array().cloned().unwrap_or_default() {
        assert!(
            participations(&api, &a, &token_a, &s["id"]).is_empty(),
            "nothing recorded on {s}"
        );
    }
    // A cancelled slot: Reject{Join} saying `closed`, no place taken.
    let (_, cancelled) = mission_with_slot_at(
        &api,
        &a,
        &token_a,
        "epicerie",
        4,
        "free",
        (&mission_at(48, 9), &mission_at(48, 12)),
    );
    let (status, v) = api.send(
        "DELETE",
        &a.url(&format!("/api/v1/slots/{}", cancelled["id"])),
        Some(&token_a),
        None,
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["slot"]["status"], "cancelled", "{v}");
    let to_cancelled = join(pat, &cancelled["ap_id"]);
    let (status, v) = pat.post(&inbox, &to_cancelled);
    assert_eq!(status, 202, "{v}");
    let rejected = eventually(
        20,
        "the peer gets Reject{Join} for the cancelled slot",
        || {
            peer.received()
                .into_iter()
                .find(|r| r.kind() == "Reject" && r.object_id() == to_cancelled["id"])
        },
    );
    assert_eq!(
        rejected.activity["content"], "closed",
        "{:?}",
        rejected.activity
    );
    let (_, s) = api.get(&a.url(&format!("/api/v1/slots/{}", cancelled["id"])), None);
    assert_eq!(s["participant_count"], 0, "{s}");
    // A closed mission: Reject{Join} saying `closed`.
    let (closed_mission, closed_slot) = mission_with_slot_at(
        &api,
        &a,
        &token_a,
        "epicerie",
        4,
        "free",
        (&mission_at(79, 9), &mission_at(79, 12)),
    );
    let (status, v) = api.send(
        "PATCH",
        &a.url(&format!("/api/v1/missions/{}", closed_mission["id"])),
        Some(&token_a),
        Some(&json!({"status": "closed"})),
    );
    assert_eq!(status, 200, "{v}");
    let to_closed = join(pat, &closed_slot["ap_id"]);
    let (status, v) = pat.post(&inbox, &to_closed);
    assert_eq!(status, 202, "{v}");
    let rejected = eventually(
        20,
        "the peer gets Reject{Join} for the closed mission",
        || {
            peer.received()
                .into_iter()
                .find(|r| r.kind() == "Reject" && r.object_id() == to_closed["id"])
        },
    );
    assert_eq!(
        rejected.activity["content"], "closed",
        "{:?}",
        rejected.activity
    );
    let (_, s) = api.get(
        &a.url(&format!("/api/v1/slots/{}", closed_slot["id"])),
        None,
    );
    assert_eq!(s["participant_count"], 0, "{s}");

    // A slot that is over: Reject{Join} saying `over`.
    eventually(20, "the short slot is over", || {
        (Utc::now() > now + Duration::seconds(5)).then_some(())
    });
    let to_past = join(pat, &short["ap_id"]);
    let (status, v) = pat.post(&inbox, &to_past);
    assert_eq!(status, 202, "{v}");
    let rejected = eventually(
        20,
        "the peer gets Reject{Join} for the slot that is over",
        || {
            peer.received()
                .into_iter()
                .find(|r| r.kind() == "Reject" && r.object_id() == to_past["id"])
        },
    );
    assert_eq!(
        rejected.activity["content"], "over",
        "{:?}",
        rejected.activity
    );
    let (_, s) = api.get(&a.url(&format!("/api/v1/slots/{}", short["id"])), None);
    assert_eq!(s["participant_count"], 0, "{s}");

    // An oversized participationMessage is cut, not fatal.
    let mut long = join(pat, &slot["ap_id"]);
    long["participationMessage"] = json!("Bonjour ! ".repeat(5_000));
    let (status, v) = pat.post(&inbox, &long);
    assert_eq!(status, 202, "{v}");
    let list = participations(&api, &a, &token_a, &slot["id"]);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["status"], "accepted");
    let kept = list[0]["message"].as_str().unwrap_or_default();
    assert!(
        kept.starts_with("Bonjour !") && kept.chars().count() <= 1000,
        "message kept: {} chars",
        kept.chars().count()
    );

    // 3. Redelivery: the same Join again, then another Join twice at the same moment.
    let (status, v) = pat.post(&inbox, &long);
    assert_eq!(status, 202, "{v}");
    let twice = join(quentin, &slot["ap_id"]);
    let barrier = Barrier::new(2);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    quentin.post(&inbox, &twice).0
                })
            })
            .collect();
        hs.into_iter()
            .map(|h| h.join().expect("post thread"))
            .collect()
    });
    assert!(statuses.iter().all(|s| *s == 202), "{statuses:?}");
    eventually(20, "A's queue is empty", || {
        (api_queue(&api, &a, &token_a).0 == 0).then_some(())
    });
    let list = participations(&api, &a, &token_a, &slot["id"]);
    assert_eq!(list.len(), 2, "one participation per Join id: {list:?}");
    assert!(list.iter().all(|p| p["status"] == "accepted"), "{list:?}");
    let (_, s) = api.get(&a.url(&format!("/api/v1/slots/{}", slot["id"])), None);
    assert_eq!(s["participant_count"], 2, "{s}");
    for j in [&long, &twice] {
        let accepts = peer.count(|r| r.kind() == "Accept" && r.object_id() == j["id"]);
        assert_eq!(accepts, 1, "one Accept for {}", j["id"]);
    }
    let accept = peer
        .received()
        .into_iter()
        .find(|r| r.kind() == "Accept" && r.object_id() == twice["id"])
        .map(|r| r.activity);
    let accept = accept.unwrap_or_default();
    assert_eq!(accept["object"]["type"], "Join", "{accept}");
    assert_eq!(accept["object"]["actor"], quentin.id.as_str(), "{accept}");
    assert_eq!(accept["object"]["object"], slot["ap_id"], "{accept}");

    // The slot is full now: one more is refused as full, and the count does not move.
    let third = join(rose, &slot["ap_id"]);
    let (status, v) = rose.post(&inbox, &third);
    assert_eq!(status, 202, "{v}");
    let rejected = eventually(20, "the peer gets Reject{Join}: full", || {
        peer.received()
            .into_iter()
            .find(|r| r.kind() == "Reject" && r.object_id() == third["id"])
    });
    assert_eq!(rejected.activity["content"], "full");
    let (_, s) = api.get(&a.url(&format!("/api/v1/slots/{}", slot["id"])), None);
    assert_eq!(s["participant_count"], 2, "{s}");
}
