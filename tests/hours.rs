//! Volunteer hours (issue 5), in process: attendance becomes hours once, moderation states and
//! their history, exact totals and valuation, bad input that changes nothing, the CSV export
//! read back by a real CSV parser, and the storage part on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use chrono::Duration;
use common::{sqlite_store, PgDb, TestApp};
use entraide::{
    domain::{
        account::Role,
        actor::{ActorKind, NewLocalActor},
        hours::{HoursDraft, HoursSettings, HoursStatus, Volunteer},
        mission::{MissionDraft, MissionInput},
        slot::{Participant, SignUpOutcome, SlotDraft},
    },
    storage::{
        AttendanceOutcome, HoursQuery, NewHoursEntry, NewMission, SignUp, Store, StoreError,
    },
};
use serde_json::{json, Value};
use std::str::FromStr;

const ASSO: &str = "/api/v1/associations/epicerie";

/// A node with the association "epicerie" (owner alice) and bob, not a member yet.
async fn setup() -> (TestApp, String, String, i64, i64) {
    let t = TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    let (bob_user, bob) = t.user("bob").await;
    let asso = t.association("epicerie", "alice").await;
    (t, alice, bob, asso.id, bob_user.id)
}

/// A mission of `actor_id` with one slot of 7 h 30 that ended two days ago.
async fn past_slot(store: &dyn Store, actor_id: i64, key: &str) -> (i64, i64) {
    let now = common::start();
    let start = now - Duration::days(2) - Duration::hours(8);
    let end = start + Duration::minutes(450);
    let past = start - Duration::days(10);
    let input = MissionInput {
        title: Some("Distribution du samedi".into()),
        locality: Some("Brest".into()),
        category: Some("solidarity".into()),
        start_time: Some(start.to_rfc3339()),
        end_time: Some(end.to_rfc3339()),
        ..Default::default()
    };
    let draft = MissionDraft::create(input, chrono_tz::Europe::Paris, past).unwrap();
    let mission = store
        .create_mission(NewMission {
            ap_id: format!("http://localhost:8080/m/{key}"),
            url: format!("http://localhost:8080/m/{key}"),
            actor_id,
            content_html: String::new(),
            draft,
            now: past,
        })
        .await
        .unwrap();
    let slot = store
        .create_slots(
            mission.id,
            vec![(
                format!("http://localhost:8080/s/{key}"),
                SlotDraft {
                    start_time: start,
                    end_time: end,
                    capacity: 10,
                },
            )],
            past,
        )
        .await
        .unwrap()
        .remove(0);
    (mission.id, slot.id)
}

async fn sign_up(store: &dyn Store, slot_id: i64, participant: Participant, key: &str) -> i64 {
    let past = common::start() - Duration::days(5);
    match store
        .sign_up(
            SignUp {
                slot_id,
                participant,
                join_ap_id: format!("http://localhost:8080/join/{key}"),
                message: String::new(),
                auto_accept: true,
                record_refusal: false,
            },
            past,
        )
        .await
        .unwrap()
    {
        SignUpOutcome::Recorded(p) => p.id,
        other => panic!("sign-up not accepted: {other:?}"),
    }
}

fn field_errors(res: &common::Resp) -> Value {
    res.json()["fields"].clone()
}

