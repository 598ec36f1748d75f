//! Mobilizon, both ways, in process: documents shaped like Mobilizon's (fixtures in
//! `federation-tests/fixtures/mobilizon/`, written after Mobilizon's converters) are read by our
//! parser, and the documents we send carry every key, in the shape, that Mobilizon's converters
//! read: a mission's `Event` (and each slot's), our `Accept{Join}` and `Reject{Join}` answering
//! a Mobilizon `Join`, and Mobilizon's `Accept{Join}` answering one of ours.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use chrono::{DateTime, TimeZone, Utc};
use common::{TestApp, BASE};
use entraide::{
    domain::{
        actor::{ActorKind, RemoteActor},
        mission::{category_to_ap, JoinMode, MissionStatus, CATEGORIES},
        slot::ParticipationStatus,
    },
    federation::{
        objects::{remote_mission_from_json, ApubActor},
        outbox,
        participation::{join, join_answered},
        protocol::{Activity, EventJson, Incoming, Reference},
    },
    service::slots,
    storage::{RemoteSlot, Store},
};
use serde_json::{json, Value};

const AP: &str = "application/activity+json";

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/federation-tests/fixtures/mobilizon/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Mobilizon's event categories (`lib/mobilizon/events/categories.ex`); anything else becomes
/// `MEETING` there.
const MOBILIZON_CATEGORIES: &[&str] = &[
    "ARTS",
    "BOOK_CLUBS",
    "BUSINESS",
    "CAUSES",
    "COMEDY",
    "CRAFTS",
    "FOOD_DRINK",
    "HEALTH",
    "MUSIC",
    "AUTO_BOAT_AIR",
    "COMMUNITY",
    "FAMILY_EDUCATION",
    "FASHION_BEAUTY",
    "FILM_MEDIA",
    "GAMES",
    "LANGUAGE_CULTURE",
    "LEARNING",
    "LGBTQ",
    "MOVEMENTS_POLITICS",
    "NETWORKING",
    "PARTY",
    "PERFORMING_VISUAL_ARTS",
    "PETS",
    "PHOTOGRAPHY",
    "OUTDOORS_ADVENTURE",
    "SPIRITUALITY_RELIGION_BELIEFS",
    "SCIENCE_TECH",
    "SPORTS",
    "THEATRE",
    "MEETING",
];
/// Categories of FEP-8a8e that Mobilizon does not have (it shows them as `MEETING`).
const FEP_8A8E_ONLY: &[&str] = &["CLIMATE_ENVIRONMENT", "WORKSHOPS_SKILL_SHARING"];

fn time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

// ---------------------------------------------------------------------------------------------
// Their Event, read by us

#[test]
fn a_mobilizon_event_is_read_by_our_parser() {
    let doc = fixture("event.json");
    let event: EventJson = serde_json::from_value(doc.clone()).expect("Mobilizon's Event parses");
    assert_eq!(event.kind, "Event");
    let m = remote_mission_from_json(&event, 7, common::start());
    assert_eq!(m.ap_id, doc["id"].as_str().unwrap());
    assert_eq!(m.url, doc["url"].as_str().unwrap());
    assert_eq!(m.actor_id, 7);
    let d = &m.draft;
    assert_eq!(d.title, "Chantier participatif au jardin des Capucins");
    assert_eq!(
        d.start_time,
        Utc.with_ymd_and_hms(2026, 9, 12, 7, 30, 0).unwrap()
    );
    assert_eq!(
        d.end_time,
        Utc.with_ymd_and_hms(2026, 9, 12, 10, 30, 0).unwrap()
    );
    assert_eq!(d.place.name, "Jardin des Capucins");
    assert_eq!(d.place.street_address, "25 Rue de Pontaniou");
    assert_eq!(d.place.postal_code, "29200");
    assert_eq!(d.place.locality, "Brest");
    assert_eq!(d.place.country, "France");
    assert_eq!(d.place.latitude, Some(48.3842));
    assert_eq!(d.place.longitude, Some(-4.4953));
    assert!(!d.online);
    assert_eq!(d.capacity, Some(12));
    assert_eq!(d.join_mode, JoinMode::Restricted);
    assert_eq!(d.category, "solidarity", "CAUSES is our solidarity");
    assert_eq!(d.status, MissionStatus::Published);
    assert_eq!(m.participant_count, 3);
    assert!(
        m.content_html.contains("<strong>paillage</strong>"),
        "{}",
        m.content_html
    );
    assert!(
        m.remote_summary.contains("Jardin des Capucins"),
        "{}",
        m.remote_summary
    );
    assert_eq!(m.published, time("2026-08-20T17:42:11Z"));
    assert_eq!(m.updated, time("2026-08-22T08:05:37Z"));

    // Variants Mobilizon also sends: free joins, cancelled, no capacity, online only.
    let mut other = doc.clone();
    other["joinMode"] = json!("free");
    other["status"] = json!("CANCELLED");
    other["maximumAttendeeCapacity"] = Value::Null;
    other["remainingAttendeeCapacity"] = Value::Null;
    other["isOnline"] = json!(true);
    other.as_object_mut().unwrap().remove("location");
    let m = remote_mission_from_json(&serde_json::from_value(other).unwrap(), 7, common::start());
    assert_eq!(m.draft.join_mode, JoinMode::Free);
    assert_eq!(m.draft.status, MissionStatus::Cancelled);
    assert_eq!(m.draft.capacity, None);
    assert!(m.draft.online);
    // `invite` and `external` take no Join from us: they are not free.
    for mode in ["invite", "external"] {
        let mut other = doc.clone();
        other["joinMode"] = json!(mode);
        let m =
            remote_mission_from_json(&serde_json::from_value(other).unwrap(), 7, common::start());
        assert_eq!(m.draft.join_mode, JoinMode::Restricted, "{mode}");
    }
}

