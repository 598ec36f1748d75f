//! Calendar feeds (`CalendarStore`): one private token per user, and the slots of an
//! association over a span of time.

use crate::fixtures::*;
use entraide::{
    domain::{
        mission::{MissionDraft, MissionStatus},
        slot::SlotStatus,
    },
    storage::{NewMission, Store, StoreError},
};

on_both_backends!(calendar_tokens, association_slots);

async fn calendar_tokens(s: &dyn Store) {
    let [alice, bob] = users(s, ["alice", "bob"]).await;
    assert_eq!(s.calendar_token_created(alice.id).await.unwrap(), None);
    assert_eq!(s.find_calendar_token_user("h1").await.unwrap(), None);

    // The first token is stored; without `replace`, a second one changes nothing.
    assert!(s
        .set_calendar_token(alice.id, "h1", false, t(1))
        .await
        .unwrap());
    assert!(!s
        .set_calendar_token(alice.id, "h2", false, t(2))
        .await
        .unwrap());
    assert_eq!(
        s.calendar_token_created(alice.id).await.unwrap(),
        Some(t(1))
    );
    assert_eq!(
        s.find_calendar_token_user("h1").await.unwrap(),
        Some(alice.clone())
    );
    assert_eq!(s.find_calendar_token_user("h2").await.unwrap(), None);

    // Replaced: the old address stops working.
    assert!(s
        .set_calendar_token(alice.id, "h3", true, t(3))
        .await
        .unwrap());
    assert_eq!(
        s.calendar_token_created(alice.id).await.unwrap(),
        Some(t(3))
    );
    assert_eq!(s.find_calendar_token_user("h1").await.unwrap(), None);
    assert_eq!(
        s.find_calendar_token_user("h3").await.unwrap(),
        Some(alice.clone())
    );

    // One user's token is nobody else's.
    assert!(matches!(
        s.set_calendar_token(bob.id, "h3", false, t(4)).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(s
        .set_calendar_token(bob.id, "b1", false, t(4))
        .await
        .unwrap());
    assert_eq!(s.find_calendar_token_user("b1").await.unwrap(), Some(bob));
    assert_eq!(s.find_calendar_token_user("h3").await.unwrap(), Some(alice));
}

async fn association_slots(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let other = group(s, "atelier", None).await;
    let m = mission(s, g.id, "distribution", t(60)).await;
    let late = slot(s, m.id, "late", slot_draft(300, 60, 2)).await;
    let early = slot(s, m.id, "early", slot_draft(100, 60, 2)).await;
    let cancelled = slot(s, m.id, "cancelled", slot_draft(200, 60, 2)).await;
    s.cancel_slot(cancelled.id, t(1)).await.unwrap();
    let cancelled = s.get_slot(cancelled.id).await.unwrap();
    assert_eq!(cancelled.status, SlotStatus::Cancelled);
    // Not listed: another association's, a draft's, a deleted mission's.
    let theirs = mission(s, other.id, "theirs", t(60)).await;
    slot(s, theirs.id, "theirs", slot_draft(100, 60, 2)).await;
    let hidden = s
        .create_mission(NewMission {
            ap_id: format!("{BASE}/m/hidden"),
            url: format!("{BASE}/m/hidden"),
            actor_id: g.id,
            content_html: String::new(),
            draft: MissionDraft {
                status: MissionStatus::Draft,
                ..draft("hidden", t(60), 3)
            },
            now: t(0),
        })
        .await
        .unwrap();
    slot(s, hidden.id, "hidden", slot_draft(100, 60, 2)).await;
    let gone = mission(s, g.id, "gone", t(60)).await;
    slot(s, gone.id, "gone", slot_draft(100, 60, 2)).await;
    s.delete_mission(gone.id, t(1)).await.unwrap();

    // Soonest first, cancelled ones included.
    assert_eq!(
        s.association_slots(g.id, t(0), t(1000)).await.unwrap(),
        vec![early.clone(), cancelled.clone(), late.clone()]
    );
    // Overlapping `[from, to)`: a slot ending at `from` or starting at `to` is outside.
    assert_eq!(
        s.association_slots(g.id, t(160), t(300)).await.unwrap(),
        vec![cancelled.clone()]
    );
    assert_eq!(
        s.association_slots(g.id, t(159), t(301)).await.unwrap(),
        vec![early, cancelled, late]
    );
    assert!(s
        .association_slots(g.id, t(1000), t(2000))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        s.association_slots(other.id, t(0), t(1000))
            .await
            .unwrap()
            .len(),
        1
    );
}
