//! Notifications (`NotificationStore`): notices recorded once per key (with the direct message
//! that carries one, or beside the outbox event that planned it), the mail worker's leases and
//! retries, reading them back, and who is due a reminder.

use crate::fixtures::*;
use entraide::{
    domain::slot::{Participant, ParticipationStatus},
    storage::{NewDelivery, NewNotification, Notification, RemoteSlot, Store},
};

on_both_backends!(
    notices_recorded_once,
    mail_leases_and_retries,
    notices_with_their_event,
    reminder_candidates
);

fn email(participation_id: Option<i64>, key: &str) -> NewNotification {
    NewNotification {
        participation_id,
        kind: "confirmed".into(),
        channel: "email".into(),
        recipient: "alice@example.org".into(),
        subject: format!("Subject {key}"),
        body_text: format!("Body {key}"),
        status: "pending".into(),
        dedupe_key: key.into(),
        delivery: None,
    }
}

fn direct_message(participation_id: Option<i64>, key: &str, signer: i64) -> NewNotification {
    NewNotification {
        channel: "fediverse".into(),
        recipient: "https://remote.example/u/zoe".into(),
        status: "federated".into(),
        delivery: Some(delivery(
            &format!("{BASE}/dm/{key}"),
            signer,
            "https://remote.example/u/zoe/inbox",
        )),
        ..email(participation_id, key)
    }
}

/// What was recorded of a notice, and how it stands.
fn stands(n: &Notification) -> (&str, &str, i64, Option<&str>) {
    (
        n.dedupe_key.as_str(),
        n.status.as_str(),
        n.attempts,
        n.last_error.as_deref(),
    )
}

async fn notices_recorded_once(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let alice = user(s, "alice").await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let sl = slot(s, m.id, "a", slot_draft(100, 60, 2)).await;
    let p = signed_up(s, request(sl.id, local(&alice), "a", true), t(1)).await;
    let skipped = NewNotification {
        status: "skipped".into(),
        ..email(Some(p.id), "k3")
    };
    let batch = vec![
        email(Some(p.id), "k1"),
        direct_message(Some(p.id), "k2", g.id),
        skipped,
    ];
    assert_eq!(
        s.record_notifications(batch.clone(), t(2)).await.unwrap(),
        3
    );
    // A known key is not recorded again, nor its direct message queued again.
    let again = vec![
        email(Some(p.id), "k1"),
        direct_message(Some(p.id), "k2", g.id),
        email(None, "k4"),
    ];
    assert_eq!(s.record_notifications(again, t(3)).await.unwrap(), 1);
    assert_eq!(s.record_notifications(Vec::new(), t(3)).await.unwrap(), 0);
    let queued = s.claim_deliveries(10, t(3), t(4)).await.unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(
        queued[0].payload,
        batch[1].delivery.as_ref().unwrap().payload
    );

    // Read back whole: a direct message counts as sent when recorded.
    let of_p = s.list_notifications(Some(p.id), 10).await.unwrap();
    assert_eq!(of_p.len(), 3);
    let first = &of_p[0];
    assert_eq!(first.participation_id, Some(p.id));
    assert_eq!(
        (
            first.kind.as_str(),
            first.channel.as_str(),
            first.recipient.as_str()
        ),
        ("confirmed", "email", "alice@example.org")
    );
    assert_eq!(
        (first.subject.as_str(), first.body_text.as_str()),
        ("Subject k1", "Body k1")
    );
    assert_eq!(
        (first.created_at, first.next_attempt_at, first.sent_at),
        (t(2), t(2), None)
    );
    assert_eq!(
        of_p.iter().map(stands).collect::<Vec<_>>(),
        vec![
            ("k1", "pending", 0, None),
            ("k2", "federated", 0, None),
            ("k3", "skipped", 0, None),
        ]
    );
    assert_eq!(of_p[1].sent_at, Some(t(2)));
    // One sign-up's in order, at most `limit`; all of them newest first.
    assert_eq!(
        ids(&s.list_notifications(Some(p.id), 2).await.unwrap(), |n| n
            .id),
        vec![of_p[0].id, of_p[1].id]
    );
    let newest = s.list_notifications(None, 2).await.unwrap();
    assert_eq!(
        newest
            .iter()
            .map(|n| n.dedupe_key.as_str())
            .collect::<Vec<_>>(),
        vec!["k4", "k3"]
    );
    assert_eq!(newest[0].participation_id, None);
    assert!(s
        .list_notifications(Some(p.id + 1000), 10)
        .await
        .unwrap()
        .is_empty());
}

