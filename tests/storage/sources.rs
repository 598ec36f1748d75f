//! The aggregator's store (`SourceStore`): sources and their freshness, items taken from
//! them, publishers' consent, and what a node publishes now (`/relay/current`), newest change
//! first.

use crate::fixtures::*;
use crate::resources::resource;
use entraide::{
    domain::aggregator::{NewSource, SourceKind, WalkOutcome},
    domain::mission::MissionStatus,
    storage::{AggregatedItem, Store, StoreError},
};

on_both_backends!(sources_and_freshness, items_and_consent, current_items);

fn new_source(host: &str, kind: SourceKind) -> NewSource {
    NewSource {
        input: format!("https://{host}"),
        actor_ap_id: format!("https://{host}/relay"),
        kind,
        host: host.into(),
        collection: format!("https://{host}/relay/current"),
    }
}

async fn sources_and_freshness(s: &dyn Store) {
    let a = s
        .add_source(new_source("a.example", SourceKind::Entraide), t(0))
        .await
        .unwrap();
    assert_eq!(a.kind, SourceKind::Entraide);
    assert_eq!(a.added_at, t(0));
    assert_eq!(
        (a.last_activity_at, a.last_attempt_at, a.last_success_at),
        (None, None, None)
    );
    assert_eq!((a.error_count, a.items), (0, 0));
    assert!(matches!(
        s.add_source(new_source("a.example", SourceKind::Other), t(1))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let m = s
        .add_source(new_source("mobilizon.example", SourceKind::Mobilizon), t(1))
        .await
        .unwrap();
    assert_eq!(
        ids(&s.list_sources().await.unwrap(), |x| x.id),
        vec![a.id, m.id]
    );
    assert_eq!(
        s.find_source(m.id).await.unwrap().unwrap().kind,
        SourceKind::Mobilizon
    );
    assert_eq!(s.find_source(m.id + 100).await.unwrap(), None);
    assert_eq!(
        s.find_source_by_actor("https://a.example/relay")
            .await
            .unwrap()
            .map(|x| x.id),
        Some(a.id)
    );
    assert_eq!(
        s.find_source_by_actor("https://z.example/relay")
            .await
            .unwrap(),
        None
    );

    // Heard from: only a source's actor counts, and never back in time.
    assert!(s
        .source_heard("https://a.example/relay", t(5))
        .await
        .unwrap());
    assert!(!s
        .source_heard("https://a.example/relay", t(3))
        .await
        .unwrap());
    assert!(!s
        .source_heard("https://nobody.example/relay", t(5))
        .await
        .unwrap());
    let a_now = s.find_source(a.id).await.unwrap().unwrap();
    assert_eq!(a_now.last_activity_at, Some(t(5)));

    // A failed walk counts an error; a success resets them and keeps its item count.
    s.source_walk_started(a.id, t(6)).await.unwrap();
    let failed = WalkOutcome::Failed {
        error: "remote server: timed out".into(),
    };
    s.source_walk_ended(a.id, &failed, t(7)).await.unwrap();
    s.source_walk_ended(a.id, &failed, t(8)).await.unwrap();
    let a_now = s.find_source(a.id).await.unwrap().unwrap();
    assert_eq!(a_now.last_attempt_at, Some(t(6)));
    assert_eq!(
        (a_now.error_count, a_now.last_error.as_str()),
        (2, "remote server: timed out")
    );
    assert_eq!(a_now.last_success_at, None);
    s.source_walk_started(a.id, t(9)).await.unwrap();
    s.source_walk_ended(a.id, &WalkOutcome::Done { items: 250 }, t(10))
        .await
        .unwrap();
    let a_now = s.find_source(a.id).await.unwrap().unwrap();
    assert_eq!((a_now.error_count, a_now.items), (0, 250));
    assert_eq!(a_now.last_success_at, Some(t(10)));
    assert_eq!(a_now.last_attempt_at, Some(t(9)));

    assert!(s.remove_source(m.id).await.unwrap());
    assert!(!s.remove_source(m.id).await.unwrap());
    assert_eq!(ids(&s.list_sources().await.unwrap(), |x| x.id), vec![a.id]);
}

async fn items_and_consent(s: &dyn Store) {
    let src = s
        .add_source(new_source("remote.example", SourceKind::Entraide), t(0))
        .await
        .unwrap();
    let m = remote_source(s).await; // https://remote.example/e/1
    let item = |ap_id: &str, source: Option<i64>, updated: i64| AggregatedItem {
        ap_id: ap_id.into(),
        source_id: source,
        kind: "mission".into(),
        updated: t(updated),
    };
    s.record_aggregated_item(item(&m.ap_id, Some(src.id), 1), t(2))
        .await
        .unwrap();
    // A later record refreshes the time and keeps the first source.
    s.record_aggregated_item(item(&m.ap_id, None, 4), t(5))
        .await
        .unwrap();
    assert_eq!(
        s.find_aggregated_item(&m.ap_id).await.unwrap(),
        Some(item(&m.ap_id, Some(src.id), 4))
    );
    // An item whose mission is not stored (or deleted) is not counted.
    s.record_aggregated_item(item("https://remote.example/e/gone", Some(src.id), 1), t(2))
        .await
        .unwrap();
    assert_eq!(s.count_aggregated_items().await.unwrap(), vec![(src.id, 1)]);
    s.delete_remote_mission(&m.ap_id, t(6)).await.unwrap();
    assert_eq!(
        s.count_aggregated_items().await.unwrap(),
        Vec::<(i64, i64)>::new()
    );
    assert!(s.forget_aggregated_item(&m.ap_id).await.unwrap());
    assert!(!s.forget_aggregated_item(&m.ap_id).await.unwrap());
    assert_eq!(s.find_aggregated_item(&m.ap_id).await.unwrap(), None);
    // Removing the source unlinks what it brought.
    s.remove_source(src.id).await.unwrap();
    let left = s
        .find_aggregated_item("https://remote.example/e/gone")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(left.source_id, None);

    let zoe = "https://mobilizon.example/@zoe";
    assert_eq!(s.actor_consent(zoe).await.unwrap(), None);
    s.set_actor_consent(zoe, false, t(1)).await.unwrap();
    assert_eq!(s.actor_consent(zoe).await.unwrap(), Some(false));
    s.set_actor_consent(zoe, true, t(2)).await.unwrap();
    assert_eq!(s.actor_consent(zoe).await.unwrap(), Some(true));
}

async fn current_items(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let early = mission(s, g.id, "early", t(60)).await; // ends t(240)
    let late = mission(s, g.id, "late", t(600)).await;
    let draft = mission(s, g.id, "draft", t(600)).await;
    let mut d = draft_of(&draft);
    d.status = MissionStatus::Draft;
    s.update_mission(draft.id, d, "<p>draft</p>", t(3))
        .await
        .unwrap();
    // Changed later: first in the list.
    s.update_mission(early.id, draft_of(&early), "<p>early</p>", t(5))
        .await
        .unwrap();
    let r = resource(s, g.id, "Barnum", 2).await; // updated t(0)
    remote_source(s).await; // another node's: never listed
    let listed = s.list_current_items(t(1), 10, 0).await.unwrap();
    let seen: Vec<(&str, i64)> = listed.iter().map(|i| (i.kind.as_str(), i.id)).collect();
    assert_eq!(seen[0], ("mission", early.id));
    assert_eq!(listed[0].updated, t(5));
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert!(seen.contains(&("mission", late.id)) && seen.contains(&("resource", r.id)));
    assert_eq!(s.count_current_items(t(1)).await.unwrap(), 3);
    // Pages.
    let second = s.list_current_items(t(1), 2, 2).await.unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].id, listed[2].id);
    // Once a mission is over, it leaves; a deleted one too.
    assert_eq!(s.count_current_items(t(300)).await.unwrap(), 2);
    s.delete_mission(late.id, t(301)).await.unwrap();
    let after = s.list_current_items(t(302), 10, 0).await.unwrap();
    assert_eq!(
        after
            .iter()
            .map(|i| (i.kind.as_str(), i.id))
            .collect::<Vec<_>>(),
        vec![("resource", r.id)]
    );
}

/// The draft a mission was made from (to change it).
fn draft_of(m: &entraide::domain::mission::Mission) -> entraide::domain::mission::MissionDraft {
    draft(&m.title, m.start_time, 3)
}
