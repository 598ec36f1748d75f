//! "Aidez-moi à trouver" (`HelpStore`): référents, requests and their states moved only from
//! where they stand, notes, proposals recorded with their email in one transaction and opened
//! by their link until it expires, the export's list, the erasure and the retention's purge.

use crate::fixtures::*;
use entraide::{
    domain::{
        help::{Channel, CheckedHelp, HelpDraft, HelpState},
        volunteer::Profile,
    },
    storage::{NewNotification, NewProposal, Store, StoreError},
};

on_both_backends!(
    referents,
    requests_and_states,
    notes_and_proposals,
    purge_and_delete
);

fn asked(name: &str, email: &str) -> CheckedHelp {
    HelpDraft {
        name: name.into(),
        wishes: "épicerie solidaire".into(),
        when_note: "le mercredi".into(),
        wish: Profile {
            home_town: "Brest (29)".into(),
            home_latitude: Some(48.39),
            home_longitude: Some(-4.49),
            interests: vec!["solidarity".into()],
            ..Default::default()
        },
        email: email.into(),
        phone: "06 12 34 56 78".into(),
        consent: true,
        language: "fr".into(),
        ..Default::default()
    }
    .check()
    .unwrap()
}

async fn referents(s: &dyn Store) {
    let [anne, bob] = users(s, ["anne", "bob"]).await;
    assert!(!s.is_referent(anne.id).await.unwrap());
    assert!(s.add_referent(anne.id, t(1)).await.unwrap());
    assert!(!s.add_referent(anne.id, t(2)).await.unwrap(), "once");
    assert!(s.add_referent(bob.id, t(3)).await.unwrap());
    assert!(s.is_referent(anne.id).await.unwrap());
    assert_eq!(
        s.list_referents().await.unwrap(),
        vec![(anne.id, t(1)), (bob.id, t(3))]
    );
    assert!(s.remove_referent(bob.id).await.unwrap());
    assert!(!s.remove_referent(bob.id).await.unwrap());
    assert!(!s.is_referent(bob.id).await.unwrap());
    assert_eq!(s.list_referents().await.unwrap(), vec![(anne.id, t(1))]);
}

