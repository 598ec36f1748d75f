//! Shared equipment at the storage level (issue 4 groundwork), on SQLite and on PostgreSQL: a
//! pool is never overbooked — over any instant, turnaround buffers included — however many
//! requests arrive at once; the same offer id twice is one reservation; a request waiting for
//! approval holds nothing, and accepting it checks the pool again.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::{local_group, sqlite_store, PgDb};
use entraide::{
    domain::resource::{ReservationState, ResourceDraft, ResourceInput},
    storage::{NewReservation, ReservationMove, ReserveOutcome, Store, StoreError},
};
use std::sync::Arc;

fn at(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2031, 6, 14, 0, 0, 0).single().unwrap() + Duration::hours(h)
}

fn draft(quantity: i64, approval: &str) -> ResourceDraft {
    ResourceDraft::parse(&ResourceInput {
        name: Some("Chaises pliantes".into()),
        quantity: Some(quantity),
        turnaround_hours: Some(12),
        approval: Some(approval.into()),
        ..Default::default()
    })
    .unwrap()
}

fn request(
    resource_id: i64,
    offer: &str,
    quantity: i64,
    (s, e): (i64, i64),
    automatic: bool,
) -> NewReservation {
    NewReservation {
        resource_id,
        offer_id: format!("https://b.example/offers/{offer}"),
        borrower_actor_id: None,
        quantity,
        start: at(s),
        end: at(e),
        automatic,
        agreement_id: Some(format!("https://a.example/agreements/{offer}")),
    }
}

/// The owner's move to `to`, checking the pool, from any state.
fn owner_move(to: ReservationState) -> ReservationMove {
    use ReservationState::*;
    ReservationMove {
        to,
        from: vec![Requested, Accepted, PickedUp],
        reason: String::new(),
        notes: None,
        agreement_id: None,
        by_owner: true,
        check_pool: true,
    }
}

fn state(o: &ReserveOutcome) -> (ReservationState, bool) {
    match o {
        ReserveOutcome::Recorded(r) => (r.state, true),
        ReserveOutcome::Existing(r) => (r.state, false),
    }
}

