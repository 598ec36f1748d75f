//! Sign-ups (`ParticipationStore`): every outcome of a sign-up, in the order they are decided,
//! coordinators' decisions, withdrawals, and reading sign-ups back.

use crate::fixtures::*;
use entraide::{
    domain::{
        events::Outgoing,
        mission::MissionStatus,
        slot::{Participant, Participation, ParticipationStatus, Refusal, SignUpOutcome},
    },
    storage::{NewMission, SignUp, Store, StoreError},
};

on_both_backends!(
    sign_up_outcomes,
    decisions_and_withdrawals,
    participation_reads
);

/// Signs up asking a refusal to be kept (to answer a remote `Join` with `Reject`), and
/// expects one.
async fn kept_refusal(s: &dyn Store, r: SignUp, now: i64) -> (Refusal, Participation) {
    let request = SignUp {
        record_refusal: true,
        ..r
    };
    match s.sign_up(request, t(now)).await.unwrap() {
        SignUpOutcome::Refused(why, Some(kept)) => (why, kept),
        other => panic!("expected a kept refusal, got {other:?}"),
    }
}

/// The places taken on a slot, and on its whole mission.
async fn places(s: &dyn Store, slot_id: i64, mission_id: i64) -> (i64, i64) {
    (
        s.get_slot(slot_id).await.unwrap().participant_count,
        s.get_mission(mission_id).await.unwrap().participant_count,
    )
}

/// The events of a sign-up that took or freed a place on a local slot, recorded with it.
fn place_moved(participation_id: i64, slot_id: i64) -> Vec<Outgoing> {
    vec![
        Outgoing::ParticipationChanged { participation_id },
        Outgoing::SlotChanged { slot_id },
    ]
}

async fn sign_up_outcomes(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let [alice, bob, carol] = users(s, ["alice", "bob", "carol"]).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let sl = slot(s, m.id, "a", slot_draft(100, 60, 2)).await;
    let overlapping = slot(s, m.id, "b", slot_draft(130, 60, 5)).await;
    take_events(s).await;

    // Free join: the place is taken now, the mission counts it, both are announced.
    let a = signed_up(s, request(sl.id, local(&alice), "a", true), t(1)).await;
    assert_eq!(a.slot_id, sl.id);
    assert_eq!(a.participant, local(&alice));
    assert_eq!(a.join_ap_id, format!("{BASE}/join/a"));
    assert_eq!((a.message.as_str(), a.reason.as_str()), ("message a", ""));
    assert_eq!(a.status, ParticipationStatus::Accepted);
    assert_eq!((a.created_at, a.decided_at), (t(1), Some(t(1))));
    assert_eq!(places(s, sl.id, m.id).await, (1, 1));
    assert_eq!(take_events(s).await, place_moved(a.id, sl.id));

    // The same join id twice is one sign-up, whoever sends it.
    assert_eq!(
        s.sign_up(request(sl.id, local(&bob), "a", true), t(2))
            .await
            .unwrap(),
        SignUpOutcome::Existing(a.clone())
    );
    // Already there, then overlapping another of one's slots: refused, nothing kept.
    assert_eq!(
        s.sign_up(request(sl.id, local(&alice), "a2", true), t(2))
            .await
            .unwrap(),
        SignUpOutcome::Refused(Refusal::AlreadySignedUp, None)
    );
    assert_eq!(
        s.sign_up(request(overlapping.id, local(&alice), "a3", true), t(2))
            .await
            .unwrap(),
        SignUpOutcome::Refused(Refusal::Overlaps, None)
    );
    assert_eq!(s.list_participations(overlapping.id).await.unwrap(), vec![]);
    assert_eq!(s.get_slot(sl.id).await.unwrap().participant_count, 1);
    assert!(take_events(s).await.is_empty());
    // Kept when asked (to answer a remote `Join` with `Reject`), with the reason's code.
    let (why, kept) = kept_refusal(s, request(overlapping.id, local(&alice), "a4", true), 3).await;
    assert_eq!(why, Refusal::Overlaps);
    assert_eq!(kept.status, ParticipationStatus::Rejected);
    assert_eq!(kept.reason, "overlaps");
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::ParticipationChanged {
            participation_id: kept.id
        }]
    );
    assert_eq!(
        s.get_slot(overlapping.id).await.unwrap().participant_count,
        0
    );

    // Full: the capacity is never exceeded.
    signed_up(s, request(sl.id, local(&bob), "b", true), t(4)).await;
    assert_eq!(
        s.sign_up(request(sl.id, local(&carol), "c", true), t(5))
            .await
            .unwrap(),
        SignUpOutcome::Refused(Refusal::Full, None)
    );
    let (why, full) = kept_refusal(s, request(sl.id, local(&carol), "c1", true), 5).await;
    assert_eq!(why, Refusal::Full);
    assert_eq!(full.reason, "full");
    assert_eq!(s.get_slot(sl.id).await.unwrap().participant_count, 2);
    // A request waiting for a coordinator takes no place, so a full slot still records it.
    let waiting = signed_up(s, request(sl.id, local(&carol), "c2", false), t(6)).await;
    assert_eq!(waiting.status, ParticipationStatus::Pending);
    assert_eq!(waiting.decided_at, None);
    assert_eq!(s.get_slot(sl.id).await.unwrap().participant_count, 2);
    take_events(s).await;

    // Guests have no identity to compare: two of the same name are two sign-ups.
    let guest = || Participant::Guest {
        name: "Zoé".into(),
        contact: "06 00 00 00 00".into(),
    };
    signed_up(s, request(overlapping.id, guest(), "g1", true), t(7)).await;
    let second = signed_up(s, request(overlapping.id, guest(), "g2", true), t(7)).await;
    assert_eq!(second.participant, guest());
    assert_eq!(
        s.get_slot(overlapping.id).await.unwrap().participant_count,
        2
    );

    // Over (the slot has ended), closed (cancelled, a draft, a deleted mission).
    let dave = user(s, "dave").await;
    let past = slot(s, m.id, "past", slot_draft(10, 10, 5)).await;
    assert_eq!(
        s.sign_up(request(past.id, local(&dave), "d1", true), t(20))
            .await
            .unwrap(),
        SignUpOutcome::Refused(Refusal::Over, None)
    );
    s.cancel_slot(overlapping.id, t(8)).await.unwrap();
    assert_eq!(
        s.sign_up(request(overlapping.id, local(&dave), "d2", true), t(9))
            .await
            .unwrap(),
        SignUpOutcome::Refused(Refusal::Closed, None)
    );
    let draft_mission = s
        .create_mission(NewMission {
            ap_id: format!("{BASE}/m/draft"),
            url: format!("{BASE}/m/draft"),
            actor_id: g.id,
            content_html: String::new(),
            draft: entraide::domain::mission::MissionDraft {
                status: MissionStatus::Draft,
                ..draft("draft", t(60), 3)
            },
            now: t(0),
        })
        .await
        .unwrap();
    let in_draft = slot(s, draft_mission.id, "draft", slot_draft(500, 60, 5)).await;
    assert_eq!(
        s.sign_up(request(in_draft.id, local(&dave), "d3", true), t(9))
            .await
            .unwrap(),
        SignUpOutcome::Refused(Refusal::Closed, None)
    );
    let gone = mission(s, g.id, "gone", t(60)).await;
    let in_gone = slot(s, gone.id, "gone", slot_draft(600, 60, 5)).await;
    s.delete_mission(gone.id, t(9)).await.unwrap();
    assert_eq!(
        s.sign_up(request(in_gone.id, local(&dave), "d4", true), t(9))
            .await
            .unwrap(),
        SignUpOutcome::Refused(Refusal::Closed, None)
    );
    assert!(s.user_participations(dave.id).await.unwrap().is_empty());
    assert!(matches!(
        s.sign_up(request(in_gone.id + 1000, local(&dave), "d5", true), t(9))
            .await,
        Err(StoreError::NotFound(_))
    ));
}

