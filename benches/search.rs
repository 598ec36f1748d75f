//! The search benchmark of issue 15 (not a test: it measures). Fills a fresh SQLite database
//! with synthetic French missions (80 % in Finistère) and resources, rebuilds the search index
//! from it, then measures searches inside the process: text + next 90 days + 20 km of Brest,
//! top 20 (the realistic query), and text only, and dates + distance only.
//!
//!   cargo bench --bench search -- [--missions 100000] [--resources 20000] [--runs 3] [--dir DIR]
//!                                  [--http SECONDS] [--concurrency 16]
//!
//! With `--http`, the same three kinds of search then go through HTTP: the node (this build's
//! `entraide serve`) is started on the filled database and index, and `ab -k -c 16` asks
//! `GET /api/v1/search` for three of the texts of each kind, SECONDS each (apache2-utils).
//! With `--dir`, the database and the index stay in DIR and later runs use them again
//! (`--runs 0` then searches the kept index without rebuilding it). `ENTRAIDE_BIN` runs
//! another build of the node for `--http` (to compare two builds on the same index).
//!
//! Prints the fill time, each rebuild's time, p50/p95/max per kind of query over 20 queries ×
//! 10 runs, and the index's size. Record the median of runs in docs/benchmarks.md.

#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use entraide::domain::mission::{JoinMode, MissionDraft, MissionStatus, Place, CATEGORIES};
use entraide::domain::resource::{
    Approval, Borrowers, LoanMode, ResourceDraft, RESOURCE_CATEGORIES,
};
use entraide::domain::search::{Circle, SearchQuery, Sort};
use entraide::search::Search;
use entraide::storage::{self, RemoteMission, Store};
use rand::{rngs::StdRng, Rng, SeedableRng};
#[path = "../federation-tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration as Wait, Instant};
use support::ab::{ab, AbRun};
use support::{free_port, median, memory_line};

const WORDS: &[&str] = &[
    "atelier",
    "réparation",
    "vélo",
    "bénévole",
    "jardin",
    "partagé",
    "cuisine",
    "repas",
    "solidaire",
    "distribution",
    "alimentaire",
    "collecte",
    "vêtements",
    "enfants",
    "jeux",
    "société",
    "lecture",
    "bibliothèque",
    "accompagnement",
    "scolaire",
    "devoirs",
    "musique",
    "concert",
    "festival",
    "buvette",
    "accueil",
    "public",
    "personnes",
    "âgées",
    "visite",
    "convivialité",
    "nettoyage",
    "plage",
    "déchets",
    "environnement",
    "plantation",
    "arbres",
    "randonnée",
    "sentier",
    "balisage",
    "sport",
    "course",
    "tournoi",
    "football",
    "voile",
    "mer",
    "port",
    "marché",
    "producteurs",
    "locaux",
    "épicerie",
    "vrac",
    "recyclerie",
    "bricolage",
    "menuiserie",
    "électricité",
    "informatique",
    "numérique",
    "formation",
    "français",
    "langue",
    "traduction",
    "migrants",
    "hébergement",
    "logement",
    "santé",
    "prévention",
    "secourisme",
    "premiers",
    "secours",
    "soutien",
    "écoute",
    "téléphone",
    "numéros",
    "urgence",
    "animation",
    "quartier",
    "fête",
    "voisins",
    "théâtre",
    "spectacle",
    "cinéma",
    "projection",
    "débat",
    "conférence",
    "exposition",
    "photographie",
    "peinture",
    "couture",
    "tricot",
    "récup",
    "compost",
    "potager",
    "semences",
    "graines",
    "apiculture",
    "ruches",
    "oiseaux",
    "nature",
    "patrimoine",
    "chapelle",
    "restauration",
    "chantier",
    "jeunesse",
    "colonie",
    "camp",
    "vacances",
    "transport",
    "covoiturage",
    "livraison",
    "paniers",
    "légumes",
    "pain",
    "boulangerie",
    "brocante",
    "vide-grenier",
    "tombola",
    "loto",
    "crêpes",
    "galettes",
    "fest-noz",
    "danse",
    "bretonne",
    "chorale",
    "chant",
];
const TOWNS: &[(&str, f64, f64)] = &[
    ("Brest", 48.39, -4.49),
    ("Quimper", 47.996, -4.102),
    ("Morlaix", 48.577, -3.828),
    ("Landerneau", 48.45, -4.25),
    ("Plouzané", 48.383, -4.619),
    ("Guipavas", 48.435, -4.398),
    ("Concarneau", 47.875, -3.918),
    ("Douarnenez", 48.093, -4.329),
    ("Crozon", 48.247, -4.49),
    ("Saint-Renan", 48.433, -4.621),
];
const ELSEWHERE: &[(&str, f64, f64)] = &[
    ("Rennes", 48.117, -1.678),
    ("Nantes", 47.218, -1.554),
    ("Lyon", 45.764, 4.836),
    ("Paris", 48.857, 2.352),
    ("Toulouse", 43.605, 1.444),
];

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The time this thread has spent on a CPU, in milliseconds (Linux): a search runs on the
/// calling thread, so this measures its cost apart from what else the machine is running.
fn thread_cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e6)
}

