//! The pages benchmark of issue 17: a real `entraide` node (a separate process) on a database
//! filled with realistic volumes (`pages_fill.rs`), every main page and API list measured with
//! ApacheBench (`ab -k -c 16`, Debian's `apache2-utils`), and the node's resident memory.
//!
//!   cargo bench --bench pages -- [--missions 1000,10000,100000] [--backend sqlite|postgres]
//!       [--runs 3] [--seconds 3] [--concurrency 16] [--only home,api_missions] [--keep]
//!
//! For each size it fills a fresh node (100,000 missions: 500 associations, 300,000 slots,
//! 200,000 sign-ups, 20,000 resources, 100,000 reservations, 1,000,000 hours entries, 50,000
//! followers; everything scales with the missions), starts it, waits until it is idle (the
//! search index built), then runs each page `--runs` times for `--seconds` and prints the
//! median rate, the median p99 and the node's `VmRSS`/`VmHWM`. `ENTRAIDE_BIN` runs another
//! build of the node; PostgreSQL runs take `TEST_DATABASE_URL` (a fresh database is created
//! next to it), and are `ANALYZE`d after the fill, as autovacuum would.
//!
//! Without `--bench` (as `cargo test --all-targets` runs it) it is a smoke test: 100 missions,
//! each page asked once, all must answer 200.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod support;

#[path = "pages_fill.rs"]
mod fill;

use chrono::{Datelike, Duration, Utc};
use entraide::storage::db::{query, query_scalar, Pool};
use std::time::Instant;
use support::{
    ab::{ab, AbRun},
    median, memory_line, status_kib, Db, Node,
};

struct Options {
    sizes: Vec<usize>,
    backend: String,
    runs: usize,
    seconds: u64,
    concurrency: usize,
    only: Vec<String>,
    /// Keep the last node's data directory (its database) and print where it is.
    keep: bool,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let list = |v: String| -> Vec<usize> { v.split(',').filter_map(|n| n.parse().ok()).collect() };
    Options {
        sizes: value("--missions")
            .map(list)
            .unwrap_or_else(|| vec![1_000, 10_000, 100_000]),
        backend: value("--backend").unwrap_or_else(|| "sqlite".into()),
        runs: value("--runs").and_then(|v| v.parse().ok()).unwrap_or(3),
        seconds: value("--seconds").and_then(|v| v.parse().ok()).unwrap_or(3),
        concurrency: value("--concurrency")
            .and_then(|v| v.parse().ok())
            .unwrap_or(16),
        only: value("--only")
            .map(|v| v.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        keep: args.iter().any(|a| a == "--keep"),
    }
}

/// A page to measure: its name, its path, whether it needs the coordinator's session.
struct Target {
    name: &'static str,
    path: String,
    session: bool,
}

/// A filled node, started, with what its pages need.
struct Bench {
    node: Node,
    targets: Vec<Target>,
    cookie: String,
    token: String,
}

/// The CPU time (clock ticks) the process used so far.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(") ").map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let n = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    n(11) + n(12)
}

/// Waits until the node uses less than a tenth of a core over two seconds (its search index
/// built from the filled database), at most ten minutes.
fn wait_idle(pid: u32) {
    let started = Instant::now();
    loop {
        let before = cpu_ticks(pid);
        std::thread::sleep(std::time::Duration::from_secs(2));
        if cpu_ticks(pid) - before < 20 || started.elapsed().as_secs() > 600 {
            break;
        }
    }
    println!("(node idle after {:.0} s)", started.elapsed().as_secs_f64());
}

fn prepare(rt: &tokio::runtime::Runtime, backend: &str, missions: usize) -> Bench {
    let db = match backend {
        "postgres" => {
            let base = support::postgres_base_url("pages")
                .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".into());
            Db::Postgres(support::fresh_postgres_db(&base, "pages_bench"))
        }
        _ => Db::Sqlite,
    };
    let mut node = Node::new("pages", db);
    node.extra_env.push(("RUST_LOG".into(), "warn".into()));
    let token = node.user_with_token("bench");
    node.association("asso0", "bench");
    let url = node.database_url();
    let base = node.base.clone();
    let (cookie, feed, filled) = rt.block_on(fill_node(&url, &base, missions));
    node.start();
    wait_idle(node.pid().unwrap());
    let today = Utc::now().date_naive();
    let in_a_month = today + Duration::days(30);
    let target = |name, path: String, session| Target {
        name,
        path,
        session,
    };
    let targets = vec![
        target("home", "/".into(), false),
        target("association", "/g/asso0".into(), false),
        target("mission", filled.mission_path.clone(), false),
        target("calendar_month", "/g/asso0/calendar".into(), false),
        target(
            "resources_dates",
            format!(
                "/resources?from={in_a_month}&to={}",
                in_a_month + Duration::days(2)
            ),
            false,
        ),
        target("dashboard", "/g/asso0/dashboard".into(), true),
        target(
            "hours_year",
            format!("/g/asso0/hours?year={}", today.year()),
            true,
        ),
        target("api_missions", "/api/v1/missions".into(), false),
        target("api_resources", "/api/v1/resources".into(), false),
        target("ical_association", "/g/asso0/calendar.ics".into(), false),
        target("ical_volunteer", format!("/feeds/{feed}.ics"), false),
    ];
    Bench {
        node,
        targets,
        cookie,
        token,
    }
}

