//! The federation queue (`FederationStore`), part one: received marks and outbox events.

use crate::fixtures::*;
use entraide::{
    domain::events::Outgoing,
    storage::{OutboxEvent, QueueStats, Store},
};
use serde_json::json;

on_both_backends!(
    received_activities,
    outbox_claims_and_leases,
    events_queued_alone
);

async fn received_activities(s: &dyn Store) {
    let a = "https://remote.example/activities/1";
    let b = "https://remote.example/activities/2";
    assert!(s.record_received_activity(a, t(0)).await.unwrap());
    assert!(
        !s.record_received_activity(a, t(1)).await.unwrap(),
        "a redelivered activity is a duplicate"
    );
    assert!(s.record_received_activity(b, t(1)).await.unwrap());
    // Forgotten (processing failed): the retry is new again.
    s.forget_received_activity(a).await.unwrap();
    assert!(s.record_received_activity(a, t(2)).await.unwrap());
    assert!(!s.record_received_activity(b, t(2)).await.unwrap());
    s.forget_received_activity("https://remote.example/never")
        .await
        .unwrap();

    // Many at once (committed in groups): each id is new exactly once, a known one never.
    let ids: Vec<String> = (0..300)
        .map(|i| format!("https://remote.example/burst/{}", i % 200))
        .collect();
    let answers = futures::future::join_all(
        ids.iter()
            .map(|id| s.record_received_activity(id, t(3)))
            .chain([s.record_received_activity(b, t(3))]),
    )
    .await;
    let answers: Vec<bool> = answers.into_iter().map(|r| r.unwrap()).collect();
    assert_eq!(answers.iter().filter(|new| **new).count(), 200);
    assert!(!answers[300], "an id recorded earlier is a duplicate");
    // burst/0…99 were asked twice (positions i and i + 200): new exactly once.
    for i in 0..100 {
        assert!(answers[i] ^ answers[i + 200], "burst/{i}: new once");
    }
    assert!(answers[100..200].iter().all(|new| *new));
    assert!(!s
        .record_received_activity("https://remote.example/burst/7", t(4))
        .await
        .unwrap());
}

fn event_ids(events: &[OutboxEvent]) -> Vec<i64> {
    ids(events, |e| e.id)
}

async fn outbox_claims_and_leases(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    assert!(s
        .claim_outbox_events(10, t(0), t(5))
        .await
        .unwrap()
        .is_empty());
    let m1 = mission(s, g.id, "one", t(60)).await;
    let m2 = mission(s, g.id, "two", t(60)).await;
    let m3 = mission(s, g.id, "three", t(60)).await;
    assert_eq!(s.queue_stats().await.unwrap(), stats(3, 0, 0));

    // Claimed in order, at most `limit`, each until its lease ends.
    let first = s.claim_outbox_events(2, t(0), t(5)).await.unwrap();
    assert_eq!(
        first.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
        vec![
            Outgoing::MissionPublished { mission_id: m1.id },
            Outgoing::MissionPublished { mission_id: m2.id }
        ]
    );
    assert!(first[0].id < first[1].id);
    let second = s.claim_outbox_events(10, t(1), t(6)).await.unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(
        second[0].event,
        Outgoing::MissionPublished { mission_id: m3.id }
    );
    assert!(
        s.claim_outbox_events(10, t(4), t(9))
            .await
            .unwrap()
            .is_empty(),
        "all leased"
    );
    // A lease is held up to its end, inclusive.
    assert!(s
        .claim_outbox_events(10, t(5), t(9))
        .await
        .unwrap()
        .is_empty());

    // The first is done; the second's lease ran out (its worker died): it is claimed again.
    s.complete_outbox_event(first[0].id, Vec::new(), t(4))
        .await
        .unwrap();
    let again = s.claim_outbox_events(10, t(6), t(20)).await.unwrap();
    assert_eq!(event_ids(&again), vec![first[1].id]);
    let third = s.claim_outbox_events(10, t(7), t(20)).await.unwrap();
    assert_eq!(event_ids(&third), event_ids(&second));
    assert_eq!(s.queue_stats().await.unwrap().pending, 2);

    // Completed events never come back; the others do once every lease is over.
    let late = s.claim_outbox_events(10, t(1000), t(1005)).await.unwrap();
    assert_eq!(event_ids(&late), vec![first[1].id, second[0].id]);
    for e in &late {
        s.complete_outbox_event(e.id, Vec::new(), t(1001))
            .await
            .unwrap();
    }
    assert!(s
        .claim_outbox_events(10, t(5000), t(5005))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(s.queue_stats().await.unwrap(), QueueStats::default());
}

/// An event recorded on its own (nothing else changes with it) is queued like any other: in
/// order, whole, once.
async fn events_queued_alone(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let refused = Outgoing::JoinRefused {
        local_actor_id: g.id,
        join: json!({"id": "https://remote.example/join/1", "type": "Join"}),
        reason: "several slots".into(),
    };
    let undone = Outgoing::FollowUndone {
        local_actor_id: g.id,
        target_ap_id: "https://remote.example/g/voisins".into(),
        follow_ap_id: format!("{BASE}/follows/1"),
    };
    s.queue_event(refused.clone(), t(1)).await.unwrap();
    let m = mission(s, g.id, "between", t(60)).await;
    s.queue_event(undone.clone(), t(2)).await.unwrap();
    assert_eq!(s.queue_stats().await.unwrap().pending, 3);
    assert_eq!(
        take_events(s).await,
        vec![
            refused,
            Outgoing::MissionPublished { mission_id: m.id },
            undone
        ]
    );
    assert!(take_events(s).await.is_empty());
    assert_eq!(s.queue_stats().await.unwrap(), QueueStats::default());
}
