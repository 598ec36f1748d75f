//! A draft mission stays with its association's coordinators: its slots, their ids and their
//! ActivityPub documents are nowhere else (issue 18, item 5). Each public way to a mission is
//! tried as a stranger, a logged-in volunteer and a coordinator.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::{header, Method};
use common::{TestApp, BASE};
use serde_json::{json, Value};

/// A node with a coordinator (alice), a volunteer (bob), and a mission with one slot that
/// alice then turns back into a draft: the node, the tokens, the mission and its slot.
async fn draft_with_a_slot() -> (TestApp, String, String, Value, Value) {
    let t = TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    let (_, bob) = t.user("bob").await;
    t.association("epicerie", "alice").await;
    let body = json!({
        "title": "Brouillon secret", "locality": "Brest",
        "start_time": "2030-03-01T08:00", "end_time": "2030-03-31T20:00"
    });
    let m = t.publish("epicerie", &alice, &body).await;
    let mission = m.json();
    let slots = format!("/api/v1/missions/{}/slots", mission["id"]);
    let one = json!({"slots": [{"start_time": "2030-03-02T09:00", "end_time": "2030-03-02T12:00", "capacity": 3}]});
    let res = t.api(Method::POST, &slots, Some(&alice), Some(&one)).await;
    res.expect(201);
    let slot = res.json()["slots"][0].clone();
    let path = format!("/api/v1/missions/{}", mission["id"]);
    let draft = json!({"status": "draft"});
    t.api(Method::PATCH, &path, Some(&alice), Some(&draft))
        .await
        .expect(200);
    (t, alice, bob, mission, slot)
}

#[tokio::test]
async fn the_slots_of_a_draft_are_for_its_coordinators_only() {
    let (t, alice, bob, mission, slot) = draft_with_a_slot().await;
    let list = format!("/api/v1/missions/{}/slots", mission["id"]);
    let one = format!("/api/v1/slots/{}", slot["id"]);
    for path in [&list, &one] {
        let anonymous = t.get(path).await;
        anonymous.expect(404);
        assert!(!anonymous.text().contains(&slot["ap_id"].to_string()));
        t.api(Method::GET, path, Some(&bob), None).await.expect(404);
    }
    let mine = t.api(Method::GET, &list, Some(&alice), None).await;
    mine.expect(200);
    assert_eq!(mine.json()["slots"][0]["id"], slot["id"]);
    t.api(Method::GET, &one, Some(&alice), None)
        .await
        .expect(200);

    // Published again: everyone sees them.
    let path = format!("/api/v1/missions/{}", mission["id"]);
    let publish = json!({"status": "published"});
    t.api(Method::PATCH, &path, Some(&alice), Some(&publish))
        .await
        .expect(200);
    assert_eq!(t.get(&list).await.json()["slots"][0]["id"], slot["id"]);
    t.get(&one).await.expect(200);
}

#[tokio::test]
async fn the_activitypub_documents_of_a_draft_and_its_slots_are_not_found() {
    let (t, _, _, mission, slot) = draft_with_a_slot().await;
    let slot_path = slot["ap_id"].as_str().unwrap().replace(BASE, "");
    let mission_path = mission["ap_id"].as_str().unwrap().replace(BASE, "");
    for path in [&slot_path, &mission_path] {
        let doc = t
            .get_with(path, "accept", "application/activity+json")
            .await;
        doc.expect(404);
        assert!(!doc.text().contains("Brouillon secret"), "{}", doc.text());
        // A browser is not sent on to the draft's page either.
        let page = t.get_with(path, "accept", "text/html").await;
        page.expect(404);
        assert!(page.headers.get(header::LOCATION).is_none());
        assert!(!page.text().contains("Brouillon secret"));
    }
    // Nor by its number, nor in the association's calendar.
    let by_number = t.get(&format!("/missions/{}", mission["id"])).await;
    assert!(!by_number.text().contains("Brouillon secret"));
    let feed = t.get("/g/epicerie/calendar.ics").await;
    feed.expect(200);
    assert!(!feed.text().contains(slot["ap_id"].as_str().unwrap()));
    assert!(!feed.text().contains("Brouillon secret"));
}