async fn requests_and_states(s: &dyn Store) {
    let [anne, camille] = users(s, ["anne", "camille"]).await;
    let first = s
        .create_help_request(&asked("Maryvonne", ""), None, t(1))
        .await
        .unwrap();
    assert_eq!(first.state, HelpState::New);
    assert_eq!(first.channel, Channel::Phone);
    assert_eq!(first.wish.home_town, "Brest (29)");
    assert_eq!(first.wish.home_latitude, Some(48.39));
    assert_eq!((first.created_at, first.updated_at), (t(1), t(1)));
    let second = s
        .create_help_request(&asked("Camille", "c@example.org"), Some(camille.id), t(2))
        .await
        .unwrap();
    assert_eq!(second.channel, Channel::Email);
    assert_eq!(
        s.get_help_request(first.id).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(s.get_help_request(9999).await.unwrap(), None);
    let all = s.list_help_requests(None).await.unwrap();
    assert_eq!(
        ids(&all, |r| r.id),
        vec![second.id, first.id],
        "newest first"
    );

    // Taken once: the second move from `new` finds it moved.
    assert!(s
        .move_help_request(
            first.id,
            HelpState::New,
            HelpState::InProgress,
            Some(anne.id),
            t(5)
        )
        .await
        .unwrap());
    assert!(!s
        .move_help_request(
            first.id,
            HelpState::New,
            HelpState::InProgress,
            Some(camille.id),
            t(6)
        )
        .await
        .unwrap());
    let taken = s.get_help_request(first.id).await.unwrap().unwrap();
    assert_eq!(
        (taken.state, taken.referent_id, taken.updated_at),
        (HelpState::InProgress, Some(anne.id), t(5))
    );
    // Placed without naming anyone: the référent stays.
    assert!(s
        .move_help_request(
            first.id,
            HelpState::InProgress,
            HelpState::Placed,
            None,
            t(7)
        )
        .await
        .unwrap());
    let placed = s.list_help_requests(Some(HelpState::Placed)).await.unwrap();
    assert_eq!(ids(&placed, |r| r.id), vec![first.id]);
    assert_eq!(placed[0].referent_id, Some(anne.id));
    let new = s.list_help_requests(Some(HelpState::New)).await.unwrap();
    assert_eq!(ids(&new, |r| r.id), vec![second.id]);

    // The export lists what an account asked, nothing else.
    let mine = s.help_requests_of_user(camille.id).await.unwrap();
    assert_eq!(ids(&mine, |r| r.id), vec![second.id]);
    assert!(s.help_requests_of_user(anne.id).await.unwrap().is_empty());
}

fn proposal(mission_id: i64, slot_id: Option<i64>, hash: &str, expires: i64) -> NewProposal {
    NewProposal {
        mission_id,
        slot_id,
        token_hash: hash.into(),
        expires_at: t(expires),
    }
}

fn mail(key: &str) -> NewNotification {
    NewNotification {
        participation_id: None,
        kind: "help_proposal".into(),
        channel: "email".into(),
        recipient: "c@example.org".into(),
        subject: "Une mission".into(),
        body_text: "…".into(),
        status: "pending".into(),
        dedupe_key: format!("help_proposal:{key}"),
        delivery: None,
    }
}

async fn notes_and_proposals(s: &dyn Store) {
    let [anne] = users(s, ["anne"]).await;
    let g = group(s, "epicerie", None).await;
    let m = mission(s, g.id, "distribution", t(600)).await;
    let sl = slot(s, m.id, "a", slot_draft(700, 60, 2)).await;
    let r = s
        .create_help_request(&asked("Camille", "c@example.org"), None, t(1))
        .await
        .unwrap();

    let note = s
        .add_help_note(r.id, anne.id, "Appelée", t(3))
        .await
        .unwrap();
    assert_eq!(
        (
            note.request_id,
            note.author_id,
            note.body.as_str(),
            note.created_at
        ),
        (r.id, Some(anne.id), "Appelée", t(3))
    );
    s.add_help_note(r.id, anne.id, "Rappeler lundi", t(4))
        .await
        .unwrap();
    let notes = s.list_help_notes(r.id).await.unwrap();
    assert_eq!(
        notes.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(),
        vec!["Appelée", "Rappeler lundi"]
    );
    assert_eq!(
        s.get_help_request(r.id).await.unwrap().unwrap().updated_at,
        t(4),
        "a note counts as a change"
    );

    let made = s
        .record_help_proposals(
            r.id,
            anne.id,
            vec![proposal(m.id, Some(sl.id), "h1", 100)],
            Some(mail("h1")),
            t(10),
        )
        .await
        .unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(
        (made[0].mission_id, made[0].slot_id, made[0].referent_id),
        (m.id, Some(sl.id), Some(anne.id))
    );
    let emails = s.list_notifications(None, 10).await.unwrap();
    assert!(
        emails.iter().any(|n| n.kind == "help_proposal"),
        "{emails:?}"
    );
    // The same link twice: a conflict, and neither the proposal nor its email is kept.
    assert!(matches!(
        s.record_help_proposals(
            r.id,
            anne.id,
            vec![
                proposal(m.id, None, "h2", 100),
                proposal(m.id, None, "h1", 100)
            ],
            Some(mail("h2")),
            t(11),
        )
        .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(s.list_help_proposals(r.id).await.unwrap(), made);
    let emails = s.list_notifications(None, 10).await.unwrap();
    assert_eq!(
        emails.iter().filter(|n| n.kind == "help_proposal").count(),
        1
    );

    // Opened by its link until it expires; the first opening is kept.
    let opened = s.open_help_proposal("h1", t(20)).await.unwrap().unwrap();
    assert_eq!(opened.opened_at, Some(t(20)));
    let again = s.open_help_proposal("h1", t(30)).await.unwrap().unwrap();
    assert_eq!(again.opened_at, Some(t(20)));
    assert_eq!(s.open_help_proposal("h1", t(100)).await.unwrap(), None);
    assert_eq!(s.open_help_proposal("nope", t(20)).await.unwrap(), None);
}

async fn purge_and_delete(s: &dyn Store) {
    let [anne] = users(s, ["anne"]).await;
    let old = s
        .create_help_request(&asked("Ancienne", ""), None, t(1))
        .await
        .unwrap();
    let touched = s
        .create_help_request(&asked("Suivie", ""), None, t(2))
        .await
        .unwrap();
    let recent = s
        .create_help_request(&asked("Récente", ""), None, t(50))
        .await
        .unwrap();
    s.add_help_note(old.id, anne.id, "note", t(3))
        .await
        .unwrap();
    s.add_help_note(touched.id, anne.id, "plus tard", t(60))
        .await
        .unwrap();
    // Changed before minute 10: only the old one goes, with its note.
    assert_eq!(s.purge_help_requests(t(10)).await.unwrap(), 1);
    assert_eq!(s.get_help_request(old.id).await.unwrap(), None);
    assert!(s.list_help_notes(old.id).await.unwrap().is_empty());
    let left = s.list_help_requests(None).await.unwrap();
    assert_eq!(ids(&left, |r| r.id), vec![recent.id, touched.id]);
    assert_eq!(s.purge_help_requests(t(10)).await.unwrap(), 0);

    assert!(s.delete_help_request(touched.id).await.unwrap());
    assert!(!s.delete_help_request(touched.id).await.unwrap());
    assert!(s.list_help_notes(touched.id).await.unwrap().is_empty());
    assert_eq!(
        ids(&s.list_help_requests(None).await.unwrap(), |r| r.id),
        vec![recent.id]
    );
}