async fn mail_leases_and_retries(s: &dyn Store) {
    let later = NewNotification {
        kind: "reminder".into(),
        ..email(None, "b")
    };
    s.record_notifications(vec![email(None, "a")], t(0))
        .await
        .unwrap();
    s.record_notifications(vec![later, email(None, "c")], t(1))
        .await
        .unwrap();
    let skipped = NewNotification {
        status: "skipped".into(),
        ..email(None, "s")
    };
    s.record_notifications(vec![skipped], t(0)).await.unwrap();

    // Due ones only (emails to send), oldest due first, at most `limit`, each leased.
    assert!(s
        .claim_notifications(10, t(-1), t(5))
        .await
        .unwrap()
        .is_empty());
    let first = s.claim_notifications(2, t(1), t(5)).await.unwrap();
    let keys =
        |ns: &[Notification]| -> Vec<String> { ns.iter().map(|n| n.dedupe_key.clone()).collect() };
    assert_eq!(keys(&first), vec!["a", "b"]);
    assert_eq!(
        keys(&s.claim_notifications(10, t(2), t(5)).await.unwrap()),
        vec!["c"]
    );
    assert!(
        s.claim_notifications(10, t(5), t(9))
            .await
            .unwrap()
            .is_empty(),
        "leased"
    );

    // Sent: done for good.
    s.mark_notification_sent(first[0].id, t(3)).await.unwrap();
    // A failure with a retry: due again then, the error kept (cut to 1000 characters).
    s.mark_notification_failed(first[1].id, &"é".repeat(1500), Some(t(30)), t(3))
        .await
        .unwrap();
    // The third's worker died: claimed again once its lease is over.
    assert_eq!(
        keys(&s.claim_notifications(10, t(6), t(40)).await.unwrap()),
        vec!["c"]
    );
    assert!(s
        .claim_notifications(10, t(29), t(40))
        .await
        .unwrap()
        .is_empty());
    let retry = s.claim_notifications(10, t(30), t(40)).await.unwrap();
    assert_eq!(keys(&retry), vec!["b"]);
    assert_eq!(retry[0].attempts, 1);
    assert_eq!(retry[0].next_attempt_at, t(30));
    assert_eq!(
        retry[0].last_error.as_deref().map(|e| e.chars().count()),
        Some(1000)
    );
    // Given up: failed, never claimed again.
    s.mark_notification_failed(first[1].id, "550 no such user", None, t(31))
        .await
        .unwrap();
    assert_eq!(
        keys(
            &s.claim_notifications(10, t(10_000), t(10_001))
                .await
                .unwrap()
        ),
        vec!["c"]
    );

    let all = s.list_notifications(None, 10).await.unwrap();
    let by_key = |k: &str| all.iter().find(|n| n.dedupe_key == k).unwrap().clone();
    let sent = by_key("a");
    assert_eq!(
        (sent.status.as_str(), sent.attempts, sent.sent_at),
        ("sent", 1, Some(t(3)))
    );
    assert_eq!(
        stands(&by_key("b")),
        ("b", "failed", 2, Some("550 no such user"))
    );
    assert_eq!(stands(&by_key("c")), ("c", "pending", 0, None));
}

