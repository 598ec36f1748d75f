//! Reservations (`ReservationStore`): the owner's node deciding on the pool (peak use with the
//! turnaround buffer, never overbooked, one offer id once), the borrower's node keeping its
//! request, moves checked against the state, signatures kept once, and the reads.

use crate::fixtures::*;
use crate::resources::{loan, resource, resource_draft};
use entraide::{
    domain::{
        events::Outgoing,
        resource::{Reservation, ReservationState, Signature},
    },
    storage::{
        NewReservation, ReservationMove, ReservationPage, ReservationsOf, ReserveOutcome, Store,
        StoreError,
    },
};

on_both_backends!(
    reserve_decides_on_the_pool,
    offers_of_the_borrower,
    moves_and_signatures,
    reservation_reads,
    reservation_pages,
);

fn changed(reservation_id: i64, by_owner: bool, state: &str) -> Outgoing {
    Outgoing::ReservationChanged {
        reservation_id,
        by_owner,
        state: state.into(),
    }
}

async fn recorded(s: &dyn Store, request: NewReservation, now: i64) -> Reservation {
    match s.reserve(request, t(now)).await.unwrap() {
        ReserveOutcome::Recorded(r) => r,
        other => panic!("expected a recorded reservation, got {other:?}"),
    }
}

fn step(to: ReservationState, from: &[ReservationState], by_owner: bool) -> ReservationMove {
    ReservationMove {
        to,
        from: from.to_vec(),
        reason: String::new(),
        notes: None,
        agreement_id: None,
        by_owner,
        check_pool: false,
    }
}

