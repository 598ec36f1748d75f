//! Slots (`SlotStore`): local slots and their events, changes and cancellation, remote slots;
//! and the answers to our joins on other servers (`ParticipationStore::record_join_answer`).

use crate::fixtures::*;
use entraide::{
    domain::{
        events::Outgoing,
        slot::{Participant, ParticipationStatus, Refusal, SlotStatus},
    },
    storage::{RemoteMission, RemoteSlot, Store, StoreError},
};

on_both_backends!(
    slots_create_and_read,
    slots_of_several_missions,
    slot_changes,
    slot_cancellation,
    remote_slots,
    slot_updated_only_moves_forward,
    remote_mission_counts_its_slots,
    join_answers
);

async fn slots_create_and_read(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    take_events(s).await;
    let made = s
        .create_slots(
            m.id,
            vec![
                (format!("{BASE}/s/late"), slot_draft(200, 60, 2)),
                (format!("{BASE}/s/early"), slot_draft(100, 30, 1)),
            ],
            t(1),
        )
        .await
        .unwrap();
    assert_eq!(made.len(), 2);
    let (late, early) = (made[0].clone(), made[1].clone());
    assert_eq!(late.ap_id, format!("{BASE}/s/late"));
    assert_eq!(late.mission_id, m.id);
    assert!(late.local);
    assert_eq!((late.start_time, late.end_time), (t(200), t(260)));
    assert_eq!((late.capacity, late.participant_count), (2, 0));
    assert_eq!(late.status, SlotStatus::Open);
    assert_eq!(late.updated, t(1));
    // Recorded with the slots, in the same transaction: one event naming them in order.
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::SlotsPublished {
            mission_id: m.id,
            slot_ids: vec![late.id, early.id]
        }]
    );

    // Listed soonest first; read by id and by ActivityPub id.
    assert_eq!(
        s.list_slots(m.id).await.unwrap(),
        vec![early.clone(), late.clone()]
    );
    assert!(s.list_slots(m.id + 1000).await.unwrap().is_empty());
    assert_eq!(s.get_slot(late.id).await.unwrap(), late);
    assert!(matches!(
        s.get_slot(late.id + 1000).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        s.find_slot_by_ap_id(&early.ap_id).await.unwrap(),
        Some(early.clone())
    );
    assert_eq!(
        s.find_slot_by_ap_id(&format!("{BASE}/s/none"))
            .await
            .unwrap(),
        None
    );

    // A known id is a conflict, and the whole batch is left out with its event.
    let batch = vec![
        (format!("{BASE}/s/new"), slot_draft(300, 60, 1)),
        (format!("{BASE}/s/late"), slot_draft(400, 60, 1)),
    ];
    assert!(matches!(
        s.create_slots(m.id, batch, t(2)).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(s.list_slots(m.id).await.unwrap().len(), 2);
    assert_eq!(
        s.find_slot_by_ap_id(&format!("{BASE}/s/new"))
            .await
            .unwrap(),
        None
    );
    assert!(take_events(s).await.is_empty());

    // No slot for a mission that is not there (or deleted).
    assert!(matches!(
        s.create_slots(
            m.id + 1000,
            vec![(format!("{BASE}/s/x"), slot_draft(1, 1, 1))],
            t(2)
        )
        .await,
        Err(StoreError::NotFound(_))
    ));
    s.delete_mission(m.id, t(3)).await.unwrap();
    assert!(matches!(
        s.create_slots(
            m.id,
            vec![(format!("{BASE}/s/y"), slot_draft(1, 1, 1))],
            t(3)
        )
        .await,
        Err(StoreError::NotFound(_))
    ));
}

/// The slots of a list of missions in one read, grouped by mission, soonest first.
async fn slots_of_several_missions(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let m1 = mission(s, g.id, "distribution", t(60)).await;
    let m2 = mission(s, g.id, "collecte", t(60)).await;
    let bare = mission(s, g.id, "rien", t(60)).await;
    let late = slot(s, m1.id, "late", slot_draft(200, 60, 2)).await;
    let early = slot(s, m1.id, "early", slot_draft(100, 30, 1)).await;
    let other = slot(s, m2.id, "other", slot_draft(150, 60, 4)).await;
    assert!(s.list_slots_of_missions(&[]).await.unwrap().is_empty());
    let found = s
        .list_slots_of_missions(&[m1.id, m2.id, bare.id, m2.id + 1000])
        .await
        .unwrap();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[&m1.id], vec![early, late]);
    assert_eq!(found[&m2.id], vec![other.clone()]);
    let one = s.list_slots_of_missions(&[m2.id]).await.unwrap();
    assert_eq!(one.get(&m2.id), Some(&vec![other]));
    assert!(!one.contains_key(&m1.id));
}

async fn slot_changes(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let [alice, bob] = users(s, ["alice", "bob"]).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let sl = slot(s, m.id, "a", slot_draft(100, 60, 3)).await;
    take_events(s).await;

    // The capacity alone: `SlotChanged`.
    let wider = s
        .update_slot(sl.id, slot_draft(100, 60, 5), t(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((wider.capacity, wider.updated), (5, t(5)));
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::SlotChanged { slot_id: sl.id }]
    );
    // The times: `SlotRescheduled` (the people signed up are told).
    let moved = s
        .update_slot(sl.id, slot_draft(120, 90, 5), t(6))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((moved.start_time, moved.end_time), (t(120), t(210)));
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::SlotRescheduled { slot_id: sl.id }]
    );
    assert_eq!(s.get_slot(sl.id).await.unwrap(), moved);

    // Never below the places taken: refused, nothing changes.
    for who in [&alice, &bob] {
        signed_up(s, request(sl.id, local(who), &who.name, true), t(7)).await;
    }
    take_events(s).await;
    assert_eq!(
        s.update_slot(sl.id, slot_draft(120, 90, 1), t(8))
            .await
            .unwrap(),
        Err(Refusal::Full)
    );
    let kept = s.get_slot(sl.id).await.unwrap();
    assert_eq!((kept.capacity, kept.participant_count), (5, 2));
    assert!(take_events(s).await.is_empty());
    // Down to exactly the places taken is fine.
    let exact = s
        .update_slot(sl.id, slot_draft(120, 90, 2), t(9))
        .await
        .unwrap();
    assert_eq!(exact.unwrap().remaining(), 0);

    assert!(matches!(
        s.update_slot(sl.id + 1000, slot_draft(1, 1, 1), t(9)).await,
        Err(StoreError::NotFound(_))
    ));
    // Another server's slot is changed by its owner only.
    let remote = remote_slot_of(s).await;
    assert!(matches!(
        s.update_slot(remote.id, slot_draft(1, 1, 9), t(9)).await,
        Err(StoreError::NotFound(_))
    ));
}

