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
    storage::{NewReservation, ReserveOutcome, Store, StoreError},
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
    let now = Utc::now();
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
        .set_reservation_state(one.id, ReservationState::Accepted, "", now)
        .await
        .unwrap();
    assert_eq!(accepted.state, ReservationState::Accepted);
    let full = s
        .set_reservation_state(two.id, ReservationState::Accepted, "", now)
        .await;
    assert!(matches!(full, Err(StoreError::Conflict(_))), "{full:?}");
    assert_eq!(
        s.get_reservation(two.id).await.unwrap().state,
        ReservationState::Requested
    );
    s.set_reservation_state(one.id, ReservationState::PickedUp, "", now)
        .await
        .unwrap();
    s.set_reservation_state(one.id, ReservationState::Returned, "", now)
        .await
        .unwrap();
    // Returned: the tables are free again for the second request.
    let now_ok = s
        .set_reservation_state(two.id, ReservationState::Accepted, "", now)
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
            tokio::spawn(async move { store.reserve(req, Utc::now()).await })
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
