//! `entraide admin backup` and `admin restore` (issue 18): a node with accounts, an
//! association, a mission and its slot, a resource with a file, hours and its keys is backed
//! up while it runs, restored onto a fresh data directory and database, started again, and
//! everything is found, its actors' public keys unchanged. On SQLite always; on PostgreSQL
//! (`pg_dump`/`pg_restore`) when `TEST_DATABASE_URL` is set ("NOT RUN on PostgreSQL" printed
//! otherwise).

#![allow(clippy::unwrap_used)]

#[path = "../federation-tests/support/mod.rs"]
mod support;

use serde_json::{json, Value};
use std::path::Path;
use support::{dates, Api, Db, Node};

/// What the test wrote on the first node, to find on the restored one.
struct Filled {
    token: String,
    mission: Value,
    slot: Value,
    resource: Value,
    file: Value,
    hours: Value,
    keys: Vec<(String, String)>,
}

const PDF: &[u8] = b"%PDF-1.4\n%backup test\n";

fn public_key(api: &Api, url: &str) -> String {
    let (status, actor) = api.get_ap(url);
    assert_eq!(status, 200, "{url}: {actor}");
    actor["publicKey"]["publicKeyPem"]
        .as_str()
        .unwrap_or_else(|| panic!("no key in {actor}"))
        .to_string()
}

fn keys(api: &Api, node: &Node) -> Vec<(String, String)> {
    ["/relay", "/g/epicerie", "/u/alice"]
        .iter()
        .map(|p| (p.to_string(), public_key(api, &node.url(p))))
        .collect()
}

fn fill(api: &Api, node: &Node) -> Filled {
    let token = node.user_with_token("alice");
    node.association("epicerie", "alice");
    let (status, mission) = api.send(
        "POST",
        &node.url("/api/v1/associations/epicerie/missions"),
        Some(&token),
        Some(&json!({
            "title": "Tri des dons", "description": "Trier les dons et servir le café.",
            "start_time": dates::mission_at(3, 9), "end_time": dates::mission_at(3, 12),
            "locality": "Brest", "capacity": 8, "category": "solidarity"
        })),
    );
    assert_eq!(status, 201, "{mission}");
    let (status, slots) = api.send(
        "POST",
        &node.url(&format!("/api/v1/missions/{}/slots", mission["id"])),
        Some(&token),
        Some(&json!({"slots": [{"start_time": dates::mission_at(3, 9),
            "end_time": dates::mission_at(3, 11), "capacity": 3}]})),
    );
    assert_eq!(status, 201, "{slots}");
    let (status, resource) = api.send(
        "POST",
        &node.url("/api/v1/associations/epicerie/resources"),
        Some(&token),
        Some(
            &json!({"name": "Chaises pliantes", "description": "Chaises en bois.",
            "category": "furniture", "quantity": 40, "approval": "manual"}),
        ),
    );
    assert_eq!(status, 201, "{resource}");
    let res = reqwest::blocking::Client::new()
        .post(node.url(&format!(
            "/api/v1/resources/{}/files?kind=document&name=statuts.pdf",
            resource["id"]
        )))
        .bearer_auth(&token)
        .header("content-type", "application/pdf")
        .body(PDF.to_vec())
        .send()
        .unwrap();
    assert_eq!(res.status(), 201);
    let file: Value = res.json().unwrap();
    let (status, hours) = api.send(
        "POST",
        &node.url("/api/v1/me/hours"),
        Some(&token),
        Some(
            &json!({"association": "epicerie", "date": dates::days_ago(2), "minutes": 90,
            "description": "Permanence"}),
        ),
    );
    assert_eq!(status, 201, "{hours}");
    Filled {
        keys: keys(api, node),
        token,
        mission,
        slot: slots["slots"][0].clone(),
        resource,
        file,
        hours,
    }
}

