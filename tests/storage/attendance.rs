//! Attendance at slots (`HoursStore`): marked once, a presence writing its hours entry in the
//! same transaction; and whether a person of another server took part.

use crate::fixtures::*;
use crate::hours::entry;
use entraide::{
    domain::{
        hours::{HoursStatus, Volunteer},
        slot::Participant,
    },
    storage::{AttendanceCount, AttendanceOutcome, Store, StoreError},
};

on_both_backends!(
    attendance_marked_once,
    attendance_and_entry_together,
    took_part_remotely,
    attendance_counted_at_once
);

/// For a list of slots: accepted sign-ups and marks, per slot, in one read.
async fn attendance_counted_at_once(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let [alice, bob, carol] = users(s, ["alice", "bob", "carol"]).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let sl = slot(s, m.id, "a", slot_draft(100, 60, 5)).await;
    let other = slot(s, m.id, "b", slot_draft(300, 60, 5)).await;
    let empty = slot(s, m.id, "c", slot_draft(500, 60, 5)).await;
    let pa = signed_up(s, request(sl.id, local(&alice), "a", true), t(1)).await;
    signed_up(s, request(sl.id, local(&bob), "b", true), t(1)).await;
    // Waiting for a decision: not counted.
    signed_up(s, request(other.id, local(&carol), "c", false), t(1)).await;
    assert!(s.attendance_counts(&[]).await.unwrap().is_empty());
    let count = |slot_id, accepted, marked| AttendanceCount {
        slot_id,
        accepted,
        marked,
    };
    assert_eq!(
        s.attendance_counts(&[empty.id, sl.id, other.id, sl.id, empty.id + 100])
            .await
            .unwrap(),
        vec![
            count(sl.id, 2, 0),
            count(other.id, 0, 0),
            count(empty.id, 0, 0)
        ]
    );
    s.mark_attendance(pa.id, sl.id, false, None, None, t(200))
        .await
        .unwrap();
    assert_eq!(
        s.attendance_counts(&[sl.id]).await.unwrap(),
        vec![count(sl.id, 2, 1)]
    );
}

