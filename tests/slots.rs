//! Time slots, sign-ups, profiles and matching, in process: the rules of issue 3 on one node.
//! The capacity race runs against the store on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use chrono::Duration;
use common::{sqlite_store, PgDb, TestApp};
use entraide::{
    domain::slot::{Participant, SignUpOutcome, SlotDraft},
    storage::{NewMission, SignUp, Store},
};
use serde_json::{json, Value};
use std::sync::Arc;

const MISSIONS: &str = "/api/v1/associations/epicerie/missions";

/// A node with a coordinator (alice, token) and a volunteer (bob, token), and a mission.
async fn setup(join_mode: &str) -> (TestApp, String, String, Value) {
    let t = TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    let (_, bob) = t.user("bob").await;
    t.association("epicerie", "alice").await;
    let body = json!({
        "title": "Distribution du samedi", "locality": "Brest", "latitude": 48.39, "longitude": -4.49,
        "skills": ["cuisine"], "category": "solidarity", "join_mode": join_mode,
        "start_time": "2030-03-01T08:00", "end_time": "2030-03-31T20:00"
    });
    let m = t.publish("epicerie", &alice, &body).await;
    let mission = m.json();
    (t, alice, bob, mission)
}

async fn add_slot(
    t: &TestApp,
    token: &str,
    mission: &Value,
    start: &str,
    end: &str,
    capacity: i64,
) -> Value {
    let path = format!("/api/v1/missions/{}/slots", mission["id"]);
    let body = json!({"slots": [{"start_time": start, "end_time": end, "capacity": capacity}]});
    let res = t.api(Method::POST, &path, Some(token), Some(&body)).await;
    res.expect(201);
    res.json()["slots"][0].clone()
}

fn participations_path(slot: &Value) -> String {
    format!("/api/v1/slots/{}/participations", slot["id"])
}

#[tokio::test]
async fn slots_by_rule_and_their_validation() {
    let (t, alice, bob, mission) = setup("free").await;
    let path = format!("/api/v1/missions/{}/slots", mission["id"]);
    let rule = json!({"rule": {"from_date": "2030-03-01", "to_date": "2030-03-31", "weekdays": ["sat"],
                               "start": "09:00", "end": "12:00", "capacity": 5}});
    let res = t.api(Method::POST, &path, Some(&alice), Some(&rule)).await;
    res.expect(201);
    assert_eq!(
        res.json()["slots"].as_array().unwrap().len(),
        5,
        "five Saturdays in March 2030"
    );
    let listed = t.get(&path).await.json();
    assert_eq!(listed["slots"].as_array().unwrap().len(), 5);
    assert_eq!(listed["slots"][0]["remaining"], 5);

    // Bad slots: each gets a message, nothing is added.
    let bad = json!({"slots": [
        {"start_time": "2030-03-02T12:00", "end_time": "2030-03-02T09:00", "capacity": 0},
        {"start_time": "2030-03-02T09:00", "end_time": "2030-03-02T10:00", "capacity": -2},
        {"start_time": "nope", "end_time": "2030-03-02T10:00", "capacity": 2}
    ]});
    let res = t.api(Method::POST, &path, Some(&alice), Some(&bad)).await;
    res.expect(422);
    let fields = res.json()["fields"].clone();
    for f in [
        "slots[0].end_time",
        "slots[0].capacity",
        "slots[1].capacity",
        "slots[2].start_time",
    ] {
        assert!(fields.get(f).is_some(), "{f} missing in {fields}");
    }
    let outside = json!({"slots": [{"start_time": "2030-04-02T09:00", "end_time": "2030-04-02T10:00", "capacity": 2}]});
    let res = t
        .api(Method::POST, &path, Some(&alice), Some(&outside))
        .await;
    res.expect(422);
    assert!(res.json()["fields"]["slots"]
        .as_str()
        .unwrap()
        .contains("within the mission"));
    let bad_rule = json!({"rule": {"from_date": "2030-03-31", "to_date": "2030-03-01", "start": "12:00", "end": "09:00", "capacity": 3}});
    t.api(Method::POST, &path, Some(&alice), Some(&bad_rule))
        .await
        .expect(422);
    t.api(Method::POST, &path, Some(&alice), Some(&json!({})))
        .await
        .expect(422);
    assert_eq!(
        t.get(&path).await.json()["slots"].as_array().unwrap().len(),
        5,
        "nothing added by refused requests"
    );
    // Only coordinators add slots.
    t.api(Method::POST, &path, Some(&bob), Some(&rule))
        .await
        .expect(403);
    t.api(
        Method::POST,
        "/api/v1/missions/999999/slots",
        Some(&alice),
        Some(&rule),
    )
    .await
    .expect(404);
}

