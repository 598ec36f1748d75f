//! Helpers shared by the in-process tests: stores on a temporary SQLite file or a fresh
//! PostgreSQL database, and a whole node (`App`) driven through its router.

#![allow(dead_code, clippy::unwrap_used)]

pub mod smtp;
pub mod upload;

use axum::{
    body::Body,
    http::{header, HeaderMap, Method, Request, StatusCode},
    Router,
};
use chrono::{DateTime, TimeZone, Utc};
use entraide::{
    app::App,
    clock::ManualClock,
    config::Config,
    domain::{account::User, actor::Actor},
    service::accounts,
    storage::{self, DynStore, Store},
};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use tower::ServiceExt;

// ---------------------------------------------------------------------------------------------
// Time

/// The instant every in-process test starts at: a fixed Monday in January 2030, before every
/// date the tests write (slots from March 2030), so that those dates stay in the future
/// whatever year the suite runs in. Dates that mean "in N days" are written from it.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 7, 9, 0, 0).unwrap()
}

/// A test node's clock: it shows [`start`] when the node is built and runs from there at the
/// system's pace (workers wait for retries and leases to come due); a test moves it forward
/// with `advance`.
pub fn test_clock() -> ManualClock {
    ManualClock::running(start())
}

// ---------------------------------------------------------------------------------------------
// Stores

/// A local association actor named `name`, straight in the store.
pub async fn local_group(store: &dyn Store, name: &str) -> Actor {
    store
        .create_local_actor(
            entraide::domain::actor::NewLocalActor {
                kind: entraide::domain::actor::ActorKind::Group,
                name: name.into(),
                display_name: name.into(),
                summary: String::new(),
                public_key_pem: "KEY".into(),
                private_key_pem: "PRIVATE".into(),
                user_id: None,
            },
            &format!("http://localhost:8080/g/{name}"),
            "localhost:8080",
            None,
            start(),
        )
        .await
        .unwrap()
}

/// A user without password nor email, straight in the store.
pub async fn plain_user(store: &dyn Store, name: &str) -> User {
    store
        .create_user(storage::NewUser::by_operator(name, None, None), start())
        .await
        .unwrap()
}

/// An SQLite store on a file in a temporary directory (kept alive with the store).
pub async fn sqlite_store() -> (DynStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("test.sqlite").display());
    let store = storage::connect(&url, 4).await.unwrap();
    assert_eq!(store.backend(), "sqlite");
    (store, dir)
}

/// The PostgreSQL server URL for tests, or `None` with a loud "NOT RUN" line when
/// `TEST_DATABASE_URL` is unset. With `ENTRAIDE_REQUIRE_POSTGRES=1` a missing URL fails.
pub fn postgres_base_url(test: &str) -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_string()),
        _ => {
            if std::env::var("ENTRAIDE_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("{test}: TEST_DATABASE_URL is not set but ENTRAIDE_REQUIRE_POSTGRES=1");
            }
            // Straight to stderr: the test harness hides `eprintln!` of passing tests.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "NOT RUN on PostgreSQL: {test} (set TEST_DATABASE_URL to run it)"
            );
            None
        }
    }
}

/// `(server part, database name, query part)` of a database URL.
fn split_db_url(url: &str) -> (String, String, String) {
    let (main, query) = match url.split_once('?') {
        Some((m, q)) => (m, format!("?{q}")),
        None => (url, String::new()),
    };
    let (server, db) = main
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL must name a database");
    assert!(
        !db.is_empty() && server.contains("://"),
        "TEST_DATABASE_URL must name a database: {url}"
    );
    (server.to_string(), db.to_string(), query)
}

static DB_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh PostgreSQL database `<test db>_<suffix>`, dropped when this value is dropped.
///
/// The suffix holds a short form of the test's name, the process id and a counter, so that
/// tests running at the same time (in this process or another one) never share a database.
pub struct PgDb {
    pub url: String,
    name: String,
    base_url: String,
}