#[tokio::test]
async fn attendance_becomes_hours_once() {
    let (t, alice, bob, asso, bob_id) = setup().await;
    let (_, carol) = t.user("carol").await;
    let (_, dave) = t.user("dave").await;
    let carol_id = t
        .store()
        .find_user_by_name("carol")
        .await
        .unwrap()
        .unwrap()
        .id;
    let (mission_id, slot_id) = past_slot(t.store(), asso, "a").await;
    let p_bob = sign_up(
        t.store(),
        slot_id,
        Participant::User { user_id: bob_id },
        "bob",
    )
    .await;
    let p_guest = sign_up(
        t.store(),
        slot_id,
        Participant::Guest {
            name: "Jeanne".into(),
            contact: "06 00 00 00 00".into(),
        },
        "guest",
    )
    .await;
    let p_carol = sign_up(
        t.store(),
        slot_id,
        Participant::User { user_id: carol_id },
        "carol",
    )
    .await;
    let path = format!("/api/v1/slots/{slot_id}/attendance");

    // Only coordinators mark attendance.
    let marks = json!({"marks": [{"participation_id": p_bob, "present": true}]});
    t.api(Method::POST, &path, Some(&bob), Some(&marks))
        .await
        .expect(403);

    let marks = json!({"marks": [
        {"participation_id": p_bob, "present": true},
        {"participation_id": p_guest, "present": true, "minutes": 240},
        {"participation_id": p_carol, "present": false}
    ]});
    let res = t.api(Method::POST, &path, Some(&alice), Some(&marks)).await;
    res.expect(200);
    let body = res.json();
    assert_eq!(body["marks"][0]["recorded"], true);
    assert_eq!(
        body["marks"][0]["entry"]["minutes"], 450,
        "the slot's duration"
    );
    assert_eq!(body["marks"][0]["entry"]["status"], "validated");
    assert_eq!(body["marks"][0]["entry"]["mission_id"], mission_id);
    assert_eq!(body["marks"][0]["entry"]["slot_id"], slot_id);
    assert_eq!(body["marks"][0]["entry"]["category"], "solidarity");
    assert_eq!(body["marks"][1]["entry"]["minutes"], 240);
    assert_eq!(body["marks"][1]["entry"]["volunteer_name"], "Jeanne");
    assert_eq!(body["marks"][2]["present"], false);
    assert!(
        body["marks"][2]["entry"].is_null(),
        "an absence makes no entry"
    );

    // Marking again creates nothing, and an absence stays an absence.
    let again = json!({"marks": [
        {"participation_id": p_bob, "present": true},
        {"participation_id": p_carol, "present": true}
    ]});
    let res = t.api(Method::POST, &path, Some(&alice), Some(&again)).await;
    res.expect(200);
    assert_eq!(res.json()["marks"][0]["recorded"], false);
    assert_eq!(res.json()["marks"][1]["recorded"], false);
    assert_eq!(res.json()["marks"][1]["present"], false);
    let list = t
        .api(Method::GET, &format!("{ASSO}/hours"), Some(&alice), None)
        .await;
    list.expect(200);
    let entries = list.json()["entries"].as_array().unwrap().clone();
    assert_eq!(entries.len(), 2, "{entries:?}");
    for e in &entries {
        let history = t
            .store()
            .hours_history(e["id"].as_i64().unwrap())
            .await
            .unwrap();
        assert_eq!(history.len(), 1);
        assert!(history[0].before.is_none() && history[0].after.is_some());
    }

    // The entry is editable later, by the coordinator.
    let bob_entry = entries
        .iter()
        .find(|e| e["volunteer_name"] == "bob")
        .unwrap();
    let res = t
        .api(
            Method::PATCH,
            &format!("/api/v1/hours/{}", bob_entry["id"]),
            Some(&alice),
            Some(&json!({"minutes": 420})),
        )
        .await;
    res.expect(200);
    assert_eq!(res.json()["minutes"], 420);
    assert_eq!(res.json()["status"], "validated");

    // A slot not over yet, an unknown sign-up.
    let bad = json!({"marks": [{"participation_id": 999999, "present": true}]});
    let res = t.api(Method::POST, &path, Some(&alice), Some(&bad)).await;
    res.expect(422);
    assert!(field_errors(&res)["marks[0].participation_id"].is_string());
    let m = t
        .api(Method::POST, &format!("{ASSO}/missions"), Some(&alice), Some(&json!({
            "title": "Plus tard", "locality": "Brest", "start_time": "2030-03-01T08:00", "end_time": "2030-03-31T20:00"})))
        .await;
    m.expect(201);
    let s = t
        .api(Method::POST, &format!("/api/v1/missions/{}/slots", m.json()["id"]), Some(&alice),
             Some(&json!({"slots": [{"start_time": "2030-03-02T09:00", "end_time": "2030-03-02T12:00", "capacity": 3}]})))
        .await;
    s.expect(201);
    let res = t
        .api(
            Method::POST,
            &format!("/api/v1/slots/{}/attendance", s.json()["slots"][0]["id"]),
            Some(&alice),
            Some(&bad),
        )
        .await;
    res.expect(409);

    // Bob took part, so he may log hours for the association; dave may not.
    let mine = json!({"association": "epicerie", "date": "2025-03-14", "minutes": 60});
    t.api(Method::POST, "/api/v1/me/hours", Some(&bob), Some(&mine))
        .await
        .expect(201);
    t.api(Method::POST, "/api/v1/me/hours", Some(&dave), Some(&mine))
        .await
        .expect(403);
    let _ = carol;
}

