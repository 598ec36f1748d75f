//! The load tool of issue 6: a real `entraide` node (a separate process, release build) against
//! many simulated remote servers on loopback. It prints a table.
//!
//!   cargo bench --bench federation_load -- [inbox|delivery|memory|purge|all]
//!       [--backend sqlite|postgres] [--scale N] [--runs N] [--concurrency 16,64] [--inboxes own|shared|both]
//!
//! - inbox: 50 remote actors whose keys the node has already fetched (a warm-up activity each)
//!   post pre-signed `Create{Note}` activities to the shared inbox, at each concurrency; every
//!   one is checked (JSON, Digest, date, HTTP signature with the actor's key, de-duplication,
//!   authorisation) and recorded before the 202. 2,000 × scale activities.
//! - delivery: 1,000 × scale followers, each with its own inbox, spread over 100 hosts (ports),
//!   follow an association (their `Follow`s are answered with `Accept`s, counted too); then one
//!   mission is published and the time until every inbox got its `Create` is measured. Then the
//!   same with shared inboxes (one request per host). One host answers slowly (5 s), one is dead:
//!   the time for the others is what counts.
//! - memory: resident memory of the node idle, and after 20,000 × scale inbox activities.
//! - purge: the hourly purge of finished work (`federation::history`) run on the marks of
//!   20,000 × scale received activities while 2,000 × scale more arrive, against the same inbox
//!   run without it.
//!
//! Signing on the client side is done before the clock starts (pre-signed requests), with
//! AWS-LC. `ENTRAIDE_BIN=/path/to/entraide` runs another build of the node (to compare two
//! builds with the same tool, the same hour). PostgreSQL: `TEST_DATABASE_URL` (or 127.0.0.1:5432, user postgres) gets a fresh database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/mod.rs"]
mod support;

use aws_lc_rs::{rand::SystemRandom, signature::RsaKeyPair};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use rsa::{
    pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding},
    RsaPrivateKey,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant, SystemTime},
};
use support::{dates::mission_at, median, status_kib, Db, Node};

// ---------------------------------------------------------------------------------------------
// Options

struct Options {
    scenarios: Vec<String>,
    backend: String,
    scale: u64,
    runs: usize,
    concurrency: Vec<usize>,
    /// Delivery with one inbox per follower (false), shared inboxes (true), or both.
    shared: Vec<bool>,
}

fn options() -> Options {
    let mut o = Options {
        scenarios: Vec::new(),
        backend: "sqlite".into(),
        scale: 1,
        runs: 3,
        concurrency: vec![16, 64],
        shared: vec![false, true],
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--backend" => o.backend = args.next().expect("--backend sqlite|postgres"),
            "--scale" => o.scale = args.next().and_then(|s| s.parse().ok()).expect("--scale N"),
            "--runs" => o.runs = args.next().and_then(|s| s.parse().ok()).expect("--runs N"),
            "--concurrency" => {
                o.concurrency = args
                    .next()
                    .expect("--concurrency 16,64")
                    .split(',')
                    .map(|c| c.parse().expect("a number"))
                    .collect()
            }
            "--inboxes" => {
                o.shared = match args.next().as_deref() {
                    Some("own") => vec![false],
                    Some("shared") => vec![true],
                    Some("both") => vec![false, true],
                    _ => panic!("--inboxes own|shared|both"),
                }
            }
            "--bench" => {} // cargo bench passes it
            "--help" | "-h" => {
                println!("cargo bench --bench federation_load -- [inbox|delivery|memory|purge|all] [--backend sqlite|postgres] [--scale N] [--runs N] [--concurrency 16,64] [--inboxes own|shared|both]");
                std::process::exit(0);
            }
            s if !s.starts_with('-') => o.scenarios.push(s.to_string()),
            other => panic!("unknown option {other}"),
        }
    }
    if o.scenarios.is_empty() || o.scenarios.iter().any(|s| s == "all") {
        o.scenarios = vec![
            "inbox".into(),
            "delivery".into(),
            "memory".into(),
            "purge".into(),
        ];
    }
    o
}

