//! A person's deletion across servers (issue 14): a volunteer whose account is on node B signs
//! up for a slot of node A and has hours validated there, then deletes their account on B.
//! B sends `Delete{Person}` (signed with the key it keeps until then) and answers 410 for the
//! actor; A, checking the signature with the key it stored, frees the place and keeps the
//! hours in its totals for a former volunteer. A Mastodon-shaped deletion (the test peer plays
//! the server) is honoured the same way, checked with the key A kept; forgeries are refused.

use crate::support::dates::days_ago;
use crate::{
    participation::{mission_with_slot, shared_slot, SharedSlot},
    support::{
        eventually,
        peer::{post_raw, sign_post, Peer, PeerActor, AS_CONTEXT, PUBLIC},
        Api, Db, Neighbours, Node,
    },
};
use serde_json::{json, Value};
use std::time::SystemTime;

fn slot_on(api: &Api, node: &Node, id: &Value) -> Value {
    api.get(&node.url(&format!("/api/v1/slots/{id}")), None).1
}

#[test]
fn a_volunteer_who_deletes_their_account_on_node_b_frees_their_place_on_node_a() {
    let api = Api::default();
    let Neighbours {
        a,
        b,
        token_a,
        token_b,
    } = Neighbours::following(&api);

    // Bob takes a place in A's slot from B.
    let SharedSlot { slot, copy, .. } = shared_slot(&api, (&a, &token_a), &b, 2, "free");
    let (status, asked) = api.send(
        "POST",
        &b.url(&format!("/api/v1/slots/{}/participations", copy["id"])),
        Some(&token_b),
        Some(&json!({"message": "Je viens avec ma voisine."})),
    );
    assert_eq!(status, 201, "{asked}");
    eventually(20, "A counts bob's place", || {
        (slot_on(&api, &a, &slot["id"])["participant_count"] == 1).then_some(())
    });

    // Bob's 2 h 30 are validated on A.
    let (status, logged) = api.send(
        "POST",
        &b.url("/api/v1/me/hours"),
        Some(&token_b),
        Some(
            &json!({"association": format!("epicerie@{}", a.host()), "date": days_ago(2),
                     "minutes": 150, "category": "solidarity"}),
        ),
    );
    assert_eq!(status, 201, "{logged}");
    let ap_id = logged["ap_id"].as_str().unwrap_or_default().to_string();
    let entries = || {
        let (status, v) = api.get(
            &a.url("/api/v1/associations/epicerie/hours"),
            Some(&token_a),
        );
        assert_eq!(status, 200, "{v}");
        v["entries"].as_array().cloned().unwrap_or_default()
    };
    let on_a = eventually(20, "A receives bob's hours", || {
        entries().into_iter().find(|e| e["ap_id"] == ap_id.as_str())
    });
    let (status, v) = api.send(
        "POST",
        &a.url(&format!("/api/v1/hours/{}/validate", on_a["id"])),
        Some(&token_a),
        None,
    );
    assert_eq!(status, 200, "{v}");
    let totals = || {
        api.get(
            &a.url("/api/v1/associations/epicerie/hours/totals"),
            Some(&token_a),
        )
        .1["overall"]
            .clone()
    };
    let before = totals();
    assert_eq!(before["minutes"], 150, "{before}");

    // Bob deletes his account on B (a wrong password first changes nothing).
    let (status, v) = api.send(
        "DELETE",
        &b.url("/api/v1/me"),
        Some(&token_b),
        Some(&json!({"password": "not mine"})),
    );
    assert_eq!(status, 403, "{v}");
    let (status, v) = api.send(
        "DELETE",
        &b.url("/api/v1/me"),
        Some(&token_b),
        Some(&json!({"password": "a long password"})),
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["withdrawn"], 1, "{v}");
    let (status, tomb) = api.get_ap(&b.url("/u/bob"));
    assert_eq!(status, 410, "{tomb}");

    // A frees the place and keeps the hours, nameless, in the same totals.
    eventually(30, "A frees bob's place", || {
        (slot_on(&api, &a, &slot["id"])["participant_count"] == 0).then_some(())
    });
    let kept = eventually(30, "A anonymises bob's hours", || {
        entries()
            .into_iter()
            .find(|e| e["id"] == on_a["id"] && e["volunteer"]["kind"] == "former")
    });
    assert_eq!(kept["status"], "validated");
    assert_eq!(kept["minutes"], 150);
    assert_eq!(totals(), before);
    let (_, owner_view) = api.get(
        &a.url(&format!("/api/v1/slots/{}/participations", slot["id"])),
        Some(&token_a),
    );
    let text = owner_view.to_string();
    assert!(!text.contains("/u/bob"), "bob's id is gone from A: {text}");
    assert!(
        !text.contains("Je viens avec ma voisine"),
        "and his message: {text}"
    );
}