/// Two sign-ups racing for a slot read the clock before its lock: the one that commits second
/// may carry the earlier time. Every change still dates the slot after the one before, so
/// that the copies, which keep the newest `updated`, never keep an older count.
async fn slot_updated_only_moves_forward(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let [alice, bob] = users(s, ["alice", "bob"]).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let sl = slot(s, m.id, "a", slot_draft(100, 60, 3)).await;
    let mut last = sl.updated;
    let mut moved_forward = |now_updated: chrono::DateTime<chrono::Utc>, what: &str| {
        assert!(now_updated > last, "{what}: {now_updated} after {last}");
        last = now_updated;
    };
    let a = signed_up(s, request(sl.id, local(&alice), "a", true), t(5)).await;
    assert_eq!(a.status, ParticipationStatus::Accepted);
    moved_forward(s.get_slot(sl.id).await.unwrap().updated, "first sign-up");
    // The second committed with a clock read before the first's.
    let b = signed_up(s, request(sl.id, local(&bob), "b", true), t(4)).await;
    assert_eq!(b.status, ParticipationStatus::Accepted);
    let after_b = s.get_slot(sl.id).await.unwrap();
    assert_eq!(after_b.participant_count, 2);
    moved_forward(after_b.updated, "second sign-up, earlier clock");
    s.withdraw_participation(b.id, t(3)).await.unwrap();
    moved_forward(s.get_slot(sl.id).await.unwrap().updated, "withdrawal");
    let changed = s
        .update_slot(sl.id, slot_draft(100, 60, 4), t(2))
        .await
        .unwrap()
        .unwrap();
    moved_forward(changed.updated, "change of capacity");
    s.cancel_slot(sl.id, t(1)).await.unwrap();
    moved_forward(s.get_slot(sl.id).await.unwrap().updated, "cancellation");
    // A clock ahead of the stamp is taken as it is.
    let later = slot(s, m.id, "b", slot_draft(300, 60, 3)).await;
    signed_up(s, request(later.id, local(&alice), "c", true), t(50)).await;
    assert_eq!(s.get_slot(later.id).await.unwrap().updated, t(50));
}