async fn reserve_decides_on_the_pool(s: &dyn Store) {
    use ReservationState::*;
    let g = group(s, "epicerie", None).await;
    // Two items, two hours (120 minutes) between loans.
    let r = resource(s, g.id, "Barnum", 2).await;
    take_events(s).await;

    let a = recorded(
        s,
        NewReservation {
            agreement_id: Some("agreement-a".into()),
            ..loan(r.id, "a", 1, 600, 900)
        },
        1,
    )
    .await;
    assert_eq!(
        (a.resource_id, a.quantity, a.start, a.end),
        (r.id, 1, t(600), t(900))
    );
    assert_eq!((a.state, a.reason.as_str()), (Accepted, ""));
    assert_eq!(
        a.agreement_id.as_deref(),
        Some("agreement-a"),
        "kept when accepted"
    );
    assert_eq!((a.created_at, a.updated_at), (t(1), t(1)));
    assert_eq!(take_events(s).await, vec![changed(a.id, true, "accepted")]);
    // The same offer id twice is one reservation.
    assert_eq!(
        s.reserve(loan(r.id, "a", 2, 0, 10), t(2)).await.unwrap(),
        ReserveOutcome::Existing(a.clone())
    );
    assert!(take_events(s).await.is_empty());

    // The second item is free over part of the period; then none is.
    let b = recorded(s, loan(r.id, "b", 1, 700, 800), 2).await;
    assert_eq!(b.state, Accepted);
    let c = recorded(
        s,
        NewReservation {
            agreement_id: Some("agreement-c".into()),
            ..loan(r.id, "c", 1, 750, 850)
        },
        3,
    )
    .await;
    assert_eq!(c.state, Refused);
    assert!(!c.reason.is_empty(), "a refusal says why");
    assert_eq!(c.agreement_id, None);
    assert_eq!(take_events(s).await.len(), 2);
    assert_eq!(
        s.list_reservations(r.id).await.unwrap().last().unwrap(),
        &c,
        "a refusal is kept"
    );

    // The buffer: a loan ending at t(900) holds its item until t(1020).
    let d = recorded(s, loan(r.id, "d", 2, 1020, 1100), 4).await;
    assert_eq!(
        d.state, Accepted,
        "both items free from the end of the buffer"
    );
    let e = recorded(s, loan(r.id, "e", 1, 1010, 1015), 4).await;
    assert_eq!(e.state, Refused, "inside a's buffer and d's");

    // Waiting for the owner (manual): requested, holding nothing.
    let f = recorded(
        s,
        NewReservation {
            automatic: false,
            ..loan(r.id, "f", 2, 2000, 2100)
        },
        5,
    )
    .await;
    assert_eq!(f.state, Requested);
    let g2 = recorded(s, loan(r.id, "g", 2, 2000, 2100), 5).await;
    assert_eq!(g2.state, Accepted);
    // Refused even when waiting would have been asked: the pool decides first.
    let h = recorded(
        s,
        NewReservation {
            automatic: false,
            ..loan(r.id, "h", 1, 2050, 2060)
        },
        5,
    )
    .await;
    assert_eq!(h.state, Refused);
    assert!(matches!(
        s.reserve(loan(r.id + 1000, "x", 1, 0, 10), t(6)).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn offers_of_the_borrower(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let owner = s
        .upsert_remote_actor(remote_actor("remote.example", "voisins"), t(0))
        .await
        .unwrap();
    let r = s
        .save_remote_resource(
            owner.id,
            "https://remote.example/r/1",
            &resource_draft("Remorque", 1),
            &[],
            t(0),
        )
        .await
        .unwrap();
    let ask = |offer: &str| NewReservation {
        borrower_actor_id: Some(g.id),
        agreement_id: Some(format!("agreement-{offer}")),
        ..loan(r.id, offer, 1, 100, 200)
    };
    // Kept as asked, whatever the pool: the owner decides; the `Offer` goes out.
    let ReserveOutcome::Recorded(first) = s.record_offer(ask("1"), t(1)).await.unwrap() else {
        panic!("recorded");
    };
    let ReserveOutcome::Recorded(second) = s.record_offer(ask("2"), t(1)).await.unwrap() else {
        panic!("recorded");
    };
    for o in [&first, &second] {
        assert_eq!(
            (o.state, o.borrower_actor_id),
            (ReservationState::Requested, Some(g.id))
        );
        assert_eq!(o.agreement_id, None);
    }
    assert_eq!(
        take_events(s).await,
        vec![
            changed(first.id, false, "requested"),
            changed(second.id, false, "requested")
        ]
    );
    assert_eq!(
        s.record_offer(ask("1"), t(2)).await.unwrap(),
        ReserveOutcome::Existing(first.clone())
    );
    assert!(take_events(s).await.is_empty());
    // The owner's answer is recorded as it comes (no pool check on this side).
    let answer = ReservationMove {
        agreement_id: Some("agreement-from-owner".into()),
        reason: "ok".into(),
        ..step(
            ReservationState::Accepted,
            &[ReservationState::Requested],
            true,
        )
    };
    let moved = s.move_reservation(first.id, &answer, t(3)).await.unwrap();
    assert_eq!(moved.state, ReservationState::Accepted);
    assert_eq!(moved.agreement_id.as_deref(), Some("agreement-from-owner"));
    let plain = ReservationMove {
        agreement_id: None,
        ..answer
    };
    let moved = s.move_reservation(second.id, &plain, t(3)).await.unwrap();
    assert_eq!(
        (moved.state, moved.agreement_id),
        (ReservationState::Accepted, None)
    );
    assert_eq!(
        s.find_reservation_by_agreement("agreement-from-owner")
            .await
            .unwrap()
            .map(|r| r.id),
        Some(first.id)
    );
}

async fn moves_and_signatures(s: &dyn Store) {
    use ReservationState::*;
    let g = group(s, "epicerie", None).await;
    let r = resource(s, g.id, "Barnum", 1).await;
    let manual = |offer: &str, start| NewReservation {
        automatic: false,
        ..loan(r.id, offer, 1, start, start + 100)
    };
    let a = recorded(s, manual("a", 1000), 1).await;
    let b = recorded(s, manual("b", 1050), 1).await;
    take_events(s).await;

    // Accepted by the owner with the pool checked: the first fits, the second no longer does.
    let accept = ReservationMove {
        check_pool: true,
        agreement_id: Some("agreement-a".into()),
        ..step(Accepted, &[Requested], true)
    };
    let accepted = s.move_reservation(a.id, &accept, t(2)).await.unwrap();
    assert_eq!((accepted.state, accepted.updated_at), (Accepted, t(2)));
    assert_eq!(accepted.agreement_id.as_deref(), Some("agreement-a"));
    assert_eq!(take_events(s).await, vec![changed(a.id, true, "accepted")]);
    assert!(matches!(
        s.move_reservation(b.id, &accept, t(3)).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(s.get_reservation(b.id).await.unwrap(), b);
    // From a state it is not in: someone moved it first.
    assert!(matches!(
        s.move_reservation(a.id, &step(Cancelled, &[Requested], false), t(3))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(take_events(s).await.is_empty());
    let refuse = ReservationMove {
        reason: "déjà prêté".into(),
        ..step(Refused, &[Requested], true)
    };
    let refused = s.move_reservation(b.id, &refuse, t(3)).await.unwrap();
    assert_eq!(
        (refused.state, refused.reason.as_str()),
        (Refused, "déjà prêté")
    );

    // Picked up and returned, each with its notes; the agreement id stays.
    let pickup = ReservationMove {
        notes: Some("propre".into()),
        ..step(PickedUp, &[Accepted], true)
    };
    s.move_reservation(a.id, &pickup, t(4)).await.unwrap();
    let back = ReservationMove {
        notes: Some("une rayure".into()),
        ..step(Returned, &[PickedUp], true)
    };
    let returned = s.move_reservation(a.id, &back, t(5)).await.unwrap();
    assert_eq!(returned.state, Returned);
    assert_eq!(
        (
            returned.pickup_notes.as_str(),
            returned.return_notes.as_str()
        ),
        ("propre", "une rayure")
    );
    assert_eq!(returned.agreement_id.as_deref(), Some("agreement-a"));
    assert_eq!(
        take_events(s).await,
        vec![
            changed(b.id, true, "refused"),
            changed(a.id, true, "picked_up"),
            changed(a.id, true, "returned"),
        ]
    );
    // The borrower withdraws: their side's move.
    let c = recorded(s, manual("c", 3000), 6).await;
    take_events(s).await;
    s.move_reservation(c.id, &step(Cancelled, &[Requested, Accepted], false), t(7))
        .await
        .unwrap();
    assert_eq!(
        take_events(s).await,
        vec![changed(c.id, false, "cancelled")]
    );
    assert!(matches!(
        s.move_reservation(c.id + 1000, &step(Cancelled, &[Requested], false), t(7))
            .await,
        Err(StoreError::NotFound(_))
    ));

    // Signatures: each side's first one stays; announced only when asked and new.
    let signed = s
        .sign_agreement(a.id, true, "Anne", t(8), true)
        .await
        .unwrap();
    let anne = Signature {
        by: "Anne".into(),
        at: t(8),
    };
    assert_eq!(
        (signed.owner_signed.clone(), signed.borrower_signed.clone()),
        (Some(anne.clone()), None)
    );
    assert_eq!(take_events(s).await, vec![changed(a.id, true, "")]);
    let again = s
        .sign_agreement(a.id, true, "Bob", t(9), true)
        .await
        .unwrap();
    assert_eq!(again.owner_signed, Some(anne.clone()));
    assert!(take_events(s).await.is_empty());
    let both = s
        .sign_agreement(a.id, false, "Zoé", t(9), false)
        .await
        .unwrap();
    assert_eq!(
        (both.owner_signed, both.borrower_signed),
        (
            Some(anne),
            Some(Signature {
                by: "Zoé".into(),
                at: t(9)
            })
        )
    );
    assert!(
        take_events(s).await.is_empty(),
        "not announced when not asked"
    );
    assert!(matches!(
        s.sign_agreement(a.id + 1000, true, "X", t(9), true).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(take_events(s).await.is_empty());
}

async fn reservation_reads(s: &dyn Store) {
    let (g, h, k) = (
        group(s, "epicerie", None).await,
        group(s, "atelier", None).await,
        group(s, "fanfare", None).await,
    );
    let barnum = resource(s, g.id, "Barnum", 9).await;
    let ampli = resource(s, h.id, "Ampli", 9).await;
    let by = |borrower: i64, base: NewReservation| NewReservation {
        borrower_actor_id: Some(borrower),
        ..base
    };
    let late = recorded(s, by(h.id, loan(barnum.id, "late", 1, 500, 600)), 1).await;
    let early = recorded(s, by(k.id, loan(barnum.id, "early", 1, 100, 200)), 1).await;
    let theirs = recorded(
        s,
        NewReservation {
            agreement_id: Some("agreement-theirs".into()),
            ..by(g.id, loan(ampli.id, "theirs", 1, 300, 400))
        },
        1,
    )
    .await;

    assert_eq!(s.get_reservation(late.id).await.unwrap(), late);
    assert!(matches!(
        s.get_reservation(late.id + 1000).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        s.find_reservation_by_offer(&late.offer_id).await.unwrap(),
        Some(late.clone())
    );
    assert_eq!(
        s.find_reservation_by_offer(&format!("{BASE}/offers/none"))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        s.find_reservation_by_agreement("agreement-theirs")
            .await
            .unwrap(),
        Some(theirs.clone())
    );
    assert_eq!(s.find_reservation_by_agreement("none").await.unwrap(), None);

    // A resource's, by start; an association's as owner or as borrower, by start.
    assert_eq!(
        ids(&s.list_reservations(barnum.id).await.unwrap(), |r| r.id),
        vec![early.id, late.id]
    );
    assert!(s
        .list_reservations(barnum.id + ampli.id + 1000)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        ids(&s.list_actor_reservations(g.id).await.unwrap(), |r| r.id),
        vec![early.id, theirs.id, late.id]
    );
    assert_eq!(
        ids(&s.list_actor_reservations(h.id).await.unwrap(), |r| r.id),
        vec![theirs.id, late.id]
    );
    assert_eq!(
        ids(&s.list_actor_reservations(k.id).await.unwrap(), |r| r.id),
        vec![early.id]
    );

    // Those of several resources in one read, by start, without those ended by `ending_after`.
    assert_eq!(
        ids(
            &s.list_reservations_of(&[barnum.id, ampli.id], t(0))
                .await
                .unwrap(),
            |r| r.id
        ),
        vec![early.id, theirs.id, late.id]
    );
    assert_eq!(
        ids(
            &s.list_reservations_of(&[barnum.id, ampli.id], t(200))
                .await
                .unwrap(),
            |r| r.id
        ),
        vec![theirs.id, late.id],
        "the early loan ended at t(200)"
    );
    assert_eq!(
        ids(
            &s.list_reservations_of(&[ampli.id], t(0)).await.unwrap(),
            |r| r.id
        ),
        vec![theirs.id]
    );
    assert!(s.list_reservations_of(&[], t(0)).await.unwrap().is_empty());

    // Due: accepted loans starting before `until` (after now), loans out ending before it.
    let out = ReservationMove {
        to: ReservationState::PickedUp,
        from: vec![ReservationState::Accepted],
        reason: String::new(),
        notes: None,
        agreement_id: None,
        by_owner: true,
        check_pool: false,
    };
    s.move_reservation(early.id, &out, t(100)).await.unwrap();
    let due_from = |now, until| async move {
        ids(&s.reservations_due(t(now), t(until)).await.unwrap(), |r| {
            r.id
        })
    };
    let due = |until| due_from(0, until);
    assert_eq!(due(150).await, Vec::<i64>::new());
    assert_eq!(due(201).await, vec![early.id]);
    assert_eq!(due(301).await, vec![early.id, theirs.id]);
    assert_eq!(due(501).await, vec![early.id, theirs.id, late.id]);
    // Accepted but started (never picked up): no longer due; the loan out is, overdue.
    assert_eq!(due_from(350, 501).await, vec![early.id, late.id]);
    assert_eq!(
        due_from(300, 501).await,
        vec![early.id, late.id],
        "starts now"
    );
    s.move_reservation(
        early.id,
        &ReservationMove {
            to: ReservationState::Returned,
            from: vec![ReservationState::PickedUp],
            ..out
        },
        t(190),
    )
    .await
    .unwrap();
    assert_eq!(
        due(501).await,
        vec![theirs.id, late.id],
        "returned: no longer due"
    );
}

/// Pages of reservations by start, then id, after a `(start, id)`: a resource's, and an
/// association's as owner and as borrower (one it borrows from itself once); a reservation
/// added meanwhile before the place shifts nothing.
async fn reservation_pages(s: &dyn Store) {
    let (g, h) = (
        group(s, "epicerie", None).await,
        group(s, "atelier", None).await,
    );
    let barnum = resource(s, g.id, "Barnum", 9).await;
    let ampli = resource(s, h.id, "Ampli", 9).await;
    let by = |borrower: i64, base: NewReservation| NewReservation {
        borrower_actor_id: Some(borrower),
        ..base
    };
    let early = recorded(s, by(h.id, loan(barnum.id, "early", 1, 100, 200)), 1).await;
    let theirs = recorded(s, by(g.id, loan(ampli.id, "theirs", 1, 300, 400)), 1).await;
    let own = recorded(s, by(g.id, loan(barnum.id, "own", 1, 300, 350)), 1).await;
    let late = recorded(s, by(h.id, loan(barnum.id, "late", 1, 500, 600)), 1).await;
    let page = |of: ReservationsOf, after: Option<&Reservation>, limit: i64| {
        let p = ReservationPage {
            after: after.map(|r| (r.start, r.id)),
            ..ReservationPage::of(of, limit)
        };
        async move { ids(&s.list_reservations_after(p).await.unwrap(), |r| r.id) }
    };
    let of_g = ReservationsOf::Actor(g.id);
    assert_eq!(page(of_g, None, 2).await, vec![early.id, theirs.id]);
    // Added before the place: not met by the next pages.
    recorded(s, by(h.id, loan(barnum.id, "first", 1, 10, 20)), 2).await;
    assert_eq!(page(of_g, Some(&theirs), 2).await, vec![own.id, late.id]);
    assert!(page(of_g, Some(&late), 2).await.is_empty());
    assert_eq!(
        page(of_g, Some(&early), 10).await,
        vec![theirs.id, own.id, late.id]
    );
    assert_eq!(
        page(ReservationsOf::Actor(h.id), Some(&early), 10).await,
        vec![theirs.id, late.id]
    );
    let of_barnum = ReservationsOf::Resource(barnum.id);
    assert_eq!(page(of_barnum, Some(&early), 1).await, vec![own.id]);
    assert_eq!(page(of_barnum, Some(&own), 5).await, vec![late.id]);
    assert_eq!(
        page(ReservationsOf::Resource(ampli.id), None, 5).await,
        vec![theirs.id]
    );
    assert!(page(ReservationsOf::Actor(g.id + h.id + 1000), None, 5)
        .await
        .is_empty());
    // Those ending at or after an instant (a feed), with a cursor or without.
    let ending = |of, after: Option<&Reservation>, at: i64| {
        let p = ReservationPage {
            after: after.map(|r| (r.start, r.id)),
            ending_after: Some(t(at)),
            ..ReservationPage::of(of, 10)
        };
        async move { ids(&s.list_reservations_after(p).await.unwrap(), |r| r.id) }
    };
    assert_eq!(
        ending(of_g, None, 350).await,
        vec![theirs.id, own.id, late.id]
    );
    assert_eq!(ending(of_g, Some(&theirs), 351).await, vec![late.id]);
    assert_eq!(
        ending(of_barnum, None, 200).await,
        vec![early.id, own.id, late.id]
    );
    assert!(ending(of_barnum, None, 601).await.is_empty());
    // Newest first, ending before an instant (the past ones), before a `(start, id)`.
    let past = |of, before: Option<&Reservation>, at: i64, limit: i64| {
        let p = ReservationPage {
            after: before.map(|r| (r.start, r.id)),
            ending_before: Some(t(at)),
            newest_first: true,
            ..ReservationPage::of(of, limit)
        };
        async move { ids(&s.list_reservations_after(p).await.unwrap(), |r| r.id) }
    };
    let first = page(of_g, None, 1).await[0];
    assert_eq!(
        past(of_g, None, 401, 10).await,
        vec![own.id, theirs.id, early.id, first]
    );
    assert_eq!(past(of_g, None, 401, 2).await, vec![own.id, theirs.id]);
    assert_eq!(
        past(of_g, Some(&theirs), 401, 10).await,
        vec![early.id, first]
    );
    assert_eq!(past(of_g, None, 601, 1).await, vec![late.id]);
    assert_eq!(
        past(of_barnum, None, 360, 10).await,
        vec![own.id, early.id, first]
    );
    assert!(past(of_barnum, None, 20, 10).await.is_empty());
}
