//! `entraide admin doctor`: one line per check, `ok`, `warn`, `fail` or `skip`; the command
//! fails when a check failed.

use crate::{
    clock::{Clock, SystemClock},
    config::Config,
    storage,
};
use std::{fmt, path::Path, time::Duration};
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Ok,
    Warn,
    Fail,
    /// Not checked (said why).
    Skip,
}

/// The result of one check.
#[derive(Debug, Clone)]
pub struct Finding {
    pub level: Level,
    pub check: &'static str,
    pub detail: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Ok => "ok  ",
            Level::Warn => "warn",
            Level::Fail => "fail",
            Level::Skip => "skip",
        };
        write!(f, "{level} {}: {}", self.check, self.detail)
    }
}

fn found(level: Level, check: &'static str, detail: impl Into<String>) -> Finding {
    Finding {
        level,
        check,
        detail: detail.into(),
    }
}

/// Data directories with less free space than this are a warning.
const LOW_SPACE_BYTES: u64 = 1 << 30;
/// Clocks further apart than this are a warning, and a failure past [`CLOCK_FAIL_SECONDS`]
/// (other servers refuse signatures whose date is too far from theirs).
const CLOCK_WARN_SECONDS: i64 = 30;
const CLOCK_FAIL_SECONDS: i64 = 300;

/// Every check, in order. `config` is the configuration or why it could not be read; `peer`
/// is another server whose clock to compare with (else the node's own public URL).
pub async fn run(config: Result<&Config, String>, peer: Option<&Url>) -> Vec<Finding> {
    let config = match config {
        Ok(c) => c,
        Err(e) => return vec![found(Level::Fail, "configuration", e)],
    };
    let mut out = vec![configuration(config)];
    out.extend(database(config).await);
    out.push(data_dir(&config.server.data_dir));
    out.push(tls(config));
    let (reach, date) = reachable(config).await;
    out.push(reach);
    out.push(clock(peer, date).await);
    out
}

