//! The federation queue (`FederationStore`), part two: deliveries, shared documents, the purge, and claims by two stores at once.

use crate::fixtures::*;
use entraide::storage::{DynStore, NewDelivery, PurgedHistory, QueueStats, Store};
use std::collections::BTreeSet;

on_both_backends_with_two_pools!(claims_are_exclusive);
on_both_backends!(one_document_to_many_inboxes, history_purge, deliveries);

/// One activity to 250 inboxes (its document kept once, its rows written in several
/// statements), between two activities with a document per inbox: every claimed delivery
/// carries its own document, and the unique (activity, inbox) still holds.
async fn one_document_to_many_inboxes(s: &dyn Store) {
    let g = group(s, "fanfare", None).await;
    mission(s, g.id, "concert", t(60)).await;
    let events = s.claim_outbox_events(10, t(0), t(5)).await.unwrap();
    let (a, b, c) = (
        "https://local.example/activities/a",
        "https://local.example/activities/b",
        "https://local.example/activities/c",
    );
    let shared = |inbox: String| NewDelivery {
        activity_ap_id: b.into(),
        signer_actor_id: g.id,
        inbox,
        payload: format!("{{\"id\":\"{b}\",\"big\":\"{}\"}}", "x".repeat(5000)),
    };
    let mut planned = vec![delivery(a, g.id, "https://one.example/inbox")];
    planned.extend((0..250).map(|i| shared(format!("https://h{}.example/u/{i}/inbox", i % 100))));
    // Listed twice: still delivered once.
    planned.push(shared("https://h7.example/u/7/inbox".into()));
    planned.push(delivery(c, g.id, "https://one.example/inbox"));
    planned.push(delivery(c, g.id, "https://two.example/inbox"));
    s.complete_outbox_event(events[0].id, planned.clone(), t(0))
        .await
        .unwrap();
    let claimed = s.claim_deliveries(1000, t(0), t(100)).await.unwrap();
    assert_eq!(claimed.len(), 253);
    let expected: BTreeSet<(String, String, String)> = planned
        .iter()
        .map(|d| (d.activity_ap_id.clone(), d.inbox.clone(), d.payload.clone()))
        .collect();
    let got: BTreeSet<(String, String, String)> = claimed
        .iter()
        .map(|d| (d.activity_ap_id.clone(), d.inbox.clone(), d.payload.clone()))
        .collect();
    assert_eq!(got, expected);

    // Given back because their host was busy: not an attempt, due again later, claimable then.
    let busy: Vec<i64> = claimed.iter().take(3).map(|d| d.id).collect();
    s.defer_deliveries(&busy, t(10)).await.unwrap();
    assert!(s
        .claim_deliveries(1000, t(9), t(20))
        .await
        .unwrap()
        .is_empty());
    let again = s.claim_deliveries(1000, t(10), t(20)).await.unwrap();
    assert_eq!(again.iter().map(|d| d.id).collect::<Vec<_>>(), busy);
    assert!(again.iter().all(|d| d.attempts == 0));
}