// ---------------------------------------------------------------------------------------------
// Remote servers: actors with keys, inboxes that count

/// A key of the simulated servers: its PEM for the actor documents, and AWS-LC's key to sign.
struct Key {
    public_pem: String,
    pair: RsaKeyPair,
}

fn keys(n: usize) -> Vec<Arc<Key>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|_| {
                s.spawn(|| {
                    let k = RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
                    let der = k.to_pkcs8_der().unwrap();
                    Arc::new(Key {
                        public_pem: k.to_public_key().to_public_key_pem(LineEnding::LF).unwrap(),
                        pair: RsaKeyPair::from_pkcs8(der.as_bytes()).unwrap(),
                    })
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

/// What the simulated servers received, per inbox (host and path) and activity type; and, kept
/// as they come so that reading them costs nothing at 100,000 inboxes, the totals per type.
#[derive(Default)]
struct Sink {
    counts: Mutex<Counts>,
    total: AtomicU64,
}

#[derive(Default)]
struct Counts {
    by_inbox: HashMap<(u16, String, String), u64>,
    /// Type → (activities, distinct inboxes).
    by_type: HashMap<String, (u64, usize)>,
}

impl Sink {
    fn add(&self, port: u16, path: String, kind: String) {
        let mut c = self.counts.lock().unwrap();
        let n = c.by_inbox.entry((port, path, kind.clone())).or_default();
        *n += 1;
        let first = *n == 1;
        let t = c.by_type.entry(kind).or_default();
        t.0 += 1;
        t.1 += usize::from(first);
        drop(c);
        self.total.fetch_add(1, Ordering::Relaxed);
    }

    fn count(&self, kind: &str) -> u64 {
        self.counts
            .lock()
            .unwrap()
            .by_type
            .get(kind)
            .map_or(0, |t| t.0)
    }

    fn inboxes_with(&self, kind: &str) -> usize {
        self.counts
            .lock()
            .unwrap()
            .by_type
            .get(kind)
            .map_or(0, |t| t.1)
    }
}

#[derive(Clone)]
struct Host {
    port: u16,
    /// Actor name → key.
    actors: Arc<HashMap<String, Arc<Key>>>,
    shared_inbox: bool,
    slow: bool,
    sink: Arc<Sink>,
}

async fn actor_doc(
    State(h): State<Host>,
    Path(name): Path<String>,
) -> Result<
    (
        [(axum::http::header::HeaderName, &'static str); 1],
        Json<Value>,
    ),
    StatusCode,
> {
    let key = h.actors.get(&name).ok_or(StatusCode::NOT_FOUND)?;
    let id = format!("http://localhost:{}/actors/{name}", h.port);
    let mut doc = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id, "type": "Person", "preferredUsername": name,
        "inbox": format!("{id}/inbox"),
        "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": key.public_pem},
    });
    if h.shared_inbox {
        doc["endpoints"] = json!({"sharedInbox": format!("http://localhost:{}/inbox", h.port)});
    }
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "application/activity+json",
        )],
        Json(doc),
    ))
}