// ---------------------------------------------------------------------------------------------
// Our Event, read by them

/// The JSON type of a value, as a word.
fn shape(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Keys `Event.as_to_model_data` (and the helpers it calls) reads, which we must send.
const EVENT_KEYS_READ: &[&str] = &[
    "id",
    "type",
    "attributedTo",
    "to",
    "name",
    "content",
    "startTime",
    "endTime",
    "category",
    "joinMode",
    "status",
    "published",
    "updated",
    "location",
    "maximumAttendeeCapacity",
    "anonymousParticipationEnabled",
    "timezone",
    "isOnline",
];

/// Every key Mobilizon's converter reads is there, with Mobilizon's shape and values it accepts.
fn assert_readable_by_mobilizon(ours: &Value, theirs: &Value, what: &str) {
    for key in EVENT_KEYS_READ {
        assert!(
            ours.get(key).is_some_and(|v| !v.is_null()),
            "{what}: no {key} in {ours:#}"
        );
    }
    // Same shape as Mobilizon's for every key both have (a float stays a float: Mobilizon
    // keeps coordinates only when `is_float`).
    for (key, their_value) in theirs.as_object().unwrap() {
        let Some(our_value) = ours.get(key) else {
            continue;
        };
        if their_value.is_null() || key == "@context" {
            continue;
        }
        let same = shape(our_value) == shape(their_value)
            || (shape(their_value) == "float"
                && shape(our_value) == "integer"
                && key != "latitude"
                && key != "longitude");
        assert!(
            same,
            "{what}: {key} is {} here, {} in Mobilizon's: {our_value} / {their_value}",
            shape(our_value),
            shape(their_value)
        );
    }
    for key in ["startTime", "endTime", "published", "updated"] {
        let s = ours[key].as_str().unwrap();
        assert!(
            DateTime::parse_from_rfc3339(s).is_ok(),
            "{what}: {key} = {s} is not ISO 8601 with an offset"
        );
    }
    let join_mode = ours["joinMode"].as_str().unwrap();
    assert!(
        ["free", "restricted", "invite", "external"].contains(&join_mode),
        "{what}: joinMode {join_mode}"
    );
    let status = ours["status"].as_str().unwrap();
    assert!(
        ["TENTATIVE", "CONFIRMED", "CANCELLED"].contains(&status),
        "{what}: status {status}"
    );
    let category = ours["category"].as_str().unwrap();
    assert!(
        MOBILIZON_CATEGORIES.contains(&category),
        "{what}: category {category} is unknown to Mobilizon"
    );
    assert!(
        ours["to"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "https://www.w3.org/ns/activitystreams#Public"),
        "{what}: public, so that Mobilizon shows it"
    );
    assert!(
        ours["id"].as_str().is_some_and(|id| id.starts_with("http")),
        "{what}: Mobilizon keeps the id as the event's URL"
    );
    for tag in ours["tag"].as_array().into_iter().flatten() {
        assert_eq!(tag["type"], "Hashtag", "{what}: {tag}");
        assert!(
            tag["name"].as_str().is_some_and(|n| n.starts_with('#')),
            "{what}: {tag}"
        );
    }
    // The place: Place › PostalAddress, as converter/address.ex reads it.
    let (place, their_place) = (&ours["location"], &theirs["location"]);
    assert_eq!(place["type"], "Place", "{what}");
    assert!(place["name"].is_string(), "{what}: {place}");
    assert_eq!(place["address"]["type"], "PostalAddress", "{what}: {place}");
    for key in their_place["address"].as_object().unwrap().keys() {
        if key != "addressRegion" {
            assert!(
                place["address"][key].is_string(),
                "{what}: address.{key} in {place}"
            );
        }
    }
    assert!(
        place["latitude"].is_f64() && place["longitude"].is_f64(),
        "{what}: coordinates as floats: {place}"
    );
    // A capacity is a positive integer.
    assert!(
        ours["maximumAttendeeCapacity"]
            .as_i64()
            .is_some_and(|c| c > 0),
        "{what}"
    );
}

#[tokio::test]
async fn our_event_has_every_field_mobilizon_reads() {
    let theirs = fixture("event.json");
    let t = TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    t.association("epicerie", "alice").await;
    let body = json!({
        "title": "Distribution du samedi", "description": "Trier les **dons**.",
        "category": "solidarity", "skills": ["cuisine"], "join_mode": "restricted",
        "place_name": "Halle Saint-Louis", "street_address": "Rue de Siam", "postal_code": "29200",
        "locality": "Brest", "latitude": 48.0, "longitude": -4.5, "capacity": 8,
        "start_time": "2030-03-01T08:00", "end_time": "2030-03-31T20:00"
    });
    let res = t.publish("epicerie", &alice, &body).await;
    let mission = res.json();
    let slots = json!({"slots": [
        {"start_time": "2030-03-07T09:00", "end_time": "2030-03-07T12:00", "capacity": 4},
        {"start_time": "2030-03-14T09:00", "end_time": "2030-03-14T12:00", "capacity": 6},
    ]});
    let path = format!("/api/v1/missions/{}/slots", mission["id"]);
    t.api(Method::POST, &path, Some(&alice), Some(&slots))
        .await
        .expect(201);

    let ap_path = mission["ap_id"]
        .as_str()
        .unwrap()
        .strip_prefix(BASE)
        .unwrap()
        .to_string();
    let res = t.get_with(&ap_path, "accept", AP).await;
    res.expect(200);
    let ours = res.json();
    assert_readable_by_mobilizon(&ours, &theirs, "the mission");
    assert_eq!(ours["joinMode"], "restricted");
    assert_eq!(ours["category"], "CAUSES");
    assert_eq!(
        ours["location"]["latitude"],
        json!(48.0),
        "48 stays a float: {}",
        ours["location"]
    );
    assert_eq!(ours["attributedTo"], format!("{BASE}/g/epicerie"));
    // Each slot is an Event Mobilizon can read (and join) on its own.
    let embedded = ours["slots"].as_array().unwrap();
    assert_eq!(embedded.len(), 2);
    for slot in embedded {
        assert_readable_by_mobilizon(slot, &theirs, "a slot");
        let path = slot["id"]
            .as_str()
            .unwrap()
            .strip_prefix(BASE)
            .unwrap()
            .to_string();
        let res = t.get_with(&path, "accept", AP).await;
        res.expect(200);
        assert_readable_by_mobilizon(&res.json(), &theirs, "a slot fetched alone");
    }
    assert_eq!(embedded[0]["maximumAttendeeCapacity"], 4);
    assert_eq!(embedded[0]["remainingAttendeeCapacity"], 4);
    assert_eq!(embedded[0]["startTime"], "2030-03-07T09:00:00+01:00");

    // Every category we federate is one Mobilizon knows, or one of FEP-8a8e's it lacks.
    for (code, ..) in CATEGORIES {
        let ap = category_to_ap(code);
        assert!(
            MOBILIZON_CATEGORIES.contains(&ap) || FEP_8A8E_ONLY.contains(&ap),
            "{code} → {ap}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Join and Accept{Join}

/// A remote actor of mobilizon.example, stored as if fetched.
async fn mobilizon_actor(store: &dyn Store, name: &str, kind: ActorKind) -> ApubActor {
    let ap_id = format!("https://mobilizon.example/@{name}");
    let actor = RemoteActor {
        ap_id: ap_id.clone(),
        kind,
        name: name.to_string(),
        host: "mobilizon.example".into(),
        display_name: name.to_string(),
        summary: String::new(),
        inbox: format!("{ap_id}/inbox"),
        shared_inbox: Some("https://mobilizon.example/inbox".into()),
        outbox: None,
        followers: None,
        url: None,
        public_key_pem: "-----BEGIN PUBLIC KEY-----\nnot used here\n-----END PUBLIC KEY-----\n"
            .into(),
    };
    ApubActor::new(
        store
            .upsert_remote_actor(actor, common::start())
            .await
            .unwrap(),
    )
    .unwrap()
}

/// The activities queued for delivery (claimed, so each is seen once), with their inbox; each
/// one, as really sent, reads back as a known incoming activity and as its wire struct.
async fn queued(t: &TestApp) -> Vec<(String, Value)> {
    let now = t.now();
    t.store()
        .claim_deliveries(100, now, now + chrono::Duration::seconds(60))
        .await
        .unwrap()
        .into_iter()
        .map(|d| {
            let sent: Value = serde_json::from_str(&d.payload).unwrap();
            reads_back(&sent);
            (d.inbox, sent)
        })
        .collect()
}

/// `sent` parses into `Incoming` (not as an unknown type) and into the wire struct of its
/// type, which serialises the same document back.
fn reads_back(sent: &Value) {
    let incoming = Incoming::parse(sent.clone()).unwrap();
    let mut doc = sent.clone();
    doc.as_object_mut().unwrap().remove("@context");
    let back = match &incoming {
        Incoming::Create(e) | Incoming::Update(e) if e.object_type() == Some("Event") => {
            serde_json::to_value(
                serde_json::from_value::<Activity<EventJson>>(doc.clone()).unwrap(),
            )
        }
        Incoming::Accept(e) | Incoming::Reject(e) if e.object_type() == Some("Join") => {
            serde_json::to_value(
                serde_json::from_value::<Activity<Reference>>(doc.clone()).unwrap(),
            )
        }
        Incoming::Join(_) | Incoming::Leave(_) | Incoming::Follow(_) => {
            serde_json::to_value(serde_json::from_value::<Activity<String>>(doc.clone()).unwrap())
        }
        other => panic!("an activity this test does not expect: {other:?}"),
    };
    assert_eq!(
        back.unwrap(),
        doc,
        "the wire struct writes the same document"
    );
}

fn sent_to(queued: &[(String, Value)], inbox: &str) -> Vec<Value> {
    queued
        .iter()
        .filter(|(i, _)| i == inbox)
        .map(|(_, a)| a.clone())
        .collect()
}

/// Our answer has what Mobilizon's transmogrifier matches on, shaped like Mobilizon's own
/// answer: `type`, `id`, `actor`, and the whole `Join` embedded, found again by its `id`.
fn assert_answer_like_mobilizons(ours: &Value, theirs: &Value, join: &Value) {
    assert_eq!(ours["type"], theirs["type"]);
    for key in ["id", "type", "actor", "object"] {
        assert_eq!(shape(&ours[key]), shape(&theirs[key]), "{key}: {ours:#}");
    }
    for key in theirs
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| *k != "@context" && *k != "cc")
    {
        assert!(ours.get(key).is_some(), "no {key} in {ours:#}");
        assert_eq!(shape(&ours[key]), shape(&theirs[key]), "{key}: {ours:#}");
    }
    let (object, their_object) = (&ours["object"], &theirs["object"]);
    for key in ["type", "id", "actor", "object"] {
        assert_eq!(
            shape(&object[key]),
            shape(&their_object[key]),
            "object.{key}: {ours:#}"
        );
    }
    assert_eq!(object["type"], "Join");
    assert_eq!(
        object["id"], join["id"],
        "the Join is found again by its id"
    );
    assert_eq!(object["actor"], join["actor"]);
    assert!(
        ours["to"].as_array().unwrap().contains(&join["actor"]),
        "addressed to the volunteer: {ours:#}"
    );
}

#[tokio::test]
async fn a_mobilizon_join_gets_accept_and_reject_shaped_like_mobilizons() {
    let t = TestApp::new().await;
    let ctx = t.app.context();
    let (_, alice) = t.user("alice").await;
    t.association("epicerie", "alice").await;
    let body = json!({
        "title": "Distribution du samedi", "category": "solidarity", "locality": "Brest",
        "start_time": "2030-03-07T09:00", "end_time": "2030-03-07T12:00"
    });
    let res = t.publish("epicerie", &alice, &body).await;
    let mission = res.json();
    let one = json!({"slots": [{"start_time": "2030-03-07T09:00", "end_time": "2030-03-07T12:00", "capacity": 1}]});
    let res = t
        .api(
            Method::POST,
            &format!("/api/v1/missions/{}/slots", mission["id"]),
            Some(&alice),
            Some(&one),
        )
        .await;
    res.expect(201);
    let slot = res.json()["slots"][0].clone();
    // Their events are drained first, so that only the answers are left to look at.
    while outbox::run_once(&ctx).await.unwrap() > 0 {}
    queued(&t).await;

    // Camille, on Mobilizon, joins the mission (its only slot) as Mobilizon sends it.
    let camille = mobilizon_actor(t.store(), "camille", ActorKind::Person).await;
    let mut their_join = fixture("join.json");
    their_join["object"] = mission["ap_id"].clone();
    join(&ctx, &their_join, &camille)
        .await
        .expect("Mobilizon's Join is understood");
    let list = t
        .store()
        .list_participations(slot["id"].as_i64().unwrap())
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].status, ParticipationStatus::Accepted);
    assert_eq!(list[0].message, "Je peux venir avec une brouette.");
    assert_eq!(list[0].join_ap_id, their_join["id"].as_str().unwrap());

    // Dominique's Join, with `participationMessage: null` as Mobilizon may send, finds it full.
    let dominique = mobilizon_actor(t.store(), "dominique", ActorKind::Person).await;
    let mut second = fixture("join.json");
    second["id"] =
        json!("https://mobilizon.example/join/event/00000000-1111-4222-8333-444444444444");
    second["actor"] = json!(dominique.actor.ap_id);
    second["object"] = slot["ap_id"].clone();
    second["participationMessage"] = Value::Null;
    join(&ctx, &second, &dominique)
        .await
        .expect("a null message is no message");

    while outbox::run_once(&ctx).await.unwrap() > 0 {}
    let queued = queued(&t).await;
    assert_eq!(queued.len(), 2, "one answer for each Join: {queued:?}");
    let accepts = sent_to(&queued, &camille.actor.inbox);
    assert_eq!(accepts.len(), 1, "{accepts:?}");
    assert_answer_like_mobilizons(&accepts[0], &fixture("accept-join.json"), &their_join);
    assert_eq!(
        accepts[0]["actor"],
        format!("{BASE}/g/epicerie"),
        "the association answers"
    );
    let rejects = sent_to(&queued, &dominique.actor.inbox);
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_answer_like_mobilizons(&rejects[0], &fixture("reject-join.json"), &second);
    assert_eq!(rejects[0]["object"]["object"], slot["ap_id"]);
}

#[tokio::test]
async fn a_mobilizon_accept_of_our_join_is_understood() {
    let t = TestApp::new().await;
    let ctx = t.app.context();
    let (bob, _) = t.user("bob").await;
    // A remote mission of a Mobilizon group, with one joinable slot.
    let group = mobilizon_actor(t.store(), "jardins_partages", ActorKind::Group).await;
    let event: EventJson = serde_json::from_value(fixture("event.json")).unwrap();
    let mission = t
        .store()
        .upsert_remote_mission(remote_mission_from_json(&event, group.actor.id, t.now()))
        .await
        .unwrap();
    let slot_ap = format!("{}#slot", event.id);
    // Mobilizon's event was captured in the past: the slot is moved to the future.
    let start = t.now() + chrono::Duration::days(30);
    let remote = RemoteSlot {
        start_time: start,
        end_time: start + chrono::Duration::hours(3),
        capacity: 12,
        participant_count: 3,
        cancelled: false,
        updated: mission.updated,
    };
    let slot = t
        .store()
        .upsert_remote_slot(mission.id, &slot_ap, remote)
        .await
        .unwrap();
    let asked = slots::sign_up(
        t.store(),
        &t.app.state.config,
        &bob,
        slot.id,
        "Avec plaisir",
        t.now(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(asked.status, ParticipationStatus::Pending);

    // Mobilizon's Accept, embedding our Join as Mobilizon embeds the Joins it accepts.
    let mut accept = fixture("accept-join.json");
    accept["object"]["id"] = json!(asked.join_ap_id);
    accept["object"]["actor"] = json!(format!("{BASE}/u/bob"));
    accept["object"]["object"] = json!(slot_ap);
    join_answered(&ctx, &accept, &accept["object"], &group, true)
        .await
        .unwrap();
    let p = t.store().get_participation(asked.id).await.unwrap();
    assert_eq!(p.status, ParticipationStatus::Accepted);

    // Another actor of that server may not answer for the group.
    let camille = mobilizon_actor(t.store(), "camille", ActorKind::Person).await;
    let mut reject = fixture("reject-join.json");
    reject["object"]["id"] = json!(asked.join_ap_id);
    assert!(
        join_answered(&ctx, &reject, &reject["object"], &camille, false)
            .await
            .is_err()
    );
    assert_eq!(
        t.store().get_participation(asked.id).await.unwrap().status,
        ParticipationStatus::Accepted
    );
}