/// Fills the node's database; returns the coordinator's session cookie, the volunteer's feed
/// secret and what was filled.
async fn fill_node(url: &str, base: &str, missions: usize) -> (String, String, fill::Filled) {
    let pool = fill::open(url).await;
    let coordinator: i64 = query_scalar::<i64>("SELECT id FROM user_account WHERE name = 'bench'")
        .fetch_one(&pool)
        .await
        .unwrap();
    let now = Utc::now();
    let started = Instant::now();
    let filled = fill::fill(&pool, base, missions, coordinator, now).await;
    println!(
        "filled {missions} missions, {} associations in {:.1} s",
        filled.associations,
        started.elapsed().as_secs_f64()
    );
    if let Pool::Postgres(_) = pool {
        query("ANALYZE").execute(&pool).await.unwrap();
    }
    // The coordinator's web session, and a volunteer's calendar feed.
    let (cookie, hash) = entraide::service::accounts::new_secret();
    query("INSERT INTO session (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(hash)
        .bind(coordinator)
        .bind(now + Duration::days(1))
        .execute(&pool)
        .await
        .unwrap();
    let (feed, hash) = entraide::service::accounts::new_secret();
    query(
        "INSERT INTO calendar_token (user_id, token_hash, created_at) SELECT id, $1, $2 FROM \
         user_account WHERE name = 'vol0'",
    )
    .bind(hash)
    .bind(now)
    .execute(&pool)
    .await
    .unwrap();
    match pool {
        Pool::Sqlite(p) => p.close().await,
        Pool::Postgres(p) => p.close().await,
    }
    (cookie, feed, filled)
}

/// One `ab` run: (requests per second, p99 in ms, answers other than 2xx).
fn measure(o: &Options, b: &Bench, missions: usize, table: &mut Vec<(String, usize, f64, f64)>) {
    let pid = b.node.pid().unwrap();
    for t in &b.targets {
        if !o.only.is_empty() && !o.only.iter().any(|n| n == t.name) {
            continue;
        }
        let url = b.node.url(&t.path);
        let cookie = format!("Cookie: entraide_session={}", b.cookie);
        let cookie = t.session.then_some(cookie.as_str());
        ab(&url, cookie, 4, 1); // warm-up
        let (mut rates, mut p99s, mut bad) = (Vec::new(), Vec::new(), 0);
        for _ in 0..o.runs.max(1) {
            let AbRun { rate, p99, non2xx } = ab(&url, cookie, o.concurrency, o.seconds);
            rates.push(rate);
            p99s.push(p99);
            bad += non2xx;
        }
        let (rate, p99) = (median(rates.clone()), median(p99s));
        println!(
            "{missions:>7} {:<18} {rate:>8.0} req/s  p99 {p99:>5.0} ms  runs {:?}  non-2xx {bad}  VmRSS {} KiB",
            t.name,
            rates.iter().map(|r| r.round() as u64).collect::<Vec<_>>(),
            status_kib(pid, "VmRSS:")
        );
        table.push((t.name.to_string(), missions, rate, p99));
    }
    println!("{missions:>7} memory: {}", memory_line(pid));
}

/// The smoke test: a small node, each page once, all 200.
fn smoke(rt: &tokio::runtime::Runtime) {
    let b = prepare(rt, "sqlite", 100);
    let client = reqwest::blocking::Client::new();
    for t in &b.targets {
        let mut req = client.get(b.node.url(&t.path));
        if t.session {
            req = req.header("Cookie", format!("entraide_session={}", b.cookie));
        }
        let status = req.send().unwrap().status();
        assert_eq!(status.as_u16(), 200, "{} ({})", t.name, t.path);
    }
    let me = client
        .get(b.node.url("/api/v1/me/profile"))
        .bearer_auth(&b.token)
        .send()
        .unwrap();
    assert!(me.status().is_success());
    println!("pages smoke: {} pages answered 200", b.targets.len());
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    if !std::env::args().any(|a| a == "--bench") {
        smoke(&rt);
        return;
    }
    let o = options();
    println!(
        "# pages: {} ({} cores), node {}, {}, ab -k -c {} for {} s × {} runs",
        std::fs::read_to_string("/proc/cpuinfo")
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split(':').nth(1))
            .unwrap_or("?")
            .trim(),
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        support::bin(),
        o.backend,
        o.concurrency,
        o.seconds,
        o.runs
    );
    let mut table = Vec::new();
    for &missions in &o.sizes {
        let mut b = prepare(&rt, &o.backend, missions);
        measure(&o, &b, missions, &mut table);
        if o.keep {
            b.node.kill9();
            println!("kept: {}", b.node.database_url());
            std::mem::forget(b);
        }
    }
    println!(
        "\n| page | {} |",
        o.sizes
            .iter()
            .map(|s| format!("{s} missions"))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|{}", "---|".repeat(o.sizes.len()));
    let mut names: Vec<&String> = Vec::new();
    for (n, ..) in &table {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    for n in names {
        let cells: Vec<String> = o
            .sizes
            .iter()
            .map(|s| {
                table
                    .iter()
                    .find(|(m, size, ..)| m == n && size == s)
                    .map(|(.., r, p)| format!("{r:.0} /s, p99 {p:.0} ms"))
                    .unwrap_or_default()
            })
            .collect();
        println!("| {n} | {} |", cells.join(" | "));
    }
}