/// A copy's count of people is the sum of its slots' counts, each the newest its owner sent,
/// even when an older Update of the mission (same `updated`, fewer people) arrives last.
async fn remote_mission_counts_its_slots(s: &dyn Store) {
    let m = remote_source(s).await;
    assert_eq!(m.participant_count, 3, "no slots: the document's count");
    s.upsert_remote_slot(m.id, "https://remote.example/s/1", remote(100, 5, 5, t(5)))
        .await
        .unwrap();
    s.upsert_remote_slot(m.id, "https://remote.example/s/2", remote(300, 5, 2, t(5)))
        .await
        .unwrap();
    let count = |m: entraide::domain::mission::Mission| m.participant_count;
    assert_eq!(count(s.get_mission(m.id).await.unwrap()), 7);
    // The older Update: the mission's document says 4, its first slot 4 at t(4).
    let older = remote_mission(m.actor_id, &m.ap_id, "R", t(60), m.updated);
    s.upsert_remote_mission(RemoteMission {
        participant_count: 4,
        ..older
    })
    .await
    .unwrap();
    let kept = s
        .upsert_remote_slot(m.id, "https://remote.example/s/1", remote(100, 5, 4, t(4)))
        .await
        .unwrap();
    assert_eq!(kept.participant_count, 5);
    assert_eq!(count(s.get_mission(m.id).await.unwrap()), 7);
}

/// A slot of a remote mission, as its owner described it at `t(0)`.
async fn remote_slot_of(s: &dyn Store) -> entraide::domain::slot::Slot {
    let m = remote_source(s).await;
    s.upsert_remote_slot(m.id, "https://remote.example/s/1", remote(100, 2, 0, t(0)))
        .await
        .unwrap()
}

fn remote(
    start: i64,
    capacity: i64,
    taken: i64,
    updated: chrono::DateTime<chrono::Utc>,
) -> RemoteSlot {
    RemoteSlot {
        start_time: t(start),
        end_time: t(start + 60),
        capacity,
        participant_count: taken,
        cancelled: false,
        updated,
    }
}

async fn slot_cancellation(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let [alice, bob, carol] = users(s, ["alice", "bob", "carol"]).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let sl = slot(s, m.id, "a", slot_draft(100, 60, 3)).await;
    let other = slot(s, m.id, "b", slot_draft(300, 60, 3)).await;
    let a = signed_up(s, request(sl.id, local(&alice), "a", true), t(1)).await;
    let b = signed_up(s, request(sl.id, local(&bob), "b", false), t(1)).await;
    let c = signed_up(s, request(sl.id, local(&carol), "c", true), t(1)).await;
    s.withdraw_participation(c.id, t(2)).await.unwrap();
    signed_up(s, request(other.id, local(&carol), "c2", true), t(2)).await;
    assert_eq!(s.get_mission(m.id).await.unwrap().participant_count, 2);
    take_events(s).await;

    // The active sign-ups (accepted and pending) are withdrawn with the slot, and returned.
    let withdrawn = s.cancel_slot(sl.id, t(10)).await.unwrap();
    assert_eq!(ids(&withdrawn, |p| p.id), vec![a.id, b.id]);
    for p in &withdrawn {
        assert_eq!(p.status, ParticipationStatus::Withdrawn);
        assert_eq!(p.reason, "slot_cancelled");
        assert_eq!(p.decided_at, Some(t(10)));
    }
    assert_eq!(
        s.get_participation(c.id).await.unwrap().reason,
        "left",
        "a sign-up already withdrawn is left as it was"
    );
    let cancelled = s.get_slot(sl.id).await.unwrap();
    assert_eq!(cancelled.status, SlotStatus::Cancelled);
    assert_eq!(cancelled.participant_count, 0);
    // The mission's count keeps only the other slot's place.
    assert_eq!(s.get_mission(m.id).await.unwrap().participant_count, 1);
    assert_eq!(
        take_events(s).await,
        vec![
            Outgoing::ParticipationChanged {
                participation_id: a.id
            },
            Outgoing::ParticipationChanged {
                participation_id: b.id
            },
            Outgoing::SlotChanged { slot_id: sl.id },
        ]
    );
    // Twice is once.
    assert!(s.cancel_slot(sl.id, t(11)).await.unwrap().is_empty());
    assert!(take_events(s).await.is_empty());
    assert!(matches!(
        s.cancel_slot(sl.id + 1000, t(11)).await,
        Err(StoreError::NotFound(_))
    ));
}

