//! The aggregator's backfill, measured (issue 15): a source node holding N missions (10,000 by
//! default) and an aggregator, two real `entraide` processes on loopback. The clock starts when
//! the source is added and stops when the aggregator's API says the walk ended with every item
//! here. Every request goes through the aggregator's per-host gate (at most 2 in flight, a
//! token bucket), so the time is what the configured politeness allows.
//!
//!   cargo bench --bench aggregator_backfill -- [--items N] [--rate R] [--burst B] [--live K] [--backend sqlite|postgres]
//!
//! Then K missions (10 by default) are published one after the other through the source's API:
//! for each, the time from the API's answer until the aggregator's `/api/v1/search` finds it
//! (the source's delivery of the `Create`, the aggregator's inbox, the index's next commit).
//! Last, the aggregator's resident memory.
//!
//! The missions are written straight into the source's database before it starts (as if
//! published over the years), then the node serves them at `/relay/current`, 50 a page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod support;

use chrono::{Duration as Days, Utc};
use entraide::{
    domain::mission::{JoinMode, MissionDraft, MissionStatus, Place},
    storage::NewMission,
};
use std::time::{Duration, Instant};
use support::{
    eventually, fresh_postgres_db, median, memory_line, mission_body, postgres_base_url, Api, Db,
    Node,
};

struct Options {
    items: usize,
    rate: String,
    burst: String,
    live: usize,
    backend: String,
}

fn options() -> Options {
    let mut o = Options {
        items: 10_000,
        rate: "10".into(),
        burst: "10".into(),
        live: 10,
        backend: "sqlite".into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--items" => o.items = args.next().and_then(|s| s.parse().ok()).expect("--items N"),
            "--rate" => o.rate = args.next().expect("--rate R"),
            "--burst" => o.burst = args.next().expect("--burst B"),
            "--live" => o.live = args.next().and_then(|s| s.parse().ok()).expect("--live K"),
            "--backend" => o.backend = args.next().expect("--backend sqlite|postgres"),
            "--bench" => {}
            other => panic!("unknown option {other}"),
        }
    }
    o
}

fn draft(i: usize) -> MissionDraft {
    let start = Utc::now() + Days::days(7 + (i % 300) as i64);
    MissionDraft {
        title: format!("Mission {i} du pays de Brest"),
        description: "Trier les dons, servir le café, ranger la salle.".into(),
        category: "solidarity".into(),
        skills: vec!["accueil".into()],
        place: Place {
            name: "Salle des fêtes".into(),
            street_address: "2 rue de Siam".into(),
            postal_code: "29200".into(),
            locality: "Brest".into(),
            country: "FR".into(),
            latitude: Some(48.39),
            longitude: Some(-4.49),
        },
        online: false,
        start_time: start,
        end_time: start + Days::hours(3),
        capacity: Some(8),
        join_mode: JoinMode::Free,
        status: MissionStatus::Published,
        regular: false,
        commitment_minutes: None,
        commitment_period: String::new(),
        reduced_mobility: false,
        open_to_minors: false,
        contact: String::new(),
    }
}

