//! Search (`SearchStore`): the change log every process's index follows (written by triggers
//! whatever code changes a mission, a slot, a resource or an association's name; read in an
//! order no later commit falls behind; pruned with a mark), and the rows an index is built from.

use crate::fixtures::*;
use crate::resources::resource_draft;
use entraide::{
    domain::mission::MissionStatus,
    storage::{
        search::{Change, ChangeCursor, Pick},
        Store,
    },
};

on_both_backends!(change_log, rows_to_index, version_moves_with_each_change);

/// The changes after `after`, as kinds and ids, and the last place read.
async fn changes(s: &dyn Store, after: ChangeCursor) -> (Vec<Change>, ChangeCursor) {
    let read = s.search_changes(after, 1000).await.unwrap();
    let last = read.last().map_or(after, |c| c.at);
    (read.into_iter().map(|c| c.change).collect(), last)
}

/// Reads the log after `after` until what was read satisfies `done`. On PostgreSQL an entry
/// is read only once every transaction older than its own has ended, and other tests' (in other
/// databases of the same server) count: it may take a few reads. Gives up after 500.
async fn until(
    s: &dyn Store,
    after: ChangeCursor,
    done: impl Fn(&[Change]) -> bool,
) -> (Vec<Change>, ChangeCursor) {
    let (mut seen, mut at) = (Vec::new(), after);
    for _ in 0..500 {
        let (more, last) = changes(s, at).await;
        seen.extend(more);
        at = last;
        if done(&seen) {
            return (seen, at);
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the log still holds only {seen:?}");
}

async fn change_log(s: &dyn Store) {
    let start = s.search_log_head().await.unwrap();
    let g = group(s, "epicerie", None).await;
    let m = mission(s, g.id, "jardin", t(600)).await;
    let (seen, at) = until(s, start, |seen| !seen.is_empty()).await;
    assert_eq!(seen, vec![Change::Mission(m.id)]);
    assert_eq!(s.search_log_head().await.unwrap(), at);
    assert!(changes(s, at).await.0.is_empty(), "nothing after the head");

    // A slot is its mission's change; so is a sign-up's count.
    slot(s, m.id, "s1", slot_draft(700, 60, 3)).await;
    let (seen, at) = until(s, at, |seen| !seen.is_empty()).await;
    assert!(seen.iter().all(|c| *c == Change::Mission(m.id)), "{seen:?}");

    let r = tent(s, g.id).await;
    let (seen, at) = until(s, at, |seen| !seen.is_empty()).await;
    assert_eq!(seen, vec![Change::Resource(r.id)]);

    // A loan is its resource's change (what is free there moves).
    s.reserve(crate::resources::loan(r.id, "l1", 1, 600, 900), t(1))
        .await
        .unwrap();
    let (seen, at) = until(s, at, |seen| !seen.is_empty()).await;
    assert_eq!(seen, vec![Change::Resource(r.id)]);

    // A remote association renamed: its missions and resources are named again.
    let source = remote_source(s).await;
    let (_, at) = until(s, at, |seen| seen.contains(&Change::Mission(source.id))).await;
    let mut renamed = remote_actor("remote.example", "voisins");
    renamed.display_name = "Les voisins".into();
    s.upsert_remote_actor(renamed, t(5)).await.unwrap();
    let (seen, at) = until(s, at, |seen| seen.contains(&Change::Mission(source.id))).await;
    assert!(seen
        .iter()
        .all(|c| matches!(c, Change::Mission(_) | Change::Resource(_))));

    s.request_reindex().await.unwrap();
    let (seen, at) = until(s, at, |seen| !seen.is_empty()).await;
    assert_eq!(seen, vec![Change::All]);

    // Read two at a time from a cursor, the log is the same: in order, each entry once.
    let whole = s.search_changes(start, 1000).await.unwrap();
    let (mut paged, mut cursor) = (Vec::new(), start);
    loop {
        let page = s.search_changes(cursor, 2).await.unwrap();
        let Some(last) = page.last() else { break };
        assert!(
            page.len() <= 2 && page[0].at > cursor,
            "{page:?} after {cursor:?}"
        );
        cursor = last.at;
        paged.extend(page);
    }
    assert_eq!(paged, whole);
    assert!(whole.windows(2).all(|w| w[0].at < w[1].at), "{whole:?}");
    assert_eq!(whole.last().map(|c| c.at), Some(at));

    // Pruning: nothing is older than a day; everything is older than "now + 1 hour".
    assert_eq!(s.prune_search_log(86_400).await.unwrap(), 0);
    assert_eq!(
        s.search_log_pruned().await.unwrap(),
        ChangeCursor::default()
    );
    let removed = s.prune_search_log(-3600).await.unwrap();
    assert!(removed >= 5, "{removed}");
    let pruned = s.search_log_pruned().await.unwrap();
    assert_eq!(pruned, at, "the mark is the last entry removed");
    assert!(s.search_log_head().await.unwrap() >= pruned);
    assert!(changes(s, ChangeCursor::default()).await.0.is_empty());
}

/// The log's version (what the kept pages check) moves at once with every change committed,
/// and stays put while nothing changes.
async fn version_moves_with_each_change(s: &dyn Store) {
    let before = s.search_log_version().await.unwrap();
    assert_eq!(s.search_log_version().await.unwrap(), before);
    let g = group(s, "epicerie", None).await;
    let m = mission(s, g.id, "jardin", t(600)).await;
    let after_mission = s.search_log_version().await.unwrap();
    assert_ne!(after_mission, before);
    slot(s, m.id, "s1", slot_draft(700, 60, 3)).await;
    let after_slot = s.search_log_version().await.unwrap();
    assert_ne!(after_slot, after_mission);
    assert_eq!(s.search_log_version().await.unwrap(), after_slot);
}

/// On PostgreSQL, a transaction of another database of the server that began before a change
/// keeps that change above the settled head, yet the version moves at once: the next page is
/// built again (the search's head only moves once that transaction ends).
#[tokio::test]
async fn version_moves_while_an_older_transaction_runs_on_postgres() {
    use sqlx::Connection;
    let test = "search::version_moves_while_an_older_transaction_runs";
    let Some(db) = crate::support::postgres(test).await else {
        return;
    };
    let Some(other) = crate::support::postgres(&format!("{test}_other")).await else {
        return;
    };
    let s = crate::support::postgres_store(&db).await;
    let g = group(s.as_ref(), "epicerie", None).await;
    let mut held = sqlx::PgConnection::connect(&other.url).await.unwrap();
    sqlx::query("BEGIN").execute(&mut held).await.unwrap();
    sqlx::query("SELECT txid_current()")
        .execute(&mut held)
        .await
        .unwrap();
    let before = s.search_log_version().await.unwrap();
    let m = mission(s.as_ref(), g.id, "jardin", t(600)).await;
    let (settled, head) = changes(s.as_ref(), ChangeCursor::default()).await;
    assert!(!settled.contains(&Change::Mission(m.id)), "held back");
    let during = s.search_log_version().await.unwrap();
    assert_ne!(during, before);
    assert_eq!(s.search_log_version().await.unwrap(), during);
    sqlx::query("ROLLBACK").execute(&mut held).await.unwrap();
    drop(held);
    // Once it ends, the head passes the change; the version moves once more.
    until(s.as_ref(), head, |seen| !seen.is_empty()).await;
    assert_ne!(s.search_log_version().await.unwrap(), during);
}

/// A tent of the association `owner`.
async fn tent(s: &dyn Store, owner: i64) -> entraide::domain::resource::Resource {
    s.create_resource(
        owner,
        &format!("{BASE}/r/1"),
        &resource_draft("Tente", 2),
        t(1),
    )
    .await
    .unwrap()
}

async fn rows_to_index(s: &dyn Store) {
    let g = group(s, "epicerie", None).await;
    let now = t(0);
    let a = mission(s, g.id, "a", t(600)).await;
    let b = mission(s, g.id, "b", t(900)).await;
    slot(s, b.id, "b1", slot_draft(900, 60, 3)).await;
    // A draft and a mission over are not rebuilt from, but are read by id.
    let mut d = draft("brouillon", t(600), 2);
    d.status = MissionStatus::Draft;
    let hidden = s.update_mission(a.id, d, "<p>a</p>", t(1)).await.unwrap();
    assert_eq!(hidden.status, MissionStatus::Draft);
    let past = mission(s, g.id, "past", t(-600)).await;

    let page = s
        .search_missions(
            Pick::After {
                after: 0,
                limit: 10,
            },
            now,
        )
        .await
        .unwrap();
    assert_eq!(ids(&page, |m| m.mission.id), vec![b.id]);
    let got = &page[0];
    assert_eq!(got.association, "epicerie (display)");
    assert!(!got.is_event);
    assert_eq!(ids(&got.slots, |s| s.mission_id), vec![b.id]);
    // Pages: after the last id read.
    let after = s
        .search_missions(
            Pick::After {
                after: b.id,
                limit: 10,
            },
            now,
        )
        .await
        .unwrap();
    assert!(after.is_empty());
    let by_id = s
        .search_missions(Pick::Ids(&[past.id, a.id, 9999]), now)
        .await
        .unwrap();
    let mut got = ids(&by_id, |m| m.mission.id);
    got.sort_unstable();
    assert_eq!(got, vec![a.id, past.id]);

    // Another software's event is marked so.
    let r = s
        .upsert_remote_actor(remote_actor("mobilizon.example", "club"), t(0))
        .await
        .unwrap();
    let mut event = remote_mission(
        r.id,
        "https://mobilizon.example/events/1",
        "Fête",
        t(600),
        t(0),
    );
    event.is_event = true;
    let event = s.upsert_remote_mission(event).await.unwrap();
    let read = s
        .search_missions(Pick::Ids(&[event.id]), now)
        .await
        .unwrap();
    assert!(read[0].is_event);
    assert_eq!(read[0].association, "club at mobilizon.example");

    let tent = tent(s, g.id).await;
    let theirs = s
        .save_remote_resource(
            r.id,
            "https://mobilizon.example/r/9",
            &resource_draft("Sono", 1),
            &[],
            t(1),
        )
        .await
        .unwrap();
    s.delete_resource(tent.id, "", t(2)).await.unwrap();
    let page = s
        .search_resources(Pick::After {
            after: 0,
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(ids(&page, |r| r.resource.id), vec![theirs.id]);
    assert!(!page[0].local);
    assert_eq!(page[0].owner, "club at mobilizon.example");
    let read = s.search_resources(Pick::Ids(&[tent.id])).await.unwrap();
    assert!(read[0].local && read[0].resource.deleted_at.is_some());
}
