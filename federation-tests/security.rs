//! What a node's inbox refuses, and what it does once: a foreign actor served from the test
//! process posts malformed, oversized, unsigned and forged requests (all refused, none with
//! an effect), then the same `Follow` twice (one follower, one `Accept`).

use crate::{
    api_queue, collection_total, mission_body,
    support::dates::mission_at,
    support::{
        eventually,
        peer::{post_raw, sign_post, sign_post_covering, Headers, Peer},
        Api, Db, Node,
    },
};
use serde_json::json;
use std::time::{Duration, SystemTime};

/// Small enough to be passed easily, large enough for every activity this test sends.
const MAX_INBOX_BODY: usize = 4096;

#[test]
fn inbox_refuses_forged_requests_and_handles_a_redelivery_once() {
    let api = Api::default();
    let mut a = Node::new("a", Db::Sqlite);
    a.extra_env.push((
        "ENTRAIDE__FEDERATION__MAX_INBOX_BODY_BYTES".into(),
        MAX_INBOX_BODY.to_string(),
    ));
    a.start();
    let admin = a.user_with_token("alice"); // first user: administrator, sees the queue
    a.association("asso", "alice");
    let asso = a.url("/g/asso");
    let inbox = a.url("/inbox");
    let peer = Peer::start(&["paul", "mallory"]);
    let (paul, mallory) = (peer.actor("paul"), peer.actor("mallory"));

    // Malformed JSON: 400 with a JSON message (before any signature is looked at).
    for (what, body) in [
        ("truncated JSON", "{\"type\": \"Follow\", "),
        ("not an object", "[1, 2]"),
        ("no id", "{\"type\": \"Follow\"}"),
    ] {
        let headers = paul.sign(&inbox, body.as_bytes());
        let (status, v) = post_raw(&inbox, &headers, body.as_bytes().to_vec());
        assert_eq!(status, 400, "{what}: {v}");
        assert!(
            v["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{what}: a JSON message is expected, got {v}"
        );
    }

    // Too large: 413.
    let big = paul.follow(&paul.new_id("follow"), &asso);
    let mut big = big.as_object().expect("object").clone();
    big.insert("padding".into(), json!("x".repeat(MAX_INBOX_BODY + 1000)));
    let body = serde_json::to_vec(&big).expect("JSON");
    let (status, v) = post_raw(&inbox, &paul.sign(&inbox, &body), body);
    assert_eq!(status, 413, "{v}");

    // One Follow, sent in every wrong way first: each is 401, and none has an effect.
    let follow_id = paul.new_id("follow");
    let follow = paul.follow(&follow_id, &asso);
    let body = follow.to_string().into_bytes();
    let without = |headers: Headers, name: &str| -> Headers {
        headers.into_iter().filter(|(n, _)| n != name).collect()
    };
    let altered = {
        let mut f = follow.clone();
        f["object"] = json!(a.url("/relay"));
        f.to_string().into_bytes()
    };
    let with = |headers: Headers, name: &str, value: &str| -> Headers {
        headers
            .into_iter()
            .map(|(n, v)| {
                if n == name {
                    (n, value.to_string())
                } else {
                    (n, v)
                }
            })
            .collect()
    };
    let not_base64 = {
        let signed = paul.sign(&inbox, &body);
        let header = &signed
            .iter()
            .find(|(n, _)| n == "Signature")
            .expect("Signature")
            .1;
        format!(
            "{}signature=\"%%%\"",
            header.split("signature=").next().expect("prefix")
        )
    };
    let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 3600);
    let in_two_hours = SystemTime::now() + Duration::from_secs(2 * 3600);
    // An actor on a port where nothing listens: its key cannot be fetched.
    let ghost = format!(
        "http://localhost:{}/actors/ghost",
        crate::support::free_port()
    );
    let ghost_body = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": format!("{ghost}#follow"),
                            "type": "Follow", "actor": ghost, "object": asso})
    .to_string()
    .into_bytes();
    let forgeries: Vec<(&str, Headers, Vec<u8>)> = vec![
        (
            "no Signature header",
            without(paul.sign(&inbox, &body), "Signature"),
            body.clone(),
        ),
        (
            "no Digest header",
            without(paul.sign(&inbox, &body), "Digest"),
            body.clone(),
        ),
        (
            "Digest not covered by the signature",
            sign_post_covering(
                &paul.key,
                &paul.key_id,
                &inbox,
                &body,
                SystemTime::now(),
                &["(request-target)", "host", "date"],
            ),
            body.clone(),
        ),
        (
            "Date not covered by the signature",
            sign_post_covering(
                &paul.key,
                &paul.key_id,
                &inbox,
                &body,
                SystemTime::now(),
                &["(request-target)", "host", "digest"],
            ),
            body.clone(),
        ),
        (
            "signed with another key",
            sign_post(&mallory.key, &paul.key_id, &inbox, &body, SystemTime::now()),
            body.clone(),
        ),
        (
            "body altered after signing",
            paul.sign(&inbox, &body),
            altered,
        ),
        (
            "Date two hours old",
            sign_post(&paul.key, &paul.key_id, &inbox, &body, two_hours_ago),
            body.clone(),
        ),
        (
            "signed by another actor than the activity's",
            mallory.sign(&inbox, &body),
            body.clone(),
        ),
        (
            "signed for another inbox",
            paul.sign(&a.url("/g/asso/inbox"), &body),
            body.clone(),
        ),
        (
            "no Date header",
            without(paul.sign(&inbox, &body), "Date"),
            body.clone(),
        ),
        (
            "Date in the future",
            sign_post(&paul.key, &paul.key_id, &inbox, &body, in_two_hours),
            body.clone(),
        ),
        (
            "garbage Signature header",
            with(paul.sign(&inbox, &body), "Signature", "not a signature"),
            body.clone(),
        ),
        (
            "signature that is not base64",
            with(paul.sign(&inbox, &body), "Signature", &not_base64),
            body.clone(),
        ),
        (
            "actor that cannot be fetched",
            sign_post(
                &paul.key,
                &format!("{ghost}#main-key"),
                &inbox,
                &ghost_body,
                SystemTime::now(),
            ),
            ghost_body.clone(),
        ),
    ];
    for (what, headers, body) in forgeries {
        let (status, v) = post_raw(&inbox, &headers, body);
        assert_eq!(status, 401, "{what}: {v}");
        assert!(
            v["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{what}: a JSON message is expected, got {v}"
        );
    }
    assert_eq!(
        collection_total(&api, &a.url("/g/asso/followers")),
        Some(0),
        "a refused Follow added a follower"
    );
    assert_eq!(
        api_queue(&api, &a, &admin),
        (0, 0, 0),
        "a refused Follow queued something"
    );

    // 5. The same Follow, correctly signed, posted twice: one follower, one Accept.
    for attempt in ["first", "second"] {
        let (status, v) = paul.post(&inbox, &follow);
        assert_eq!(status, 202, "{attempt} delivery of the Follow: {v}");
    }
    // Posted to the association's own inbox too: still the same activity.
    let (status, v) = paul.post(&a.url("/g/asso/inbox"), &follow);
    assert_eq!(
        status, 202,
        "the Follow again, at the association's inbox: {v}"
    );
    assert_eq!(collection_total(&api, &a.url("/g/asso/followers")), Some(1));
    let is_accept =
        |r: &crate::support::peer::Received| r.kind() == "Accept" && r.object_id() == follow_id;
    eventually(20, "Paul receives the Accept", || {
        (peer.count(is_accept) >= 1).then_some(())
    });
    eventually(20, "A's queue is empty", || {
        (api_queue(&api, &a, &admin).0 == 0).then_some(())
    });
    assert_eq!(
        api_queue(&api, &a, &admin),
        (0, 1, 0),
        "exactly one delivery: the Accept"
    );
    assert_eq!(
        peer.count(is_accept),
        1,
        "one Accept for a Follow received three times"
    );
    let accept = peer
        .received()
        .into_iter()
        .find(|r| is_accept(r))
        .expect("the Accept");
    assert!(accept.signed, "the Accept is signed");
    assert_eq!(accept.path, "/actors/paul/inbox");
    assert_eq!(accept.activity["actor"], asso.as_str());
    assert_eq!(
        accept.activity["object"]["actor"],
        paul.id.as_str(),
        "the Follow is embedded: {}",
        accept.activity
    );

    // An unknown activity type, correctly signed: accepted and ignored.
    let (status, v) = paul.post(&inbox, &paul.activity("Wave", json!(asso)));
    assert_eq!(status, 202, "{v}");
    assert_eq!(collection_total(&api, &a.url("/g/asso/followers")), Some(1));

    // 6. A foreign actor may not update or delete A's mission.
    let (status, created) = api.send(
        "POST",
        &a.url("/api/v1/associations/asso/missions"),
        Some(&admin),
        Some(&mission_body("Atelier vélo")),
    );
    assert_eq!(status, 201, "{created}");
    let (id, ap_id) = (
        created["id"].as_i64().expect("id"),
        created["ap_id"].as_str().expect("ap_id").to_string(),
    );
    let event = json!({"type": "Event", "id": ap_id, "attributedTo": mallory.id, "name": "Atelier annulé",
                       "startTime": mission_at(0, 9)});
    for (what, activity) in [
        ("Update", mallory.activity("Update", event.clone())),
        ("Delete", mallory.activity("Delete", json!(ap_id))),
        (
            "Delete of a Tombstone",
            mallory.activity("Delete", json!({"type": "Tombstone", "id": ap_id})),
        ),
    ] {
        let (status, v) = mallory.post(&inbox, &activity);
        assert_eq!(status, 403, "{what} by a foreign actor: {v}");
    }
    let (status, v) = api.get(&a.url(&format!("/api/v1/missions/{id}")), None);
    assert_eq!(status, 200, "the mission is still there: {v}");
    assert_eq!(v["title"], "Atelier vélo");
    let (status, v) = api.get_ap(&ap_id);
    assert_eq!((status, &v["type"]), (200, &json!("Event")), "{v}");

    // Only the follower may undo its follow.
    let undo = |by: &crate::support::peer::PeerActor| {
        let mut undo = by.activity("Undo", follow.clone());
        undo["object"]
            .as_object_mut()
            .expect("object")
            .remove("@context");
        undo
    };
    let (status, v) = mallory.post(&inbox, &undo(mallory));
    assert_eq!(status, 403, "Undo of Paul's Follow by Mallory: {v}");
    assert_eq!(collection_total(&api, &a.url("/g/asso/followers")), Some(1));

    // Paul, a follower, receives the mission's Create (at his server's shared inbox).
    eventually(20, "Paul receives the Create", || {
        (peer.count(|r| r.kind() == "Create" && r.object_id() == ap_id && r.path == "/inbox") == 1)
            .then_some(())
    });
    let (status, v) = paul.post(&inbox, &undo(paul));
    assert_eq!(status, 202, "Undo of Paul's Follow by Paul: {v}");
    assert_eq!(collection_total(&api, &a.url("/g/asso/followers")), Some(0));
}