#[tokio::test]
async fn moderation_states_and_history() {
    let (t, alice, bob, asso, bob_id) = setup().await;
    t.store()
        .set_member(asso, bob_id, Role::Member)
        .await
        .unwrap();
    let mine = json!({"association": "epicerie", "date": "2025-03-14", "minutes": 90,
                      "category": "solidarity", "description": "Tri des dons"});
    let res = t
        .api(Method::POST, "/api/v1/me/hours", Some(&bob), Some(&mine))
        .await;
    res.expect(201);
    let entry = res.json();
    assert_eq!(entry["status"], "pending", "moderation is on by default");
    assert_eq!(entry["association"], "epicerie");
    let id = entry["id"].as_i64().unwrap();

    // Bob cannot validate his own hours; alice can.
    t.api(
        Method::POST,
        &format!("/api/v1/hours/{id}/validate"),
        Some(&bob),
        None,
    )
    .await
    .expect(403);
    let res = t
        .api(
            Method::POST,
            &format!("/api/v1/hours/{id}/validate"),
            Some(&alice),
            None,
        )
        .await;
    res.expect(200);
    assert_eq!(res.json()["status"], "validated");
    t.api(
        Method::POST,
        &format!("/api/v1/hours/{id}/validate"),
        Some(&alice),
        None,
    )
    .await
    .expect(409);
    // A validated entry is the coordinators' to change.
    t.api(
        Method::PATCH,
        &format!("/api/v1/hours/{id}"),
        Some(&bob),
        Some(&json!({"minutes": 60})),
    )
    .await
    .expect(403);
    let refuse = format!("/api/v1/hours/{id}/refuse");
    let res = t
        .api(
            Method::POST,
            &refuse,
            Some(&alice),
            Some(&json!({"reason": " "})),
        )
        .await;
    res.expect(422);
    assert!(field_errors(&res)["reason"].is_string());
    let res = t
        .api(
            Method::POST,
            &refuse,
            Some(&alice),
            Some(&json!({"reason": "Pas ce jour-là"})),
        )
        .await;
    res.expect(200);
    assert_eq!(res.json()["status"], "refused");
    assert_eq!(res.json()["reason"], "Pas ce jour-là");

    // Bob corrects his refused entry: it waits again.
    let res = t
        .api(
            Method::PATCH,
            &format!("/api/v1/hours/{id}"),
            Some(&bob),
            Some(&json!({"date": "2025-03-15"})),
        )
        .await;
    res.expect(200);
    assert_eq!(res.json()["status"], "pending");
    assert_eq!(res.json()["minutes"], 90);

    let history = t.store().hours_history(id).await.unwrap();
    let statuses: Vec<(Value, Value)> = history
        .iter()
        .map(|h| {
            (
                h.before
                    .as_ref()
                    .map(|b| b["status"].clone())
                    .unwrap_or(Value::Null),
                h.after
                    .as_ref()
                    .map(|a| a["status"].clone())
                    .unwrap_or(Value::Null),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        vec![
            (Value::Null, json!("pending")),
            (json!("pending"), json!("validated")),
            (json!("validated"), json!("refused")),
            (json!("refused"), json!("pending")),
        ]
    );
    assert_eq!(
        history[1].changed_by,
        t.store()
            .find_user_by_name("alice")
            .await
            .unwrap()
            .map(|u| u.id)
    );
    assert_eq!(
        history[3].before.as_ref().unwrap()["start_date"],
        "2025-03-14"
    );
    assert_eq!(
        history[3].after.as_ref().unwrap()["start_date"],
        "2025-03-15"
    );

    // Deleting keeps a last history row.
    t.api(
        Method::DELETE,
        &format!("/api/v1/hours/{id}"),
        Some(&bob),
        None,
    )
    .await
    .expect(204);
    t.api(
        Method::PATCH,
        &format!("/api/v1/hours/{id}"),
        Some(&alice),
        Some(&json!({"minutes": 5})),
    )
    .await
    .expect(404);
    let history = t.store().hours_history(id).await.unwrap();
    assert_eq!(history.len(), 5);
    assert!(history[4].after.is_none());

    // Moderation off: accepted at once.
    let settings = format!("{ASSO}/hours/settings");
    t.api(
        Method::PUT,
        &settings,
        Some(&bob),
        Some(&json!({"moderation": false})),
    )
    .await
    .expect(403);
    let res = t
        .api(
            Method::PUT,
            &settings,
            Some(&alice),
            Some(&json!({"moderation": false})),
        )
        .await;
    res.expect(200);
    assert_eq!(res.json()["moderation"], false);
    let res = t
        .api(Method::POST, "/api/v1/me/hours", Some(&bob), Some(&mine))
        .await;
    res.expect(201);
    assert_eq!(res.json()["status"], "validated");
    let mine_list = t
        .api(Method::GET, "/api/v1/me/hours", Some(&bob), None)
        .await;
    mine_list.expect(200);
    assert_eq!(mine_list.json()["entries"].as_array().unwrap().len(), 1);
    // Someone else's entry does not exist for another volunteer.
    let (_, carol) = t.user("carol").await;
    t.api(
        Method::DELETE,
        &format!("/api/v1/hours/{}", res.json()["id"]),
        Some(&carol),
        None,
    )
    .await
    .expect(404);
}

#[tokio::test]
async fn totals_and_valuation_are_exact() {
    let (t, alice, bob, _asso, _) = setup().await;
    let settings = format!("{ASSO}/hours/settings");
    let res = t.api(Method::GET, &settings, Some(&alice), None).await;
    res.expect(200);
    assert_eq!(res.json()["hourly_rate"], "17.23", "the default rate");
    assert_eq!(res.json()["mileage_rate"], "0.324");
    let res = t
        .api(
            Method::PUT,
            &settings,
            Some(&alice),
            Some(&json!({
            "hourly_rate": "11.88", "mileage_rate": 0.324, "category_rates": {"culture": "20"}})),
        )
        .await;
    res.expect(200);
    assert_eq!(res.json()["category_rates"]["culture"], "20");

    let record = |body: Value| {
        let t = &t;
        let alice = alice.clone();
        async move {
            let res = t
                .api(
                    Method::POST,
                    &format!("{ASSO}/hours"),
                    Some(&alice),
                    Some(&body),
                )
                .await;
            res.expect(201);
            res.json()
        }
    };
    let e = record(
        json!({"user": "bob", "date": "2025-03-14", "minutes": 450, "distance_km": "12.5",
                          "category": "solidarity"}),
    )
    .await;
    assert_eq!(e["status"], "validated");
    assert_eq!(e["distance_km"], "12.5");
    record(json!({"guest_name": "Jeanne", "date": "2025-03-20", "minutes": 7, "category": "solidarity"})).await;
    record(
        json!({"guest_name": "Jeanne", "date": "2025-04-02", "minutes": 60, "category": "culture"}),
    )
    .await;
    record(
        json!({"user": "bob", "date": "2024-12-31", "end_date": "2025-01-01", "minutes": 2880,
                  "category": "solidarity"}),
    )
    .await;
    // A pending entry does not count.
    t.store()
        .set_member(
            t.group("epicerie").await.id,
            t.store()
                .find_user_by_name("bob")
                .await
                .unwrap()
                .unwrap()
                .id,
            Role::Member,
        )
        .await
        .unwrap();
    let pending = t
        .api(
            Method::POST,
            "/api/v1/me/hours",
            Some(&bob),
            Some(&json!({"association": "epicerie", "date": "2025-03-14", "minutes": 600})),
        )
        .await;
    pending.expect(201);
    assert_eq!(pending.json()["status"], "pending");

    let res = t
        .api(
            Method::GET,
            &format!("{ASSO}/hours/totals?year=2025"),
            Some(&alice),
            None,
        )
        .await;
    res.expect(200);
    let r = res.json();
    // 457 min × 11.88 / 60 = 90.486 ; 60 min × 20 / 60 = 20 ; 12.5 km × 0.324 = 4.05
    assert_eq!(r["overall"]["entries"], 3, "the 2024 entry starts in 2024");
    assert_eq!(r["overall"]["minutes"], 517);
    assert_eq!(r["overall"]["hours"], "8.62");
    assert_eq!(r["overall"]["distance_km"], "12.5");
    assert_eq!(r["overall"]["time_value"], "110.49");
    assert_eq!(r["overall"]["mileage_value"], "4.05");
    assert_eq!(r["overall"]["value"], "114.54");
    let by = |key: &str, field: &str, name: &str| -> Value {
        r[key]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x[field] == name)
            .cloned()
            .unwrap()
    };
    // 7 h 30 × 11.88 = 89.10, + 4.05 of mileage
    assert_eq!(by("by_volunteer", "volunteer", "bob")["value"], "93.15");
    assert_eq!(by("by_volunteer", "volunteer", "Jeanne")["value"], "21.39");
    assert_eq!(by("by_category", "category", "culture")["value"], "20.00");
    assert_eq!(by("by_month", "month", "2025-03")["entries"], 2);
    assert_eq!(by("by_month", "month", "2025-04")["value"], "20.00");
    assert_eq!(r["by_mission"][0]["mission_id"], Value::Null);

    // Everything: the two-day span counts 48 h × 11.88 = 570.24.
    let all = t
        .api(
            Method::GET,
            &format!("{ASSO}/hours/totals"),
            Some(&alice),
            None,
        )
        .await
        .json();
    assert_eq!(all["overall"]["value"], "684.78");
    assert_eq!(all["by_year"][0]["year"], 2024);
    assert_eq!(all["by_year"][0]["value"], "570.24");
    t.api(
        Method::GET,
        &format!("{ASSO}/hours/totals"),
        Some(&bob),
        None,
    )
    .await
    .expect(403);
    let res = t
        .api(
            Method::GET,
            &format!("{ASSO}/hours/totals?year=abc"),
            Some(&alice),
            None,
        )
        .await;
    res.expect(422);
}

/// The node takes "today" from its clock, not from the machine: a day after the clock's today
/// is refused as in the future, and the same day is taken once the clock has moved past it.
#[tokio::test]
async fn the_future_is_what_the_node_clock_says() {
    let (t, _alice, bob, asso, bob_id) = setup().await;
    t.store()
        .set_member(asso, bob_id, Role::Member)
        .await
        .unwrap();
    let day = (common::start() + Duration::days(3))
        .date_naive()
        .to_string();
    let body = json!({"association": "epicerie", "date": day, "minutes": 60});
    let res = t
        .api(Method::POST, "/api/v1/me/hours", Some(&bob), Some(&body))
        .await;
    res.expect(422);
    assert!(field_errors(&res)["date"].is_string(), "{}", res.text());
    t.clock.advance(Duration::days(4));
    let res = t
        .api(Method::POST, "/api/v1/me/hours", Some(&bob), Some(&body))
        .await;
    res.expect(201);
    assert_eq!(res.json()["date"], day.as_str());
}

#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let (t, alice, bob, asso, bob_id) = setup().await;
    t.store()
        .set_member(asso, bob_id, Role::Member)
        .await
        .unwrap();
    let tomorrow = (t.now() + Duration::days(2)).date_naive().to_string();
    let cases = [
        (
            json!({"association": "epicerie", "date": "2025-03-14", "minutes": -30}),
            "minutes",
        ),
        (
            json!({"association": "epicerie", "date": "2025-03-14", "minutes": 30 * 60}),
            "minutes",
        ),
        (
            json!({"association": "epicerie", "date": tomorrow, "minutes": 60}),
            "date",
        ),
        (
            json!({"association": "epicerie", "date": "2025-03-14", "end_date": "2025-03-10", "minutes": 60}),
            "end_date",
        ),
        (
            json!({"association": "epicerie", "date": "2025-03-14", "minutes": 60, "distance_km": -3}),
            "distance_km",
        ),
        (
            json!({"association": "epicerie", "date": "2025-03-14", "minutes": 60, "distance_km": 2500}),
            "distance_km",
        ),
        (
            json!({"association": "epicerie", "date": "2025-03-14", "minutes": 60, "category": "nope"}),
            "category",
        ),
        (
            json!({"association": "epicerie", "date": "2025-03-14", "minutes": 60, "mission_id": 424242}),
            "mission_id",
        ),
        (json!({"date": "2025-03-14", "minutes": 60}), "association"),
    ];
    for (body, field) in cases {
        let res = t
            .api(Method::POST, "/api/v1/me/hours", Some(&bob), Some(&body))
            .await;
        res.expect(422);
        assert!(
            field_errors(&res)[field].is_string(),
            "{body}: {}",
            res.text()
        );
    }
    let res = t
        .api(
            Method::POST,
            "/api/v1/me/hours",
            Some(&bob),
            Some(&json!({"association": "nowhere", "date": "2025-03-14", "minutes": 60})),
        )
        .await;
    res.expect(404);
    let res = t
        .api(
            Method::POST,
            "/api/v1/associations/nowhere/hours",
            Some(&alice),
            Some(&json!({"guest_name": "X", "date": "2025-03-14", "minutes": 60})),
        )
        .await;
    res.expect(404);
    // A coordinator's entry needs someone, who exists.
    for (body, field) in [
        (json!({"date": "2025-03-14", "minutes": 60}), "user"),
        (
            json!({"user": "ghost", "date": "2025-03-14", "minutes": 60}),
            "user",
        ),
        (
            json!({"guest_name": "  ", "date": "2025-03-14", "minutes": 60}),
            "guest_name",
        ),
        (
            json!({"guest_name": "Jeanne", "date": "2025-03-14", "minutes": 24 * 60 + 1}),
            "minutes",
        ),
    ] {
        let res = t
            .api(
                Method::POST,
                &format!("{ASSO}/hours"),
                Some(&alice),
                Some(&body),
            )
            .await;
        res.expect(422);
        assert!(
            field_errors(&res)[field].is_string(),
            "{body}: {}",
            res.text()
        );
    }
    // Bad rates leave the settings as they were.
    let settings = format!("{ASSO}/hours/settings");
    let res = t
        .api(
            Method::PUT,
            &settings,
            Some(&alice),
            Some(&json!({"hourly_rate": "-2", "mileage_rate": "x", "moderation": false})),
        )
        .await;
    res.expect(422);
    assert!(field_errors(&res)["hourly_rate"].is_string());
    let now = t
        .api(Method::GET, &settings, Some(&alice), None)
        .await
        .json();
    assert_eq!(now["moderation"], true);
    assert_eq!(now["hourly_rate"], "17.23");
    // Nothing was stored.
    let all = t
        .store()
        .list_hours_entries(HoursQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(all.is_empty(), "{all:?}");
    // A bad change leaves the entry as it was.
    let ok = t
        .api(
            Method::POST,
            "/api/v1/me/hours",
            Some(&bob),
            Some(&json!({"association": "epicerie", "date": "2025-03-14", "minutes": 60})),
        )
        .await;
    ok.expect(201);
    let id = ok.json()["id"].as_i64().unwrap();
    t.api(
        Method::PATCH,
        &format!("/api/v1/hours/{id}"),
        Some(&bob),
        Some(&json!({"minutes": 1500})),
    )
    .await
    .expect(422);
    assert_eq!(
        t.store().get_hours_entry(id).await.unwrap().draft.minutes,
        60
    );
    assert_eq!(t.store().hours_history(id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn csv_export_reads_back() {
    let (t, alice, bob, _, _) = setup().await;
    for body in [
        json!({"user": "bob", "date": "2025-03-14", "minutes": 450, "distance_km": "12.5",
               "description": "Tri, rangement et \"accueil\"\nsur deux lignes"}),
        json!({"guest_name": "=Jeanne", "date": "2025-03-15", "minutes": 30, "category": "culture",
               "description": "Café — élan"}),
    ] {
        t.api(
            Method::POST,
            &format!("{ASSO}/hours"),
            Some(&alice),
            Some(&body),
        )
        .await
        .expect(201);
    }
    let path = format!("{ASSO}/hours/export.csv");
    t.api(Method::GET, &path, Some(&bob), None)
        .await
        .expect(403);
    let res = t.api(Method::GET, &path, Some(&alice), None).await;
    res.expect(200);
    assert!(
        res.content_type().starts_with("text/csv"),
        "{}",
        res.content_type()
    );
    assert!(
        !res.body.starts_with(&[0xEF, 0xBB, 0xBF]),
        "no byte order mark"
    );
    let file = t.dir.path().join("export.csv");
    std::fs::write(&file, &res.body).unwrap();
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg("import csv, json, sys\nwith open(sys.argv[1], newline='', encoding='utf-8') as f:\n    print(json.dumps(list(csv.reader(f, strict=True))))")
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[0].join(","),
        "id,date,end_date,volunteer,category,mission_id,minutes,hours,distance_km,status,value_eur,description"
    );
    assert_eq!(rows[1][1], "2025-03-14");
    assert_eq!(rows[1][3], "bob");
    assert_eq!(rows[1][7], "7.50");
    assert_eq!(rows[1][8], "12.5");
    // 7.5 h × 17.23 + 12.5 km × 0.324 = 129.225 + 4.05 = 133.275 → 133.28
    assert_eq!(rows[1][10], "133.28");
    assert_eq!(
        rows[1][11],
        "Tri, rangement et \"accueil\"\nsur deux lignes"
    );
    assert_eq!(rows[2][3], "'=Jeanne", "no formula from a name");
    assert_eq!(rows[2][11], "Café — élan");
}

/// The storage part, on one back end: entries, history, settings, attendance.
async fn storage_roundtrip(store: &dyn Store) {
    let now = common::start();
    let asso = store
        .create_local_actor(
            NewLocalActor {
                kind: ActorKind::Group,
                name: "heures".into(),
                display_name: "Heures".into(),
                summary: String::new(),
                public_key_pem: "KEY".into(),
                private_key_pem: "PRIVATE".into(),
                user_id: None,
            },
            "http://localhost:8080/g/heures",
            "localhost:8080",
            None,
            now,
        )
        .await
        .unwrap();
    let user = store
        .create_user(
            entraide::storage::NewUser::by_operator("vol", None, None),
            now,
        )
        .await
        .unwrap();

    assert_eq!(store.hours_settings(asso.id).await.unwrap(), None);
    let mut settings = HoursSettings {
        hourly_rate: rust_decimal::Decimal::from_str("11.8800").unwrap(),
        ..Default::default()
    };
    settings.category_rates.insert(
        "culture".into(),
        rust_decimal::Decimal::from_str("0.1").unwrap(),
    );
    store
        .set_hours_settings(asso.id, &settings, now)
        .await
        .unwrap();
    let back = store.hours_settings(asso.id).await.unwrap().unwrap();
    assert_eq!(back, settings);
    assert_eq!(
        back.hourly_rate.to_string(),
        "11.8800",
        "decimal text, never a float"
    );

    let draft = HoursDraft {
        start_date: chrono::NaiveDate::from_ymd_opt(2025, 3, 14).unwrap(),
        end_date: chrono::NaiveDate::from_ymd_opt(2025, 3, 14).unwrap(),
        minutes: 450,
        distance_km: Some(rust_decimal::Decimal::from_str("12.345").unwrap()),
        category: "solidarity".into(),
        mission_id: None,
        description: "Accueil".into(),
    };
    let e = store
        .create_hours_entry(
            NewHoursEntry {
                actor_id: asso.id,
                volunteer: Volunteer::User { user_id: user.id },
                draft: draft.clone(),
                status: HoursStatus::Pending,
                slot_id: None,
                participation_id: None,
                ap_id: Some("https://b.example/hours/1".into()),
            },
            Some(user.id),
            None,
            now,
        )
        .await
        .unwrap();
    assert_eq!(e.draft, draft);
    assert_eq!(e.user_name.as_deref(), Some("vol"));
    assert_eq!(
        store
            .find_hours_entry_by_ap_id("https://b.example/hours/1")
            .await
            .unwrap()
            .map(|f| f.id),
        Some(e.id)
    );
    // An EconomicEvent id is stored once: a second entry with it is refused.
    let twice = store
        .create_hours_entry(
            NewHoursEntry {
                actor_id: asso.id,
                volunteer: Volunteer::Remote {
                    actor_ap_id: "https://b.example/u/vol".into(),
                    name: "vol@b.example".into(),
                },
                draft: draft.clone(),
                status: HoursStatus::Pending,
                slot_id: None,
                participation_id: None,
                ap_id: Some("https://b.example/hours/1".into()),
            },
            None,
            None,
            now,
        )
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    let mut changed = draft.clone();
    changed.minutes = 60;
    let e2 = store
        .update_hours_entry(e.id, changed, HoursStatus::Refused, "non", None, None, now)
        .await
        .unwrap();
    assert_eq!(
        (e2.status, e2.reason.as_str(), e2.draft.minutes),
        (HoursStatus::Refused, "non", 60)
    );
    let listed = store
        .list_hours_entries(HoursQuery {
            actor_id: Some(asso.id),
            status: Some(HoursStatus::Refused),
            from: chrono::NaiveDate::from_ymd_opt(2025, 3, 1),
            to: chrono::NaiveDate::from_ymd_opt(2025, 3, 31),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed, vec![e2.clone()]);
    store
        .delete_hours_entry(e.id, Some(user.id), None, now)
        .await
        .unwrap();
    assert!(store.get_hours_entry(e.id).await.is_err());
    let history = store.hours_history(e.id).await.unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0].after.as_ref().unwrap()["distance_km"], "12.345");
    assert_eq!(history[1].after.as_ref().unwrap()["status"], "refused");
    assert!(history[2].after.is_none());

    // Attendance: twice the same mark is one entry.
    let (_, slot_id) = past_slot(store, asso.id, "store").await;
    let pid = sign_up(
        store,
        slot_id,
        Participant::User { user_id: user.id },
        "store",
    )
    .await;
    let entry = NewHoursEntry {
        actor_id: asso.id,
        volunteer: Volunteer::User { user_id: user.id },
        draft: draft.clone(),
        status: HoursStatus::Validated,
        slot_id: Some(slot_id),
        participation_id: Some(pid),
        ap_id: None,
    };
    let first = store
        .mark_attendance(pid, slot_id, true, Some(entry.clone()), None, now)
        .await
        .unwrap();
    let AttendanceOutcome::Recorded {
        entry: Some(created),
    } = first
    else {
        panic!("{first:?}")
    };
    let second = store
        .mark_attendance(pid, slot_id, true, Some(entry), None, now)
        .await
        .unwrap();
    assert_eq!(
        second,
        AttendanceOutcome::AlreadyMarked {
            present: true,
            entry_id: Some(created.id)
        }
    );
    let all = store
        .list_hours_entries(HoursQuery {
            actor_id: Some(asso.id),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].participation_id, Some(pid));
}

#[tokio::test]
async fn storage_on_sqlite() {
    let (store, _dir) = sqlite_store().await;
    storage_roundtrip(store.as_ref()).await;
}

#[tokio::test]
async fn storage_on_postgres() {
    let Some(db) = PgDb::fresh("hours::storage_on_postgres").await else {
        return;
    };
    let store = db.store().await;
    storage_roundtrip(store.as_ref()).await;
}

/// Hours sent from another server, at the level of the use case, on each back end: a duplicate
/// counts once (also when ten deliveries of it arrive at once), bad hours are refused on arrival
/// with a `Reject` queued and nothing recorded, nobody changes or withdraws another person's
/// hours.
async fn remote_hours(store: &dyn Store) {
    use entraide::domain::events::Outgoing;
    use entraide::service::hours_remote::{
        receive_offer, receive_withdrawal, OfferOutcome, OfferedHours,
    };
    let dir = tempfile::tempdir().unwrap();
    let config = common::test_config(dir.path());
    let now = common::start();
    let asso = common::local_group(store, "distante").await;
    let yesterday = (now - Duration::days(1)).date_naive().to_string();
    let offer = |id: &str, who: &str, minutes: i64| OfferedHours {
        ap_id: id.into(),
        volunteer_ap_id: who.into(),
        input: serde_json::from_value(
            json!({"date": yesterday, "minutes": minutes, "description": "Accueil"}),
        )
        .unwrap(),
    };
    let list = || async {
        store
            .list_hours_entries(HoursQuery {
                actor_id: Some(asso.id),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap()
    };
    let bob = "https://b.example/u/bob";
    let first = receive_offer(
        store,
        &config,
        &asso,
        offer("https://b.example/hours/1", bob, 90),
        false,
        now,
    )
    .await
    .unwrap();
    let OfferOutcome::Recorded(e) = first else {
        panic!("{first:?}")
    };
    assert_eq!(
        e.status,
        HoursStatus::Pending,
        "an unknown volunteer's hours wait"
    );
    assert_eq!(
        e.volunteer,
        Volunteer::Remote {
            actor_ap_id: bob.into(),
            name: bob.into()
        }
    );
    let again = receive_offer(
        store,
        &config,
        &asso,
        offer("https://b.example/hours/1", bob, 90),
        false,
        now,
    )
    .await
    .unwrap();
    assert!(matches!(again, OfferOutcome::Duplicate(_)), "{again:?}");
    // Ten deliveries of one new event at once: one entry.
    let tries = (0..10).map(|_| {
        receive_offer(
            store,
            &config,
            &asso,
            offer("https://b.example/hours/2", bob, 30),
            false,
            now,
        )
    });
    let outcomes = futures::future::join_all(tries).await;
    let recorded = outcomes
        .iter()
        .filter(|o| matches!(o, Ok(OfferOutcome::Recorded(_))))
        .count();
    assert_eq!(recorded, 1, "{outcomes:?}");
    assert!(
        outcomes.iter().all(|o| matches!(
            o,
            Ok(OfferOutcome::Recorded(_) | OfferOutcome::Duplicate(_))
        )),
        "{outcomes:?}"
    );
    assert_eq!(list().await.len(), 2);

    // 30 hours in a day: refused on arrival, a Reject queued, nothing recorded.
    let bad = receive_offer(
        store,
        &config,
        &asso,
        offer("https://b.example/hours/3", bob, 1800),
        false,
        now,
    )
    .await
    .unwrap();
    let OfferOutcome::Refused(reason) = bad else {
        panic!("{bad:?}")
    };
    assert!(reason.contains("minutes"), "{reason}");
    assert_eq!(list().await.len(), 2);
    let queued = store
        .claim_outbox_events(
            100,
            common::start(),
            common::start() + Duration::seconds(60),
        )
        .await
        .unwrap();
    assert!(
        queued.iter().any(|q| matches!(&q.event,
        Outgoing::HoursRefusedOnArrival { object_ap_id, volunteer_ap_id, .. }
            if object_ap_id == "https://b.example/hours/3" && volunteer_ap_id == bob)),
        "{queued:?}"
    );

    // Someone else cannot change nor withdraw Bob's hours.
    let mallory = "https://b.example/u/mallory";
    let stolen = receive_offer(
        store,
        &config,
        &asso,
        offer("https://b.example/hours/1", mallory, 600),
        true,
        now,
    )
    .await;
    assert!(stolen.is_err(), "{stolen:?}");
    assert!(
        receive_withdrawal(store, mallory, "https://b.example/hours/1", now)
            .await
            .is_err()
    );
    assert_eq!(
        list()
            .await
            .iter()
            .find(|e| e.ap_id.as_deref() == Some("https://b.example/hours/1"))
            .unwrap()
            .draft
            .minutes,
        90
    );
    // Bob changes his (an Update), then withdraws it.
    let changed = receive_offer(
        store,
        &config,
        &asso,
        offer("https://b.example/hours/1", bob, 120),
        true,
        now,
    )
    .await
    .unwrap();
    assert!(
        matches!(&changed, OfferOutcome::Recorded(e) if e.draft.minutes == 120),
        "{changed:?}"
    );
    assert!(
        receive_withdrawal(store, bob, "https://b.example/hours/1", now)
            .await
            .unwrap()
    );
    assert!(
        !receive_withdrawal(store, bob, "https://b.example/hours/1", now)
            .await
            .unwrap(),
        "already gone"
    );
    assert_eq!(list().await.len(), 1);
}

#[tokio::test]
async fn remote_hours_on_sqlite() {
    let (store, _dir) = sqlite_store().await;
    remote_hours(store.as_ref()).await;
}

#[tokio::test]
async fn remote_hours_on_postgres() {
    let Some(db) = PgDb::fresh("hours::remote_hours_on_postgres").await else {
        return;
    };
    let store = db.store().await;
    remote_hours(store.as_ref()).await;
}