/// Mastodon's deletion of an account (`delete_actor_serializer.rb`, the shape of
/// `fixtures/mastodon/delete-actor.json`): `<actor>#delete`, to everyone, the actor as object.
fn mastodon_delete(actor: &PeerActor) -> Value {
    json!({
        "@context": [AS_CONTEXT, "https://w3id.org/security/v1"],
        "id": format!("{}#delete", actor.id),
        "type": "Delete",
        "actor": actor.id,
        "to": [PUBLIC],
        "object": actor.id,
    })
}

#[test]
fn a_mastodon_account_deleting_itself_is_honoured_with_the_key_we_kept() {
    let api = Api::default();
    let mut a = Node::new("a", Db::Sqlite);
    a.start();
    let token_a = a.user_with_token("alice");
    a.association("epicerie", "alice");
    let peer = Peer::start(&["vera", "mallory", "nobody"]);
    let (vera, mallory) = (peer.actor("vera"), peer.actor("mallory"));
    let inbox = a.url("/inbox");
    let (_, slot) = mission_with_slot(&api, &a, &token_a, "epicerie", 2, "free");
    let slot_ap = slot["ap_id"].as_str().unwrap_or_default().to_string();
    let (status, v) = vera.post(&inbox, &vera.activity("Join", json!(slot_ap)));
    assert_eq!(status, 202, "{v}");
    eventually(20, "A counts vera's place", || {
        (slot_on(&api, &a, &slot["id"])["participant_count"] == 1).then_some(())
    });

    // Someone else cannot delete her: not with their own key, nor with hers named falsely.
    let forged = mastodon_delete(vera);
    let (status, _) = mallory.post(&inbox, &forged);
    assert_eq!(status, 401);
    let body = forged.to_string().into_bytes();
    let headers = sign_post(&mallory.key, &vera.key_id, &inbox, &body, SystemTime::now());
    let (status, _) = post_raw(&inbox, &headers, body);
    assert_eq!(status, 401);
    assert_eq!(slot_on(&api, &a, &slot["id"])["participant_count"], 1);

    // An account A never knew: accepted, nothing to do.
    let nobody = peer.actor("nobody");
    let (status, _) = nobody.post(&inbox, &mastodon_delete(nobody));
    assert_eq!(status, 202);

    // Her own deletion, signed by her: the place is freed at once.
    let (status, v) = vera.post(&inbox, &mastodon_delete(vera));
    assert_eq!(status, 202, "{v}");
    assert_eq!(slot_on(&api, &a, &slot["id"])["participant_count"], 0);
    let (_, list) = api.get(
        &a.url(&format!("/api/v1/slots/{}/participations", slot["id"])),
        Some(&token_a),
    );
    assert!(!list.to_string().contains(&vera.id), "{list}");
    // Redelivered: nothing more. Her later activities are refused (her copy is a tombstone,
    // which the peer still serving her old document does not bring back).
    let (status, _) = vera.post(&inbox, &mastodon_delete(vera));
    assert_eq!(status, 202);
    let (status, _) = vera.post(&inbox, &vera.activity("Join", json!(slot_ap)));
    assert_eq!(status, 403);
    assert_eq!(slot_on(&api, &a, &slot["id"])["participant_count"], 0);
}
