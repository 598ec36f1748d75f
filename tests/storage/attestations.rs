//! Attestations (`AttestationStore`): a volunteer's request over a period, confirmed once by a
//! coordinator, listed newest first by association, by user or both.

use crate::fixtures::*;
use crate::hours::day;
use entraide::storage::{Attestation, Store, StoreError};

on_both_backends!(attestations);

async fn attestations(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let h = group(s, "atelier", None).await;
    let [alice, bob, coord] = users(s, ["alice", "bob", "coord"]).await;
    let a1 = s
        .create_attestation(g.id, alice.id, day(1), day(31), t(1))
        .await
        .unwrap();
    assert_eq!(
        a1,
        Attestation {
            id: a1.id,
            actor_id: g.id,
            user_id: alice.id,
            from: day(1),
            to: day(31),
            requested_at: t(1),
            confirmed_by_name: None,
            confirmed_at: None,
        }
    );
    assert_eq!(s.get_attestation(a1.id).await.unwrap(), a1);
    assert!(matches!(
        s.get_attestation(a1.id + 1000).await,
        Err(StoreError::NotFound(_))
    ));
    let a2 = s
        .create_attestation(h.id, alice.id, day(2), day(3), t(2))
        .await
        .unwrap();
    let b1 = s
        .create_attestation(g.id, bob.id, day(2), day(3), t(3))
        .await
        .unwrap();

    // Newest first, with either filter, both, or none.
    let list = |actor, user| async move {
        ids(&s.list_attestations(actor, user).await.unwrap(), |a| a.id)
    };
    assert_eq!(list(None, None).await, vec![b1.id, a2.id, a1.id]);
    assert_eq!(list(Some(g.id), None).await, vec![b1.id, a1.id]);
    assert_eq!(list(None, Some(alice.id)).await, vec![a2.id, a1.id]);
    assert_eq!(list(Some(g.id), Some(alice.id)).await, vec![a1.id]);
    assert!(list(Some(h.id), Some(bob.id)).await.is_empty());

    // Confirmed once: the first coordinator's name and time stay.
    assert!(s
        .confirm_attestation(a1.id, coord.id, "Coordinatrice", t(5))
        .await
        .unwrap());
    assert!(!s
        .confirm_attestation(a1.id, bob.id, "Bob", t(6))
        .await
        .unwrap());
    let confirmed = s.get_attestation(a1.id).await.unwrap();
    assert_eq!(
        confirmed.confirmed_by_name.as_deref(),
        Some("Coordinatrice")
    );
    assert_eq!(confirmed.confirmed_at, Some(t(5)));
    assert_eq!(s.get_attestation(b1.id).await.unwrap().confirmed_at, None);
    assert!(!s
        .confirm_attestation(a1.id + 1000, coord.id, "X", t(6))
        .await
        .unwrap());
}
