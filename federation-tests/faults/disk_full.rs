//! A full disk under SQLite: the node's data directory is a small file system of its own
//! (tmpfs, mounted by the test, which needs root as CI has), filled up while the node runs.
//! Writes are refused with a clear error (503 `temporarily_unavailable`, the cause in the log),
//! reads go on, nothing is corrupted, and once space returns the node writes again by itself.

use super::guest;
use crate::{
    mission_body,
    participation::mission_with_slot,
    support::{eventually, sql::number, Api, Db, Node},
};
use std::{io::Write, path::PathBuf, process::Command};

/// A tmpfs mounted for the test, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .output()
            .ok()?;
        out.status.success().then_some(SmallDisk { dir })
    }

    fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// Writes a file until the file system says it is full.
    fn fill(&self) -> PathBuf {
        let path = self.dir.path().join("filler");
        let mut f = std::fs::File::create(&path).expect("filler");
        let chunk = vec![7u8; 64 * 1024];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.sync_all();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn a_full_disk_refuses_writes_clearly_and_recovers_when_space_returns() {
    let Some(disk) = SmallDisk::mount(24) else {
        assert!(
            std::env::var("CI").is_err(),
            "CI runs as root: mounting a tmpfs must work there"
        );
        let _ = writeln!(
            std::io::stderr(),
            "NOT RUN: faults::disk_full (mounting a tmpfs needs root)"
        );
        return;
    };
    let api = Api::default();
    let mut node = Node::new("full", Db::Sqlite);
    node.extra_env.push((
        "ENTRAIDE__SERVER__DATA_DIR".into(),
        disk.path().join("data").display().to_string(),
    ));
    node.start();
    let token = node.user_with_token("alice");
    node.association("asso", "alice");
    let (_, slot) = mission_with_slot(&api, &node, &token, "asso", 100, "free");
    let missions = node.url("/api/v1/associations/asso/missions");
    let guests = node.url(&format!("/api/v1/slots/{}/guests", slot["id"]));
    let mut answered = 1; // the mission of the slot

    // Full: writes are refused with a clear answer; the node still reads and stays up.
    let filler = disk.fill();
    let mut refused = 0;
    for n in 0..20 {
        let (status, v) = api.send(
            "POST",
            &missions,
            Some(&token),
            Some(&mission_body(&format!("Plein {n}"))),
        );
        match status {
            201 => answered += 1,
            503 => {
                assert_eq!(v["error"], "temporarily_unavailable", "{v}");
                assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
                refused += 1;
            }
            _ => panic!("mission {n} on a full disk: {status} {v}"),
        }
        let (status, v) = api.send("POST", &guests, Some(&token), Some(&guest(n)));
        assert!(
            status == 201 || status == 503,
            "sign-up {n} on a full disk: {status} {v}"
        );
    }
    assert!(refused > 0, "nothing was refused: the disk was not full");
    assert!(
        node.log().contains("full"),
        "the log names the cause (SQLite: database or disk is full)"
    );
    let (status, v) = api.get(&node.url("/api/v1/missions"), None);
    assert_eq!(status, 200, "reads go on: {v}");
    let (status, _) = api.get(&node.url("/health/live"), None);
    assert_eq!(status, 200);

    // Space returns: the same process writes again, without a restart.
    std::fs::remove_file(filler).expect("remove the filler");
    eventually(20, "missions are taken again", || {
        let (status, _) = api.send(
            "POST",
            &missions,
            Some(&token),
            Some(&mission_body("Retour")),
        );
        (status == 201).then_some(())
    });
    answered += 1;
    let (status, v) = api.send("POST", &guests, Some(&token), Some(&guest(1000)));
    assert_eq!(status, 201, "{v}");

    // Nothing corrupted: SQLite's integrity check, the counts, every answered mission kept.
    let url = node.database_url();
    node.kill9();
    super::assert_consistent(&url);
    assert_eq!(number(&url, "SELECT count(*) FROM mission"), answered);
    node.start();
    let (status, _) = api.get(&node.url("/health/ready"), None);
    assert_eq!(status, 200);
}
