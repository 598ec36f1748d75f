//! Mastodon users (`FediverseStore`): one-time links sent by direct message, each with its
//! message in one transaction, taken once; replies to a mission kept as interest.

use crate::fixtures::*;
use entraide::{
    domain::{
        events::Outgoing,
        fediverse::{Confirmation, NewConfirmation, NewInterest},
    },
    storage::{Store, StoreError},
};

on_both_backends!(confirmations, interests);

const ZOE: &str = "https://mastodon.example/users/zoe";

fn link(token: &str, slot_id: i64, actor: &str, expires: i64) -> NewConfirmation {
    NewConfirmation {
        token_hash: token.into(),
        slot_id,
        actor_ap_id: actor.into(),
        join_ap_id: format!("{BASE}/join/{token}"),
        expires_at: t(expires),
    }
}

fn message(from: i64, text: &str) -> Outgoing {
    Outgoing::DirectMessage {
        from_actor_id: from,
        to_actor_ap_id: ZOE.into(),
        content_html: format!("<p>{text}</p>"),
        in_reply_to: None,
    }
}

async fn confirmations(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let sl = slot(s, m.id, "a", slot_draft(100, 60, 2)).await;
    take_events(s).await;

    // The link and the direct message carrying it, together.
    let made = s
        .create_confirmation(link("h1", sl.id, ZOE, 60), message(g.id, "lien"), t(1))
        .await
        .unwrap();
    let expected = Confirmation {
        id: made.id,
        slot_id: sl.id,
        actor_ap_id: ZOE.into(),
        join_ap_id: format!("{BASE}/join/h1"),
        created_at: t(1),
        expires_at: t(60),
        used_at: None,
    };
    assert_eq!(made, expected);
    assert_eq!(take_events(s).await, vec![message(g.id, "lien")]);
    assert_eq!(
        s.find_confirmation("h1").await.unwrap(),
        Some(expected.clone())
    );
    assert_eq!(s.find_confirmation("unknown").await.unwrap(), None);
    // The same token twice: a conflict, and no second message.
    assert!(matches!(
        s.create_confirmation(link("h1", sl.id, ZOE, 90), message(g.id, "bis"), t(2))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(take_events(s).await.is_empty());

    // Taken once, before it expires.
    let taken = s.take_confirmation("h1", t(10)).await.unwrap();
    assert_eq!(
        taken,
        Some(Confirmation {
            used_at: Some(t(10)),
            ..expected.clone()
        })
    );
    assert_eq!(s.take_confirmation("h1", t(11)).await.unwrap(), None);
    assert_eq!(
        s.find_confirmation("h1").await.unwrap().unwrap().used_at,
        Some(t(10))
    );
    // Released (what it was for could not be done): usable again.
    s.release_confirmation(made.id).await.unwrap();
    assert_eq!(s.find_confirmation("h1").await.unwrap(), Some(expected));
    assert!(s.take_confirmation("h1", t(12)).await.unwrap().is_some());
    // Expired: up to, not at, its end.
    s.create_confirmation(link("h2", sl.id, ZOE, 30), message(g.id, "2"), t(3))
        .await
        .unwrap();
    assert_eq!(s.take_confirmation("h2", t(30)).await.unwrap(), None);
    assert!(s.take_confirmation("h2", t(29)).await.unwrap().is_some());
    assert_eq!(s.take_confirmation("unknown", t(1)).await.unwrap(), None);

    // Counted per account since a time (to limit how many one asks for).
    s.create_confirmation(
        link("h3", sl.id, "https://other.example/u/x", 90),
        message(g.id, "3"),
        t(5),
    )
    .await
    .unwrap();
    assert_eq!(s.count_confirmations_since(ZOE, t(0)).await.unwrap(), 2);
    assert_eq!(s.count_confirmations_since(ZOE, t(3)).await.unwrap(), 1);
    assert_eq!(s.count_confirmations_since(ZOE, t(4)).await.unwrap(), 0);
    assert_eq!(
        s.count_confirmations_since("https://other.example/u/x", t(0))
            .await
            .unwrap(),
        1
    );
}

fn interest(mission_id: i64, note: &str, content: &str) -> NewInterest {
    NewInterest {
        mission_id,
        actor_ap_id: ZOE.into(),
        note_ap_id: format!("https://mastodon.example/notes/{note}"),
        content: content.into(),
    }
}

async fn interests(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let other = mission(s, g.id, "atelier", t(60)).await;
    let sl = slot(s, m.id, "a", slot_draft(100, 60, 2)).await;
    take_events(s).await;
    assert!(s.list_interests(m.id).await.unwrap().is_empty());

    // New: kept, with its link and its answer, in one transaction.
    assert!(s
        .record_interest(
            interest(m.id, "1", "Je viens !"),
            Some(link("i1", sl.id, ZOE, 100)),
            Some(message(g.id, "merci")),
            t(2),
        )
        .await
        .unwrap());
    assert_eq!(take_events(s).await, vec![message(g.id, "merci")]);
    assert_eq!(
        s.find_confirmation("i1").await.unwrap().unwrap().created_at,
        t(2)
    );
    // The same reply again: nothing new, no second link or answer.
    assert!(!s
        .record_interest(
            interest(m.id, "1", "Je viens !"),
            Some(link("i2", sl.id, ZOE, 100)),
            Some(message(g.id, "merci")),
            t(3),
        )
        .await
        .unwrap());
    assert!(take_events(s).await.is_empty());
    assert_eq!(s.find_confirmation("i2").await.unwrap(), None);
    // Neither a link nor an answer is needed.
    assert!(s
        .record_interest(interest(m.id, "0", "Moi aussi"), None, None, t(1))
        .await
        .unwrap());
    assert!(s
        .record_interest(interest(other.id, "9", "Ailleurs"), None, None, t(1))
        .await
        .unwrap());
    assert!(take_events(s).await.is_empty());

    // A mission's interest, oldest first.
    let listed = s.list_interests(m.id).await.unwrap();
    let got: Vec<(&str, &str, chrono::DateTime<chrono::Utc>)> = listed
        .iter()
        .map(|i| (i.note_ap_id.as_str(), i.content.as_str(), i.created_at))
        .collect();
    assert_eq!(
        got,
        vec![
            ("https://mastodon.example/notes/0", "Moi aussi", t(1)),
            ("https://mastodon.example/notes/1", "Je viens !", t(2)),
        ]
    );
    assert!(listed
        .iter()
        .all(|i| i.mission_id == m.id && i.actor_ap_id == ZOE));
    assert_eq!(s.list_interests(other.id).await.unwrap().len(), 1);
}