fn text_arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1).cloned()
}

fn words(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| WORDS[rng.gen_range(0..WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

fn town(rng: &mut StdRng) -> (&'static str, f64, f64) {
    let list = if rng.gen_bool(0.8) { TOWNS } else { ELSEWHERE };
    let (name, lat, lon) = list[rng.gen_range(0..list.len())];
    (
        name,
        lat + rng.gen_range(-0.05..0.05),
        lon + rng.gen_range(-0.05..0.05),
    )
}

fn mission(rng: &mut StdRng, i: usize, actor_id: i64, now: DateTime<Utc>) -> RemoteMission {
    let (locality, lat, lon) = town(rng);
    let start = now + Duration::hours(rng.gen_range(1..24 * 365));
    let title = format!("{} {}", words(rng, 3), words(rng, 2));
    RemoteMission {
        ap_id: format!("https://bench.example/m/{i}"),
        url: format!("https://bench.example/m/{i}"),
        actor_id,
        content_html: format!("<p>{}</p>", words(rng, 60)),
        remote_summary: String::new(),
        draft: MissionDraft {
            title,
            description: String::new(),
            category: CATEGORIES[rng.gen_range(0..CATEGORIES.len())].0.into(),
            skills: vec![WORDS[rng.gen_range(0..WORDS.len())].into()],
            place: Place {
                locality: locality.into(),
                latitude: Some(lat),
                longitude: Some(lon),
                ..Place::default()
            },
            online: rng.gen_bool(0.05),
            start_time: start,
            end_time: start + Duration::hours(rng.gen_range(1..8)),
            capacity: Some(rng.gen_range(1..20)),
            join_mode: JoinMode::Free,
            status: MissionStatus::Published,
            ..MissionDraft::default()
        },
        participant_count: 0,
        published: now,
        updated: now,
        is_event: rng.gen_bool(0.1),
    }
}

fn resource(rng: &mut StdRng) -> ResourceDraft {
    let (place, lat, lon) = town(rng);
    ResourceDraft {
        name: words(rng, 3),
        description: words(rng, 30),
        category: RESOURCE_CATEGORIES[rng.gen_range(0..RESOURCE_CATEGORIES.len())].into(),
        owner_kind: "association".into(),
        place: place.into(),
        latitude: Some(lat),
        longitude: Some(lon),
        quantity: rng.gen_range(1..50),
        replacement_value: None,
        mode: LoanMode::FreeLoan,
        price_per_day: None,
        deposit: None,
        conditions: String::new(),
        insurance_required: false,
        min_notice_hours: 24,
        max_days: 7,
        turnaround_hours: 2,
        approval: Approval::Automatic,
        borrowers: Borrowers::Everyone,
        borrower_list: Vec::new(),
        agreement_template: String::new(),
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn fill(store: &dyn Store, missions: usize, resources: usize, now: DateTime<Utc>) {
    let mut rng = StdRng::seed_from_u64(15);
    let mut actors = Vec::new();
    for i in 0..20 {
        let a = entraide::domain::actor::RemoteActor {
            ap_id: format!("https://bench.example/g/asso{i}"),
            kind: entraide::domain::actor::ActorKind::Group,
            name: format!("asso{i}"),
            host: "bench.example".into(),
            display_name: format!("Association {}", words(&mut rng, 2)),
            summary: String::new(),
            inbox: format!("https://bench.example/g/asso{i}/inbox"),
            shared_inbox: None,
            outbox: None,
            followers: None,
            url: None,
            public_key_pem: "KEY".into(),
        };
        actors.push(store.upsert_remote_actor(a, now).await.unwrap().id);
    }
    for i in 0..missions {
        let m = mission(&mut rng, i, actors[i % actors.len()], now);
        store.upsert_remote_mission(m).await.unwrap();
    }
    for i in 0..resources {
        let d = resource(&mut rng);
        let ap_id = format!("https://bench.example/r/{i}");
        store
            .save_remote_resource(actors[i % actors.len()], &ap_id, &d, &[], now)
            .await
            .unwrap();
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs bench binaries without it,
    // and filling 100,000 missions is no test.
    if !std::env::args().any(|a| a == "--bench") {
        eprintln!("search is a benchmark: cargo bench --bench search");
        return;
    }
    let (missions, resources, runs) = (
        arg("--missions", 100_000),
        arg("--resources", 20_000),
        arg("--runs", 3),
    );
    let now = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
    // `--dir DIR` keeps the database and the index in DIR, filled once and used again by the
    // next runs (to compare changes of the search without filling again); else a temporary one.
    let temp = tempfile::tempdir().unwrap();
    let dir = text_arg("--dir").map_or_else(|| temp.path().to_path_buf(), Into::into);
    std::fs::create_dir_all(&dir).unwrap();
    let database = dir.join("bench.sqlite");
    let filled = database.exists();
    let url = format!("sqlite://{}", database.display());
    let store = storage::connect(&url, 4).await.unwrap();
    if filled {
        println!("using the database already filled in {}", dir.display());
    } else {
        let started = Instant::now();
        fill(store.as_ref(), missions, resources, now).await;
        println!(
            "filled {missions} missions and {resources} resources in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }

    let search = Search::new(dir.join("search"));
    let mut rebuilds = Vec::new();
    // A kept index may be searched without rebuilding it (`--runs 0`).
    let rebuild_runs = if filled { runs } else { runs.max(1) };
    for _ in 0..rebuild_runs {
        let r = search.rebuild(store.as_ref(), now).await.unwrap();
        println!(
            "rebuilt: {} missions and events, {} resources in {:.2} s",
            r.missions, r.resources, r.seconds
        );
        rebuilds.push(r.seconds);
    }
    rebuilds.sort_by(f64::total_cmp);
    if let Some(median) = rebuilds.get(rebuilds.len() / 2) {
        println!("reindex median {median:.2} s");
    }

    let mut rng = StdRng::seed_from_u64(6);
    let texts: Vec<String> = (0..20)
        .map(|_| {
            let n = 1 + rng.gen_range(0..2);
            words(&mut rng, n)
        })
        .collect();
    let brest = Circle {
        lat: 48.39,
        lon: -4.49,
        radius_km: 20.0,
    };
    type MakeQuery = fn(&str, DateTime<Utc>, Circle) -> SearchQuery;
    let kinds: [(&str, MakeQuery); 3] = [
        ("text + 90 days + 20 km", |text, now, near| SearchQuery {
            text: text.into(),
            from: Some(now),
            to: Some(now + Duration::days(90)),
            near: Some(near),
            sort: Sort::Relevance,
            ..SearchQuery::default()
        }),
        ("text only", |text, _, _| SearchQuery {
            text: text.into(),
            sort: Sort::Relevance,
            ..SearchQuery::default()
        }),
        ("90 days + 20 km", |_, now, near| SearchQuery {
            from: Some(now),
            to: Some(now + Duration::days(90)),
            near: Some(near),
            sort: Sort::Date,
            ..SearchQuery::default()
        }),
    ];
    for (name, make) in kinds {
        let (mut times, mut cpu_times) = (Vec::new(), Vec::new());
        let mut found = 0;
        for _ in 0..10 {
            for text in &texts {
                let q = make(text, now, brest);
                let (t, cpu) = (Instant::now(), thread_cpu_ms());
                let page = search.query_now(&q, store.as_ref(), now).await.unwrap();
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                if let (Some(before), Some(after)) = (cpu, thread_cpu_ms()) {
                    cpu_times.push(after - before);
                }
                found += page.total;
            }
        }
        times.sort_by(f64::total_cmp);
        println!("{name}: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms (top 20; {} matches a query on average)",
                 percentile(&times, 0.5), percentile(&times, 0.95), times[times.len() - 1],
                 found / times.len());
        if !cpu_times.is_empty() {
            cpu_times.sort_by(f64::total_cmp);
            println!(
                "  on the CPU: p50 {:.2} ms, p95 {:.2} ms",
                percentile(&cpu_times, 0.5),
                percentile(&cpu_times, 0.95)
            );
        }
    }
    let (items, bytes) = search.stats();
    println!("index {items} items, {:.1} MiB", bytes as f64 / 1_048_576.0);
    if let Some(seconds) = text_arg("--http").and_then(|s| s.parse().ok()) {
        drop(search);
        drop(store);
        http(&dir, &database, &texts, seconds, arg("--concurrency", 16)).await;
    }
}

/// The three kinds of search as `GET /api/v1/search` asks them (the bench's dates are in 2030,
/// after the node's real clock: the dates are given, not "from now").
fn http_paths(texts: &[String]) -> Vec<(&'static str, String)> {
    let dates = "from=2030-01-01&to=2030-03-31";
    let near = "lat=48.39&lon=-4.49&radius=20";
    let mut paths = Vec::new();
    for text in texts.iter().take(3) {
        let q: String = text.split_whitespace().collect::<Vec<_>>().join("+");
        paths.push((
            "text + 90 days + 20 km",
            format!("/api/v1/search?q={q}&{dates}&{near}"),
        ));
        paths.push(("text only", format!("/api/v1/search?q={q}")));
    }
    for _ in 0..3 {
        paths.push((
            "90 days + 20 km",
            format!("/api/v1/search?{dates}&{near}&sort=date"),
        ));
    }
    paths
}

/// Starts the node on the bench's database and index, then runs `ab` on each search.
async fn http(dir: &Path, database: &Path, texts: &[String], seconds: u64, concurrency: usize) {
    let port = free_port();
    let base = format!("http://localhost:{port}");
    let log = std::fs::File::create(dir.join("node.log")).unwrap();
    let mut node = Command::new(support::bin())
        .arg("serve")
        .env("ENTRAIDE__SERVER__BIND", format!("127.0.0.1:{port}"))
        .env("ENTRAIDE__SERVER__PUBLIC_URL", &base)
        .env("ENTRAIDE__SERVER__DATA_DIR", dir)
        .env(
            "ENTRAIDE__DATABASE__URL",
            format!("sqlite://{}", database.display()),
        )
        .env("RUST_LOG", "entraide=warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the entraide binary starts");
    let started = Instant::now();
    let probe = format!("{base}/api/v1/search?q=atelier");
    loop {
        if let Ok(r) = reqwest::get(&probe).await {
            if r.status().is_success() {
                break;
            }
        }
        assert!(
            started.elapsed() < Wait::from_secs(300),
            "the node never answered a search"
        );
        tokio::time::sleep(Wait::from_millis(100)).await;
    }
    println!(
        "node answering searches after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut by_kind: Vec<(&str, Vec<f64>, Vec<f64>)> = Vec::new();
    for (kind, path) in http_paths(texts) {
        let url = format!("{base}{path}");
        ab(&url, None, 4, 1); // warm-up
        let AbRun { rate, p99, non2xx } = ab(&url, None, concurrency, seconds);
        assert_eq!(non2xx, 0, "{url} answered errors");
        println!("  {kind:<24} {rate:>7.0} req/s  p99 {p99:>4.0} ms  {path}");
        match by_kind.iter_mut().find(|(k, _, _)| *k == kind) {
            Some((_, rates, p99s)) => {
                rates.push(rate);
                p99s.push(p99);
            }
            None => by_kind.push((kind, vec![rate], vec![p99])),
        }
    }
    for (kind, rates, p99s) in by_kind {
        println!(
            "HTTP {kind}, {concurrency} connections: median {:.0} req/s, median p99 {:.0} ms",
            median(rates),
            median(p99s)
        );
    }
    println!("node {}", memory_line(node.id()));
    let _ = node.kill();
    let _ = node.wait();
}
