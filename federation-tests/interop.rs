//! Interoperability with a third-party ActivityPub implementation: Fedify 1.5.9 (from npm)
//! plays a Mastodon-like server against a real `entraide serve` process.
//!
//! The peer is `federation-tests/fedify/peer.mjs`, run with Node.js. It reports each step as a
//! JSON line on stdout; this test drives the node (CLI, JSON API) between the steps and checks
//! what the peer saw. Its dependencies are installed by `npm ci` in `federation-tests/fedify`
//! (`.ci/run` does it); without them the test fails and says so.

#![allow(clippy::unwrap_used)]

mod support;

use serde_json::{json, Value};
use std::{
    io::{BufRead, BufReader, Read},
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{
        mpsc::{self, Receiver, RecvTimeoutError},
        Arc, Mutex,
    },
    time::Duration,
};
use support::{dates::mission_at, Api, Db, Node};

/// How long the test waits for one step of the peer. The peer bounds its own waits to 30 s
/// (and its whole run to 120 s), so its own error message normally arrives first.
const STEP_SECS: u64 = 45;

fn peer_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("federation-tests")
        .join("fedify")
}

/// The peer's directory; fails (never skips) when its npm dependencies are missing.
fn require_peer_deps() -> PathBuf {
    let dir = peer_dir();
    let fedify = dir
        .join("node_modules")
        .join("@fedify")
        .join("fedify")
        .join("package.json");
    assert!(
        fedify.is_file(),
        "the Fedify peer's dependencies are not installed: run `npm ci` in {} \
         (`.ci/run` does it) and run this test again",
        dir.display()
    );
    dir
}

/// The Fedify peer, a `node` child process killed when dropped (what it printed is shown
/// when the test fails).
struct Peer {
    child: Child,
    lines: Receiver<String>,
    stderr: Arc<Mutex<String>>,
    seen: Vec<String>,
}

impl Peer {
    fn start(node_base: &str, association: &str) -> Peer {
        let dir = require_peer_deps();
        let node_js = std::env::var("NODE").unwrap_or_else(|_| "node".to_string());
        let mut child = Command::new(&node_js)
            .arg(dir.join("peer.mjs"))
            .args([node_base, association])
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot run `{node_js}` (Node.js 20 is needed for the Fedify peer): {e}")
            });
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        let mut pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Peer {
            child,
            lines,
            stderr,
            seen: Vec::new(),
        }
    }

    /// Waits (bounded) for the peer's next line and checks it is `step`.
    fn expect(&mut self, step: &str) -> Value {
        let line = match self.lines.recv_timeout(Duration::from_secs(STEP_SECS)) {
            Ok(line) => line,
            Err(RecvTimeoutError::Timeout) => {
                panic!("the Fedify peer said nothing for {STEP_SECS}s while we waited for `{step}`")
            }
            Err(RecvTimeoutError::Disconnected) => {
                // Its stdout is closed: it exits, or has exited (a bounded wait all the same).
                let status = support::eventually(10, "the Fedify peer to exit", || {
                    self.child.try_wait().ok().flatten()
                });
                panic!("the Fedify peer exited ({status}) before `{step}`")
            }
        };
        self.seen.push(line.clone());
        let value: Value = serde_json::from_str(&line).unwrap_or_else(|e| {
            panic!("the Fedify peer printed a line that is not JSON ({e}): {line}")
        });
        match value["step"].as_str() {
            Some(s) if s == step => value,
            Some("error") => panic!(
                "the Fedify peer failed before `{step}`: {}",
                value["message"]
            ),
            _ => panic!("the Fedify peer printed {line} where `{step}` was expected"),
        }
    }

    fn diagnostics(&self) -> String {
        format!(
            "----- peer stdout so far -----\n{}\n----- peer stderr -----\n{}",
            self.seen.join("\n"),
            self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
        )
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("{}", self.diagnostics());
        }
    }
}

fn s(v: &Value) -> &str {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string, got {v}"))
}

