//! Read models (`DashboardStore`): the slots of several missions at once, their active
//! sign-ups with the names of who signed up, and the newest replies of each mission with their
//! authors; each in one statement, checked against what the per-row reads give.

use crate::fixtures::*;
use entraide::{
    domain::{
        fediverse::NewInterest,
        slot::{Participant, ParticipationStatus},
    },
    storage::{ActorName, NewUser, Store, UserName},
};

on_both_backends!(named_sign_ups, latest_interests, work_counts);

async fn named_sign_ups(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let [alice, bob] = users(s, ["alice", "bob"]).await;
    let no_email = s
        .create_user(
            NewUser {
                full_name: "Noé Le Gall".into(),
                ..NewUser::by_operator("nomail", None, None)
            },
            t(0),
        )
        .await
        .unwrap();
    let zoe = s
        .upsert_remote_actor(remote_actor("remote.example", "zoe"), t(0))
        .await
        .unwrap();
    let unknown = "https://elsewhere.example/u/nobody".to_string();
    let m = mission(s, g.id, "distribution", t(60)).await;
    let other = mission(s, g.id, "other", t(60)).await;
    let future = slot(s, m.id, "future", slot_draft(200, 60, 10)).await;
    let second = slot(s, m.id, "second", slot_draft(400, 60, 10)).await;
    let over = slot(s, m.id, "over", slot_draft(60, 30, 10)).await;
    let elsewhere = slot(s, other.id, "elsewhere", slot_draft(200, 60, 10)).await;

    // Created in this order (the times say so, not the ids).
    let guest = Participant::Guest {
        name: "Yvonne".into(),
        contact: "06 11 22 33 44".into(),
    };
    let by_guest = signed_up(s, request(future.id, guest, "guest", true), t(5)).await;
    let by_alice = signed_up(s, request(future.id, local(&alice), "alice", true), t(1)).await;
    let remote = |ap_id: &str| Participant::Remote {
        actor_ap_id: ap_id.to_string(),
    };
    let by_zoe = signed_up(
        s,
        request(second.id, remote(&zoe.ap_id), "zoe", false),
        t(2),
    )
    .await;
    let by_unknown = signed_up(s, request(future.id, remote(&unknown), "unk", false), t(3)).await;
    let by_nomail = signed_up(s, request(second.id, local(&no_email), "nm", true), t(4)).await;
    // Not read: withdrawn, on a slot that is over, on another mission.
    let gone = signed_up(s, request(second.id, local(&bob), "bob", true), t(1)).await;
    s.withdraw_participation(gone.id, t(6)).await.unwrap();
    signed_up(s, request(over.id, local(&bob), "bob-over", true), t(1)).await;
    signed_up(
        s,
        request(elsewhere.id, local(&bob), "bob-else", true),
        t(1),
    )
    .await;

    let read = s.named_sign_ups(&[m.id], t(100)).await.unwrap();
    let got: Vec<(i64, Option<UserName>, Option<ActorName>)> = read
        .iter()
        .map(|n| (n.participation.id, n.user.clone(), n.actor.clone()))
        .collect();
    let user_name = |name: &str, email: Option<&str>| {
        Some(UserName {
            name: name.into(),
            full_name: String::new(),
            email: email.map(str::to_string),
        })
    };
    assert_eq!(
        got,
        vec![
            (
                by_alice.id,
                user_name("alice", Some("alice@example.org")),
                None
            ),
            (
                by_zoe.id,
                None,
                Some(ActorName {
                    name: "zoe".into(),
                    host: "remote.example".into(),
                    display_name: "zoe at remote.example".into(),
                })
            ),
            (by_unknown.id, None, None),
            (
                by_nomail.id,
                Some(UserName {
                    name: "nomail".into(),
                    full_name: "Noé Le Gall".into(),
                    email: None,
                }),
                None
            ),
            (by_guest.id, None, None),
        ]
    );
    // Each sign-up is the one `get_participation` reads; pending ones are there too.
    for n in &read {
        assert_eq!(
            n.participation,
            s.get_participation(n.participation.id).await.unwrap()
        );
    }
    assert_eq!(read[1].participation.status, ParticipationStatus::Pending);
    // The full name is shown when given, else the account's name.
    let shown: Vec<&str> = read
        .iter()
        .filter_map(|n| n.user.as_ref())
        .map(|u| u.shown())
        .collect();
    assert_eq!(shown, ["alice", "Noé Le Gall"]);
    let zoe_name = read[1].actor.clone().unwrap();
    assert_eq!(
        (zoe_name.label(), zoe_name.handle()),
        (zoe.label(), zoe.handle())
    );

    // The slot that is over counts once `ending_after` is before its end; several missions at
    // once; none at all.
    let earlier = s.named_sign_ups(&[m.id, other.id], t(0)).await.unwrap();
    assert_eq!(earlier.len(), read.len() + 2);
    assert!(s.named_sign_ups(&[], t(0)).await.unwrap().is_empty());
    // Accepted or refused: a refused request is not active any more.
    s.decide_participation(by_zoe.id, false, "complet", t(7))
        .await
        .unwrap()
        .unwrap();
    let after = s.named_sign_ups(&[m.id], t(100)).await.unwrap();
    assert!(after.iter().all(|n| n.participation.id != by_zoe.id));
    assert_eq!(after.len(), read.len() - 1);
}