#[tokio::test]
async fn sign_up_rules_with_reasons() {
    let (t, alice, bob, mission) = setup("free").await;
    let morning = add_slot(
        &t,
        &alice,
        &mission,
        "2030-03-02T09:00",
        "2030-03-02T12:00",
        1,
    )
    .await;
    let overlapping = add_slot(
        &t,
        &alice,
        &mission,
        "2030-03-02T11:00",
        "2030-03-02T13:00",
        3,
    )
    .await;
    let later = add_slot(
        &t,
        &alice,
        &mission,
        "2030-03-09T09:00",
        "2030-03-09T12:00",
        3,
    )
    .await;

    let res = t
        .api(
            Method::POST,
            &participations_path(&morning),
            Some(&bob),
            Some(&json!({"message": "Avec plaisir"})),
        )
        .await;
    res.expect(201);
    let bobs = res.json();
    assert_eq!(bobs["status"], "accepted");
    assert_eq!(
        t.get(&format!("/api/v1/slots/{}", morning["id"]))
            .await
            .json()["remaining"],
        0
    );

    // Same slot again, an overlapping slot, a full slot: each refused with its reason.
    let again = t
        .api(
            Method::POST,
            &participations_path(&morning),
            Some(&bob),
            None,
        )
        .await;
    again.expect(409);
    assert_eq!(again.json()["error"], "already_signed_up");
    let overlap = t
        .api(
            Method::POST,
            &participations_path(&overlapping),
            Some(&bob),
            None,
        )
        .await;
    overlap.expect(409);
    assert_eq!(overlap.json()["error"], "overlaps_another_slot");
    assert!(overlap.json()["message"]
        .as_str()
        .unwrap()
        .contains("autre créneau"));
    let (_, carol) = t.user("carol").await;
    let full = t
        .api(
            Method::POST,
            &participations_path(&morning),
            Some(&carol),
            None,
        )
        .await;
    full.expect(409);
    assert_eq!(full.json()["error"], "slot_full");
    assert_eq!(full.json()["message"], "ce créneau est complet");

    // A coordinator signs up someone without an account; contacts are for coordinators only.
    let guest = t
        .api(
            Method::POST,
            &format!("/api/v1/slots/{}/guests", later["id"]),
            Some(&alice),
            Some(&json!({"name": "Mme Le Gall", "contact": "06 12 34 56 78"})),
        )
        .await;
    guest.expect(201);
    t.api(
        Method::POST,
        &format!("/api/v1/slots/{}/guests", later["id"]),
        Some(&alice),
        Some(&json!({"name": "", "contact": ""})),
    )
    .await
    .expect(422);
    t.api(
        Method::POST,
        &format!("/api/v1/slots/{}/guests", later["id"]),
        Some(&bob),
        Some(&json!({"name": "X", "contact": "y"})),
    )
    .await
    .expect(403);
    let list = t
        .api(
            Method::GET,
            &participations_path(&later),
            Some(&alice),
            None,
        )
        .await;
    list.expect(200);
    assert_eq!(
        list.json()["participations"][0]["participant"]["contact"],
        "06 12 34 56 78"
    );
    t.api(Method::GET, &participations_path(&later), Some(&bob), None)
        .await
        .expect(403);

    // Withdrawing frees the place; carol can then take it.
    let left = t
        .api(
            Method::DELETE,
            &format!("/api/v1/participations/{}", bobs["id"]),
            Some(&bob),
            None,
        )
        .await;
    left.expect(200);
    assert_eq!(left.json()["status"], "withdrawn");
    t.api(
        Method::DELETE,
        &format!("/api/v1/participations/{}", bobs["id"]),
        Some(&bob),
        None,
    )
    .await
    .expect(409);
    t.api(
        Method::POST,
        &participations_path(&morning),
        Some(&carol),
        None,
    )
    .await
    .expect(201);

    // Changing a slot: times move, the capacity never drops below the places taken.
    let slot_path = format!("/api/v1/slots/{}", later["id"]);
    let moved = t
        .api(
            Method::PATCH,
            &slot_path,
            Some(&alice),
            Some(&json!({"start_time": "2030-03-09T10:00", "end_time": "2030-03-09T13:00"})),
        )
        .await;
    moved.expect(200);
    assert_eq!(moved.json()["start_time"], "2030-03-09T09:00:00Z");
    t.api(
        Method::PATCH,
        &slot_path,
        Some(&alice),
        Some(&json!({"capacity": 0})),
    )
    .await
    .expect(422);
    t.api(
        Method::POST,
        &format!("/api/v1/slots/{}/guests", later["id"]),
        Some(&alice),
        Some(&json!({"name": "M. Kerjean", "contact": "kerjean@example.org"})),
    )
    .await
    .expect(201);
    let too_small = t
        .api(
            Method::PATCH,
            &slot_path,
            Some(&alice),
            Some(&json!({"capacity": 1})),
        )
        .await;
    too_small.expect(422);
    assert!(too_small.json()["fields"]["capacity"]
        .as_str()
        .unwrap()
        .contains("2 people"));
    t.api(
        Method::PATCH,
        &slot_path,
        Some(&alice),
        Some(&json!({"start_time": "2030-05-01T10:00", "end_time": "2030-05-01T12:00"})),
    )
    .await
    .expect(422);
    t.api(
        Method::PATCH,
        &slot_path,
        Some(&bob),
        Some(&json!({"capacity": 9})),
    )
    .await
    .expect(403);
    assert_eq!(
        t.get(&slot_path).await.json()["capacity"],
        3,
        "refused changes left the slot as it was"
    );

    // Cancelling a slot withdraws everyone; a cancelled slot takes nobody.
    let cancelled = t
        .api(
            Method::DELETE,
            &format!("/api/v1/slots/{}", later["id"]),
            Some(&alice),
            None,
        )
        .await;
    cancelled.expect(200);
    assert_eq!(cancelled.json()["withdrawn"], 2);
    assert_eq!(cancelled.json()["slot"]["status"], "cancelled");
    let closed = t
        .api(Method::POST, &participations_path(&later), Some(&bob), None)
        .await;
    closed.expect(409);
    assert_eq!(closed.json()["error"], "slot_closed");
    t.api(
        Method::POST,
        "/api/v1/slots/999999/participations",
        Some(&bob),
        None,
    )
    .await
    .expect(404);
    // My sign-ups list both, with their slots.
    let mine = t
        .api(Method::GET, "/api/v1/me/participations", Some(&bob), None)
        .await
        .json();
    assert_eq!(mine["participations"].as_array().unwrap().len(), 1);
    assert_eq!(mine["participations"][0]["slot"]["id"], morning["id"]);
}

