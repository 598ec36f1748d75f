//! A PostgreSQL cluster of the test's own, to stop and restart at will without touching the
//! server other tests share: `initdb` and `pg_ctl` from `/usr/lib/postgresql/*/bin` (the newest),
//! in a temporary directory, on a free port, trust authentication. As root it runs as the
//! `postgres` user (PostgreSQL refuses root), as `.ci/pg-for-tests.sh` does.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

pub struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
}

/// The newest installed server binaries, if any.
fn server_bin() -> Option<PathBuf> {
    let mut bins: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").exists())
        .collect();
    bins.sort_by_key(|b| {
        b.parent()
            .and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok())
            .unwrap_or(0)
    });
    bins.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0\n"))
        .unwrap_or(false)
}

impl Cluster {
    /// Starts a throwaway cluster; `None` (and a loud message) when no server binaries are
    /// installed, a failure when `ENTRAIDE_REQUIRE_POSTGRES=1` (CI).
    pub fn start(test: &str) -> Option<Cluster> {
        let Some(bin) = server_bin() else {
            if std::env::var("ENTRAIDE_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!(
                    "{test}: no /usr/lib/postgresql/*/bin/initdb, and ENTRAIDE_REQUIRE_POSTGRES=1"
                );
            }
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "NOT RUN: {test} (needs PostgreSQL's server binaries: apt-get install postgresql)"
            );
            return None;
        };
        // Under /tmp, owned by the user the server runs as.
        let dir = tempfile::Builder::new()
            .prefix("entraide-pg.")
            .tempdir_in("/tmp")
            .expect("temp dir");
        if is_root() {
            let ok = Command::new("chown")
                .args(["postgres"])
                .arg(dir.path())
                .status()
                .expect("chown")
                .success();
            assert!(ok, "chown postgres {}", dir.path().display());
        }
        let cluster = Cluster {
            bin,
            dir,
            port: super::free_port(),
        };
        cluster.run(
            "initdb",
            &[
                "-D",
                &cluster.data(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        );
        // Durable as a real server is (fsync and synchronous commits on): what it acknowledged
        // must survive its restart.
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c max_connections=100",
            cluster.port,
            cluster.dir.path().display()
        );
        let log = cluster.dir.path().join("server.log").display().to_string();
        cluster.run(
            "pg_ctl",
            &[
                "-D",
                &cluster.data(),
                "-l",
                &log,
                "-w",
                "-t",
                "30",
                "-o",
                &opts,
                "start",
            ],
        );
        let url = format!("{}/postgres", cluster.server_url());
        let ok = Command::new("psql")
            .args([url.as_str(), "-qX", "-c", "CREATE DATABASE entraide"])
            .status()
            .expect("psql runs")
            .success();
        assert!(ok, "CREATE DATABASE on the test's cluster");
        Some(cluster)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn run(&self, program: &str, args: &[&str]) {
        let path = self.bin.join(program);
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let out = cmd
            .args(args)
            .current_dir("/")
            .output()
            .unwrap_or_else(|e| panic!("{program} runs: {e}"));
        assert!(
            out.status.success(),
            "{program} {args:?} failed: {}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            self.server_log()
        );
    }

    pub fn server_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}", self.port)
    }

    /// The URL of the database `entraide` made at start.
    pub fn url(&self) -> String {
        format!("{}/entraide", self.server_url())
    }

    /// `pg_ctl restart -m fast`: the server ends every session, then comes back.
    pub fn restart(&self) {
        // `-l` again: the new server must not inherit (and hold open) our output pipes.
        let log = self.dir.path().join("server.log").display().to_string();
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log,
                "-m",
                "fast",
                "-w",
                "-t",
                "30",
                "restart",
            ],
        );
    }

    pub fn server_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let path = self.bin.join("pg_ctl");
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let _ = cmd
            .args(["-D", &data, "-m", "immediate", "-w", "stop"])
            .current_dir("/")
            .output();
    }
}
