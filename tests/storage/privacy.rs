//! A person's data leaving the node (`PrivacyStore`): erasing a local account (refused for
//! the last coordinator; places freed, validated hours kept for a former volunteer, the rest
//! gone, their number and SMS too), a remote actor's deletion of itself, and the keys dropped
//! once nothing is left to sign.

use crate::fixtures::*;
use entraide::{
    domain::{
        account::Role,
        actor::{ActorKind, Follower},
        events::Outgoing,
        fediverse::NewInterest,
        hours::{HoursDraft, HoursStatus, Volunteer},
        slot::{Participant, ParticipationStatus},
    },
    storage::{Erasure, NewHoursEntry, NewNotification, NewSms, Store},
};

on_both_backends!(
    erasing_a_local_account,
    the_last_coordinator_is_not_erased,
    a_remote_actor_deleted_itself
);

fn hours(actor_id: i64, volunteer: Volunteer, minutes: i64, status: HoursStatus) -> NewHoursEntry {
    NewHoursEntry {
        actor_id,
        volunteer,
        draft: HoursDraft {
            start_date: t(0).date_naive() - chrono::Duration::days(3),
            end_date: t(0).date_naive() - chrono::Duration::days(3),
            minutes,
            distance_km: None,
            category: "solidarity".into(),
            mission_id: None,
            description: "Tri des dons".into(),
        },
        status,
        slot_id: None,
        participation_id: None,
        ap_id: None,
    }
}

fn email_to(address: &str, participation_id: Option<i64>, key: &str) -> NewNotification {
    NewNotification {
        participation_id,
        kind: "confirmed".into(),
        channel: "email".into(),
        recipient: address.into(),
        subject: format!("Subject {key}"),
        body_text: format!("Body {key}"),
        status: "pending".into(),
        dedupe_key: key.into(),
        delivery: None,
    }
}

fn follower(ap_id: &str) -> Follower {
    Follower {
        actor_ap_id: ap_id.into(),
        inbox: format!("{ap_id}/inbox"),
        shared_inbox: Some("https://remote.example/inbox".into()),
        follow_ap_id: format!("{ap_id}#follow"),
    }
}