fn db(o: &Options, suffix: &str) -> Db {
    if o.backend == "postgres" {
        let base = postgres_base_url("aggregator_backfill").expect("TEST_DATABASE_URL");
        Db::Postgres(fresh_postgres_db(&base, suffix))
    } else {
        Db::Sqlite
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs bench binaries without it,
    // and a 10,000-item backfill is no test.
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("aggregator_backfill is a benchmark: cargo bench --bench aggregator_backfill");
        return;
    }
    let o = options();
    let api = Api::default();
    let mut source = Node::new("source", db(&o, "bench_backfill_source"));
    // The schema, a user and an association, then the missions straight into the database.
    source.cli(&["migrate"], None);
    source.cli(
        &["admin", "create-user", "alice", "--password-stdin"],
        Some("a long password\n"),
    );
    source.cli(
        &[
            "admin",
            "create-association",
            "epicerie",
            "--owner",
            "alice",
        ],
        None,
    );
    let url = source.database_url();
    let started = Instant::now();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = entraide::storage::connect(&url, 4).await.unwrap();
        let group = store
            .find_local_actor("Group", "epicerie")
            .await
            .unwrap()
            .expect("the association");
        for i in 0..o.items {
            let ap_id = format!("{}/m/bench-{i}", source.base);
            store
                .create_mission(NewMission {
                    url: ap_id.clone(),
                    ap_id,
                    actor_id: group.id,
                    content_html: "<p>Trier les dons.</p>".into(),
                    draft: draft(i),
                    now: Utc::now(),
                })
                .await
                .unwrap();
        }
        // Published long ago: their announcements went out then (nobody followed yet), so
        // the source does not announce them again while the aggregator walks.
        loop {
            let now = Utc::now();
            let claimed = store
                .claim_outbox_events(1000, now, now + Days::minutes(5))
                .await
                .unwrap();
            if claimed.is_empty() {
                break;
            }
            for e in claimed {
                store
                    .complete_outbox_event(e.id, Vec::new(), now)
                    .await
                    .unwrap();
            }
        }
    });
    println!(
        "{} missions written in {:.1} s",
        o.items,
        started.elapsed().as_secs_f64()
    );
    source.start();

    let mut agg = Node::new("aggregator", db(&o, "bench_backfill_agg"));
    for (k, v) in [
        ("ENTRAIDE__AGGREGATOR__ENABLED", "true"),
        ("ENTRAIDE__AGGREGATOR__POLL_SECONDS", "1"),
        ("ENTRAIDE__AGGREGATOR__REQUESTS_PER_SECOND", o.rate.as_str()),
        ("ENTRAIDE__AGGREGATOR__BURST", o.burst.as_str()),
        ("RUST_LOG", "entraide=info,tower_http=warn"),
    ] {
        agg.extra_env.push((k.into(), v.into()));
    }
    agg.start();
    let admin = agg.user_with_token("gwen");
    let clock = Instant::now();
    agg.cli(&["admin", "source", "add", &source.base], None);
    let done = eventually(600, "the backfill ends", || {
        let (_, v) = api.get(&agg.url("/api/v1/admin/sources"), Some(&admin));
        let s = v["sources"].get(0)?.clone();
        s["last_reconciled_at"].is_string().then_some(s)
    });
    let seconds = clock.elapsed().as_secs_f64();
    let pages = o.items.div_ceil(50);
    println!(
        "backfill of {} items ({} pages of /relay/current, rate {}/s, burst {}, at most 2 in flight, {}): {:.1} s, {} items here, {} errors",
        o.items, pages, o.rate, o.burst, o.backend, seconds, done["items"], done["error_count"]
    );
    // The walk's own line in the aggregator's log (pages, taken).
    if let Some(line) = agg
        .log()
        .lines()
        .rev()
        .find(|l| l.contains("source walked"))
    {
        println!("{line}");
    }
    live_creates(&api, &source, &agg, o.live);
    if let Some(pid) = agg.pid() {
        println!(
            "aggregator memory with {} items indexed: {}",
            o.items + o.live,
            memory_line(pid)
        );
    }
}

/// Publishes `count` missions on the source one after the other and prints, for each, how long
/// after the source's API answered the aggregator's search found it, then the median and the
/// worst (issue 15's target: a received `Create` searchable within 1 s).
fn live_creates(api: &Api, source: &Node, agg: &Node, count: usize) {
    if count == 0 {
        return;
    }
    let token = source.cli(&["admin", "create-token", "alice"], None);
    let mut delays = Vec::with_capacity(count);
    for k in 0..count {
        // A word of letters only that no other mission holds, its letters of difference in the
        // middle (stemming reads the end).
        let word: String = format!("quiz{k:03}brok")
            .chars()
            .map(|c| c.to_digit(10).map_or(c, |d| char::from(b'a' + d as u8)))
            .collect();
        let (status, v) = api.send(
            "POST",
            &source.url("/api/v1/associations/epicerie/missions"),
            Some(&token),
            Some(&mission_body(&format!("Atelier {word}"))),
        );
        assert_eq!(status, 201, "{v}");
        let published = Instant::now();
        loop {
            let (_, found) = api.get(&agg.url(&format!("/api/v1/search?q={word}")), None);
            if found["total"].as_u64().unwrap_or(0) >= 1 {
                break;
            }
            assert!(
                published.elapsed() < Duration::from_secs(60),
                "the aggregator never found {word}: {found}"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        delays.push(published.elapsed().as_secs_f64() * 1000.0);
    }
    println!(
        "published on the source, then found by the aggregator's search (ms): {:?}",
        delays.iter().map(|d| d.round()).collect::<Vec<_>>()
    );
    let worst = delays.iter().copied().fold(0.0, f64::max);
    println!(
        "  median {:.0} ms, worst {worst:.0} ms over {count}",
        median(delays)
    );
}
