//! Every captured or written-after-the-source document in `federation-tests/fixtures/` parses
//! into the incoming enum and the wire structs; our own documents round-trip (parse, serialise,
//! parse again: equal) and serialise back every field the fixture has.

#![allow(clippy::unwrap_used)]

use entraide::federation::protocol::{
    parse_object, Activity, ActivityIn, ActorJson, Agreement, AgreementIn, Announced,
    EconomicEvent, EconomicEventIn, EventJson, Incoming, Note, NoteIn, Page, PageIn, Reference,
    Tombstone,
};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use std::fmt::Debug;

fn fixture(path: &str) -> Value {
    let path = format!(
        "{}/federation-tests/fixtures/{path}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Parses `path` as `T`.
fn parse<T: DeserializeOwned>(path: &str) -> T {
    serde_json::from_value(fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The incoming activity of `path`.
fn incoming(path: &str) -> Incoming {
    Incoming::parse(fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every key of `expected` (recursively, `@context` aside) is in `actual` with the same value.
fn includes(actual: &Value, expected: &Value, at: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (k, v) in e {
                if k == "@context" {
                    continue;
                }
                let got = a
                    .get(k)
                    .unwrap_or_else(|| panic!("{at}.{k} is missing from {actual}"));
                includes(got, v, &format!("{at}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{at}: {actual} vs {expected}");
            for (i, (x, y)) in a.iter().zip(e).enumerate() {
                includes(x, y, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(actual, expected, "{at}"),
    }
}

/// One of our documents: parses as `T`, serialises to JSON holding every field of the
/// fixture, and parses back equal.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(path: &str) -> T {
    let original = fixture(path);
    let typed: T = parse(path);
    let written = serde_json::to_value(&typed).unwrap();
    includes(&written, &original, path);
    let again: T = serde_json::from_value(written).unwrap();
    assert_eq!(again, typed, "{path}");
    typed
}

#[test]
fn mastodon_activities_parse() {
    let follow = incoming("mastodon/follow.json");
    assert!(matches!(&follow, Incoming::Follow(e) if e.object_by_id()));
    let f: Activity<String> = parse("mastodon/follow.json");
    assert_eq!(f.object, "https://entraide.example/g/epicerie");

    let undo = incoming("mastodon/undo-follow.json");
    assert!(matches!(&undo, Incoming::Undo(e) if e.object_type() == Some("Follow")));
    let u: Activity<Reference> = parse("mastodon/undo-follow.json");
    assert_eq!(u.object.actor.as_deref(), Some(u.actor.as_str()));

    let create = incoming("mastodon/create-note-reply.json");
    assert!(matches!(&create, Incoming::Create(e) if e.object_type() == Some("Note")));
    let c: Activity<Note> = parse("mastodon/create-note-reply.json");
    assert_eq!(c.object.tag.len(), 1);
    assert_eq!(c.object.tag[0].kind, "Mention");
    assert!(c.object.in_reply_to.is_some());
    assert!(c.object.content_map.contains_key("fr"));

    let delete = incoming("mastodon/delete-actor.json");
    assert!(delete.is_self_deletion(), "an account deleting itself");
    let _: Activity<String> = parse("mastodon/delete-actor.json");

    let flag = incoming("mastodon/flag.json");
    assert!(matches!(&flag, Incoming::Flag(e) if e.actor.path() == "/actor"));
    let report: entraide::federation::protocol::Flag = round_trip("mastodon/flag.json");
    assert_eq!(
        report.object.len(),
        2,
        "the account, then the reported object"
    );
}

#[test]
fn fedify_documents_parse() {
    let person: ActorJson = parse("fedify/person.json");
    assert_eq!(person.kind, "Person");
    assert!(person
        .public_key
        .public_key_pem
        .contains("BEGIN PUBLIC KEY"));
    assert!(person.endpoints.and_then(|e| e.shared_inbox).is_some());

    assert!(matches!(
        incoming("fedify/follow.json"),
        Incoming::Follow(_)
    ));
    // Fedify sends `to` as one string: read as a list of one.
    let f: Activity<String> = parse("fedify/follow.json");
    assert_eq!(f.to, vec!["http://127.0.0.1:38001/g/epicerie".to_string()]);

    assert!(matches!(
        incoming("fedify/undo-follow.json"),
        Incoming::Undo(e) if e.object_type() == Some("Follow")
    ));
    let u: Activity<Reference> = parse("fedify/undo-follow.json");
    assert_eq!(u.object.kind, "Follow");
}

#[test]
fn mobilizon_documents_parse() {
    let event: EventJson = parse("mobilizon/event.json");
    assert_eq!(event.kind, "Event");
    assert!(matches!(
        incoming("mobilizon/join.json"),
        Incoming::Join(e) if e.object_by_id()
    ));
    let join: Activity<String> = parse("mobilizon/join.json");
    assert!(join.participation_message.is_some());
    for (path, accepted) in [
        ("mobilizon/accept-join.json", true),
        ("mobilizon/reject-join.json", false),
    ] {
        let answer = incoming(path);
        match (&answer, accepted) {
            (Incoming::Accept(e), true) | (Incoming::Reject(e), false) => {
                assert_eq!(e.object_type(), Some("Join"), "{path}");
            }
            other => panic!("{path}: {other:?}"),
        }
        let a: Activity<Reference> = parse(path);
        assert_eq!(a.object.kind, "Join");
    }
}

#[test]
fn our_documents_round_trip() {
    let group: ActorJson = round_trip("entraide/group.json");
    assert_eq!(group.kind, "Group");
    let _: EventJson = round_trip("entraide/event.json");
    let _: Page = round_trip("entraide/page.json");
    let delete: Activity<Tombstone> = round_trip("entraide/delete-event.json");
    assert_eq!(delete.object.former_type, "Event");
    let announce: Activity<Announced> = round_trip("entraide/announce.json");
    assert!(matches!(announce.object, Announced::Id(_)));
    let _: Activity<String> = round_trip("entraide/follow.json");
    let _: Activity<String> = round_trip("entraide/follow-relay.json");
    // The Follow is echoed as its sender wrote it.
    let _: Activity<Value> = round_trip("entraide/accept-follow.json");
    let _: Activity<Reference> = round_trip("entraide/accept-join.json");
    let note: Activity<Note> = round_trip("entraide/create-note.json");
    assert_eq!(note.cc, Some(Vec::new()), "a direct message copies nobody");
    let offer: Activity<Agreement> = round_trip("entraide/offer.json");
    assert!(offer.object.stipulates.is_some());
    let _: Activity<EconomicEvent> = round_trip("entraide/create-economic-event.json");
    let _: Activity<Reference> = round_trip("entraide/reject-economic-event.json");
    let _: Activity<Tombstone> = round_trip("entraide/delete-economic-event.json");
    let join: Activity<String> = round_trip("entraide/join.json");
    assert!(join.participation_message.is_some());
    let _: Activity<String> = round_trip("entraide/leave.json");
    // An account's deletion of itself, as Mastodon sends it: what our builder writes.
    let gone: Activity<String> = round_trip("entraide/delete-person.json");
    assert_eq!(gone, Activity::delete_actor("https://b.example/u/bob"));
    assert!(incoming("entraide/delete-person.json").is_self_deletion());
    let _: Activity<Reference> = round_trip("entraide/reject-join.json");
    let _: Activity<Reference> = round_trip("entraide/undo-follow.json");
    let accepted: Activity<Reference> = round_trip("entraide/accept-offer.json");
    assert!(
        accepted.result.is_some(),
        "the Agreement comes with the Accept"
    );
    let _: Activity<Reference> = round_trip("entraide/reject-offer.json");
    let _: Activity<Reference> = round_trip("entraide/undo-offer.json");
    let _: Activity<Agreement> = round_trip("entraide/update-agreement.json");
    let _: Activity<Agreement> = round_trip("entraide/update-agreement-return.json");
    let _: Activity<Agreement> = round_trip("entraide/delete-agreement.json");
    let _: Activity<Agreement> = round_trip("entraide/accept-agreement.json");
    let relayed: Activity<Announced> = round_trip("entraide/announce-delete.json");
    assert!(matches!(relayed.object, Announced::Delete(_)));
    for path in [
        "entraide/create-economic-event.json",
        "entraide/reject-economic-event.json",
        "entraide/delete-economic-event.json",
        "entraide/join.json",
        "entraide/leave.json",
        "entraide/delete-person.json",
        "entraide/reject-join.json",
        "entraide/undo-follow.json",
        "entraide/accept-offer.json",
        "entraide/reject-offer.json",
        "entraide/undo-offer.json",
        "entraide/update-agreement.json",
        "entraide/update-agreement-return.json",
        "entraide/delete-agreement.json",
        "entraide/accept-agreement.json",
        "entraide/announce-delete.json",
        "entraide/delete-event.json",
        "entraide/announce.json",
        "entraide/follow.json",
        "entraide/accept-follow.json",
        "entraide/accept-join.json",
        "entraide/create-note.json",
        "entraide/offer.json",
    ] {
        let parsed = incoming(path);
        assert!(
            !matches!(parsed, Incoming::Other { .. }),
            "{path}: {parsed:?}"
        );
    }
}

#[test]
fn unknown_types_and_broken_envelopes() {
    let like = serde_json::json!({
        "id": "https://mastodon.example/users/alice#likes/1", "type": "Like",
        "actor": "https://mastodon.example/users/alice", "object": "https://entraide.example/m/1"
    });
    assert!(matches!(
        Incoming::parse(like).unwrap(),
        Incoming::Other { kind, .. } if kind == "Like"
    ));
    let no_actor = serde_json::json!({"id": "https://a.example/1", "type": "Follow"});
    assert!(Incoming::parse(no_actor).is_err());
    let bad_id =
        serde_json::json!({"id": "javascript:x", "type": "Follow", "actor": "https://a.example/u"});
    assert!(Incoming::parse(bad_id).is_err());
}

/// The object of the activity in `path`, read as the inbox reads it.
fn object_in<T: DeserializeOwned>(path: &str, what: &'static str) -> T {
    let v = fixture(path);
    parse_object(what, &v["object"]).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn incoming_objects_are_read_typed() {
    // A handover, then the return, as the owner's node sends them.
    let handover: AgreementIn = object_in("entraide/update-agreement.json", "Agreement");
    assert_eq!(handover.state.as_deref(), Some("picked_up"));
    assert_eq!(
        handover.pickup_notes.as_deref(),
        Some("Deux housses manquent.")
    );
    let signed = handover.owner_signed.expect("the owner's signature");
    assert_eq!(signed.by, "Claire (epicerie-bellevue)");
    assert_eq!(signed.at.to_rfc3339(), "2026-12-01T10:00:00+00:00");
    assert_eq!(handover.stipulates[0].resource_quantity, Some(8));
    let back: AgreementIn = object_in("entraide/update-agreement-return.json", "Agreement");
    assert_eq!(back.state.as_deref(), Some("returned"));
    assert!(back.return_notes.is_some() && back.pickup_notes.is_none());

    // The Offer names the resource by its Intent; the dates and the quantity are read.
    let offer: AgreementIn = object_in("entraide/offer.json", "Agreement");
    assert_eq!(offer.id, None, "the owner's node names the agreement");
    let asked = &offer.stipulates[0];
    assert_eq!(asked.resource_quantity, Some(30));
    assert!(asked.resource().is_some_and(|r| !r.contains('#')));
    assert!(asked.has_beginning < asked.has_end);

    // The owner's Accept carries the Agreement; the borrower's carries its signature.
    let accept: ActivityIn =
        parse_object("Accept", &fixture("entraide/accept-offer.json")).unwrap();
    let result = accept.result.expect("the Agreement");
    assert!(result.id.is_some() && result.owner_signed.is_some());
    assert_eq!(accept.object.kind.as_deref(), Some("Offer"));
    let borrower: AgreementIn = object_in("entraide/accept-agreement.json", "Agreement");
    assert_eq!(
        borrower.borrower_signed.map(|s| s.by).as_deref(),
        Some("Bob (jardin)")
    );
    let reject: ActivityIn =
        parse_object("Reject", &fixture("entraide/reject-offer.json")).unwrap();
    assert_eq!(
        reject.reason(),
        Some("Les tables sont déjà prises ce week-end.")
    );

    // Hours from another node.
    let hours: EconomicEventIn = object_in("entraide/create-economic-event.json", "EconomicEvent");
    assert_eq!(hours.receiver.as_str(), "https://a.example/g/epicerie");
    assert_eq!(hours.minutes, Some(150));
    assert_eq!(hours.action.as_deref(), Some("work"));
    assert!(hours.in_scope_of.is_some() && hours.distance_km.is_some());

    // Another node's resource.
    let page: PageIn = parse_object("Page", &fixture("entraide/page.json")).unwrap();
    assert!(page.id.is_some() && page.attributed_to.is_some());
    assert_eq!(page.publishes.and_then(|i| i.resource_quantity), Some(20));
    assert!(page.availability.is_some());

    // A Mastodon reply: the mention, the parent, the text.
    let reply: NoteIn = object_in("mastodon/create-note-reply.json", "Note");
    assert_eq!(reply.tag[0].kind.as_deref(), Some("Mention"));
    assert_eq!(
        reply.tag[0].href.as_ref().map(|u| u.as_str()),
        Some("https://entraide.example/g/epicerie")
    );
    assert!(reply.in_reply_to.is_some() && reply.content.is_some());
    assert!(reply.content_in_a_language.is_some());

    // Mobilizon's Join and its answers.
    let join: ActivityIn = parse_object("Join", &fixture("mobilizon/join.json")).unwrap();
    assert_eq!(
        join.participation_message.as_deref(),
        Some("Je peux venir avec une brouette.")
    );
    assert!(join.object.id.is_some() && !join.object.embedded);
    let answer: ActivityIn =
        parse_object("Accept", &fixture("mobilizon/accept-join.json")).unwrap();
    assert_eq!(answer.object.kind.as_deref(), Some("Join"));
    assert!(answer.object.actor.is_some() && answer.object.object.is_some());

    // Fedify's Undo names the Follow with its actor and object.
    let undo: ActivityIn = parse_object("Undo", &fixture("fedify/undo-follow.json")).unwrap();
    assert_eq!(undo.object.kind.as_deref(), Some("Follow"));
    assert!(undo.object.actor.is_some() && undo.object.object.is_some());
}

#[test]
fn malformed_objects_say_which_field_is_wrong() {
    let v = fixture("malformed/update-agreement-unsigned-date.json");
    assert!(Incoming::parse(v.clone()).is_ok(), "the envelope is fine");
    let e = parse_object::<AgreementIn>("Agreement", &v["object"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the Agreement cannot be read: ownerSigned: missing field `at`"
    );
    let v = fixture("malformed/create-economic-event-no-receiver.json");
    let e = parse_object::<EconomicEventIn>("EconomicEvent", &v["object"]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the EconomicEvent cannot be read: missing field `receiver`"
    );
}