async fn pools(store: Arc<dyn Store>) {
    let s = store.as_ref();
    let now = common::start();
    let owner = local_group(s, "materiel").await;
    let chairs = s
        .create_resource(
            owner.id,
            "http://localhost:8080/r/chaises",
            &draft(80, "automatic"),
            now,
        )
        .await
        .unwrap();
    assert_eq!(chairs.draft.quantity, 80);
    assert_eq!(
        s.list_resources(Some(owner.id)).await.unwrap(),
        vec![chairs.clone()]
    );
    let twice = s
        .create_resource(
            owner.id,
            "http://localhost:8080/r/chaises",
            &draft(5, "manual"),
            now,
        )
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");

    // 70 taken on Saturday; 20 more do not fit, 10 do; the same offer again changes nothing.
    let r = s
        .reserve(request(chairs.id, "a", 70, (9, 18), true), now)
        .await
        .unwrap();
    assert_eq!(state(&r), (ReservationState::Accepted, true));
    let r = s
        .reserve(request(chairs.id, "b", 20, (12, 20), true), now)
        .await
        .unwrap();
    assert_eq!(state(&r), (ReservationState::Refused, true));
    let ReserveOutcome::Recorded(refused) = &r else {
        unreachable!()
    };
    assert_eq!(refused.reason, "only 10 of 80 free over this period");
    let again = s
        .reserve(request(chairs.id, "b", 20, (12, 20), true), now)
        .await
        .unwrap();
    assert_eq!(
        state(&again),
        (ReservationState::Refused, false),
        "same offer, same answer"
    );
    let r = s
        .reserve(request(chairs.id, "c", 10, (12, 20), true), now)
        .await
        .unwrap();
    assert_eq!(state(&r), (ReservationState::Accepted, true));
    // The buffer: 12 h after the return of the 70 (18 h), not before.
    let r = s
        .reserve(request(chairs.id, "d", 71, (26, 30), true), now)
        .await
        .unwrap();
    assert_eq!(
        state(&r).0,
        ReservationState::Refused,
        "within 12 h of the 70's return"
    );
    let r = s
        .reserve(request(chairs.id, "e", 71, (31, 40), true), now)
        .await
        .unwrap();
    assert_eq!(
        state(&r).0,
        ReservationState::Refused,
        "within 12 h of the 10's return (20 h)"
    );
    let r = s
        .reserve(request(chairs.id, "f", 80, (32, 40), true), now)
        .await
        .unwrap();
    assert_eq!(
        state(&r).0,
        ReservationState::Accepted,
        "after both buffers"
    );
    assert!(s
        .reserve(request(chairs.id + 1000, "g", 1, (60, 70), true), now)
        .await
        .is_err());

    // Manual approval: waiting requests hold nothing; accepting checks the pool again.
    let hall = s
        .create_resource(
            owner.id,
            "http://localhost:8080/r/tables",
            &draft(80, "manual"),
            now,
        )
        .await
        .unwrap();
    let one = s
        .reserve(request(hall.id, "m1", 60, (9, 18), false), now)
        .await
        .unwrap();
    let two = s
        .reserve(request(hall.id, "m2", 60, (10, 12), false), now)
        .await
        .unwrap();
    let (ReserveOutcome::Recorded(one), ReserveOutcome::Recorded(two)) = (one, two) else {
        panic!("both recorded")
    };
    assert_eq!(
        (one.state, two.state),
        (ReservationState::Requested, ReservationState::Requested)
    );
    let accepted = s
        .move_reservation(one.id, &owner_move(ReservationState::Accepted), now)
        .await
        .unwrap();
    assert_eq!(accepted.state, ReservationState::Accepted);
    let full = s
        .move_reservation(two.id, &owner_move(ReservationState::Accepted), now)
        .await;
    assert!(matches!(full, Err(StoreError::Conflict(_))), "{full:?}");
    assert_eq!(
        s.get_reservation(two.id).await.unwrap().state,
        ReservationState::Requested
    );
    s.move_reservation(one.id, &owner_move(ReservationState::PickedUp), now)
        .await
        .unwrap();
    s.move_reservation(one.id, &owner_move(ReservationState::Returned), now)
        .await
        .unwrap();
    // Returned: the tables are free again for the second request.
    let now_ok = s
        .move_reservation(two.id, &owner_move(ReservationState::Accepted), now)
        .await
        .unwrap();
    assert_eq!(now_ok.state, ReservationState::Accepted);
    assert_eq!(s.list_reservations(hall.id).await.unwrap().len(), 2);

    // The last 10 chairs of a new pool, asked for 100 times at once: exactly 10 granted.
    let pool = s
        .create_resource(
            owner.id,
            "http://localhost:8080/r/pool",
            &draft(80, "automatic"),
            now,
        )
        .await
        .unwrap();
    s.reserve(request(pool.id, "big", 70, (9, 18), true), now)
        .await
        .unwrap();
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let store = store.clone();
            let req = request(pool.id, &format!("rush-{i}"), 1, (10, 16), true);
            tokio::spawn(async move { store.reserve(req, common::start()).await })
        })
        .collect();
    let mut granted = 0;
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap().unwrap() {
            ReserveOutcome::Recorded(r) if r.state == ReservationState::Accepted => granted += 1,
            ReserveOutcome::Recorded(r) if r.state == ReservationState::Refused => refused += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((granted, refused), (10, 90));
    let held: i64 = s
        .list_reservations(pool.id)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.state.holds())
        .map(|r| r.quantity)
        .sum();
    assert_eq!(held, 80, "never more than the pool");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pools_on_sqlite() {
    let (store, _dir) = sqlite_store().await;
    pools(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pools_on_postgres() {
    let Some(db) = PgDb::fresh("resources::pools_on_postgres").await else {
        return;
    };
    pools(db.store().await).await;
}

/// The JSON API: a coordinator lists chairs, another association of the node asks for some;
/// bad requests are refused field by field and write nothing; the same offer id twice is one
/// reservation; the owner accepts, hands over and takes back; the borrower cannot decide.
#[tokio::test]
async fn reservations_through_the_api() {
    use axum::http::Method;
    use serde_json::json;
    let t = common::TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    let (_, carol) = t.user("carol").await;
    let (_, bob) = t.user("bob").await;
    t.association("materiel", "alice").await;
    t.association("fete", "carol").await;
    let add = |token: &str, body: serde_json::Value| {
        let token = token.to_string();
        let t = &t;
        async move {
            t.api(
                Method::POST,
                "/api/v1/associations/materiel/resources",
                Some(&token),
                Some(&body),
            )
            .await
        }
    };
    let res = add(&alice, json!({"quantity": 0, "mode": "rental"})).await;
    assert_eq!(res.status.as_u16(), 422, "{}", res.text());
    for f in ["name", "quantity", "price_per_day"] {
        assert!(res.json()["fields"][f].is_string(), "{f}: {}", res.text());
    }
    assert_eq!(
        add(&bob, json!({"name": "Chaises"})).await.status.as_u16(),
        403
    );
    let chairs = add(&alice, json!({"name": "Chaises pliantes", "quantity": 80, "approval": "automatic",
        "min_notice_hours": 24, "max_days": 5, "turnaround_hours": 12, "deposit": "150", "category": "furniture"})).await;
    chairs.expect(201);
    let chairs = chairs.json();
    assert_eq!(chairs["deposit"], "150");
    let listed = t
        .api(
            Method::GET,
            "/api/v1/associations/materiel/resources",
            None,
            None,
        )
        .await;
    assert_eq!(listed.json()["resources"].as_array().unwrap().len(), 1);

    let day = |d: i64, h: u32| {
        (t.now().date_naive() + Duration::days(d))
            .and_hms_opt(h, 0, 0)
            .unwrap()
            .and_utc()
            .to_rfc3339()
    };
    let url = format!("/api/v1/resources/{}/reservations", chairs["id"]);
    let ask = |token: &str, body: serde_json::Value| {
        let (t, url, token) = (&t, url.clone(), token.to_string());
        async move { t.api(Method::POST, &url, Some(&token), Some(&body)).await }
    };
    // Refused field by field, nothing written.
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
        (
            json!({"borrower": "fete", "quantity": 5, "start": day(10, 9), "end": day(20, 9)}),
            "end",
        ),
        (
            json!({"borrower": "personne", "quantity": 5, "start": day(10, 9), "end": day(10, 18)}),
            "borrower",
        ),
    ] {
        let res = ask(&carol, body.clone()).await;
        assert_eq!(res.status.as_u16(), 422, "{body}: {}", res.text());
        assert!(
            res.json()["fields"][field].is_string(),
            "{body}: {}",
            res.text()
        );
    }
    let stranger = ask(
        &bob,
        json!({"borrower": "fete", "start": day(10, 9), "end": day(10, 18)}),
    )
    .await;
    assert_eq!(stranger.status.as_u16(), 403);
    let unknown = t
        .api(
            Method::POST,
            "/api/v1/resources/999999/reservations",
            Some(&carol),
            Some(&json!({"borrower": "fete", "start": day(10, 9), "end": day(10, 18)})),
        )
        .await;
    assert_eq!(unknown.status.as_u16(), 404);
    let id = chairs["id"].as_i64().unwrap();
    assert!(
        t.store().list_reservations(id).await.unwrap().is_empty(),
        "nothing written"
    );

    let body = json!({"borrower": "fete", "quantity": 30, "start": day(10, 9), "end": day(10, 18), "offer_id": "kermesse"});
    let first = ask(&carol, body.clone()).await;
    first.expect(201);
    assert_eq!(first.json()["state"], "accepted");
    let again = ask(&carol, body).await;
    again.expect(200);
    assert_eq!(again.json()["id"], first.json()["id"]);
    assert_eq!(t.store().list_reservations(id).await.unwrap().len(), 1);

    // The owner hands over and takes back; the borrower cannot; nothing moves backwards.
    let act = |token: &str, action: &str| {
        let (t, token) = (&t, token.to_string());
        let path = format!("/api/v1/reservations/{}/{action}", first.json()["id"]);
        async move { t.api(Method::POST, &path, Some(&token), None).await }
    };
    assert_eq!(act(&carol, "pickup").await.status.as_u16(), 403);
    act(&alice, "pickup").await.expect(200);
    assert_eq!(
        act(&carol, "cancel").await.status.as_u16(),
        409,
        "picked up already"
    );
    let back = act(&alice, "return").await;
    back.expect(200);
    assert_eq!(back.json()["state"], "returned");
    assert_eq!(act(&alice, "fly").await.status.as_u16(), 404);
    let seen = t
        .api(
            Method::GET,
            &format!("/api/v1/reservations/{}", first.json()["id"]),
            Some(&bob),
            None,
        )
        .await;
    assert_eq!(seen.status.as_u16(), 404, "a stranger does not see it");
}

/// The PDF of a reservation's agreement, as `token` downloads it.
async fn agreement_pdf(t: &common::TestApp, reservation: i64, token: &str) -> Vec<u8> {
    let pdf = t
        .api(
            axum::http::Method::GET,
            &format!("/api/v1/reservations/{reservation}/agreement.pdf"),
            Some(token),
            None,
        )
        .await;
    pdf.expect(200);
    pdf.body
}

/// A lending agreement between associations named in Polish, Vietnamese and Norwegian: every
/// name prints (pdftotext reads it back) and the title reads right in viewers (pdfinfo).
#[tokio::test]
async fn a_lending_agreement_prints_any_name() {
    use axum::http::Method;
    use serde_json::json;
    let t = common::TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    let (_, carol) = t.user("carol").await;
    let owner = "Matériel de Małgorzata Wójcik";
    let borrower = "Fête de Nguyễn Thị Hà et Øyvind";
    t.association_named("materiel", "alice", owner).await;
    t.association_named("fete", "carol", borrower).await;
    let created = t
        .api(
            Method::POST,
            "/api/v1/associations/materiel/resources",
            Some(&alice),
            Some(
                &json!({"name": "Chaises pliantes", "quantity": 80, "approval": "automatic",
                "agreement_template": "Prêt de {quantity} {resource} à {borrower}."}),
            ),
        )
        .await;
    created.expect(201);
    let id = created.json()["id"].as_i64().unwrap();
    let start = (t.now() + Duration::days(10)).to_rfc3339();
    let end = (t.now() + Duration::days(11)).to_rfc3339();
    let r = t
        .api(
            Method::POST,
            &format!("/api/v1/resources/{id}/reservations"),
            Some(&carol),
            Some(&json!({"borrower": "fete", "quantity": 30, "start": start, "end": end})),
        )
        .await;
    r.expect(201);
    let rid = r.json()["id"].as_i64().unwrap();
    let pdf = agreement_pdf(&t, rid, &alice).await;
    let text = common::pdf_text(&pdf);
    for expected in [
        "Małgorzata Wójcik",
        "Nguyễn Thị Hà",
        "Øyvind",
        "Prêt de 30 Chaises pliantes à Fête de Nguyễn Thị Hà et Øyvind.",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
    assert_eq!(
        common::pdf_title(&pdf),
        "Convention de prêt — Matériel de Małgorzata Wójcik"
    );
}

/// The rest of the JSON API: availability day by day (buffers included), the search of what is
/// free, the agreement (JSON and PDF) once accepted, files (a photo re-encoded, a PDF, anything
/// else refused), who may borrow, and the removal of a resource cancelling what was to come.
#[tokio::test]
async fn availability_search_agreement_and_files_through_the_api() {
    use axum::http::{header, Method, Request};
    use serde_json::json;
    let t = common::TestApp::new().await;
    let (_, alice) = t.user("alice").await;
    let (_, carol) = t.user("carol").await;
    t.association("materiel", "alice").await;
    t.association("fete", "carol").await;
    let created = t
        .api(
            Method::POST,
            "/api/v1/associations/materiel/resources",
            Some(&alice),
            Some(&json!({"name": "Chaises pliantes", "quantity": 80, "approval": "automatic", "turnaround_hours": 12,
                "min_notice_hours": 24, "max_days": 5, "mode": "rental", "price_per_day": "0.50", "deposit": "150",
                "agreement_template": "Prêt de {quantity} {resource} à {borrower}.\n\nPrix : {price}."})),
        )
        .await;
    created.expect(201);
    let id = created.json()["id"].as_i64().unwrap();
    let day = t.now().date_naive() + Duration::days(10);
    let at = |d: i64, h: u32| {
        (day + Duration::days(d))
            .and_hms_opt(h, 0, 0)
            .unwrap()
            .and_utc()
            .to_rfc3339()
    };
    let r = t
        .api(
            Method::POST,
            &format!("/api/v1/resources/{id}/reservations"),
            Some(&carol),
            Some(&json!({"borrower": "fete", "quantity": 30, "start": at(0, 9), "end": at(1, 9)})),
        )
        .await;
    r.expect(201);
    assert_eq!(r.json()["state"], "accepted");
    let rid = r.json()["id"].as_i64().unwrap();

    // 50 of 80 free on the two days of the loan; the buffer reaches the day after.
    let avail = t
        .get(&format!(
            "/api/v1/resources/{id}/availability?from={}&days=4",
            day - Duration::days(1)
        ))
        .await;
    avail.expect(200);
    let free: Vec<i64> = avail.json()["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["free"].as_i64().unwrap())
        .collect();
    assert_eq!(free, vec![50, 50, 50, 80], "{}", avail.text());
    t.get(&format!("/api/v1/resources/{id}/availability?days=400"))
        .await
        .expect(422);

    // The search: 60 wanted that day → nothing; 50 → the chairs, with 50 free.
    let search = |q: String| {
        let t = &t;
        async move { t.get(&format!("/api/v1/resources?{q}")).await }
    };
    let start = at(0, 10).replace('+', "%2B");
    let end = at(0, 12).replace('+', "%2B");
    let none = search(format!("start={start}&end={end}&quantity=60")).await;
    assert!(none.json()["resources"].as_array().unwrap().is_empty());
    let some = search(format!("q=chaise&start={start}&end={end}&quantity=50")).await;
    assert_eq!(some.json()["resources"][0]["free"], 50, "{}", some.text());
    search(format!("start={end}&end={start}")).await.expect(422);

    // The agreement: the owner's text, filled; the price of a rental; the PDF.
    let a = t
        .api(
            Method::GET,
            &format!("/api/v1/reservations/{rid}/agreement"),
            Some(&carol),
            None,
        )
        .await;
    a.expect(200);
    let text = a.json()["text"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert_eq!(text[0], "Prêt de 30 Chaises pliantes à Épicerie solidaire.");
    assert_eq!(
        text[1],
        "Prix : 0,50 € par jour et par unité × 1 jour(s) × 30 = 15,00 €."
    );
    assert!(agreement_pdf(&t, rid, &alice).await.starts_with(b"%PDF-"));
    let (_, bob) = t.user("bob").await;
    t.api(
        Method::GET,
        &format!("/api/v1/reservations/{rid}/agreement"),
        Some(&bob),
        None,
    )
    .await
    .expect(404);

    // Files: a PNG becomes a JPEG; a PDF is kept; anything else is refused, nothing kept.
    let png = {
        let img = image::RgbImage::from_pixel(40, 30, image::Rgb([10, 200, 10]));
        let mut out = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    };
    let upload = |kind: &str, name: &str, ctype: &str, bytes: Vec<u8>, token: &str| {
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!(
                "/api/v1/resources/{id}/files?kind={kind}&name={name}"
            ))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, ctype)
            .body(axum::body::Body::from(bytes))
            .unwrap();
        let t = &t;
        async move { t.send(req).await }
    };
    let photo = upload("photo", "chaises.png", "image/png", png, &alice).await;
    photo.expect(201);
    assert_eq!(photo.json()["content_type"], "image/jpeg");
    assert_eq!(photo.json()["name"], "chaises.jpg");
    upload(
        "document",
        "statuts.pdf",
        "application/pdf",
        b"%PDF-1.4\n%test\n".to_vec(),
        &alice,
    )
    .await
    .expect(201);
    let bad = upload(
        "document",
        "x.pdf",
        "application/pdf",
        b"hello".to_vec(),
        &alice,
    )
    .await;
    assert_eq!(bad.status.as_u16(), 422);
    assert!(bad.json()["fields"]["file"].is_string());
    assert_eq!(
        upload("photo", "x.png", "image/png", vec![1, 2, 3], &carol)
            .await
            .status
            .as_u16(),
        403
    );
    let files = t.get(&format!("/api/v1/resources/{id}/files")).await;
    assert_eq!(files.json()["files"].as_array().unwrap().len(), 2);
    let served = t.get(&format!("/files/{}", photo.json()["id"])).await;
    assert_eq!(served.content_type(), "image/jpeg");
    assert!(served.body.starts_with(&[0xFF, 0xD8]));

    // Who may borrow: a list that does not name fete refuses it, field by field.
    t.api(
        Method::PATCH,
        &format!("/api/v1/resources/{id}"),
        Some(&alice),
        Some(&json!({"borrowers": "list", "borrower_list": ["club@ailleurs.example"]})),
    )
    .await
    .expect(200);
    let refused = t
        .api(
            Method::POST,
            &format!("/api/v1/resources/{id}/reservations"),
            Some(&carol),
            Some(&json!({"borrower": "fete", "quantity": 1, "start": at(5, 9), "end": at(5, 18)})),
        )
        .await;
    assert_eq!(refused.status.as_u16(), 422);
    assert!(refused.json()["fields"]["borrower"].is_string());
    let bad_list = t
        .api(
            Method::PATCH,
            &format!("/api/v1/resources/{id}"),
            Some(&alice),
            Some(
                &json!({"borrower_list": ["pas une adresse"], "agreement_template": "{nimporte}"}),
            ),
        )
        .await;
    assert_eq!(bad_list.status.as_u16(), 422);
    assert!(bad_list.json()["fields"]["borrower_list"].is_string());
    assert!(bad_list.json()["fields"]["agreement_template"].is_string());

    // Removing the resource cancels the loan to come; the resource is gone from the API.
    t.api(
        Method::DELETE,
        &format!("/api/v1/resources/{id}"),
        Some(&alice),
        None,
    )
    .await
    .expect(204);
    let after = t
        .api(
            Method::GET,
            &format!("/api/v1/reservations/{rid}"),
            Some(&carol),
            None,
        )
        .await;
    assert_eq!(after.json()["state"], "cancelled");
    t.get(&format!("/api/v1/resources/{id}")).await.expect(404);
    // Its photos and documents are no longer served either.
    t.get(&format!("/files/{}", photo.json()["id"]))
        .await
        .expect(404);
}

/// An association on another server (`voisins.example`) and its 40 chairs, lent by hand.
async fn remote_chairs(
    s: &dyn Store,
) -> (
    entraide::domain::actor::Actor,
    entraide::domain::resource::Resource,
) {
    use entraide::domain::actor::{ActorKind, RemoteActor};
    let owner = s
        .upsert_remote_actor(
            RemoteActor {
                ap_id: "https://voisins.example/g/materiel".into(),
                kind: ActorKind::Group,
                name: "materiel".into(),
                host: "voisins.example".into(),
                display_name: "Matériel".into(),
                summary: String::new(),
                inbox: "https://voisins.example/g/materiel/inbox".into(),
                shared_inbox: None,
                outbox: None,
                followers: None,
                url: None,
                public_key_pem: "KEY".into(),
            },
            at(0),
        )
        .await
        .unwrap();
    let chairs = s
        .save_remote_resource(
            owner.id,
            "https://voisins.example/r/1",
            &draft(40, "manual"),
            &[],
            at(0),
        )
        .await
        .unwrap();
    (owner, chairs)
}

/// Deliveries are not ordered: the owner's `Delete{Agreement}` (a cancellation) may arrive
/// before its `Accept`, which names the agreement. While our request awaits its answer, the
/// cancellation is refused as "not yet" (a 503 for the sender, whose queue tries again) and
/// nothing changes; once the answer is in, the same cancellation applies. With no request of
/// ours waiting, an unknown agreement is ignored.
#[tokio::test]
async fn an_early_cancellation_or_handover_waits_for_the_answer() {
    use entraide::service::{reservations, ServiceError};
    let (store, _dir) = sqlite_store().await;
    let s = store.as_ref();
    let ours = local_group(s, "fete").await;
    let (owner, chairs) = remote_chairs(s).await;
    let agreement = "https://voisins.example/agreements/7";
    // Nothing of ours to cancel yet: ignored.
    assert!(
        !reservations::received_cancellation(s, &owner, agreement, "fermé", at(1))
            .await
            .unwrap()
    );
    let asked = NewReservation {
        borrower_actor_id: Some(ours.id),
        ..request(chairs.id, "1", 2, (48, 60), false)
    };
    let ReserveOutcome::Recorded(r) = s.record_offer(asked, at(1)).await.unwrap() else {
        panic!("recorded");
    };
    // The cancellation comes first: not yet, and the request is untouched.
    let early = reservations::received_cancellation(s, &owner, agreement, "fermé", at(2)).await;
    assert!(matches!(early, Err(ServiceError::NotYet(_))), "{early:?}");
    // So do a handover (`Update{Agreement}`) and the owner's signature that overtake it.
    let handed = reservations::received_progress(
        s,
        &owner,
        agreement,
        ReservationState::PickedUp,
        None,
        at(2),
    )
    .await;
    assert!(matches!(handed, Err(ServiceError::NotYet(_))), "{handed:?}");
    let signed = reservations::received_signature(s, &owner, agreement, "Léa", at(2), at(2)).await;
    assert!(matches!(signed, Err(ServiceError::NotYet(_))), "{signed:?}");
    assert_eq!(
        s.get_reservation(r.id).await.unwrap().state,
        ReservationState::Requested
    );
    // The answer arrives, then the cancellation again: it applies.
    reservations::received_answer(
        s,
        &owner,
        &r.offer_id,
        true,
        Some(agreement.into()),
        "",
        at(3),
    )
    .await
    .unwrap();
    assert!(
        reservations::received_cancellation(s, &owner, agreement, "fermé", at(4))
            .await
            .unwrap()
    );
    let now = s.get_reservation(r.id).await.unwrap();
    assert_eq!(
        (now.state, now.reason.as_str()),
        (ReservationState::Cancelled, "fermé")
    );
}

/// The owner's server names the agreement of an accepted request: an address on its own
/// server, and one reservation's only. An `Accept` naming an agreement elsewhere, or one that
/// already names another reservation, is refused and changes nothing.
#[tokio::test]
async fn a_remote_agreement_is_on_its_owners_server_and_names_one_reservation() {
    use entraide::service::{reservations, ServiceError};
    let (store, _dir) = sqlite_store().await;
    let s = store.as_ref();
    let ours = local_group(s, "fete").await;
    let (owner, chairs) = remote_chairs(s).await;
    let mut asked = Vec::new();
    for (offer, hours) in [("first", (48, 60)), ("second", (72, 84))] {
        let ask = NewReservation {
            borrower_actor_id: Some(ours.id),
            agreement_id: None,
            ..request(chairs.id, offer, 2, hours, false)
        };
        let ReserveOutcome::Recorded(r) = s.record_offer(ask, at(1)).await.unwrap() else {
            panic!("recorded");
        };
        asked.push(r);
    }
    let answer = |offer: String, agreement: &'static str| {
        let owner = owner.clone();
        async move {
            reservations::received_answer(
                s,
                &owner,
                &offer,
                true,
                Some(agreement.into()),
                "",
                at(2),
            )
            .await
        }
    };
    let (first, second) = (asked[0].offer_id.clone(), asked[1].offer_id.clone());
    let elsewhere = answer(first.clone(), "https://ailleurs.example/agreements/7").await;
    assert!(
        matches!(elsewhere, Err(ServiceError::Forbidden(_))),
        "an agreement on another server: {elsewhere:?}"
    );
    let r = s.get_reservation(asked[0].id).await.unwrap();
    assert_eq!(
        (r.state, r.agreement_id),
        (ReservationState::Requested, None)
    );

    let own = "https://voisins.example/agreements/7";
    answer(first.clone(), own).await.unwrap();
    let r = s.get_reservation(asked[0].id).await.unwrap();
    assert_eq!(
        (r.state, r.agreement_id.as_deref()),
        (ReservationState::Accepted, Some(own))
    );
    // The same answer again is still fine.
    answer(first, own).await.unwrap();

    let taken = answer(second, own).await;
    assert!(
        matches!(taken, Err(ServiceError::Forbidden(_))),
        "an agreement that already names another reservation: {taken:?}"
    );
    let r = s.get_reservation(asked[1].id).await.unwrap();
    assert_eq!(
        (r.state, r.agreement_id),
        (ReservationState::Requested, None)
    );
}