async fn attendance_marked_once(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let [alice, bob, carol] = users(s, ["alice", "bob", "carol"]).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let sl = slot(s, m.id, "a", slot_draft(100, 60, 5)).await;
    let other = slot(s, m.id, "b", slot_draft(300, 60, 5)).await;
    let pa = signed_up(s, request(sl.id, local(&alice), "a", true), t(1)).await;
    let pb = signed_up(s, request(sl.id, local(&bob), "b", true), t(1)).await;
    let pc = signed_up(s, request(other.id, local(&carol), "c", true), t(1)).await;
    assert!(s.slot_attendance(sl.id).await.unwrap().is_empty());

    // Present: the entry is written with the mark, tied to the sign-up and the slot.
    let mut hours = entry(
        g.id,
        Volunteer::User { user_id: alice.id },
        3,
        HoursStatus::Validated,
    );
    hours.slot_id = Some(sl.id);
    hours.participation_id = Some(pa.id);
    let AttendanceOutcome::Recorded { entry: Some(made) } = s
        .mark_attendance(
            pa.id,
            sl.id,
            true,
            Some(hours.clone()),
            Some(carol.id),
            t(200),
        )
        .await
        .unwrap()
    else {
        panic!("a presence records its entry");
    };
    assert_eq!(
        (made.slot_id, made.participation_id),
        (Some(sl.id), Some(pa.id))
    );
    assert_eq!(made.created_by, Some(carol.id));
    assert_eq!(s.get_hours_entry(made.id).await.unwrap(), *made);
    assert_eq!(s.hours_history(made.id).await.unwrap().len(), 1);
    // Absent: no entry.
    assert_eq!(
        s.mark_attendance(pb.id, sl.id, false, None, None, t(200))
            .await
            .unwrap(),
        AttendanceOutcome::Recorded { entry: None }
    );
    assert_eq!(
        s.slot_attendance(sl.id).await.unwrap(),
        vec![(pa.id, true, Some(made.id)), (pb.id, false, None)]
    );

    // Marked once: a second mark changes nothing and says what the first was.
    assert_eq!(
        s.mark_attendance(pa.id, sl.id, false, None, None, t(201))
            .await
            .unwrap(),
        AttendanceOutcome::AlreadyMarked {
            present: true,
            entry_id: Some(made.id)
        }
    );
    assert_eq!(
        s.mark_attendance(pb.id, sl.id, true, Some(hours), None, t(201))
            .await
            .unwrap(),
        AttendanceOutcome::AlreadyMarked {
            present: false,
            entry_id: None
        }
    );
    let listed = entraide::storage::HoursQuery {
        actor_id: Some(g.id),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(s.list_hours_entries(listed.clone()).await.unwrap().len(), 1);

    // Its entry deleted, the mark stays without it.
    s.delete_hours_entry(made.id, None, None, t(202))
        .await
        .unwrap();
    assert_eq!(
        s.slot_attendance(sl.id).await.unwrap(),
        vec![(pa.id, true, None), (pb.id, false, None)]
    );
    // Present without an entry (nothing to count) is a mark all the same.
    assert_eq!(
        s.mark_attendance(pc.id, other.id, true, None, None, t(400))
            .await
            .unwrap(),
        AttendanceOutcome::Recorded { entry: None }
    );
    assert_eq!(
        s.slot_attendance(other.id).await.unwrap(),
        vec![(pc.id, true, None)]
    );
    assert!(s.list_hours_entries(listed).await.unwrap().is_empty());
}

/// The mark and its entry are one write: an entry that cannot be recorded leaves no mark.
async fn attendance_and_entry_together(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let [alice] = users(s, ["alice"]).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let sl = slot(s, m.id, "a", slot_draft(100, 60, 5)).await;
    let pa = signed_up(s, request(sl.id, local(&alice), "a", true), t(1)).await;
    let mut taken = entry(
        g.id,
        Volunteer::User { user_id: alice.id },
        2,
        HoursStatus::Validated,
    );
    taken.ap_id = Some(format!("{BASE}/hours/taken"));
    s.create_hours_entry(taken.clone(), None, None, t(1))
        .await
        .unwrap();

    let mut hours = taken;
    hours.participation_id = Some(pa.id);
    assert!(matches!(
        s.mark_attendance(pa.id, sl.id, true, Some(hours.clone()), None, t(200))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(s.slot_attendance(sl.id).await.unwrap().is_empty());
    // Marked again once the entry can be written: recorded now.
    hours.ap_id = None;
    let outcome = s
        .mark_attendance(pa.id, sl.id, true, Some(hours), None, t(201))
        .await
        .unwrap();
    let AttendanceOutcome::Recorded { entry: Some(made) } = outcome else {
        panic!("recorded with its entry: {outcome:?}");
    };
    assert_eq!(
        s.slot_attendance(sl.id).await.unwrap(),
        vec![(pa.id, true, Some(made.id))]
    );
    // One entry per sign-up.
    let mut again = entry(
        g.id,
        Volunteer::User { user_id: alice.id },
        3,
        HoursStatus::Pending,
    );
    again.participation_id = Some(pa.id);
    assert!(matches!(
        s.create_hours_entry(again, None, None, t(202)).await,
        Err(StoreError::Conflict(_))
    ));
}

async fn took_part_remotely(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let h = group(s, "atelier", None).await;
    let zoe = "https://remote.example/u/zoe";
    let yann = "https://remote.example/u/yann";
    let remote = |id: &str| Participant::Remote {
        actor_ap_id: id.into(),
    };
    let m = mission(s, g.id, "distribution", t(60)).await;
    let sl = slot(s, m.id, "a", slot_draft(100, 60, 5)).await;
    assert!(!s.took_part_remotely(g.id, zoe).await.unwrap());

    // Accepted on a slot of the association: yes; waiting or elsewhere: no.
    signed_up(s, request(sl.id, remote(zoe), "z", true), t(1)).await;
    let waiting = signed_up(s, request(sl.id, remote(yann), "y", false), t(1)).await;
    assert!(s.took_part_remotely(g.id, zoe).await.unwrap());
    assert!(!s.took_part_remotely(g.id, yann).await.unwrap());
    assert!(!s.took_part_remotely(h.id, zoe).await.unwrap());
    s.decide_participation(waiting.id, true, "", t(2))
        .await
        .unwrap()
        .unwrap();
    assert!(s.took_part_remotely(g.id, yann).await.unwrap());
}