async fn receive(h: Host, path: String, body: Value) -> StatusCode {
    if h.slow {
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    let kind = body["type"].as_str().unwrap_or("").to_string();
    h.sink.add(h.port, path, kind);
    StatusCode::ACCEPTED
}

async fn actor_inbox(
    State(h): State<Host>,
    Path(name): Path<String>,
    Json(body): Json<Value>,
) -> StatusCode {
    receive(h, format!("/actors/{name}/inbox"), body).await
}

async fn post_shared_inbox(State(h): State<Host>, Json(body): Json<Value>) -> StatusCode {
    receive(h, "/inbox".into(), body).await
}

/// Starts `hosts` servers with `per_host` actors each (the first one slow when `slow_first`);
/// returns their hosts and the tasks serving them (abort one to kill its server).
async fn start_hosts(
    hosts: usize,
    per_host: usize,
    keys: &[Arc<Key>],
    shared_inbox: bool,
    slow_first: bool,
    sink: Arc<Sink>,
) -> Vec<(Host, tokio::task::JoinHandle<()>)> {
    let mut out = Vec::new();
    for i in 0..hosts {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let actors: HashMap<String, Arc<Key>> = (0..per_host)
            .map(|j| {
                (
                    format!("a{j}"),
                    keys[(i * per_host + j) % keys.len()].clone(),
                )
            })
            .collect();
        let host = Host {
            port,
            actors: Arc::new(actors),
            shared_inbox,
            slow: slow_first && i == 0,
            sink: sink.clone(),
        };
        let app = Router::new()
            .route("/actors/{name}", get(actor_doc))
            .route("/actors/{name}/inbox", post(actor_inbox))
            .route("/inbox", post(post_shared_inbox))
            .with_state(host.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        out.push((host, task));
    }
    out
}

/// A signed POST of `body` by `actor` of `host`, ready to send.
struct Signed {
    url: String,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

fn sign(host: &Host, actor: &str, url: &str, body: Value) -> Signed {
    let key = &host.actors[actor];
    let body = body.to_string().into_bytes();
    let parsed = url::Url::parse(url).unwrap();
    let target_host = format!("{}:{}", parsed.host_str().unwrap(), parsed.port().unwrap());
    let date = httpdate::fmt_http_date(SystemTime::now());
    let digest = format!("SHA-256={}", STANDARD.encode(Sha256::digest(&body)));
    let signing = format!(
        "(request-target): post {}\nhost: {target_host}\ndate: {date}\ndigest: {digest}",
        parsed.path()
    );
    let mut sig = vec![0; key.pair.public_modulus_len()];
    key.pair
        .sign(
            &aws_lc_rs::signature::RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            signing.as_bytes(),
            &mut sig,
        )
        .unwrap();
    let key_id = format!("http://localhost:{}/actors/{actor}#main-key", host.port);
    Signed {
        url: url.to_string(),
        headers: vec![
            ("date", date),
            ("digest", digest),
            ("content-type", "application/activity+json".into()),
            (
                "signature",
                format!(
                    "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"{}\"",
                    STANDARD.encode(sig)
                ),
            ),
        ],
        body,
    }
}

fn note(host: &Host, actor: &str, n: u64) -> Value {
    let id = format!("http://localhost:{}/actors/{actor}", host.port);
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{id}/activities/{n}-{}", uuid::Uuid::new_v4()),
        "type": "Create", "actor": id, "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "object": {"id": format!("{id}/notes/{n}"), "type": "Note", "attributedTo": id,
                   "content": "<p>Bonjour à toutes et à tous</p>", "to": ["https://www.w3.org/ns/activitystreams#Public"]},
    })
}

/// Sends all requests with `concurrency` connections; returns (elapsed, latencies, errors).
async fn fire(
    client: &reqwest::Client,
    reqs: Vec<Signed>,
    concurrency: usize,
) -> (Duration, Vec<Duration>, usize) {
    let reqs = Arc::new(reqs);
    let next = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (reqs, next, client) = (reqs.clone(), next.clone(), client.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                let Some(r) = reqs.get(i) else { break };
                let mut req = client.post(&r.url).body(r.body.clone());
                for (k, v) in &r.headers {
                    req = req.header(*k, v);
                }
                let t = Instant::now();
                match req.send().await {
                    Ok(res) if res.status().is_success() => lat.push(t.elapsed()),
                    Ok(res) => {
                        if errors < 3 {
                            eprintln!(
                                "  refused: {} {}",
                                res.status(),
                                res.text().await.unwrap_or_default()
                            );
                        }
                        errors += 1;
                    }
                    Err(e) => {
                        if errors < 3 {
                            eprintln!("  error: {e}");
                        }
                        errors += 1;
                    }
                }
            }
            (lat, errors)
        }));
    }
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        lat.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed();
    lat.sort();
    (elapsed, lat, errors)
}

