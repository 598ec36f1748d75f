//! The query plans of the main lists (issue 17): SQLite must read them through an index, never
//! by a scan of a table that grows with the node (missions, slots, sign-ups, hours, resources,
//! reservations, followers), so a page costs what it shows. SQLite plans without statistics
//! (nodes never `ANALYZE`), so an empty database plans as a full one does. The same holds for
//! what a node does at rest (the search index's poll of its change log, the minute's reminder
//! scans): a node that holds more must not work more when nothing happens.

use super::db::{query_as, Arg, Dialect};
use super::{HoursQuery, MissionQuery, ReservationPage, ReservationsOf, SqlStore};
use crate::domain::hours::HoursStatus;
use chrono::{NaiveDate, TimeZone, Utc};

/// The tables that grow with the node, and the aliases the statements give them.
const BIG: &[&str] = &[
    "mission",
    "slot",
    "participation",
    "hours_entry",
    "reservation",
    "resource",
    "follower",
    "search_change",
    "m",
    "s",
    "p",
    "h",
    "r",
    "x",
];

async fn store() -> (SqlStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("plans.sqlite").display());
    (SqlStore::connect(&url, 1).await.expect("store"), dir)
}

/// The lines of SQLite's `EXPLAIN QUERY PLAN` of `sql` with `args`.
async fn plan(store: &SqlStore, sql: &str, args: Vec<Arg<'static>>) -> Vec<String> {
    let explain = format!("EXPLAIN QUERY PLAN {sql}");
    let mut q = query_as::<(i64, i64, i64, String)>(&explain);
    for a in args {
        q = q.bind(a);
    }
    q.fetch_all(&store.pool)
        .await
        .expect("plan")
        .into_iter()
        .map(|(.., detail)| detail)
        .collect()
}

/// Fails when the plan scans a big table (`SCAN mission`, `SCAN h USING INDEX …`: every row)
/// or sorts what it reads (`USE TEMP B-TREE FOR ORDER BY`) when `sorted_by_index`.
fn assert_indexed(name: &str, plan: &[String], sorted_by_index: bool) {
    for line in plan {
        let scanned = line
            .strip_prefix("SCAN ")
            .and_then(|rest| rest.split_whitespace().next());
        assert!(
            !scanned.is_some_and(|t| BIG.contains(&t)),
            "{name}: scans a table that grows with the node: {line}\n{plan:#?}"
        );
        assert!(
            !(sorted_by_index && line.contains("FOR ORDER BY") && !line.contains("UNION")),
            "{name}: sorts instead of reading an index in order: {line}\n{plan:#?}"
        );
    }
}