async fn decisions_and_withdrawals(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let [alice, bob, carol, dave] = users(s, ["alice", "bob", "carol", "dave"]).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let sl = slot(s, m.id, "a", slot_draft(100, 60, 1)).await;
    let p1 = signed_up(s, request(sl.id, local(&alice), "a", false), t(1)).await;
    let p2 = signed_up(s, request(sl.id, local(&bob), "b", false), t(1)).await;
    take_events(s).await;

    // Accepted: the place is taken with the decision.
    let accepted = s
        .decide_participation(p1.id, true, "", t(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(accepted.status, ParticipationStatus::Accepted);
    assert_eq!(accepted.decided_at, Some(t(2)));
    assert_eq!(places(s, sl.id, m.id).await, (1, 1));
    assert_eq!(take_events(s).await, place_moved(p1.id, sl.id));
    // Decided once: a second decision is a conflict.
    assert!(matches!(
        s.decide_participation(p1.id, false, "", t(3)).await,
        Err(StoreError::Conflict(_))
    ));
    // No place left: refused as full, the request still waits.
    assert_eq!(
        s.decide_participation(p2.id, true, "", t(3)).await.unwrap(),
        Err(Refusal::Full)
    );
    assert_eq!(
        s.get_participation(p2.id).await.unwrap().status,
        ParticipationStatus::Pending
    );
    assert!(take_events(s).await.is_empty());
    // Refused with a reason: no place involved.
    let refused = s
        .decide_participation(p2.id, false, "complet", t(4))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(refused.status, ParticipationStatus::Rejected);
    assert_eq!(refused.reason, "complet");
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::ParticipationChanged {
            participation_id: p2.id
        }]
    );
    assert!(matches!(
        s.decide_participation(p2.id + 1000, true, "", t(4)).await,
        Err(StoreError::NotFound(_))
    ));

    // Leaving frees an accepted place (and says so), once.
    let left = s
        .withdraw_participation(p1.id, t(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(left.status, ParticipationStatus::Withdrawn);
    assert_eq!(
        (left.reason.as_str(), left.decided_at),
        ("left", Some(t(5)))
    );
    assert_eq!(places(s, sl.id, m.id).await, (0, 0));
    assert_eq!(take_events(s).await, place_moved(p1.id, sl.id));
    assert_eq!(s.withdraw_participation(p1.id, t(6)).await.unwrap(), None);
    assert_eq!(s.withdraw_participation(p2.id, t(6)).await.unwrap(), None);
    assert!(take_events(s).await.is_empty());
    // A pending request leaves without touching the places.
    let p3 = signed_up(s, request(sl.id, local(&carol), "c", false), t(7)).await;
    signed_up(s, request(sl.id, local(&dave), "d", true), t(7)).await;
    take_events(s).await;
    s.withdraw_participation(p3.id, t(8))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.get_slot(sl.id).await.unwrap().participant_count, 1);
    assert_eq!(
        take_events(s).await,
        vec![Outgoing::ParticipationChanged {
            participation_id: p3.id
        }]
    );
    assert!(matches!(
        s.withdraw_participation(p3.id + 1000, t(8)).await,
        Err(StoreError::NotFound(_))
    ));

    // A slot that has ended takes no acceptance.
    let later = slot(s, m.id, "later", slot_draft(200, 60, 5)).await;
    let p4 = signed_up(s, request(later.id, local(&carol), "c4", false), t(9)).await;
    assert_eq!(
        s.decide_participation(p4.id, true, "", t(300))
            .await
            .unwrap(),
        Err(Refusal::Over)
    );
}

async fn participation_reads(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let [alice, bob] = users(s, ["alice", "bob"]).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let late = slot(s, m.id, "late", slot_draft(300, 60, 5)).await;
    let early = slot(s, m.id, "early", slot_draft(100, 60, 5)).await;
    let zoe = Participant::Remote {
        actor_ap_id: "https://remote.example/u/zoe".into(),
    };
    let a_late = signed_up(s, request(late.id, local(&alice), "al", true), t(3)).await;
    let z_late = signed_up(s, request(late.id, zoe.clone(), "zl", false), t(1)).await;
    let b_late = signed_up(s, request(late.id, local(&bob), "bl", true), t(1)).await;
    let a_early = signed_up(s, request(early.id, local(&alice), "ae", true), t(2)).await;

    assert_eq!(s.get_participation(a_late.id).await.unwrap(), a_late);
    assert!(matches!(
        s.get_participation(a_late.id + 1000).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        s.find_participation_by_join(&z_late.join_ap_id)
            .await
            .unwrap(),
        Some(z_late.clone())
    );
    assert_eq!(
        s.find_participation_by_join(&format!("{BASE}/join/none"))
            .await
            .unwrap(),
        None
    );
    // A slot's sign-ups, oldest first (then by id).
    assert_eq!(
        ids(&s.list_participations(late.id).await.unwrap(), |p| p.id),
        vec![z_late.id, b_late.id, a_late.id]
    );

    // The active sign-up of a person on a slot, by user or by actor id.
    assert_eq!(
        s.active_participation(late.id, &zoe).await.unwrap(),
        Some(z_late.clone())
    );
    assert_eq!(
        s.active_participation(late.id, &local(&alice))
            .await
            .unwrap(),
        Some(a_late.clone())
    );
    assert_eq!(
        s.active_participation(early.id, &local(&bob))
            .await
            .unwrap(),
        None
    );
    s.withdraw_participation(a_late.id, t(4)).await.unwrap();
    assert_eq!(
        s.active_participation(late.id, &local(&alice))
            .await
            .unwrap(),
        None
    );
    let guest = Participant::Guest {
        name: "Zoé".into(),
        contact: String::new(),
    };
    assert_eq!(s.active_participation(late.id, &guest).await.unwrap(), None);

    // A user's sign-ups with their slots, soonest slot first, withdrawn ones too.
    let mine = s.user_participations(alice.id).await.unwrap();
    let got: Vec<(i64, i64, ParticipationStatus)> =
        mine.iter().map(|(p, sl)| (p.id, sl.id, p.status)).collect();
    assert_eq!(
        got,
        vec![
            (a_early.id, early.id, ParticipationStatus::Accepted),
            (a_late.id, late.id, ParticipationStatus::Withdrawn),
        ]
    );
    assert_eq!(mine[0].1, s.get_slot(early.id).await.unwrap());
    assert_eq!(
        ids(&s.user_participations(bob.id).await.unwrap(), |(p, _)| p.id),
        vec![b_late.id]
    );
    assert!(s
        .user_participations(bob.id + 1000)
        .await
        .unwrap()
        .is_empty());
}