async fn latest_interests(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let zoe = s
        .upsert_remote_actor(remote_actor("remote.example", "zoe"), t(0))
        .await
        .unwrap();
    let unknown = "https://elsewhere.example/u/nobody";
    let one = mission(s, g.id, "one", t(60)).await;
    let two = mission(s, g.id, "two", t(60)).await;
    let three = mission(s, g.id, "three", t(60)).await;
    let reply = |mission_id: i64, who: &str, n: &str| NewInterest {
        mission_id,
        actor_ap_id: who.to_string(),
        note_ap_id: format!("https://remote.example/notes/{n}"),
        content: format!("reply {n}"),
    };
    for (m, who, n, at) in [
        (one.id, zoe.ap_id.as_str(), "a", 3),
        (one.id, unknown, "b", 1),
        (two.id, zoe.ap_id.as_str(), "c", 2),
        (one.id, zoe.ap_id.as_str(), "d", 5),
        (three.id, zoe.ap_id.as_str(), "e", 1),
    ] {
        assert!(s
            .record_interest(reply(m, who, n), None, None, t(at))
            .await
            .unwrap());
    }

    // By mission, newest first, at most `latest` of each; the author when known.
    let read = s.latest_interests(&[one.id, two.id], 2).await.unwrap();
    let got: Vec<(i64, &str, Option<String>)> = read
        .iter()
        .map(|(i, a)| {
            (
                i.mission_id,
                i.content.as_str(),
                a.as_ref().map(|a| a.handle()),
            )
        })
        .collect();
    let zoe_handle = Some(zoe.handle());
    assert_eq!(
        got,
        vec![
            (one.id, "reply d", zoe_handle.clone()),
            (one.id, "reply a", zoe_handle.clone()),
            (two.id, "reply c", zoe_handle.clone()),
        ]
    );
    // The same interests as `list_interests`, newest first.
    let all = s.latest_interests(&[one.id], 10).await.unwrap();
    let mut listed = s.list_interests(one.id).await.unwrap();
    listed.reverse();
    assert_eq!(
        all.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>(),
        listed
    );
    assert_eq!(all[2].0.actor_ap_id, unknown);
    assert_eq!(all[2].1, None);
    // None asked for, or none wanted.
    assert!(s.latest_interests(&[], 10).await.unwrap().is_empty());
    assert!(s.latest_interests(&[one.id], 0).await.unwrap().is_empty());
}