async fn notices_with_their_event(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    s.record_notifications(vec![direct_message(None, "known", g.id)], t(0))
        .await
        .unwrap();
    let known_delivery = s.claim_deliveries(10, t(0), t(1)).await.unwrap();
    s.mark_delivered_many(&ids(&known_delivery, |d| d.id), t(0))
        .await
        .unwrap();
    mission(s, g.id, "distribution", t(60)).await;
    let events = s.claim_outbox_events(10, t(0), t(5)).await.unwrap();
    assert_eq!(events.len(), 1);

    // The event is done, its deliveries queued, its new notices recorded (a known key is
    // skipped with its direct message), all at once.
    let plain = delivery(
        &format!("{BASE}/activities/1"),
        g.id,
        "https://one.example/inbox",
    );
    let notices = vec![
        email(None, "new"),
        direct_message(None, "new-dm", g.id),
        NewNotification {
            subject: "changed".into(),
            ..direct_message(None, "known", g.id)
        },
    ];
    s.complete_outbox_event_with(events[0].id, vec![plain.clone()], notices, t(2))
        .await
        .unwrap();
    assert!(s
        .claim_outbox_events(10, t(100), t(105))
        .await
        .unwrap()
        .is_empty());
    // Compared by activity: the claim order of deliveries due together is not promised.
    let by_activity = |mut ds: Vec<NewDelivery>| {
        ds.sort_by(|a, b| a.activity_ap_id.cmp(&b.activity_ap_id));
        ds
    };
    let queued: Vec<NewDelivery> = s
        .claim_deliveries(10, t(2), t(3))
        .await
        .unwrap()
        .into_iter()
        .map(|d| NewDelivery {
            activity_ap_id: d.activity_ap_id,
            signer_actor_id: d.signer_actor_id,
            inbox: d.inbox,
            payload: d.payload,
        })
        .collect();
    let expected = vec![
        plain,
        direct_message(None, "new-dm", g.id).delivery.unwrap(),
    ];
    assert_eq!(by_activity(queued), by_activity(expected));
    let all = s.list_notifications(None, 10).await.unwrap();
    assert_eq!(
        all.iter()
            .map(|n| n.dedupe_key.as_str())
            .collect::<Vec<_>>(),
        vec!["new-dm", "new", "known"]
    );
    assert_eq!(all[2].subject, "Subject known", "the first one stays");
}

async fn reminder_candidates(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let [alice, bob, carol] = users(s, ["alice", "bob", "carol"]).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let soon = slot(s, m.id, "soon", slot_draft(100, 60, 5)).await;
    let sooner = slot(s, m.id, "sooner", slot_draft(80, 10, 5)).await;
    let edge = slot(s, m.id, "edge", slot_draft(50, 10, 5)).await;
    let far = slot(s, m.id, "far", slot_draft(500, 60, 5)).await;
    let cancelled = slot(s, m.id, "cancelled", slot_draft(90, 60, 5)).await;
    let zoe = Participant::Remote {
        actor_ap_id: "https://remote.example/u/zoe".into(),
    };
    let a = signed_up(s, request(soon.id, local(&alice), "a", true), t(1)).await;
    let z = signed_up(s, request(sooner.id, zoe, "z", true), t(1)).await;
    signed_up(s, request(soon.id, local(&bob), "b", false), t(1)).await; // pending
    signed_up(s, request(edge.id, local(&bob), "b2", true), t(1)).await; // starts at `from`
    signed_up(s, request(far.id, local(&bob), "b3", true), t(1)).await; // after `to`
    signed_up(s, request(cancelled.id, local(&carol), "c", true), t(1)).await;
    s.cancel_slot(cancelled.id, t(2)).await.unwrap();
    // Our user on another server's slot, accepted by its owner.
    let rm = remote_source(s).await;
    let theirs = s
        .upsert_remote_slot(
            rm.id,
            "https://remote.example/s/1",
            RemoteSlot {
                start_time: t(95),
                end_time: t(120),
                capacity: 4,
                participant_count: 0,
                cancelled: false,
                updated: t(0),
            },
        )
        .await
        .unwrap();
    let c = signed_up(s, request(theirs.id, local(&carol), "c2", false), t(1)).await;
    s.record_join_answer(&c.join_ap_id, true, "", t(2))
        .await
        .unwrap();

    let due = s.reminder_candidates(t(50), t(100)).await.unwrap();
    let got: Vec<(i64, i64)> = due.iter().map(|(p, sl)| (p.id, sl.id)).collect();
    assert_eq!(
        got,
        vec![(z.id, sooner.id), (c.id, theirs.id), (a.id, soon.id)]
    );
    assert!(due
        .iter()
        .all(|(p, _)| p.status == ParticipationStatus::Accepted));
    assert_eq!(due[2].1, s.get_slot(soon.id).await.unwrap());

    // Reminded once: a reminder recorded for a sign-up takes it off the list.
    let reminder = NewNotification {
        kind: "reminder".into(),
        ..email(Some(a.id), "reminder-a")
    };
    s.record_notifications(vec![reminder], t(3)).await.unwrap();
    let other_kind = email(Some(z.id), "confirmed-z");
    s.record_notifications(vec![other_kind], t(3))
        .await
        .unwrap();
    let due = s.reminder_candidates(t(50), t(100)).await.unwrap();
    assert_eq!(ids(&due, |(p, _)| p.id), vec![z.id, c.id]);
    assert!(s
        .reminder_candidates(t(600), t(700))
        .await
        .unwrap()
        .is_empty());
}
