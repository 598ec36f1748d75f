//! Starting real `entraide` processes on loopback for multi-process tests.
//!
//! Each node gets its own data directory, a free port and `allow_private_addresses`, and is
//! driven through its CLI and its JSON API, as an operator and a client would.

#![allow(dead_code)]

pub mod ab;
pub mod cluster;
pub mod dates;
pub mod peer;
pub mod proxy;
pub mod sql;

use serde_json::{json, Value};
use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub const BIN: &str = env!("CARGO_BIN_EXE_entraide");

/// The `entraide` binary the nodes run: this build's, or `ENTRAIDE_BIN` (to measure another
/// build with the same load tool).
pub fn bin() -> String {
    std::env::var("ENTRAIDE_BIN").unwrap_or_else(|_| BIN.to_string())
}

/// A free TCP port on loopback (the listener is dropped before the node binds it).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Which database a node uses.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite,
    Postgres(String),
}

/// The PostgreSQL server URL for tests, or `None` (and a loud message) when there is none.
/// With `ENTRAIDE_REQUIRE_POSTGRES=1` (CI), a missing server fails the test instead.
pub fn postgres_base_url(test: &str) -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("ENTRAIDE_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("{test}: TEST_DATABASE_URL is not set but ENTRAIDE_REQUIRE_POSTGRES=1");
            }
            // Straight to stderr: the test harness captures `eprintln!` of passing tests.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "NOT RUN on PostgreSQL: {test} (set TEST_DATABASE_URL to run it)"
            );
            None
        }
    }
}

/// Creates a fresh database `<test db>_<suffix>` next to `TEST_DATABASE_URL` and returns its URL.
pub fn fresh_postgres_db(base_url: &str, suffix: &str) -> String {
    let (server, db) = base_url.rsplit_once('/').expect("database URL with a name");
    let name = format!("{db}_{suffix}");
    let admin = format!("{server}/postgres");
    for sql in [
        format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
        format!("CREATE DATABASE \"{name}\""),
    ] {
        let status = Command::new("psql")
            .args([admin.as_str(), "-qX", "-v", "ON_ERROR_STOP=1", "-c", &sql])
            .status()
            .expect("psql runs");
        assert!(status.success(), "psql failed: {sql}");
    }
    format!("{server}/{name}")
}

/// One running node.
pub struct Node {
    pub name: String,
    pub port: u16,
    pub base: String,
    pub dir: PathBuf,
    pub db: Db,
    pub extra_env: Vec<(String, String)>,
    child: Option<Child>,
    _tmp: Option<tempfile::TempDir>,
}

impl Node {
    /// Prepares (does not start) a node.
    pub fn new(name: &str, db: Db) -> Node {
        let tmp = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        Node {
            name: name.to_string(),
            port,
            base: format!("http://localhost:{port}"),
            dir: tmp.path().to_path_buf(),
            db,
            extra_env: Vec::new(),
            child: None,
            _tmp: Some(tmp),
        }
    }

    pub fn host(&self) -> String {
        format!("localhost:{}", self.port)
    }

    fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            (
                "ENTRAIDE__SERVER__BIND".to_string(),
                format!("127.0.0.1:{}", self.port),
            ),
            (
                "ENTRAIDE__SERVER__PUBLIC_URL".to_string(),
                self.base.clone(),
            ),
            (
                "ENTRAIDE__SERVER__DATA_DIR".to_string(),
                self.dir.join("data").display().to_string(),
            ),
            (
                "ENTRAIDE__FEDERATION__ALLOW_PRIVATE_ADDRESSES".to_string(),
                "true".to_string(),
            ),
            (
                "ENTRAIDE__FEDERATION__POLL_INTERVAL_MS".to_string(),
                "100".to_string(),
            ),
            (
                "ENTRAIDE__FEDERATION__RETRY_BASE_SECONDS".to_string(),
                "1".to_string(),
            ),
            (
                "ENTRAIDE__INSTANCE__NAME".to_string(),
                format!("Node {}", self.name),
            ),
            (
                "RUST_LOG".to_string(),
                "entraide=debug,tower_http=warn".to_string(),
            ),
        ];
        if let Db::Postgres(url) = &self.db {
            env.push(("ENTRAIDE__DATABASE__URL".to_string(), url.clone()));
        }
        env.extend(self.extra_env.iter().cloned());
        env
    }

    /// The database this node uses, as the node derives it from its configuration (the SQLite
    /// file in its data directory, or its PostgreSQL URL).
    pub fn database_url(&self) -> String {
        entraide::config::Config::load(None, self.env())
            .expect("the node's configuration")
            .database_url()
    }

    /// The `entraide` command with this node's configuration, to run as a test needs.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(bin());
        cmd.envs(self.env());
        cmd
    }

    /// Runs a CLI command against this node's configuration; returns stdout, panics on failure.
    pub fn cli(&self, args: &[&str], stdin: Option<&str>) -> String {
        let mut cmd = Command::new(bin());
        cmd.args(args)
            .envs(self.env())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("entraide CLI starts");
        if let Some(input) = stdin {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write stdin");
        } else {
            drop(child.stdin.take());
        }
        let out = child.wait_with_output().expect("CLI finishes");
        assert!(
            out.status.success(),
            "entraide {args:?} failed on {}: {}{}",
            self.name,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Starts `entraide serve` and waits until it answers.
    pub fn start(&mut self) {
        self.start_with(&[]);
    }

    /// Starts `entraide serve <args>` (for example `--demo`) and waits until it answers.
    pub fn start_with(&mut self, args: &[&str]) {
        assert!(self.child.is_none(), "{} already runs", self.name);
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .expect("log file");
        let child = Command::new(bin())
            .arg("serve")
            .args(args)
            .envs(self.env())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("entraide serve starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(res) = reqwest::blocking::get(format!("{}/nodeinfo/2.1", self.base)) {
                if res.status().is_success() {
                    return;
                }
            }
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("{} exited at start ({status}):\n{}", self.name, self.log());
                }
            }
            assert!(
                Instant::now() < deadline,
                "{} did not start:\n{}",
                self.name,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// SIGKILL: no graceful shutdown, nothing flushed by us.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill(); // Child::kill sends SIGKILL on Unix
            let _ = child.wait();
        }
    }

    /// The process id of the running node.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.join("node.log")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// Creates a user with a password and an API token; returns the token.
    pub fn user_with_token(&self, name: &str) -> String {
        self.cli(
            &["admin", "create-user", name, "--password-stdin"],
            Some("a long password\n"),
        );
        self.cli(&["admin", "create-token", name], None)
    }

    pub fn association(&self, name: &str, owner: &str) {
        self.cli(
            &[
                "admin",
                "create-association",
                name,
                "--owner",
                owner,
                "--display-name",
                name,
            ],
            None,
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill9();
        if std::thread::panicking() {
            eprintln!("----- log of node {} -----\n{}", self.name, self.log());
        }
    }
}

/// A blocking JSON client for the API.
pub struct Api {
    client: reqwest::blocking::Client,
}

impl Default for Api {
    fn default() -> Self {
        Api {
            client: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client"),
        }
    }
}

impl Api {
    /// A client that opens a new connection for every request, as many browsers behind a
    /// load balancer would: each request may reach another process.
    pub fn one_request_per_connection() -> Api {
        Api {
            client: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(30))
                .pool_max_idle_per_host(0)
                .build()
                .expect("client"),
        }
    }

    pub fn get(&self, url: &str, token: Option<&str>) -> (u16, Value) {
        let mut req = self.client.get(url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().expect("GET");
        let status = res.status().as_u16();
        (status, res.json().unwrap_or(Value::Null))
    }

    pub fn get_ap(&self, url: &str) -> (u16, Value) {
        let res = self
            .client
            .get(url)
            .header("Accept", "application/activity+json")
            .send()
            .expect("GET");
        let status = res.status().as_u16();
        (status, res.json().unwrap_or(Value::Null))
    }

    pub fn send(
        &self,
        method: &str,
        url: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, Value) {
        self.request(method, url, token, body).expect("request")
    }

    /// [`Api::send`], for a node that may be down or failing: `None` when no answer came.
    pub fn try_send(
        &self,
        method: &str,
        url: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Option<(u16, Value)> {
        self.request(method, url, token, body).ok()
    }

    fn request(
        &self,
        method: &str,
        url: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> reqwest::Result<(u16, Value)> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.client.request(method, url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let res = req.send()?;
        let status = res.status().as_u16();
        Ok((status, res.json().unwrap_or(Value::Null)))
    }
}

/// Polls `check` until it returns `Some`, or panics with `what` after `secs` seconds.
pub fn eventually<T>(secs: u64, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {secs}s waiting for: {what}"
        );
        std::thread::sleep(Duration::from_millis(150));
    }
}