/// Finished work older than the limit goes; pending work, and what is newer, stays whole.
async fn history_purge(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let events = two_claimed(s, &g, t(600)).await;
    let (old, new) = (
        "https://local.example/activities/old",
        "https://local.example/activities/new",
    );
    let shared = |activity: &str, inbox: String| NewDelivery {
        activity_ap_id: activity.into(),
        signer_actor_id: g.id,
        inbox,
        payload: format!("{{\"id\":\"{activity}\",\"big\":\"{}\"}}", "x".repeat(2000)),
    };
    // At t(0): one document to 30 inboxes (shared), and one alone.
    let mut first: Vec<NewDelivery> = (0..30)
        .map(|i| shared(old, format!("https://h{i}.example/inbox")))
        .collect();
    first.push(delivery(old, g.id, "https://alone.example/inbox"));
    s.complete_outbox_event(events[0].id, first, t(0))
        .await
        .unwrap();
    // At t(100): another document to 3 inboxes, still pending at the purge.
    let second: Vec<NewDelivery> = (0..3)
        .map(|i| shared(new, format!("https://n{i}.example/inbox")))
        .collect();
    s.complete_outbox_event(events[1].id, second.clone(), t(100))
        .await
        .unwrap();

    let claimed = s.claim_deliveries(100, t(1), t(2)).await.unwrap();
    let of = |activity: &str| -> Vec<i64> {
        claimed
            .iter()
            .filter(|d| d.activity_ap_id == activity)
            .map(|d| d.id)
            .collect()
    };
    let olds = of(old);
    assert_eq!(olds.len(), 31);
    // 25 of the old ones delivered, 3 given up, 3 still pending (retried later).
    s.mark_delivered_many(&olds[..25], t(1)).await.unwrap();
    for id in &olds[25..28] {
        s.mark_delivery_failed(*id, "410 Gone", None, t(1))
            .await
            .unwrap();
    }
    for id in &olds[28..] {
        s.mark_delivery_failed(*id, "timeout", Some(t(300)), t(1))
            .await
            .unwrap();
    }
    s.defer_deliveries(&of(new), t(100)).await.unwrap();
    assert!(s
        .record_received_activity("https://r.example/a/1", t(0))
        .await
        .unwrap());
    assert!(s
        .record_received_activity("https://r.example/a/2", t(200))
        .await
        .unwrap());
    assert_eq!(s.queue_stats().await.unwrap(), stats(6, 25, 3));

    // Nothing is older than t(0): nothing goes.
    assert_eq!(s.purge_history(t(0), 5000).await.unwrap().total(), 0);

    // Before t(150), in batches of 10: the 28 finished old deliveries, the processed events,
    // the old mark. The old shared document stays: three of its deliveries are pending.
    let mut gone = PurgedHistory::default();
    loop {
        let round = s.purge_history(t(150), 10).await.unwrap();
        assert!(round.deliveries <= 10 && round.received <= 10);
        if round.total() == 0 {
            break;
        }
        gone += round;
    }
    assert_eq!(
        gone,
        PurgedHistory {
            deliveries: 28,
            payloads: 0,
            events: 2,
            received: 1
        }
    );
    assert_eq!(s.queue_stats().await.unwrap(), stats(6, 0, 0));
    assert!(
        s.record_received_activity("https://r.example/a/1", t(201))
            .await
            .unwrap(),
        "a purged mark is forgotten"
    );
    assert!(
        !s.record_received_activity("https://r.example/a/2", t(201))
            .await
            .unwrap(),
        "a newer mark is kept"
    );

    // The pending deliveries still carry their whole document.
    let due = s.claim_deliveries(100, t(300), t(301)).await.unwrap();
    assert_eq!(due.len(), 6);
    for d in &due {
        let expected = if d.inbox == "https://alone.example/inbox" {
            delivery(old, g.id, &d.inbox).payload
        } else {
            shared(&d.activity_ap_id, d.inbox.clone()).payload
        };
        assert_eq!(d.payload, expected, "{}", d.inbox);
    }
    // Once delivered and old enough, they and both documents go too.
    let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
    s.mark_delivered_many(&ids, t(300)).await.unwrap();
    assert_eq!(
        s.purge_history(t(301), 5000).await.unwrap(),
        PurgedHistory {
            deliveries: 6,
            payloads: 2,
            events: 0,
            received: 2
        }
    );
    assert_eq!(s.queue_stats().await.unwrap(), QueueStats::default());
}