fn check(api: &Api, node: &Node, was: &Filled) {
    let token = Some(was.token.as_str());
    let (status, mission) = api.get(
        &node.url(&format!("/api/v1/missions/{}", was.mission["id"])),
        None,
    );
    assert_eq!(status, 200, "{mission}");
    assert_eq!(mission["title"], "Tri des dons");
    assert_eq!(mission["ap_id"], was.mission["ap_id"]);
    let (_, slot) = api.get(
        &node.url(&format!("/api/v1/slots/{}", was.slot["id"])),
        None,
    );
    assert_eq!(slot["ap_id"], was.slot["ap_id"], "{slot}");
    let (_, resource) = api.get(
        &node.url(&format!("/api/v1/resources/{}", was.resource["id"])),
        None,
    );
    assert_eq!(resource["name"], "Chaises pliantes", "{resource}");
    let file = reqwest::blocking::get(node.url(&format!("/files/{}", was.file["id"]))).unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.bytes().unwrap().as_ref(), PDF);
    let (status, hours) = api.get(
        &node.url(&format!("/api/v1/hours/{}", was.hours["id"])),
        token,
    );
    assert_eq!(status, 200, "{hours}");
    assert_eq!(hours["minutes"], 90);
    // The same keys: other servers still trust what the node signs.
    assert_eq!(keys(api, node), was.keys);
    // The search index, left out of the backup, is rebuilt.
    support::eventually(30, "the search finds the mission", || {
        let (_, found) = api.get(&node.url("/api/v1/search?q=dons"), None);
        found["results"]
            .as_array()
            .filter(|r| r.iter().any(|r| r["title"] == "Tri des dons"))
            .map(|_| ())
    });
}

/// Runs `entraide admin <args>` for `node`; `(success, stdout and stderr)`.
fn admin(node: &Node, args: &[&str]) -> (bool, String) {
    let out = node.command().arg("admin").args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn round_trip(first: Db, second: Db) {
    let api = Api::default();
    let mut a = Node::new("a", first);
    a.start();
    let filled = fill(&api, &a);
    // A file of the data directory travels too; the search index does not.
    let data = a.dir.join("data");
    std::fs::create_dir_all(data.join("extra")).unwrap();
    std::fs::write(data.join("extra/notes.txt"), "gardez-moi").unwrap();

    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("node.tar.gz");
    let file_arg = file.to_str().unwrap();
    // Taken while the node runs.
    let printed = a.cli(&["admin", "backup", file_arg], None);
    assert!(printed.contains("backup written"), "{printed}");
    a.kill9();

    // A fresh node at the same address.
    let mut b = Node::new("b", second);
    b.port = a.port;
    b.base = a.base.clone();
    refusals(&b, &file);
    let printed = b.cli(&["admin", "restore", file_arg], None);
    assert!(printed.contains("restored"), "{printed}");
    let restored = b.dir.join("data");
    assert_eq!(
        std::fs::read_to_string(restored.join("extra/notes.txt")).unwrap(),
        "gardez-moi"
    );
    assert!(!restored.join("search").exists());
    // Not twice onto the same node, unless forced.
    let (ok, said) = admin(&b, &["restore", file_arg]);
    assert!(!ok && said.contains("--force"), "{said}");
    b.start();
    check(&api, &b, &filled);
}

/// A wrong file, a damaged one: refused, with nothing written.
fn refusals(node: &Node, good: &Path) {
    let dir = good.parent().unwrap();
    let wrong = dir.join("wrong.tar.gz");
    std::fs::write(&wrong, "hello, not a backup").unwrap();
    let (ok, said) = admin(node, &["restore", wrong.to_str().unwrap()]);
    assert!(!ok && said.contains("not a backup of Entraide"), "{said}");
    let bytes = std::fs::read(good).unwrap();
    let damaged = dir.join("damaged.tar.gz");
    std::fs::write(&damaged, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let (ok, said) = admin(node, &["restore", damaged.to_str().unwrap()]);
    assert!(!ok && said.contains("damaged"), "{said}");
    let left: Vec<_> = std::fs::read_dir(node.dir.join("data"))
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn backup_and_restore_on_sqlite() {
    round_trip(Db::Sqlite, Db::Sqlite);
}

#[test]
fn backup_and_restore_on_postgres() {
    let Some(base) = support::postgres_base_url("backup::backup_and_restore_on_postgres") else {
        return;
    };
    round_trip(
        Db::Postgres(support::fresh_postgres_db(&base, "backup_a")),
        Db::Postgres(support::fresh_postgres_db(&base, "backup_b")),
    );
}