pub fn data_dir(node: &Node) -> &Path {
    &node.dir
}

/// Two SQLite nodes as most cross-node tests start: alice coordinates "epicerie" on A, and bob,
/// on B, follows it (A has counted the follower).
pub struct Neighbours {
    pub a: Node,
    pub b: Node,
    pub token_a: String,
    pub token_b: String,
}

impl Neighbours {
    pub fn following(api: &Api) -> Neighbours {
        let mut a = Node::new("a", Db::Sqlite);
        let mut b = Node::new("b", Db::Sqlite);
        a.start();
        b.start();
        let token_a = a.user_with_token("alice");
        a.association("epicerie", "alice");
        let token_b = b.user_with_token("bob");
        let (status, v) = api.send(
            "POST",
            &b.url("/api/v1/follows"),
            Some(&token_b),
            Some(&serde_json::json!({"target": format!("@epicerie@{}", a.host())})),
        );
        assert_eq!(status, 202, "{v}");
        eventually(20, "A's association has B's user as follower", || {
            let (_, v) = api.get(&a.url("/api/v1/associations/epicerie"), None);
            (v["followers_count"] == 1).then_some(())
        });
        Neighbours {
            a,
            b,
            token_a,
            token_b,
        }
    }

    /// Two SQLite nodes whose relays link them: alice coordinates `association` on A (its
    /// administrator), and B's relay follows A's (A has counted it). (A, B, alice's token.)
    pub fn relays(api: &Api, association: &str) -> (Node, Node, String) {
        let mut a = Node::new("a", Db::Sqlite);
        let mut b = Node::new("b", Db::Sqlite);
        a.start();
        b.start();
        let token_a = a.user_with_token("alice");
        a.association(association, "alice");
        b.cli(&["admin", "follow", &a.base], None);
        eventually(20, "A's relay has B's relay as follower", || {
            let (_, v) = api.get_ap(&a.url("/relay/followers"));
            (v["totalItems"].as_i64() == Some(1)).then_some(())
        });
        (a, b, token_a)
    }
}

/// A mission as a coordinator posts it to `/api/v1/associations/{name}/missions`.
pub fn mission_body(title: &str) -> Value {
    json!({
        "title": title,
        "description": "Trier les dons et servir le café.",
        "start_time": dates::mission_at(0, 9),
        "end_time": dates::mission_at(0, 12),
        "locality": "Brest",
        "capacity": 8,
        "category": "solidarity"
    })
}

/// The middle value (the upper one of an even count); `v` is not empty.
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A size line of `/proc/{pid}/status` (`VmRSS:`, `VmHWM:`) in KiB; 0 when unreadable.
pub fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// A process's memory as the benches print it: `VmRSS` split into anonymous memory (the heap:
/// what the allocator holds) and file-backed pages (the binary, the search index's mapped
/// files: clean, the kernel may drop them), then `VmHWM` and the thread count.
pub fn memory_line(pid: u32) -> String {
    format!(
        "VmRSS {} KiB (RssAnon {} KiB, RssFile {} KiB), VmHWM {} KiB, {} threads",
        status_kib(pid, "VmRSS:"),
        status_kib(pid, "RssAnon:"),
        status_kib(pid, "RssFile:"),
        status_kib(pid, "VmHWM:"),
        status_kib(pid, "Threads:")
    )
}