async fn deliveries(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    assert_eq!(s.next_delivery_due().await.unwrap(), None);
    let events = two_claimed(s, &g, t(60)).await;

    let (a, b) = (
        "https://local.example/activities/a",
        "https://local.example/activities/b",
    );
    let (inbox1, inbox2) = ("https://one.example/inbox", "https://two.example/inbox");
    // (activity, inbox) is delivered once, even when listed twice.
    s.complete_outbox_event(
        events[0].id,
        vec![
            delivery(a, g.id, inbox1),
            delivery(a, g.id, inbox2),
            delivery(a, g.id, inbox1),
            delivery(b, g.id, inbox1),
        ],
        t(0),
    )
    .await
    .unwrap();
    assert_eq!(
        s.queue_stats().await.unwrap(),
        stats(4, 0, 0),
        "3 deliveries + 1 event"
    );
    // … and across events.
    s.complete_outbox_event(events[1].id, vec![delivery(a, g.id, inbox2)], t(1))
        .await
        .unwrap();
    assert_eq!(s.queue_stats().await.unwrap(), stats(3, 0, 0));
    assert_eq!(s.next_delivery_due().await.unwrap(), Some(t(0)));

    // Not before it is due.
    assert!(s
        .claim_deliveries(10, t(-1), t(5))
        .await
        .unwrap()
        .is_empty());
    let first = s.claim_deliveries(2, t(0), t(5)).await.unwrap();
    assert_eq!(first.len(), 2);
    assert!(first[0].id < first[1].id);
    let rest = s.claim_deliveries(10, t(1), t(5)).await.unwrap();
    assert_eq!(rest.len(), 1);
    let all: Vec<_> = first.iter().chain(rest.iter()).collect();
    let pairs: BTreeSet<(String, String)> = all
        .iter()
        .map(|d| (d.activity_ap_id.clone(), d.inbox.clone()))
        .collect();
    let expected: BTreeSet<(String, String)> = [(a, inbox1), (a, inbox2), (b, inbox1)]
        .iter()
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .collect();
    assert_eq!(pairs, expected);
    for d in &all {
        assert_eq!(d.signer_actor_id, g.id);
        assert_eq!(d.attempts, 0);
        assert_eq!(
            d.payload,
            delivery(&d.activity_ap_id, g.id, &d.inbox).payload
        );
    }
    // Leased: nobody else gets them until the lease ends.
    assert!(s.claim_deliveries(10, t(2), t(8)).await.unwrap().is_empty());
    assert!(s.claim_deliveries(10, t(5), t(8)).await.unwrap().is_empty());

    let (d1, d2, d3) = (all[0].clone(), all[1].clone(), all[2].clone());
    s.mark_delivered_many(&[d1.id], t(2)).await.unwrap();
    assert_eq!(s.queue_stats().await.unwrap(), stats(2, 1, 0));
    // A failure with a retry: pending again at the given time, with one more attempt.
    s.mark_delivery_failed(d2.id, "connection refused", Some(t(30)), t(2))
        .await
        .unwrap();
    assert_eq!(s.queue_stats().await.unwrap(), stats(2, 1, 0));
    // d3's worker died: its lease ends at t(5), d2 waits until t(30), d1 is done.
    let retry = s.claim_deliveries(10, t(10), t(40)).await.unwrap();
    assert_eq!(ids(&retry, |d| d.id), vec![d3.id]);
    assert_eq!(retry[0].attempts, 0);
    assert!(s
        .claim_deliveries(10, t(29), t(40))
        .await
        .unwrap()
        .is_empty());
    let due = s.claim_deliveries(10, t(30), t(60)).await.unwrap();
    assert_eq!(ids(&due, |d| d.id), vec![d2.id]);
    assert_eq!(due[0].attempts, 1);
    // Given up: failed for good, never claimed again.
    s.mark_delivery_failed(d2.id, &"x".repeat(5000), None, t(31))
        .await
        .unwrap();
    assert_eq!(s.queue_stats().await.unwrap(), stats(1, 1, 1));
    assert_eq!(
        s.next_delivery_due().await.unwrap(),
        Some(t(0)),
        "d3 is still pending"
    );
    // Many at once (the delivery worker writes its successes in groups); none is fine too.
    s.mark_delivered_many(&[], t(32)).await.unwrap();
    s.mark_delivered_many(&[d3.id], t(32)).await.unwrap();
    assert_eq!(s.queue_stats().await.unwrap(), stats(0, 2, 1));
    assert_eq!(s.next_delivery_due().await.unwrap(), None);
    assert!(s
        .claim_deliveries(10, t(100_000), t(100_005))
        .await
        .unwrap()
        .is_empty());

    // next_delivery_due is the earliest pending attempt.
    let ev = mission(s, g.id, "three", t(60)).await;
    let claimed = s.claim_outbox_events(10, t(0), t(5)).await.unwrap();
    assert_eq!(claimed.len(), 1, "{ev:?}");
    s.complete_outbox_event(
        claimed[0].id,
        vec![
            delivery(b, g.id, inbox2),
            delivery("https://local.example/activities/c", g.id, inbox2),
        ],
        t(50),
    )
    .await
    .unwrap();
    let new = s.claim_deliveries(10, t(50), t(55)).await.unwrap();
    assert_eq!(new.len(), 2);
    s.mark_delivery_failed(new[0].id, "503", Some(t(90)), t(51))
        .await
        .unwrap();
    s.mark_delivery_failed(new[1].id, "503", Some(t(70)), t(51))
        .await
        .unwrap();
    assert_eq!(s.next_delivery_due().await.unwrap(), Some(t(70)));
}