fn pct(lat: &[Duration], p: f64) -> f64 {
    if lat.is_empty() {
        return f64::NAN;
    }
    let i = ((lat.len() as f64 - 1.0) * p).round() as usize;
    lat[i].as_secs_f64() * 1000.0
}

fn node(name: &str, backend: &str) -> Node {
    let db = match backend {
        "postgres" => {
            let base = support::postgres_base_url("federation_load")
                .or_else(|| Some("postgres://postgres@127.0.0.1:5432/postgres".into()))
                .unwrap();
            Db::Postgres(support::fresh_postgres_db(&base, &format!("load_{name}")))
        }
        _ => Db::Sqlite,
    };
    let mut n = Node::new(name, db);
    n.extra_env.push(("RUST_LOG".into(), "warn".into()));
    // The simulated servers send far more than a real host's share (600 a minute).
    n.extra_env.push((
        "ENTRAIDE__FEDERATION__INBOX_PER_HOST_PER_MINUTE".into(),
        "0".into(),
    ));
    if let Ok(w) = std::env::var("LOAD_WORKERS") {
        n.extra_env
            .push(("ENTRAIDE__FEDERATION__DELIVERY_WORKERS".into(), w));
    }
    n
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/// The inbox's senders: 50 actors on 5 hosts, with shared inboxes.
async fn fifty_actors(keys: &[Arc<Key>]) -> Vec<Host> {
    start_hosts(5, 10, keys, true, false, Arc::new(Sink::default()))
        .await
        .into_iter()
        .map(|(h, _)| h)
        .collect()
}

/// `f` over `items` on every core, in order: pre-signing 200,000 requests takes minutes on one.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(cores).max(1);
    std::thread::scope(|s| {
        let parts: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        parts.into_iter().flat_map(|p| p.join().unwrap()).collect()
    })
}

/// The tool's HTTP client: connections kept open for every concurrent sender.
fn load_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap()
}

/// Signs and sends `count` notes numbered from `first`, 50,000 at a time (millions of
/// pre-signed requests would not fit the tool's memory), with `concurrency` connections;
/// returns how many were refused.
async fn send_notes(
    client: &reqwest::Client,
    hosts: &[Host],
    inbox: &str,
    first: u64,
    count: u64,
    concurrency: usize,
) -> usize {
    let mut refused = 0;
    let mut sent = 0;
    while sent < count {
        let chunk = (count - sent).min(50_000);
        let (_, _, errors) = fire(
            client,
            notes(hosts, inbox, first + sent, chunk),
            concurrency,
        )
        .await;
        refused += errors;
        sent += chunk;
    }
    refused
}

/// `count` signed `Create{Note}` to `inbox`, numbered from `first`, the 50 actors in turn.
fn notes(hosts: &[Host], inbox: &str, first: u64, count: u64) -> Vec<Signed> {
    let numbers: Vec<u64> = (first..first + count).collect();
    par_map(&numbers, |&i| {
        let h = &hosts[(i % 5) as usize];
        let a = format!("a{}", (i / 5) % 10);
        sign(h, &a, inbox, note(h, &a, i))
    })
}