#[tokio::test]
async fn the_main_lists_read_indexes_not_tables() {
    let (store, _dir) = store().await;
    let now = Utc.with_ymd_and_hms(2030, 1, 7, 9, 0, 0).unwrap();
    let missions = [
        (
            "home, ours",
            MissionQuery {
                local: Some(true),
                upcoming_after: Some(now),
                limit: 30,
                ..Default::default()
            },
        ),
        (
            "home, other nodes'",
            MissionQuery {
                local: Some(false),
                upcoming_after: Some(now),
                limit: 30,
                ..Default::default()
            },
        ),
        (
            "association page and dashboard",
            MissionQuery {
                actor_id: Some(1),
                upcoming_after: Some(now),
                include_drafts: true,
                limit: 100,
                ..Default::default()
            },
        ),
        (
            "API, all to come",
            MissionQuery {
                upcoming_after: Some(now),
                limit: 100,
                offset: 200,
                ..Default::default()
            },
        ),
    ];
    for (name, q) in missions {
        let (sql, args) = super::missions::list_sql(Dialect::Sqlite, &q, q.limit);
        let plan = plan(&store, &sql, args).await;
        assert_indexed(name, &plan, false);
        // The missions under way that last more than a day come from their own index.
        assert!(
            plan.iter().any(|l| l.contains("mission_long_end")),
            "{name}: {plan:#?}"
        );
    }
    let day = |m| NaiveDate::from_ymd_opt(2029, m, 1);
    let hours = [
        (
            "an association's hours of a year",
            HoursQuery {
                actor_id: Some(1),
                from: day(1),
                to: day(12),
                limit: 10_000,
                ..Default::default()
            },
        ),
        (
            "a volunteer's validated hours (attestation)",
            HoursQuery {
                actor_id: Some(1),
                user_id: Some(2),
                from: day(1),
                to: day(12),
                status: Some(HoursStatus::Validated),
                limit: 10_000,
                before: None,
            },
        ),
        (
            "a volunteer's own hours",
            HoursQuery {
                user_id: Some(2),
                limit: 10_000,
                ..Default::default()
            },
        ),
        (
            "a deep page of an association's hours",
            HoursQuery {
                actor_id: Some(1),
                limit: 100,
                before: day(6).map(|d| (d, 5_000)),
                ..Default::default()
            },
        ),
    ];
    for (name, q) in hours {
        let (sql, args) = super::hours::list_sql(&q);
        assert_indexed(name, &plan(&store, &sql, args).await, true);
    }
    let all = plan(&store, &super::resource_pages::list_sql(false), vec![]).await;
    assert!(
        all.iter().any(|l| l.contains("resource_name")),
        "the whole list of resources reads by name: {all:#?}"
    );
    for keyset in [false, true] {
        let sql = super::resource_pages::page_sql(keyset);
        let args: Vec<Arg<'static>> = vec![1_i64.into(), 100_i64.into(), 0_i64.into()];
        let args = if keyset {
            [args, vec!["M".into(), 7_i64.into()]].concat()
        } else {
            args
        };
        assert_indexed(
            "an association's resources",
            &plan(&store, &sql, args).await,
            true,
        );
    }
    for category in [false, true] {
        let sql = super::resource_pages::chunk_sql(category);
        let args: Vec<Arg<'static>> = vec![200_i64.into(), "M".into(), 7_i64.into()];
        let args = if category {
            [args, vec!["tent".into()]].concat()
        } else {
            args
        };
        let plan = plan(&store, &sql, args).await;
        assert_indexed("the equipment search's chunks", &plan, true);
        // One category: that category's resources by name (migration 0032), not all of them.
        let index = if category {
            "resource_category_name"
        } else {
            "resource_name"
        };
        assert!(
            plan.iter().any(|l| l.contains(index)),
            "the equipment search reads resources by name ({index}): {plan:#?}"
        );
    }
    for (name, of) in [
        ("a resource's reservations", ReservationsOf::Resource(1)),
        ("an association's reservations", ReservationsOf::Actor(1)),
    ] {
        let page = ReservationPage {
            after: Some((now, 7)),
            ending_after: Some(now),
            ..ReservationPage::of(of, 100)
        };
        let (sql, args) = super::reservation_pages::page_sql(&page);
        let sorted = matches!(of, ReservationsOf::Resource(_));
        assert_indexed(name, &plan(&store, &sql, args).await, sorted);
        // The past ones of the reservations page, newest first.
        let past = ReservationPage {
            after: Some((now, 7)),
            ending_before: Some(now),
            newest_first: true,
            ..ReservationPage::of(of, 50)
        };
        let (sql, args) = super::reservation_pages::page_sql(&past);
        assert_indexed(name, &plan(&store, &sql, args).await, sorted);
    }
    let counts = plan(
        &store,
        &super::read_model::work_counts_sql(),
        vec![1_i64.into(), now.into(), now.into()],
    )
    .await;
    assert_indexed("the dashboard's counts", &counts, false);
    assert!(
        (counts.iter()).any(|l| l.contains("mission_actor_end") && l.contains("end_time>?")),
        "the sign-ups waiting are sought in the missions not over yet: {counts:#?}"
    );
    let slots = plan(
        &store,
        &super::calendars::association_slots_sql(),
        vec![1_i64.into(), now.into(), now.into(), true.into()],
    )
    .await;
    assert_indexed("the calendar's slots", &slots, false);
}

#[tokio::test]
async fn what_a_node_polls_at_rest_reads_indexes_not_tables() {
    let (store, _dir) = store().await;
    let now = Utc.with_ymd_and_hms(2030, 1, 7, 9, 0, 0).unwrap();
    // The search index's poll, five times a second: from its cursor on, in order.
    let changes = plan(
        &store,
        &super::search::changes_sql(Dialect::Sqlite),
        vec![0_i64.into(), 420_000_i64.into(), 1000_i64.into()],
    )
    .await;
    assert_indexed("the search log after a cursor", &changes, true);
    // Its head (each rebuild): the last entry, not a sort of the whole log.
    let head = plan(&store, &super::search::head_sql(Dialect::Sqlite), vec![]).await;
    assert!(
        !head.iter().any(|l| l.contains("TEMP B-TREE")),
        "the head of the search log: {head:#?}"
    );
    // The minute's reminder scans: the slots of the next day, the reservations due.
    let reminders = plan(
        &store,
        super::notifications::REMINDER_CANDIDATES_SQL,
        vec![now.into(), now.into()],
    )
    .await;
    assert_indexed("the reminders of sign-ups", &reminders, false);
    let due = plan(
        &store,
        &super::reservations::due_sql(),
        vec![now.into(), now.into()],
    )
    .await;
    assert_indexed("the reservation reminders", &due, false);
}