async fn remote_slots(s: &dyn Store) {
    let sl = remote_slot_of(s).await;
    assert!(!sl.local);
    assert_eq!((sl.capacity, sl.participant_count), (2, 0));
    assert_eq!(sl.status, SlotStatus::Open);
    // Nothing of ours to announce.
    assert!(take_events(s).await.is_empty());
    let ap_id = sl.ap_id.clone();

    // Newer: refreshed (the numbers only mirror the owner's, kept within bounds).
    let newer = s
        .upsert_remote_slot(sl.mission_id, &ap_id, remote(150, 0, 7, t(5)))
        .await
        .unwrap();
    assert_eq!(newer.id, sl.id);
    assert_eq!((newer.start_time, newer.updated), (t(150), t(5)));
    assert_eq!((newer.capacity, newer.participant_count), (1, 1));
    // Older than stored: ignored, the stored one comes back.
    let stale = s
        .upsert_remote_slot(sl.mission_id, &ap_id, remote(900, 9, 0, t(4)))
        .await
        .unwrap();
    assert_eq!(stale, newer);
    // Cancelled by its owner.
    let cancelled = s
        .upsert_remote_slot(
            sl.mission_id,
            &ap_id,
            RemoteSlot {
                cancelled: true,
                ..remote(150, 4, -3, t(6))
            },
        )
        .await
        .unwrap();
    assert_eq!(cancelled.status, SlotStatus::Cancelled);
    assert_eq!(cancelled.participant_count, 0);
    assert_eq!(s.list_slots(sl.mission_id).await.unwrap(), vec![cancelled]);

    // Our own slot is never overwritten by someone else's description of it.
    let g = group(s, "epicerie", None).await;
    let m = mission(s, g.id, "ours", t(60)).await;
    let ours = slot(s, m.id, "ours", slot_draft(100, 60, 3)).await;
    let answer = s
        .upsert_remote_slot(m.id, &ours.ap_id, remote(500, 50, 40, t(100)))
        .await
        .unwrap();
    assert_eq!(answer, ours);
    // Nor moved from its mission to another.
    let moved = s
        .upsert_remote_slot(m.id, &ap_id, remote(500, 50, 40, t(100)))
        .await
        .unwrap();
    assert_eq!(moved.mission_id, sl.mission_id);
    assert_eq!(moved.start_time, t(150));
}

async fn join_answers(s: &dyn Store) {
    let alice = user(s, "alice").await;
    let sl = remote_slot_of(s).await;
    // Our user asks for a place on another server: pending until its owner answers.
    let p = signed_up(s, request(sl.id, local(&alice), "remote", false), t(1)).await;
    assert_eq!(p.status, ParticipationStatus::Pending);
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::ParticipationChanged {
            participation_id: p.id
        }],
        "the Join goes out"
    );

    let accepted = s
        .record_join_answer(&p.join_ap_id, true, "", t(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(accepted.id, p.id);
    assert_eq!(accepted.status, ParticipationStatus::Accepted);
    assert_eq!(accepted.decided_at, Some(t(2)));
    // Recorded with the answer: our user is told.
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::ParticipationChanged {
            participation_id: p.id
        }]
    );
    // The owner may still refuse later, with a reason.
    let refused = s
        .record_join_answer(&p.join_ap_id, false, "annulé", t(3))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(refused.status, ParticipationStatus::Rejected);
    assert_eq!(refused.reason, "annulé");
    take_events(s).await;
    // Once refused, no answer changes it again.
    assert_eq!(
        s.record_join_answer(&p.join_ap_id, true, "", t(4))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        s.get_participation(p.id).await.unwrap().status,
        ParticipationStatus::Rejected
    );
    // Unknown joins, and sign-ups on our own slots (we decide those), are not answered.
    assert_eq!(
        s.record_join_answer("https://nowhere.example/join/1", true, "", t(4))
            .await
            .unwrap(),
        None
    );
    let g = group(s, "epicerie", None).await;
    let m = mission(s, g.id, "ours", t(60)).await;
    let ours = slot(s, m.id, "ours", slot_draft(100, 60, 3)).await;
    let remote_person = Participant::Remote {
        actor_ap_id: "https://remote.example/u/zoe".into(),
    };
    let theirs = signed_up(s, request(ours.id, remote_person, "zoe", false), t(5)).await;
    take_events(s).await;
    assert_eq!(
        s.record_join_answer(&theirs.join_ap_id, true, "", t(6))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        s.get_participation(theirs.id).await.unwrap().status,
        ParticipationStatus::Pending
    );
    assert!(take_events(s).await.is_empty());
}