fn configuration(config: &Config) -> Finding {
    let mut notes = vec![format!(
        "public URL {}, {} database",
        config.base(),
        if config.database_url().starts_with("sqlite:") {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    )];
    if !config.smtp.enabled {
        notes.push("emails are off ([smtp] enabled = false)".into());
    }
    let level = if config.smtp.enabled {
        Level::Ok
    } else {
        Level::Warn
    };
    found(level, "configuration", notes.join("; "))
}

async fn database(config: &Config) -> Vec<Finding> {
    match storage::inspect(&config.database_url()).await {
        Err(e) => vec![
            found(Level::Fail, "database", format!("cannot open it: {e}")),
            found(Level::Skip, "migrations", "the database did not answer"),
        ],
        Ok(s) => {
            let migrations = if s.applied == s.latest {
                found(Level::Ok, "migrations", format!("schema at {}", s.applied))
            } else if s.applied == 0 {
                found(
                    Level::Warn,
                    "migrations",
                    "the database is empty: `entraide migrate` (or `serve`) creates the schema",
                )
            } else if s.applied < s.latest {
                found(
                    Level::Warn,
                    "migrations",
                    format!(
                        "schema at {}, this build's is {}: `entraide migrate` (or `serve`) \
                         upgrades it",
                        s.applied, s.latest
                    ),
                )
            } else {
                found(
                    Level::Fail,
                    "migrations",
                    format!(
                        "schema at {}, newer than this build's {}: run the newer Entraide",
                        s.applied, s.latest
                    ),
                )
            };
            vec![
                found(Level::Ok, "database", format!("{} answers", s.backend)),
                migrations,
            ]
        }
    }
}

fn data_dir(dir: &Path) -> Finding {
    let probe = dir.join(format!(".doctor-{}", std::process::id()));
    if let Err(e) = std::fs::write(&probe, b"entraide") {
        return found(
            Level::Fail,
            "data_dir",
            format!("cannot write in {}: {e}", dir.display()),
        );
    }
    let _ = std::fs::remove_file(&probe);
    match fs4::available_space(dir) {
        Ok(free) if free < LOW_SPACE_BYTES => found(
            Level::Warn,
            "data_dir",
            format!(
                "{} is writable but only {} MiB are free",
                dir.display(),
                free >> 20
            ),
        ),
        Ok(free) => found(
            Level::Ok,
            "data_dir",
            format!("{} is writable, {} MiB free", dir.display(), free >> 20),
        ),
        Err(e) => found(
            Level::Warn,
            "data_dir",
            format!("{} is writable; free space unknown: {e}", dir.display()),
        ),
    }
}

fn tls(config: &Config) -> Finding {
    let url = &config.server.public_url;
    if url.scheme() == "https" {
        return found(Level::Ok, "https", "the public URL is https");
    }
    if config.federation.allow_private_addresses {
        found(
            Level::Warn,
            "https",
            "the public URL is plain http, allowed by federation.allow_private_addresses \
             (local networks and tests only)",
        )
    } else {
        found(
            Level::Fail,
            "https",
            "the public URL is plain http: other servers only federate over https (put a \
             proxy with a certificate in front, see docs/admin.md)",
        )
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .user_agent(concat!("Entraide-doctor/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

/// `/.well-known/nodeinfo` of the public URL must answer, naming the node's own host; the
/// `Date` of its answer is returned for the clock check.
async fn reachable(config: &Config) -> (Finding, Option<String>) {
    let url = format!("{}/.well-known/nodeinfo", config.base());
    let res = match client().get(&url).send().await {
        Ok(r) => r,
        Err(e) => {
            return (
                found(
                    Level::Fail,
                    "public URL",
                    format!("{url} does not answer (is the node running?): {e}"),
                ),
                None,
            )
        }
    };
    let date = res
        .headers()
        .get(reqwest::header::DATE)
        .and_then(|d| d.to_str().ok())
        .map(str::to_string);
    let status = res.status();
    let body: serde_json::Value = res.json().await.unwrap_or_default();
    let own = format!("{}/", config.base());
    let names_us = body["links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["href"].as_str())
        .any(|href| href.starts_with(&own));
    let finding = if status.is_success() && names_us {
        found(
            Level::Ok,
            "public URL",
            format!("{url} answers as this node"),
        )
    } else {
        found(
            Level::Fail,
            "public URL",
            format!(
                "{url} answered {status} but not as this node ({own}…): another server or a \
                 misdirected proxy answers there"
            ),
        )
    };
    (finding, date)
}

async fn clock(peer: Option<&Url>, own_date: Option<String>) -> Finding {
    let (date, whose) = match peer {
        Some(peer) => match client().head(peer.as_str()).send().await {
            Ok(res) => (
                res.headers()
                    .get(reqwest::header::DATE)
                    .and_then(|d| d.to_str().ok())
                    .map(str::to_string),
                peer.to_string(),
            ),
            Err(e) => {
                return found(
                    Level::Skip,
                    "clock",
                    format!("{peer} is not reachable: {e}"),
                )
            }
        },
        None => (
            own_date,
            "the public URL (on another machine than this one only behind a proxy; \
             `--peer https://other.example` compares with another server)"
                .to_string(),
        ),
    };
    let Some(date) = date else {
        return found(
            Level::Skip,
            "clock",
            format!("no Date header to compare with from {whose}"),
        );
    };
    let Ok(theirs) = httpdate::parse_http_date(&date) else {
        return found(
            Level::Skip,
            "clock",
            format!("{whose} sent an unreadable Date: {date}"),
        );
    };
    let theirs = chrono::DateTime::<chrono::Utc>::from(theirs);
    let skew = (SystemClock.now() - theirs).num_seconds();
    let detail = format!("{skew:+} s from {whose}");
    let level = match skew.abs() {
        s if s > CLOCK_FAIL_SECONDS => Level::Fail,
        s if s > CLOCK_WARN_SECONDS => Level::Warn,
        _ => Level::Ok,
    };
    found(level, "clock", detail)
}
