//! What the transactions promise when requests arrive together, from two stores (two pools,
//! as two processes) on one database: a slot's capacity and a resource's pool are never
//! exceeded, and one join or offer id sent twice at once is still one row.

use crate::fixtures::*;
use crate::resources::{loan, resource};
use entraide::{
    domain::{
        resource::ReservationState,
        slot::{ParticipationStatus, Refusal, SignUpOutcome},
    },
    storage::{DynStore, ReserveOutcome},
};
use futures::future::join_all;

on_both_backends_with_two_pools!(sign_ups_never_overbook, reservations_never_overbook);

/// The store of the `i`-th request: every other one goes through the second pool.
fn pick<'a>(i: usize, one: &'a DynStore, two: &'a DynStore) -> &'a DynStore {
    if i.is_multiple_of(2) {
        one
    } else {
        two
    }
}

async fn sign_ups_never_overbook(one: DynStore, two: DynStore) {
    const PEOPLE: usize = 24;
    const CAPACITY: i64 = 5;
    let s = one.as_ref();
    let g = group(s, "epicerie", None).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let sl = slot(s, m.id, "a", slot_draft(100, 60, CAPACITY)).await;
    let mut people = Vec::new();
    for i in 0..PEOPLE {
        people.push(user(s, &format!("u{i}")).await);
    }

    // Everyone at once, and the first person's join sent a second time meanwhile.
    let requests = people
        .iter()
        .enumerate()
        .map(|(i, u)| (i, request(sl.id, local(u), &format!("j{i}"), true)))
        .chain([(1, request(sl.id, local(&people[0]), "j0", true))]);
    let outcomes = join_all(requests.map(|(i, r)| {
        let store = pick(i, &one, &two).clone();
        async move { store.sign_up(r, t(1)).await.unwrap() }
    }))
    .await;
    let accepted = outcomes
        .iter()
        .filter(|o| matches!(o, SignUpOutcome::Recorded(p) if p.status == ParticipationStatus::Accepted))
        .count();
    let full = outcomes
        .iter()
        .filter(|o| matches!(o, SignUpOutcome::Refused(Refusal::Full, None)))
        .count();
    // The repeated join finds its twin recorded (`Existing`), or, when both passed the check
    // for a known join before either wrote, meets it as the same person on the slot.
    let twin = outcomes
        .iter()
        .filter(|o| {
            matches!(
                o,
                SignUpOutcome::Existing(_) | SignUpOutcome::Refused(Refusal::AlreadySignedUp, None)
            )
        })
        .count();
    assert_eq!(accepted, CAPACITY as usize, "{outcomes:?}");
    assert_eq!(accepted + full + twin, PEOPLE + 1, "{outcomes:?}");
    assert!(twin <= 1);
    assert_eq!(
        (
            s.get_slot(sl.id).await.unwrap().participant_count,
            two.get_mission(m.id).await.unwrap().participant_count
        ),
        (CAPACITY, CAPACITY)
    );
    let rows = s.list_participations(sl.id).await.unwrap();
    assert_eq!(
        rows.len(),
        CAPACITY as usize,
        "refusals not kept, one row per join"
    );
    assert!(rows
        .iter()
        .all(|p| p.status == ParticipationStatus::Accepted));
}

async fn reservations_never_overbook(one: DynStore, two: DynStore) {
    const REQUESTS: usize = 16;
    const ITEMS: i64 = 3;
    let s = one.as_ref();
    let g = group(s, "epicerie", None).await;
    let r = resource(s, g.id, "Barnum", ITEMS).await;

    // One item each over the same period, all at once; one offer id sent twice.
    let requests = (0..REQUESTS)
        .map(|i| (i, loan(r.id, &format!("o{i}"), 1, 600, 900)))
        .chain([(1, loan(r.id, "o0", 1, 600, 900))]);
    let outcomes = join_all(requests.map(|(i, request)| {
        let store = pick(i, &one, &two).clone();
        async move { store.reserve(request, t(1)).await.unwrap() }
    }))
    .await;
    let existing = outcomes
        .iter()
        .filter(|o| matches!(o, ReserveOutcome::Existing(_)))
        .count();
    assert_eq!(existing, 1, "the same offer id twice is one reservation");
    let rows = two.list_reservations(r.id).await.unwrap();
    assert_eq!(rows.len(), REQUESTS);
    let accepted = rows
        .iter()
        .filter(|x| x.state == ReservationState::Accepted)
        .count();
    let refused = rows
        .iter()
        .filter(|x| x.state == ReservationState::Refused)
        .count();
    assert_eq!(
        (accepted, refused),
        (ITEMS as usize, REQUESTS - ITEMS as usize)
    );
}