async fn inbox(o: &Options, keys: &[Arc<Key>]) {
    let count = 2_000 * o.scale;
    println!(
        "\n## inbox: {count} signed Create{{Note}} from 50 actors (keys cached), backend {}",
        o.backend
    );
    println!("| concurrency | run | activities/s | p50 ms | p99 ms | errors |");
    println!("|---|---|---|---|---|---|");
    let hosts = fifty_actors(keys).await;
    let client = load_client();
    for &c in &o.concurrency {
        let mut rates = Vec::new();
        let mut p99s = Vec::new();
        for run in 0..o.runs {
            let mut n = node(&format!("inbox{c}r{run}"), &o.backend);
            tokio::task::block_in_place(|| n.start());
            let inbox = n.url("/inbox");
            // Warm-up: each actor once, so the node holds every key.
            let warm: Vec<Signed> = hosts
                .iter()
                .flat_map(|h| (0..10).map(move |j| (h, format!("a{j}"))))
                .map(|(h, a)| sign(h, &a, &inbox, note(h, &a, 0)))
                .collect();
            let (_, _, errors) = fire(&client, warm, 8).await;
            assert_eq!(errors, 0, "warm-up refused:\n{}", n.log());
            let reqs = notes(&hosts, &inbox, 1, count);
            let (elapsed, lat, errors) = fire(&client, reqs, c).await;
            let rate = lat.len() as f64 / elapsed.as_secs_f64();
            println!(
                "| {c} | {} | {rate:.0} | {:.1} | {:.1} | {errors} |",
                run + 1,
                pct(&lat, 0.5),
                pct(&lat, 0.99)
            );
            rates.push(rate);
            p99s.push(pct(&lat, 0.99));
            n.kill9();
        }
        println!(
            "| {c} | median | {:.0} | | {:.1} | |",
            median(rates),
            median(p99s)
        );
    }
}