// ---------------------------------------------------------------------------------------------
// Concurrency: two stores (two pools) on one database, claiming at the same time.

/// Fills the queue with `n` deliveries and `events` outbox events, then lets two stores claim
/// in parallel until nothing is left: each item must be claimed exactly once.
async fn claims_are_exclusive(s1: DynStore, s2: DynStore) {
    const DELIVERIES: usize = 120;
    const EVENTS: usize = 40;
    let g = group(s1.as_ref(), "epicerie", None).await;
    mission(s1.as_ref(), g.id, "seed", t(60)).await;
    let seed = s1.claim_outbox_events(1, t(0), t(1)).await.unwrap();
    let batch: Vec<NewDelivery> = (0..DELIVERIES)
        .map(|i| {
            delivery(
                "https://local.example/activities/a",
                g.id,
                &format!("https://n{i}.example/inbox"),
            )
        })
        .collect();
    s1.complete_outbox_event(seed[0].id, batch, t(0))
        .await
        .unwrap();
    for i in 0..EVENTS {
        let (f, e) =
            crate::actors::follow_request(g.id, &format!("https://n{i}.example/g/x"), i as u32);
        s2.add_following(f, e, t(0)).await.unwrap();
    }

    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
    let worker = |s: std::sync::Arc<dyn Store>, barrier: std::sync::Arc<tokio::sync::Barrier>| {
        tokio::spawn(async move {
            barrier.wait().await;
            let (mut deliveries, mut events) = (Vec::new(), Vec::new());
            loop {
                let d = s.claim_deliveries(3, t(0), t(60)).await.unwrap();
                let e = s.claim_outbox_events(2, t(0), t(60)).await.unwrap();
                if d.is_empty() && e.is_empty() {
                    break;
                }
                deliveries.extend(d.into_iter().map(|d| d.id));
                events.extend(e.into_iter().map(|e| e.id));
                tokio::task::yield_now().await;
            }
            (deliveries, events)
        })
    };
    let one = worker(s1.clone(), barrier.clone());
    let two = worker(s2.clone(), barrier);
    let (d1, e1) = one.await.unwrap();
    let (d2, e2) = two.await.unwrap();
    for (what, a, b, total) in [
        ("delivery", &d1, &d2, DELIVERIES),
        ("event", &e1, &e2, EVENTS),
    ] {
        let sa: BTreeSet<i64> = a.iter().copied().collect();
        let sb: BTreeSet<i64> = b.iter().copied().collect();
        assert_eq!(
            sa.len(),
            a.len(),
            "a {what} was claimed twice by the same worker"
        );
        assert_eq!(
            sb.len(),
            b.len(),
            "a {what} was claimed twice by the same worker"
        );
        let both: Vec<_> = sa.intersection(&sb).collect();
        assert!(both.is_empty(), "{what}s claimed by both workers: {both:?}");
        assert_eq!(sa.len() + sb.len(), total, "every {what} is claimed");
    }
    eprintln!(
        "claims: worker one {} deliveries / {} events, worker two {} / {}",
        d1.len(),
        e1.len(),
        d2.len(),
        e2.len()
    );
}