/// The dashboard's work list: what waits for one association, counted in one statement; other
/// associations' rows, answered requests and finished loans are not counted.
async fn work_counts(s: &dyn Store) {
    use crate::hours::{day, entry};
    use crate::resources::{loan, resource};
    use entraide::{
        domain::{
            hours::{HoursStatus, Volunteer},
            resource::ReservationState::*,
        },
        storage::{NewReservation, ReservationMove, ReserveOutcome, WorkCounts},
    };
    let g = group(s, "epicerie", None).await;
    let h = group(s, "atelier", None).await;
    let [alice, bob, carla] = users(s, ["alice", "bob", "carla"]).await;
    assert_eq!(
        s.work_counts(g.id, t(0), t(100)).await.unwrap(),
        WorkCounts::default()
    );

    // Sign-ups: pending ones on slots not over yet, of this association's missions.
    let m = mission(s, g.id, "distribution", t(60)).await;
    let other = mission(s, h.id, "ailleurs", t(60)).await;
    let future = slot(s, m.id, "future", slot_draft(200, 60, 10)).await;
    let over = slot(s, m.id, "over", slot_draft(60, 30, 10)).await;
    let theirs = slot(s, other.id, "theirs", slot_draft(200, 60, 10)).await;
    signed_up(s, request(future.id, local(&alice), "a1", false), t(1)).await;
    signed_up(s, request(future.id, local(&bob), "b1", true), t(1)).await;
    signed_up(s, request(over.id, local(&bob), "b2", false), t(1)).await;
    signed_up(s, request(theirs.id, local(&carla), "c1", false), t(1)).await;

    // Hours: pending ones; attestations: not confirmed.
    for (actor, status) in [
        (g.id, HoursStatus::Pending),
        (g.id, HoursStatus::Pending),
        (g.id, HoursStatus::Validated),
        (h.id, HoursStatus::Pending),
    ] {
        s.create_hours_entry(
            entry(actor, Volunteer::User { user_id: alice.id }, 3, status),
            Some(alice.id),
            None,
            t(1),
        )
        .await
        .unwrap();
    }
    let asked = s
        .create_attestation(g.id, alice.id, day(1), day(31), t(1))
        .await
        .unwrap();
    s.create_attestation(g.id, bob.id, day(1), day(31), t(1))
        .await
        .unwrap();
    s.confirm_attestation(asked.id, bob.id, "Bob", t(2))
        .await
        .unwrap();

    // Loans: one requested, one accepted starting soon, one accepted later, one picked up
    // ending soon, one picked up and overdue; another association's request.
    let r = resource(s, g.id, "Barnum", 10).await;
    let other_r = resource(s, h.id, "Perceuse", 10).await;
    let reserve = |request: NewReservation| async move {
        match s.reserve(request, t(0)).await.unwrap() {
            ReserveOutcome::Recorded(r) => r,
            other => panic!("{other:?}"),
        }
    };
    let manual = |resource_id, offer: &str, start, end| NewReservation {
        automatic: false,
        ..loan(resource_id, offer, 1, start, end)
    };
    reserve(manual(r.id, "requested", 500, 600)).await;
    reserve(manual(other_r.id, "theirs", 500, 600)).await;
    let soon = reserve(manual(r.id, "soon", 50, 600)).await;
    let later = reserve(manual(r.id, "later", 5000, 6000)).await;
    let back_soon = reserve(manual(r.id, "back", 10, 150)).await;
    let late = reserve(manual(r.id, "late", 1, 5)).await;
    let to = |to, from: Vec<entraide::domain::resource::ReservationState>| ReservationMove {
        to,
        from,
        reason: String::new(),
        notes: None,
        agreement_id: None,
        by_owner: true,
        check_pool: false,
    };
    for id in [soon.id, later.id, back_soon.id, late.id] {
        s.move_reservation(id, &to(Accepted, vec![Requested]), t(0))
            .await
            .unwrap();
    }
    for id in [back_soon.id, late.id] {
        s.move_reservation(id, &to(PickedUp, vec![Accepted]), t(0))
            .await
            .unwrap();
    }

    assert_eq!(
        s.work_counts(g.id, t(95), t(165)).await.unwrap(),
        WorkCounts {
            sign_ups: 1,
            hours: 2,
            attestations: 1,
            reservations: 1,
            pickups: 1,
            returns: 1,
            overdue: 1,
        }
    );
    let theirs = s.work_counts(h.id, t(95), t(165)).await.unwrap();
    assert_eq!(
        (
            theirs.sign_ups,
            theirs.hours,
            theirs.attestations,
            theirs.reservations
        ),
        (1, 1, 0, 1)
    );
}