#[tokio::test]
async fn manual_approval_and_refusal() {
    let (t, alice, bob, mission) = setup("restricted").await;
    let slot = add_slot(
        &t,
        &alice,
        &mission,
        "2030-03-02T09:00",
        "2030-03-02T12:00",
        1,
    )
    .await;
    let (_, carol) = t.user("carol").await;
    let b = t
        .api(Method::POST, &participations_path(&slot), Some(&bob), None)
        .await
        .json();
    let c = t
        .api(
            Method::POST,
            &participations_path(&slot),
            Some(&carol),
            None,
        )
        .await
        .json();
    assert_eq!(b["status"], "pending");
    assert_eq!(c["status"], "pending");
    assert_eq!(
        t.get(&format!("/api/v1/slots/{}", slot["id"])).await.json()["participant_count"],
        0,
        "pending takes no place"
    );
    // Only coordinators decide.
    t.api(
        Method::POST,
        &format!("/api/v1/participations/{}/accept", b["id"]),
        Some(&bob),
        None,
    )
    .await
    .expect(403);
    let ok = t
        .api(
            Method::POST,
            &format!("/api/v1/participations/{}/accept", b["id"]),
            Some(&alice),
            None,
        )
        .await;
    ok.expect(200);
    assert_eq!(ok.json()["status"], "accepted");
    // No place left for carol: accepting fails, refusing works with a reason.
    let full = t
        .api(
            Method::POST,
            &format!("/api/v1/participations/{}/accept", c["id"]),
            Some(&alice),
            None,
        )
        .await;
    full.expect(409);
    assert_eq!(full.json()["error"], "slot_full");
    let no = t
        .api(
            Method::POST,
            &format!("/api/v1/participations/{}/reject", c["id"]),
            Some(&alice),
            Some(&json!({"reason": "Le créneau est complet, merci !"})),
        )
        .await;
    no.expect(200);
    assert_eq!(no.json()["status"], "rejected");
    assert_eq!(no.json()["reason"], "Le créneau est complet, merci !");
    t.api(
        Method::POST,
        &format!("/api/v1/participations/{}/reject", c["id"]),
        Some(&alice),
        None,
    )
    .await
    .expect(409);
    t.raw(
        Method::POST,
        &format!("/api/v1/participations/{}/reject", b["id"]),
        Some(&alice),
        Some("application/json"),
        "{not json",
    )
    .await
    .expect(400);
}