impl PgDb {
    /// `None` (after printing "NOT RUN on PostgreSQL: <test>") when no server is configured.
    pub async fn fresh(test: &str) -> Option<PgDb> {
        let base_url = postgres_base_url(test)?;
        let short: String = test
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .filter(|c| *c != '_')
            .take(16)
            .collect();
        let n = DB_COUNTER.fetch_add(1, Ordering::SeqCst);
        let suffix = format!("{short}_{}_{n}", std::process::id());
        let (server, db, query) = split_db_url(&base_url);
        let name = format!("{db}_{suffix}");
        assert!(name.len() <= 63, "database name too long: {name}");
        let mut admin = connect_admin(&base_url).await;
        for sql in [
            format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            format!("CREATE DATABASE \"{name}\""),
        ] {
            sqlx::raw_sql(&sql)
                .execute(&mut admin)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
        Some(PgDb {
            url: format!("{server}/{name}{query}"),
            name,
            base_url,
        })
    }

    /// A new store (its own pool) on this database, migrated.
    pub async fn store(&self) -> DynStore {
        let store = storage::connect(&self.url, 4).await.unwrap();
        assert_eq!(store.backend(), "postgres");
        store
    }
}

async fn connect_admin(base_url: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(base_url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to TEST_DATABASE_URL {base_url}: {e}"))
}

impl Drop for PgDb {
    fn drop(&mut self) {
        // Runs on its own thread and runtime: Drop may be called inside a test's runtime.
        let base_url = self.base_url.clone();
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut admin = connect_admin(&base_url).await;
                sqlx::raw_sql(&sql).execute(&mut admin).await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(_))) {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A whole node, in process

pub const BASE: &str = "http://localhost:8080";
pub const HOST: &str = "localhost:8080";

/// A node built by `App::build_with_clock` on a temporary data directory and the test clock,
/// answering through its router.
pub struct TestApp {
    pub app: App,
    pub router: Router,
    pub dir: tempfile::TempDir,
    /// The node's clock (shared: moving it moves the node's time).
    pub clock: ManualClock,
}

/// The configuration of a test node: defaults, a temporary data directory, French, Paris.
pub fn test_config(dir: &std::path::Path) -> Config {
    let env = vec![
        ("ENTRAIDE__SERVER__PUBLIC_URL".to_string(), BASE.to_string()),
        (
            "ENTRAIDE__SERVER__DATA_DIR".to_string(),
            dir.join("data").display().to_string(),
        ),
        (
            "ENTRAIDE__INSTANCE__NAME".to_string(),
            "Nœud de test".to_string(),
        ),
    ];
    Config::load(None, env).unwrap()
}

impl TestApp {
    pub async fn new() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        TestApp::with_config(test_config(dir.path()), dir).await
    }

    /// A node with this configuration (its data directory inside `dir`), on the test clock.
    /// A node on a fresh PostgreSQL database (`None`, the test skipped, when no
    /// `TEST_DATABASE_URL` is set); keep the database for as long as the node.
    pub async fn on_postgres(test: &str) -> Option<(TestApp, PgDb)> {
        let db = PgDb::fresh(test).await?;
        let dir = tempfile::tempdir().unwrap();
        let mut config = test_config(dir.path());
        config.database.url = db.url.clone();
        let t = TestApp::with_config(config, dir).await;
        assert_eq!(t.store().backend(), "postgres");
        Some((t, db))
    }

    pub async fn with_config(config: Config, dir: tempfile::TempDir) -> TestApp {
        let clock = test_clock();
        let app = App::build_with_clock(config, std::sync::Arc::new(clock.clone()))
            .await
            .unwrap();
        let router = app.router();
        TestApp {
            app,
            router,
            dir,
            clock,
        }
    }

    /// The node's current time.
    pub fn now(&self) -> DateTime<Utc> {
        entraide::clock::Clock::now(&self.clock)
    }

    pub fn store(&self) -> &dyn Store {
        self.app.state.store.as_ref()
    }

    /// A user (with their Person actor) and an API token for them.
    pub async fn user(&self, name: &str) -> (User, String) {
        self.user_at(name, None).await
    }

    /// A user with an email address (password "a long password") and an API token.
    pub async fn user_with_email(&self, name: &str, email: &str) -> (User, String) {
        self.user_at(name, Some(email)).await
    }

    async fn user_at(&self, name: &str, email: Option<&str>) -> (User, String) {
        let user = accounts::create_user(
            self.store(),
            BASE,
            HOST,
            name,
            email,
            Some("a long password"),
            self.now(),
        )
        .await
        .unwrap();
        let token = accounts::create_token(self.store(), name, "tests", self.now())
            .await
            .unwrap();
        (user, token)
    }

    /// An association (Group actor) owned by an existing user.
    pub async fn association(&self, name: &str, owner: &str) -> Actor {
        self.association_named(name, owner, "Épicerie solidaire")
            .await
    }

    /// An association owned by an existing user, with the name it shows.
    pub async fn association_named(&self, name: &str, owner: &str, display_name: &str) -> Actor {
        accounts::create_association(
            self.store(),
            BASE,
            HOST,
            name,
            owner,
            Some(display_name),
            "Aide alimentaire à Brest.",
            self.now(),
        )
        .await
        .unwrap()
    }

    /// Publishes a mission of `association` through the API (answered 201).
    pub async fn publish(&self, association: &str, token: &str, body: &Value) -> Resp {
        let path = format!("/api/v1/associations/{association}/missions");
        let r = self.api(Method::POST, &path, Some(token), Some(body)).await;
        r.expect(201);
        r
    }

    /// A remote association `voisins` of `host` with one mission titled `title`, starting in
    /// three days, as if received from there; the mission's id (its address there).
    pub async fn remote_mission(&self, host: &str, title: &str) -> String {
        use entraide::domain::{
            actor::{ActorKind, RemoteActor},
            mission::MissionDraft,
        };
        let ap_id = format!("https://{host}/g/voisins");
        let actor = (self.store())
            .upsert_remote_actor(
                RemoteActor {
                    ap_id: ap_id.clone(),
                    kind: ActorKind::Group,
                    name: "voisins".into(),
                    host: host.into(),
                    display_name: "Voisins".into(),
                    summary: String::new(),
                    inbox: format!("{ap_id}/inbox"),
                    shared_inbox: Some(format!("https://{host}/inbox")),
                    outbox: None,
                    followers: None,
                    url: None,
                    public_key_pem: "KEY".into(),
                },
                self.now(),
            )
            .await
            .unwrap();
        let mission = format!("https://{host}/m/1");
        let start = self.now() + chrono::Duration::days(3);
        (self.store())
            .upsert_remote_mission(storage::RemoteMission {
                ap_id: mission.clone(),
                url: mission.clone(),
                actor_id: actor.id,
                content_html: "<p>Annonce</p>".into(),
                remote_summary: String::new(),
                draft: MissionDraft {
                    title: title.into(),
                    start_time: start,
                    end_time: start + chrono::Duration::hours(2),
                    ..MissionDraft::default()
                },
                participant_count: 0,
                published: self.now(),
                updated: self.now(),
                is_event: false,
            })
            .await
            .unwrap();
        mission
    }

    /// One of this node's associations, by name.
    pub async fn group(&self, name: &str) -> Actor {
        self.store()
            .find_local_actor("Group", name)
            .await
            .unwrap()
            .unwrap()
    }

    /// Sends a request through the router.
    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), 16 * 1024 * 1024)
            .await
            .unwrap()
            .to_vec();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// GET with one extra header (Accept, Authorization…).
    pub async fn get_with(&self, path: &str, name: &str, value: &str) -> Resp {
        self.send(
            Request::get(path)
                .header(name, value)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    /// A form posted as a browser would, with an optional cookie (`name=value`).
    pub async fn form(&self, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Resp {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut req =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    /// Logs in through the login form; the session cookie (`name=value`).
    pub async fn web_login(&self, name: &str, password: &str) -> String {
        let res = self
            .form("/login", None, &[("name", name), ("password", password)])
            .await;
        assert_eq!(res.status, 303, "{}", res.text());
        res.session_cookie()
    }

    /// A JSON API call; `token` becomes `Authorization: Bearer …`.
    pub async fn api(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Resp {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match body {
            Some(b) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(serde_json::to_vec(b).unwrap())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).unwrap()).await
    }

    /// A request with a raw body and an optional content type.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: &str,
    ) -> Resp {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        self.send(req.body(Body::from(body.to_string())).unwrap())
            .await
    }
}

/// A response, read to the end.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON; panics with the body when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}), status {}: {}", self.status, self.text()))
    }

    pub fn content_type(&self) -> String {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    /// The session cookie this response sets (`name=value`).
    pub fn session_cookie(&self) -> String {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("entraide_session="))
            .and_then(|c| c.split(';').next())
            .expect("a session cookie")
            .to_string()
    }

    /// A page's text with minijinja's escapes of `'`, `/` and `"` written back.
    pub fn html(&self) -> String {
        self.text()
            .replace("&#x27;", "'")
            .replace("&#x2f;", "/")
            .replace("&quot;", "\"")
    }

    /// The page's form token (`<input name="csrf" value="…">`).
    pub fn csrf(&self) -> String {
        csrf_in(&self.text())
    }

    /// The titles of a mission list (answered 200).
    #[track_caller]
    pub fn titles(&self) -> Vec<String> {
        self.expect(200);
        self.json()["missions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["title"].as_str().unwrap().to_string())
            .collect()
    }

    /// A request braked (429 `too_many_requests`): the seconds its `Retry-After` says to wait.
    #[track_caller]
    pub fn braked(&self) -> i64 {
        self.expect(429);
        assert_eq!(self.json()["error"], "too_many_requests");
        self.headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap()
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text()
        );
        self
    }
}

/// The value of `<input … name="csrf" value="…">` in a page.
pub fn csrf_in(body: &str) -> String {
    let key = r#"name="csrf" value=""#;
    let start = body.find(key).expect("a CSRF field") + key.len();
    body[start..start + body[start..].find('"').unwrap()].to_string()
}

/// Fails with a hint when a third-party program the tests read documents with is missing.
pub fn tool(name: &str) {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        found,
        "`{name}` is needed to read the documents back: .ci/run installs it (poppler-utils, libreoffice-calc)"
    );
}

/// What a poppler program (`pdftotext`, `pdfinfo`) prints about a PDF, in UTF-8.
fn poppler(program: &str, args: &[&str], bytes: &[u8]) -> String {
    tool(program);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new(program)
        .args(args)
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .args(if program == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{program} refused the file: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of a PDF as `pdftotext -layout` extracts it, runs of white space (between columns,
/// at line ends) made one space.
pub fn pdf_text(bytes: &[u8]) -> String {
    poppler("pdftotext", &["-layout"], bytes)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The title of a PDF as viewers show it (`pdfinfo`).
pub fn pdf_title(bytes: &[u8]) -> String {
    let info = poppler("pdfinfo", &[], bytes);
    info.lines()
        .find_map(|l| l.strip_prefix("Title:"))
        .unwrap_or_else(|| panic!("no title in {info}"))
        .trim()
        .to_string()
}