async fn delivery(o: &Options, keys: &[Arc<Key>]) {
    for &shared in &o.shared {
        let followers = 1_000 * o.scale as usize;
        let hosts_n = 100;
        let per_host = followers / hosts_n;
        println!(
            "\n## delivery: one mission to {followers} followers on {hosts_n} hosts, {}, backend {} (one host slow, one dead)",
            if shared { "shared inboxes" } else { "one inbox each" },
            o.backend
        );
        println!("| run | Accept{{Follow}} deliveries/s | Create: all live inboxes in ms | deliveries/s | requests |");
        println!("|---|---|---|---|---|");
        let mut times = Vec::new();
        for run in 0..o.runs {
            let sink = Arc::new(Sink::default());
            let served = start_hosts(hosts_n, per_host, keys, shared, true, sink.clone()).await;
            let hosts: Vec<Host> = served.iter().map(|(h, _)| h.clone()).collect();
            let mut n = node(&format!("deliv{}{run}", u8::from(shared)), &o.backend);
            tokio::task::block_in_place(|| n.start());
            let token = tokio::task::block_in_place(|| {
                let t = n.user_with_token("alice");
                n.association("banque", "alice");
                t
            });
            let target = n.url("/g/banque");
            let inbox = n.url("/g/banque/inbox");
            let followers_of: Vec<(&Host, String)> = hosts
                .iter()
                .flat_map(|h| h.actors.keys().map(move |a| (h, a.clone())))
                .collect();
            let follows: Vec<Signed> = par_map(&followers_of, |(h, a)| {
                let id = format!("http://localhost:{}/actors/{a}", h.port);
                sign(
                    h,
                    a,
                    &inbox,
                    json!({"@context": "https://www.w3.org/ns/activitystreams",
                    "id": format!("{id}/follows/{}", uuid::Uuid::new_v4()), "type": "Follow", "actor": id, "object": target}),
                )
            });
            let client = reqwest::Client::new();
            let t = Instant::now();
            let (_, _, errors) = fire(&client, follows, 32).await;
            assert_eq!(errors, 0, "follows refused:\n{}", n.log());
            // Host 0 is slow (5 s an answer): its Accepts come late; the others' are counted.
            let deadline = Instant::now() + Duration::from_secs(120 * o.scale);
            while (sink.count("Accept") as usize) < followers - per_host
                && Instant::now() < deadline
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let accepts = sink.count("Accept");
            let accept_rate = accepts as f64 / t.elapsed().as_secs_f64();
            // Host 1 dies: its port refuses connections from now on.
            served[1].1.abort();
            tokio::time::sleep(Duration::from_millis(50)).await;
            let live = followers - 2 * per_host;
            if std::env::var("LOAD_PAUSE").is_ok() {
                // Time to attach a profiler to the node before it publishes.
                eprintln!("  publishing in 3 s; node pid {}", n.pid().unwrap_or(0));
                tokio::time::sleep(Duration::from_secs(3)).await;
            }
            let before = sink.total.load(Ordering::Relaxed);
            let api = support::Api::default();
            let t = Instant::now();
            let (status, created) = tokio::task::block_in_place(|| {
                api.send("POST", &n.url("/api/v1/associations/banque/missions"), Some(&token), Some(&json!({
                    "title": "Collecte nationale", "description": "Trier et porter.", "start_time": mission_at(0, 9),
                    "end_time": mission_at(0, 12), "locality": "Brest", "capacity": 20, "category": "solidarity"})))
            });
            assert_eq!(status, 201, "{created}");
            let answered_ms = t.elapsed().as_secs_f64() * 1000.0;
            let expect_inboxes = if shared { hosts_n - 2 } else { live };
            let mut first_ms = None;
            while sink.inboxes_with("Create") < expect_inboxes && Instant::now() < deadline {
                if first_ms.is_none() && sink.inboxes_with("Create") > 0 {
                    first_ms = Some(t.elapsed().as_secs_f64() * 1000.0);
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            eprintln!(
                "  API answered after {answered_ms:.0} ms, first Create after {:.0} ms",
                first_ms.unwrap_or(ms)
            );
            let requests = sink.total.load(Ordering::Relaxed) - before;
            println!(
                "| {} | {accept_rate:.0} | {ms:.0} | {:.0} | {requests} |",
                run + 1,
                expect_inboxes as f64 / (ms / 1000.0)
            );
            times.push(ms);
            n.kill9();
        }
        println!("| median | | {:.0} | | |", median(times));
    }
}

async fn memory(o: &Options, keys: &[Arc<Key>]) {
    let count = 20_000 * o.scale;
    println!(
        "\n## memory: resident memory of the node, backend {}",
        o.backend
    );
    println!("| state | VmRSS MiB | VmHWM MiB |");
    println!("|---|---|---|");
    let hosts = fifty_actors(keys).await;
    let mut n = node("memory", &o.backend);
    tokio::task::block_in_place(|| n.start());
    let pid = n.pid().unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mib = |k: u64| k as f64 / 1024.0;
    println!(
        "| idle | {:.1} | {:.1} |",
        mib(status_kib(pid, "VmRSS")),
        mib(status_kib(pid, "VmHWM"))
    );
    let inbox = n.url("/inbox");
    let client = reqwest::Client::new();
    // The node's memory read at 20,000 × 1, 10 and 100 on the way.
    let milestones: Vec<u64> = [1, 10, 100]
        .iter()
        .map(|m| 20_000 * m)
        .filter(|m| *m < count)
        .chain([count])
        .collect();
    let (mut sent, mut refused) = (0u64, 0usize);
    for milestone in milestones {
        refused += send_notes(&client, &hosts, &inbox, sent, milestone - sent, 16).await;
        sent = milestone;
        println!(
            "| after {sent} activities ({refused} refused) | {:.1} | {:.1} |",
            mib(status_kib(pid, "VmRSS")),
            mib(status_kib(pid, "VmHWM"))
        );
    }
    n.kill9();
}

/// The hourly purge at work: 20,000 × scale activities received (their de-duplication marks are
/// the rows to purge), then 2,000 × scale more at 16 connections, twice: alone, then while every
/// mark is purged (all "finished before tomorrow") by the code the node runs each hour, from a
/// second connection to the node's database, as a second process sharing it would.
async fn purge(o: &Options, keys: &[Arc<Key>]) {
    let stored = 20_000 * o.scale;
    let count = 2_000 * o.scale;
    println!(
        "\n## purge: {stored} received marks purged while {count} more activities arrive at 16 connections, backend {}",
        o.backend
    );
    println!("| run | inbox alone /s | p99 ms | inbox during the purge /s | p99 ms | purged | purge ms | rows/s | longest batch ms |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let hosts = fifty_actors(keys).await;
    let client = load_client();
    for run in 0..o.runs {
        let mut n = node(&format!("purge{run}"), &o.backend);
        // The node's own purge keeps everything: this tool runs it at a chosen moment.
        n.extra_env
            .push(("ENTRAIDE__FEDERATION__KEEP_HISTORY_DAYS".into(), "0".into()));
        tokio::task::block_in_place(|| n.start());
        let inbox = n.url("/inbox");
        let refused = send_notes(&client, &hosts, &inbox, 0, stored, 64).await;
        assert_eq!(refused, 0, "refused while filling:\n{}", n.log());
        let sent = stored;
        let store = entraide::storage::connect(&n.database_url(), 2)
            .await
            .unwrap();

        let alone = notes(&hosts, &inbox, sent, count);
        let during = notes(&hosts, &inbox, sent + count, count);
        let (elapsed, lat, errors) = fire(&client, alone, 16).await;
        assert_eq!(errors, 0);
        let alone_rate = lat.len() as f64 / elapsed.as_secs_f64();
        let alone_p99 = pct(&lat, 0.99);

        let before = chrono::Utc::now() + chrono::Duration::days(1);
        // `LOAD_PURGE_BATCH=n` tries another batch size than the node's.
        let batch = std::env::var("LOAD_PURGE_BATCH")
            .ok()
            .and_then(|b| b.parse().ok())
            .unwrap_or(entraide::federation::history::BATCH);
        let purging = tokio::spawn(async move {
            let (mut rows, mut longest) = (0u64, Duration::ZERO);
            let t = Instant::now();
            loop {
                let b = Instant::now();
                let round = store.purge_history(before, batch).await.unwrap();
                longest = longest.max(b.elapsed());
                if round.total() == 0 {
                    break;
                }
                rows += round.total();
                tokio::task::yield_now().await;
            }
            (rows, t.elapsed(), longest)
        });
        let (elapsed, lat, errors) = fire(&client, during, 16).await;
        assert_eq!(errors, 0, "refused during the purge:\n{}", n.log());
        let (rows, took, longest) = purging.await.unwrap();
        println!(
            "| {} | {alone_rate:.0} | {alone_p99:.1} | {:.0} | {:.1} | {rows} | {:.0} | {:.0} | {:.1} |",
            run + 1,
            lat.len() as f64 / elapsed.as_secs_f64(),
            pct(&lat, 0.99),
            took.as_secs_f64() * 1000.0,
            rows as f64 / took.as_secs_f64(),
            longest.as_secs_f64() * 1000.0
        );
        n.kill9();
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs bench binaries without it.
    if !std::env::args().any(|a| a == "--bench" || a == "--help" || a == "-h") {
        eprintln!("federation_load is a benchmark: cargo bench --bench federation_load -- --help");
        return;
    }
    let o = options();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!(
        "# federation_load: {} on {} ({} cores), node {}",
        o.scenarios.join(", "),
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
        support::bin()
    );
    let t = Instant::now();
    let keys = keys(50);
    println!(
        "(50 RSA-2048 keys made in {:.1} s)",
        t.elapsed().as_secs_f64()
    );
    rt.block_on(async {
        for s in &o.scenarios {
            match s.as_str() {
                "inbox" => inbox(&o, &keys).await,
                "delivery" => delivery(&o, &keys).await,
                "memory" => memory(&o, &keys).await,
                "purge" => purge(&o, &keys).await,
                other => panic!("unknown scenario {other}"),
            }
        }
    });
}