#[tokio::test]
async fn drafts_are_private_and_take_no_sign_up() {
    let (t, alice, bob, mission) = setup("free").await;
    let slot = add_slot(
        &t,
        &alice,
        &mission,
        "2030-03-02T09:00",
        "2030-03-02T12:00",
        3,
    )
    .await;
    let path = format!("/api/v1/missions/{}", mission["id"]);
    t.api(
        Method::PATCH,
        &path,
        Some(&alice),
        Some(&json!({"status": "draft"})),
    )
    .await
    .expect(200);
    t.get(&path).await.expect(404);
    t.api(Method::GET, &path, Some(&alice), None)
        .await
        .expect(200);
    assert!(t.get(MISSIONS).await.json()["missions"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(
        t.api(Method::GET, MISSIONS, Some(&alice), None)
            .await
            .json()["missions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let refused = t
        .api(Method::POST, &participations_path(&slot), Some(&bob), None)
        .await;
    refused.expect(409);
    assert_eq!(refused.json()["error"], "slot_closed");
    // Regular missions need their commitment.
    let res = t
        .api(
            Method::PATCH,
            &path,
            Some(&alice),
            Some(&json!({"regular": true})),
        )
        .await;
    res.expect(422);
    assert!(res.json()["fields"]["commitment_minutes"].is_string());
    t.api(Method::PATCH, &path, Some(&alice), Some(&json!({"regular": true, "commitment_minutes": 120, "commitment_period": "week", "status": "published"}))).await.expect(200);
    assert_eq!(t.get(&path).await.json()["commitment_period"], "week");
}

#[tokio::test]
async fn profiles_rank_missions_with_reasons_and_suggest_volunteers_who_opted_in() {
    let (t, alice, bob, mission) = setup("free").await;
    add_slot(
        &t,
        &alice,
        &mission,
        "2030-03-02T09:00",
        "2030-03-02T12:00",
        3,
    )
    .await;
    let profile = json!({"skills": ["Cuisine"], "availability": [{"day": 5, "part": "morning"}],
                         "home_latitude": 48.40, "home_longitude": -4.50, "travel_km": 10.0,
                         "interests": ["solidarity"], "suggestable": true});
    t.api(
        Method::PUT,
        "/api/v1/me/profile",
        Some(&bob),
        Some(&profile),
    )
    .await
    .expect(200);
    let bad = t
        .api(
            Method::PUT,
            "/api/v1/me/profile",
            Some(&bob),
            Some(&json!({"travel_km": -4.0, "interests": ["x"]})),
        )
        .await;
    bad.expect(422);
    assert_eq!(
        t.api(Method::GET, "/api/v1/me/profile", Some(&bob), None)
            .await
            .json()["travel_km"],
        10.0,
        "refused change left the profile as it was"
    );
    let matches = t
        .api(Method::GET, "/api/v1/me/matches", Some(&bob), None)
        .await
        .json();
    let first = &matches["matches"][0];
    assert_eq!(first["mission"]["id"], mission["id"]);
    assert_eq!(
        first["why"],
        "moins de 5 km · votre compétence : Cuisine · samedi matin"
    );
    // The coordinator sees bob (opted in), not carol (private).
    let (_, carol) = t.user("carol").await;
    t.api(
        Method::PUT,
        "/api/v1/me/profile",
        Some(&carol),
        Some(&json!({"skills": ["cuisine"]})),
    )
    .await
    .expect(200);
    let s = t
        .api(
            Method::GET,
            &format!("/api/v1/missions/{}/suggestions", mission["id"]),
            Some(&alice),
            None,
        )
        .await;
    s.expect(200);
    let body = s.json();
    let names: Vec<&str> = body["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["bob"]);
    // The reasons are words in the node's language (French by default), beside the score.
    let suggested = &body["suggestions"][0];
    assert!(suggested["score"].is_number(), "{suggested}");
    let reasons: Vec<&str> = suggested["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().expect("a reason in words"))
        .collect();
    // How far bob lives: a coarse band, never a figure.
    assert!(reasons.contains(&"moins de 5 km"), "{reasons:?}");
    assert!(
        reasons.contains(&"votre compétence : Cuisine"),
        "{reasons:?}"
    );
    t.api(
        Method::GET,
        &format!("/api/v1/missions/{}/suggestions", mission["id"]),
        Some(&bob),
        None,
    )
    .await
    .expect(403);
}

/// 60 sign-ups at once for 5 places: exactly 5 accepted, the rest refused as full.
async fn capacity_race(store: Arc<dyn Store>) {
    let now = common::start();
    let owner = store
        .create_local_actor(
            entraide::domain::actor::NewLocalActor {
                kind: entraide::domain::actor::ActorKind::Group,
                name: "race".into(),
                display_name: "Race".into(),
                summary: String::new(),
                public_key_pem: "KEY".into(),
                private_key_pem: "PRIVATE".into(),
                user_id: None,
            },
            "http://localhost:8080/g/race",
            "localhost:8080",
            None,
            now,
        )
        .await
        .unwrap();
    let input = entraide::domain::mission::MissionInput {
        title: Some("Course aux places".into()),
        locality: Some("Brest".into()),
        start_time: Some((now + Duration::days(1)).to_rfc3339()),
        end_time: Some((now + Duration::days(1) + Duration::hours(3)).to_rfc3339()),
        ..Default::default()
    };
    let draft =
        entraide::domain::mission::MissionDraft::create(input, chrono_tz::Europe::Paris, now)
            .unwrap();
    let mission = store
        .create_mission(NewMission {
            ap_id: "http://localhost:8080/m/race".into(),
            url: "http://localhost:8080/m/race".into(),
            actor_id: owner.id,
            content_html: String::new(),
            draft: draft.clone(),
            now,
        })
        .await
        .unwrap();
    let slot = store
        .create_slots(
            mission.id,
            vec![(
                "http://localhost:8080/s/race".into(),
                SlotDraft {
                    start_time: draft.start_time,
                    end_time: draft.end_time,
                    capacity: 5,
                },
            )],
            now,
        )
        .await
        .unwrap()
        .remove(0);
    let barrier = Arc::new(tokio::sync::Barrier::new(60));
    let mut tasks = Vec::new();
    for i in 0..60 {
        let (store, barrier) = (store.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let request = SignUp {
                slot_id: slot.id,
                participant: Participant::Remote {
                    actor_ap_id: format!("http://node{}.example/u/v{i}", i % 3),
                },
                join_ap_id: format!("http://node{}.example/join/{i}", i % 3),
                message: String::new(),
                auto_accept: true,
                record_refusal: true,
            };
            store.sign_up(request, common::start()).await.unwrap()
        }));
    }
    let mut accepted = 0;
    let mut full = 0;
    for t in tasks {
        match t.await.unwrap() {
            SignUpOutcome::Recorded(_) => accepted += 1,
            SignUpOutcome::Refused(entraide::domain::slot::Refusal::Full, Some(_)) => full += 1,
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    assert_eq!((accepted, full), (5, 55));
    let slot = store.get_slot(slot.id).await.unwrap();
    assert_eq!(slot.participant_count, 5);
    let rows = store.list_participations(slot.id).await.unwrap();
    assert_eq!(
        rows.iter()
            .filter(|p| p.status.as_str() == "accepted")
            .count(),
        5
    );
    assert_eq!(rows.iter().filter(|p| p.reason == "full").count(), 55);
    // A redelivered Join is the same sign-up.
    let again = SignUp {
        slot_id: slot.id,
        participant: Participant::Remote {
            actor_ap_id: "http://node0.example/u/v0".into(),
        },
        join_ap_id: "http://node0.example/join/0".into(),
        message: String::new(),
        auto_accept: true,
        record_refusal: true,
    };
    assert!(matches!(
        store.sign_up(again, common::start()).await.unwrap(),
        SignUpOutcome::Existing(_)
    ));
    assert_eq!(store.list_participations(slot.id).await.unwrap().len(), 60);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_concurrent_sign_ups_for_five_places_on_sqlite() {
    let (store, _dir) = sqlite_store().await;
    capacity_race(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_concurrent_sign_ups_for_five_places_on_postgres() {
    let Some(db) = PgDb::fresh("sixty_sign_ups").await else {
        return;
    };
    capacity_race(db.store().await).await;
}