async fn erasing_a_local_account(s: &dyn Store) {
    let [alice, bob] = users(s, ["alice", "bob"]).await;
    let g = group(s, "epicerie", Some(alice.id)).await;
    s.set_member(g.id, bob.id, Role::Coordinator).await.unwrap();
    let person = s
        .create_local_actor(
            new_local(ActorKind::Person, "bob", Some(bob.id)),
            &format!("{BASE}/u/bob"),
            HOST,
            None,
            t(0),
        )
        .await
        .unwrap();
    let m = mission(s, g.id, "distribution", t(60)).await;
    let to_come = slot(s, m.id, "later", slot_draft(200, 60, 2)).await;
    let over = slot(s, m.id, "before", slot_draft(-300, 60, 2)).await;
    let coming = signed_up(s, request(to_come.id, local(&bob), "b1", true), t(1)).await;
    let past = signed_up(s, request(over.id, local(&bob), "b0", true), t(-400)).await;
    let alice_too = signed_up(s, request(to_come.id, local(&alice), "a1", true), t(1)).await;
    assert_eq!(s.get_slot(to_come.id).await.unwrap().participant_count, 2);
    let kept = s
        .create_hours_entry(
            hours(
                g.id,
                local(&bob).into_volunteer(),
                90,
                HoursStatus::Validated,
            ),
            Some(alice.id),
            None,
            t(2),
        )
        .await
        .unwrap();
    let waiting = s
        .create_hours_entry(
            hours(g.id, local(&bob).into_volunteer(), 30, HoursStatus::Pending),
            Some(bob.id),
            None,
            t(2),
        )
        .await
        .unwrap();
    s.create_session(bob.id, "session-bob", t(10_000))
        .await
        .unwrap();
    s.update_user_profile(bob.id, "Bob Le Gall", "Bob", "fr", t(3))
        .await
        .unwrap();
    s.create_api_token(bob.id, "token-bob", "phone", t(3))
        .await
        .unwrap();
    s.set_calendar_token(bob.id, "cal-bob", false, t(3))
        .await
        .unwrap();
    s.create_attestation(g.id, bob.id, t(0).date_naive(), t(0).date_naive(), t(3))
        .await
        .unwrap();
    s.add_follower(
        person.id,
        follower("https://remote.example/u/zoe"),
        Outgoing::SlotChanged { slot_id: 0 },
        t(3),
    )
    .await
    .unwrap();
    s.record_notifications(
        vec![
            email_to("bob@example.org", Some(coming.id), "n1"),
            email_to("alice@example.org", Some(alice_too.id), "n2"),
        ],
        t(4),
    )
    .await
    .unwrap();
    let code = NewSms {
        actor_id: None,
        user_id: Some(bob.id),
        kind: "code".into(),
        recipient: "+33612345678".into(),
        body: "Code 123456".into(),
        parts: 1,
        dedupe_key: "code:bob".into(),
    };
    s.set_phone(bob.id, "+33612345678", "h", t(30), code, t(4))
        .await
        .unwrap();
    assert_eq!(s.sms_to("+33612345678", 10).await.unwrap().len(), 1);
    let notices = s.user_notifications(bob.id).await.unwrap();
    assert_eq!(
        notices
            .iter()
            .map(|n| n.dedupe_key.as_str())
            .collect::<Vec<_>>(),
        vec!["n1"]
    );
    take_events(s).await;

    let Erasure::Erased(done) = s.erase_user(bob.id, t(100)).await.unwrap() else {
        panic!("bob coordinates with alice: he may go");
    };
    assert_eq!(done.actor_id, Some(person.id));
    assert_eq!(done.withdrawn, vec![coming.id]);
    assert_eq!((done.hours_kept, done.hours_removed), (1, 1));
    assert_eq!(
        done.inboxes,
        vec!["https://remote.example/inbox".to_string()]
    );

    // The place is free again; alice's stays.
    assert_eq!(s.get_slot(to_come.id).await.unwrap().participant_count, 1);
    let withdrawn = s.get_participation(coming.id).await.unwrap();
    assert_eq!(withdrawn.status, ParticipationStatus::Withdrawn);
    // The past sign-up stays (attendance, hours) without his name.
    let past = s.get_participation(past.id).await.unwrap();
    assert_eq!(past.status, ParticipationStatus::Accepted);
    assert_eq!(
        past.participant,
        Participant::Guest {
            name: String::new(),
            contact: String::new()
        }
    );
    // Validated hours stay, a former volunteer's; waiting ones are gone.
    let entry = s.get_hours_entry(kept.id).await.unwrap();
    assert_eq!(entry.volunteer, Volunteer::Former);
    assert_eq!(entry.draft.minutes, 90);
    assert!(s.get_hours_entry(waiting.id).await.is_err());
    assert_eq!(s.hours_history(kept.id).await.unwrap().len(), 2);
    // Everything that served him is gone.
    assert_eq!(
        s.find_session_user("session-bob", t(100)).await.unwrap(),
        None
    );
    assert_eq!(s.find_token_user("token-bob").await.unwrap(), None);
    assert!(s.list_api_tokens(bob.id).await.unwrap().is_empty());
    assert_eq!(s.calendar_token_created(bob.id).await.unwrap(), None);
    assert!(s
        .list_attestations(None, Some(bob.id))
        .await
        .unwrap()
        .is_empty());
    assert!(s.memberships(bob.id).await.unwrap().is_empty());
    assert!(s.list_followers(person.id).await.unwrap().is_empty());
    assert!(s.user_notifications(bob.id).await.unwrap().is_empty());
    // His number and the SMS waiting for it too.
    assert_eq!(s.phone_contact(bob.id).await.unwrap(), None);
    assert!(s.sms_to("+33612345678", 10).await.unwrap().is_empty());
    assert_eq!(
        s.list_notifications(Some(alice_too.id), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    // The tombstones: the name stays reserved, nothing else.
    let tomb = s.get_user(bob.id).await.unwrap();
    assert_eq!((tomb.email, tomb.password_hash), (None, None));
    assert_eq!(tomb.full_name, "", "the full name is personal data");
    let actor = s.get_actor(person.id).await.unwrap();
    assert_eq!(actor.deleted_at, Some(t(100)));
    assert_eq!(actor.summary, "");
    // Recorded for the worker: the withdrawal, the slot's new count, the `Delete`.
    let events = take_events(s).await;
    assert!(events.contains(&Outgoing::ParticipationChanged {
        participation_id: coming.id
    }));
    assert!(events.contains(&Outgoing::SlotChanged {
        slot_id: to_come.id
    }));
    assert!(events.contains(&Outgoing::AccountDeleted {
        actor_id: person.id,
        inboxes: vec!["https://remote.example/inbox".into()],
    }));

    // Again (a retry): nothing more to do, nothing more sent.
    let Erasure::Erased(again) = s.erase_user(bob.id, t(110)).await.unwrap() else {
        panic!("still erasable");
    };
    assert!(again.withdrawn.is_empty());
    assert_eq!((again.hours_kept, again.hours_removed), (0, 0));
    assert!(take_events(s).await.is_empty());
    assert_eq!(
        s.get_actor(person.id).await.unwrap().deleted_at,
        Some(t(100))
    );

    // The key goes once nothing is left to sign: not while a delivery waits.
    s.queue_event(Outgoing::SlotChanged { slot_id: 1 }, t(100))
        .await
        .unwrap();
    assert_eq!(s.drop_spent_keys(t(200)).await.unwrap(), 0);
    take_events(s).await;
    assert_eq!(
        s.drop_spent_keys(t(50)).await.unwrap(),
        0,
        "not yet old enough"
    );
    assert_eq!(s.drop_spent_keys(t(200)).await.unwrap(), 1);
    assert_eq!(s.get_actor(person.id).await.unwrap().private_key_pem, None);
    assert_eq!(s.drop_spent_keys(t(300)).await.unwrap(), 0);
    // Alice's own actor-less account and her group keep theirs.
    assert!(s.get_actor(g.id).await.unwrap().private_key_pem.is_some());
}

async fn the_last_coordinator_is_not_erased(s: &dyn Store) {
    let [alice, bob] = users(s, ["alice", "bob"]).await;
    let g = group(s, "epicerie", Some(alice.id)).await;
    let h = group(s, "atelier", Some(alice.id)).await;
    s.set_member(h.id, bob.id, Role::Coordinator).await.unwrap();
    s.create_session(alice.id, "session-alice", t(10_000))
        .await
        .unwrap();
    assert_eq!(
        s.erase_user(alice.id, t(1)).await.unwrap(),
        Erasure::LastCoordinator(vec![g.id])
    );
    // Nothing changed.
    assert_eq!(
        s.find_session_user("session-alice", t(1)).await.unwrap(),
        Some(alice.clone())
    );
    assert_eq!(s.get_user(alice.id).await.unwrap(), alice);
    assert_eq!(s.memberships(alice.id).await.unwrap().len(), 2);
    assert!(take_events(s).await.is_empty());
    // A plain member does not hold an association.
    s.set_member(g.id, bob.id, Role::Member).await.unwrap();
    assert_eq!(
        s.erase_user(alice.id, t(1)).await.unwrap(),
        Erasure::LastCoordinator(vec![g.id])
    );
    s.set_member(g.id, bob.id, Role::Coordinator).await.unwrap();
    assert!(matches!(
        s.erase_user(alice.id, t(2)).await.unwrap(),
        Erasure::Erased(_)
    ));
    assert!(s.erase_user(9999, t(2)).await.is_err());
}

async fn a_remote_actor_deleted_itself(s: &dyn Store) {
    const VERA: &str = "https://remote.example/u/vera";
    let g = group(s, "epicerie", None).await;
    let mut vera = remote_actor("remote.example", "vera");
    vera.ap_id = VERA.into();
    vera.kind = ActorKind::Person;
    let stored = s.upsert_remote_actor(vera.clone(), t(0)).await.unwrap();
    let m = mission(s, g.id, "distribution", t(60)).await;
    let to_come = slot(s, m.id, "later", slot_draft(200, 60, 2)).await;
    let over = slot(s, m.id, "before", slot_draft(-300, 60, 2)).await;
    let remote = Participant::Remote {
        actor_ap_id: VERA.into(),
    };
    let coming = signed_up(s, request(to_come.id, remote.clone(), "v1", true), t(1)).await;
    let past = signed_up(s, request(over.id, remote.clone(), "v0", true), t(-400)).await;
    let volunteer = Volunteer::Remote {
        actor_ap_id: VERA.into(),
        name: "Vera".into(),
    };
    let kept = s
        .create_hours_entry(
            hours(g.id, volunteer.clone(), 60, HoursStatus::Validated),
            None,
            None,
            t(2),
        )
        .await
        .unwrap();
    let refused = s
        .create_hours_entry(
            hours(g.id, volunteer, 20, HoursStatus::Refused),
            None,
            None,
            t(2),
        )
        .await
        .unwrap();
    s.record_interest(
        NewInterest {
            mission_id: m.id,
            actor_ap_id: VERA.into(),
            note_ap_id: "https://remote.example/notes/1".into(),
            content: "Je viens !".into(),
        },
        None,
        None,
        t(3),
    )
    .await
    .unwrap();
    s.add_follower(
        g.id,
        follower(VERA),
        Outgoing::SlotChanged { slot_id: 0 },
        t(3),
    )
    .await
    .unwrap();
    take_events(s).await;
    assert_eq!(
        s.erase_remote_actor("https://remote.example/u/nobody", t(100))
            .await
            .unwrap(),
        None
    );

    let done = s.erase_remote_actor(VERA, t(100)).await.unwrap().unwrap();
    assert_eq!(done.withdrawn, vec![coming.id]);
    assert_eq!((done.hours_kept, done.hours_removed), (1, 1));
    assert_eq!(done.interests_removed, 1);
    assert_eq!(s.get_slot(to_come.id).await.unwrap().participant_count, 0);
    assert_eq!(
        s.get_participation(past.id).await.unwrap().participant,
        Participant::Guest {
            name: String::new(),
            contact: String::new()
        }
    );
    assert_eq!(
        s.get_hours_entry(kept.id).await.unwrap().volunteer,
        Volunteer::Former
    );
    assert!(s.get_hours_entry(refused.id).await.is_err());
    assert!(s.list_interests(m.id).await.unwrap().is_empty());
    assert!(s.list_followers(g.id).await.unwrap().is_empty());
    assert!(take_events(s).await.contains(&Outgoing::SlotChanged {
        slot_id: to_come.id
    }));
    // A tombstone: a later fetch of the old document does not bring it back.
    let tomb = s.upsert_remote_actor(vera, t(200)).await.unwrap();
    assert_eq!(tomb.id, stored.id);
    assert_eq!(tomb.deleted_at, Some(t(100)));
    assert_eq!(tomb.summary, "");
    // Once is enough.
    assert_eq!(s.erase_remote_actor(VERA, t(300)).await.unwrap(), None);
}

trait IntoVolunteer {
    fn into_volunteer(self) -> Volunteer;
}

impl IntoVolunteer for Participant {
    fn into_volunteer(self) -> Volunteer {
        match self {
            Participant::User { user_id } => Volunteer::User { user_id },
            other => panic!("not a user: {other:?}"),
        }
    }
}