/// Fedify (as a Mastodon-like server) resolves an association by WebFinger, follows it, gets
/// the Accept, receives the Create{Event} of a new mission with a valid signature, and fetches
/// the mission with a signed GET; each document is parsed by Fedify's own vocabulary.
#[test]
fn fedify_follows_an_association_and_receives_its_missions() {
    require_peer_deps();
    let api = Api::default();
    let mut node = Node::new("interop", Db::Sqlite);
    node.start();
    let token = node.user_with_token("alice");
    node.association("jardin", "alice");
    let group_id = node.url("/g/jardin");

    let mut peer = Peer::start(&node.base, "jardin");
    let listening = peer.expect("listening");
    let peer_actor = s(&listening["actor"]).to_string();
    assert!(peer_actor.starts_with("http://localhost:"), "{listening}");

    // (a) WebFinger, then the Group as Fedify reads it.
    let resolved = peer.expect("resolved");
    assert_eq!(
        resolved["subject"],
        format!("acct:jardin@{}", node.host()),
        "{resolved}"
    );
    assert!(
        s(&resolved["webfingerContentType"]).starts_with("application/jrd+json"),
        "{resolved}"
    );
    assert_eq!(resolved["self"], group_id);
    assert_eq!(resolved["id"], group_id);
    assert_eq!(resolved["type"], "Group");
    assert_eq!(resolved["preferredUsername"], "jardin");
    assert_eq!(resolved["inbox"], node.url("/g/jardin/inbox"));
    assert_eq!(resolved["outbox"], node.url("/g/jardin/outbox"));
    assert_eq!(resolved["followers"], node.url("/g/jardin/followers"));
    assert_eq!(resolved["sharedInbox"], node.url("/inbox"));
    assert_eq!(resolved["publicKeyId"], format!("{group_id}#main-key"));
    assert_eq!(resolved["publicKeyOwner"], group_id);
    assert_eq!(resolved["publicKeyIsRsa"], true, "{resolved}");

    // (b) Follow, and an Accept signed by the group that embeds that very Follow.
    let sent = peer.expect("follow-sent");
    assert_eq!(sent["status"], 202, "{sent}");
    let follow_id = s(&sent["id"]).to_string();
    let accepted = peer.expect("accepted");
    assert_eq!(accepted["actor"], group_id, "{accepted}");
    assert_eq!(
        accepted["keyId"],
        format!("{group_id}#main-key"),
        "{accepted}"
    );
    assert_eq!(accepted["keyOwner"], group_id, "{accepted}");
    assert!(
        s(&accepted["contentType"]).starts_with("application/activity+json"),
        "{accepted}"
    );
    assert_eq!(accepted["objectIsEmbedded"], true, "{accepted}");
    assert_eq!(accepted["objectIsFollow"], true, "{accepted}");
    assert_eq!(accepted["followId"], follow_id, "{accepted}");
    assert_eq!(accepted["followActor"], peer_actor, "{accepted}");
    assert_eq!(accepted["followObject"], group_id, "{accepted}");
    let (_, followers) = api.get_ap(&node.url("/g/jardin/followers"));
    assert_eq!(followers["totalItems"], 1, "{followers}");

    // (c) A mission published on the node reaches the peer as a signed Create{Event}.
    let body = json!({
        "title": "Chantier au jardin partagé",
        "description": "Désherbage et paillage des carrés potagers.",
        "start_time": mission_at(0, 9),
        "end_time": mission_at(0, 12),
        "place_name": "Jardin des Capucins",
        "locality": "Brest",
        "capacity": 8,
        "category": "environment"
    });
    let (status, created) = api.send(
        "POST",
        &node.url("/api/v1/associations/jardin/missions"),
        Some(&token),
        Some(&body),
    );
    assert_eq!(status, 201, "{created}");
    let ap_id = s(&created["ap_id"]).to_string();
    let start = chrono::DateTime::parse_from_rfc3339(&mission_at(0, 9)).unwrap();
    let end = chrono::DateTime::parse_from_rfc3339(&mission_at(0, 12)).unwrap();
    let check_event = |event: &Value| {
        assert_eq!(event["id"], ap_id, "{event}");
        assert_eq!(event["name"], "Chantier au jardin partagé", "{event}");
        assert_eq!(event["attributedTo"], group_id, "{event}");
        let start_seen = chrono::DateTime::parse_from_rfc3339(s(&event["startTime"])).unwrap();
        let end_seen = chrono::DateTime::parse_from_rfc3339(s(&event["endTime"])).unwrap();
        assert_eq!(start_seen, start, "{event}");
        assert_eq!(end_seen, end, "{event}");
        // The node speaks French and lives in Europe/Paris by default.
        let day = support::dates::french_day(support::dates::mission_day());
        assert_eq!(
            event["summary"],
            format!("{day}, de 9 h à 12 h · Brest · 8 places restantes sur 8"),
            "{event}"
        );
        assert_eq!(event["hasContent"], true, "{event}");
    };
    let create = peer.expect("created");
    assert_eq!(create["actor"], group_id, "{create}");
    assert_eq!(create["keyId"], format!("{group_id}#main-key"), "{create}");
    assert_eq!(create["keyOwner"], group_id, "{create}");
    assert!(
        s(&create["contentType"]).starts_with("application/activity+json"),
        "{create}"
    );
    assert_eq!(create["objectIsEmbedded"], true, "{create}");
    // Fedify reads the place through JSON-LD: `location` must keep its ActivityStreams meaning.
    assert_eq!(create["locationName"], "Jardin des Capucins", "{create}");
    // The peer advertises a shared inbox: deliveries go there, as to a Mastodon server.
    assert_eq!(create["inbox"], "/inbox", "{create}");
    check_event(&create["event"]);

    // (d) The same mission fetched with a signed GET.
    let fetched = peer.expect("fetched");
    assert_eq!(
        fetched["signedWithKey"],
        format!("{peer_actor}#main-key"),
        "{fetched}"
    );
    check_event(&fetched["event"]);

    let done = peer.expect("done");
    // One Accept and one Create, nothing twice.
    assert_eq!(
        done["activitiesReceived"],
        json!(["Accept", "Create"]),
        "{done}"
    );
    // The node read the peer's actor with fetches signed by its relay, which Fedify verifies.
    let fetches = done["actorFetches"].as_array().unwrap();
    assert!(
        !fetches.is_empty(),
        "the node never fetched the peer's actor: {done}"
    );
    for f in fetches {
        assert_eq!(f["signed"], true, "{done}");
        assert_eq!(f["verifiedKey"], node.url("/relay#main-key"), "{done}");
    }
}
