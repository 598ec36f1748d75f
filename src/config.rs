//! Configuration: a TOML file plus `ENTRAIDE__SECTION__KEY` environment overrides.
//!
//! Every key has a default, so a node runs out of the box on `http://localhost:8080` with an
//! SQLite file under `./data`. This module must not import axum, sqlx or the federation crate.

mod aggregator;
mod help;
mod map;
mod operating;
mod places;
mod sms;
mod statistics;

pub use aggregator::AggregatorConfig;
pub use help::HelpConfig;
pub use map::MapConfig;
pub use operating::{LogConfig, LogFormat, MetricsConfig};
pub use places::PlacesConfig;
use serde::Deserialize;
pub use sms::SmsConfig;
pub use statistics::StatisticsConfig;
use std::path::{Path, PathBuf};
use url::Url;

/// The whole configuration of one node.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub federation: FederationConfig,
    pub instance: InstanceConfig,
    pub smtp: SmtpConfig,
    pub accounts: AccountsConfig,
    pub aggregator: AggregatorConfig,
    pub places: PlacesConfig,
    pub metrics: MetricsConfig,
    pub log: LogConfig,
    pub statistics: StatisticsConfig,
    pub map: MapConfig,
    pub sms: SmsConfig,
    pub help: HelpConfig,
}

/// Accounts: whether people may register themselves.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountsConfig {
    /// `open` (default): anyone registers, confirms their email, and may sign up for slots;
    /// `approval`: the same, and an administrator accepts each new account first;
    /// `closed`: only operators make accounts (`entraide admin create-user`).
    pub registration: crate::domain::account::RegistrationMode,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address the HTTP server listens on.
    pub bind: String,
    /// The node's identity on the fediverse (scheme, host and optional port).
    pub public_url: Url,
    /// The default SQLite file and uploads (actor keys live in the database).
    pub data_dir: PathBuf,
    /// Seconds a client has to send a request's headers, and a kept-alive connection may stay
    /// silent, before the server closes it.
    pub header_read_timeout_seconds: u64,
    /// Requests one API token may make per minute (then 429 with `Retry-After`).
    pub api_requests_per_minute: usize,
    /// The reverse proxies in front of the node: IP addresses or CIDR networks
    /// (`["127.0.0.1", "10.0.0.0/8"]`; in the environment, a TOML list or a comma-separated
    /// one). A request from one of them counts, for the per-address brakes, as coming from the
    /// client that `X-Forwarded-For` (or `Forwarded: for=`) names; empty (the default): those
    /// headers are ignored and the peer is the client.
    #[serde(deserialize_with = "list_like")]
    pub trusted_proxies: Vec<String>,
}

/// `[database] sqlite_cache_kib` when not set: SQLite's own default (2,000 KiB a connection).
pub const DEFAULT_SQLITE_CACHE_KIB: u32 = 2000;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://…` or `postgres://…`; empty means `sqlite://<data_dir>/entraide.sqlite`.
    pub url: String,
    pub max_connections: u32,
    /// SQLite's page cache of each connection, in KiB (`PRAGMA cache_size`); unused on
    /// PostgreSQL. The node's resident memory holds up to `max_connections` of them.
    pub sqlite_cache_kib: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FederationConfig {
    /// Allow http, explicit ports, loopback and private addresses (local networks, tests).
    pub allow_private_addresses: bool,
    /// How many deliveries are sent at once by one process.
    pub delivery_workers: usize,
    /// Largest accepted inbox body, in bytes (larger: 413).
    pub max_inbox_body_bytes: usize,
    /// Hosts we never talk to.
    pub blocked_domains: Vec<String>,
    /// When not empty, the only hosts we talk to.
    pub allowed_domains: Vec<String>,
    /// Milliseconds between two polls of the delivery queue when it is idle.
    pub poll_interval_ms: u64,
    /// Base of the exponential backoff between delivery attempts, in seconds.
    pub retry_base_seconds: u64,
    /// Attempts after which a delivery is given up.
    pub max_attempts: i64,
    /// Days that finished federation work is kept (deliveries delivered or given up, processed
    /// outbox events, de-duplication marks of received activities); 0 keeps it forever.
    pub keep_history_days: u32,
    /// Inbox requests one process handles at once (more: 503 with `Retry-After`).
    pub inbox_concurrency: usize,
    /// Inbox requests taken from one remote host per minute (more: 429 with `Retry-After`);
    /// 0: no limit.
    pub inbox_per_host_per_minute: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InstanceConfig {
    pub name: String,
    /// What the node is for, as its home page says it (and nodeinfo). Empty (the default): the
    /// catalogue's tagline, in each reader's language.
    pub description: String,
    /// The same in English, for English pages; empty: `description`.
    pub description_en: String,
    /// `fr` or `en`: the language of pages when the browser does not say.
    pub default_language: String,
    /// IANA time zone used to show dates.
    pub timezone: String,
}

/// Email notifications. Off by default: notices are then recorded as skipped, none is sent.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpConfig {
    /// Send emails at all.
    pub enabled: bool,
    /// The SMTP server (a relay of your provider, or a local one).
    #[serde(deserialize_with = "string_like")]
    pub host: String,
    /// Its port: usually 587 with `starttls`, 465 with `tls`, 25 with `none`.
    pub port: u16,
    /// `none` (plain, local servers only), `starttls` or `tls`.
    pub security: SmtpSecurity,
    /// The sender, `address` or `Name <address>`; empty: `<instance name> <noreply@<host of public_url>>`.
    #[serde(deserialize_with = "string_like")]
    pub from: String,
    /// Login, when the server wants one (empty: no login).
    #[serde(deserialize_with = "string_like")]
    pub username: String,
    #[serde(deserialize_with = "string_like")]
    pub password: String,
    /// Seconds to wait for the server before trying again later.
    pub timeout_seconds: u64,
    /// Base of the exponential backoff between attempts at one email, in seconds.
    pub retry_base_seconds: u64,
    /// Attempts after which an email is given up.
    pub max_attempts: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// No encryption (a server on this machine or a trusted network).
    None,
    /// Plain connection upgraded with STARTTLS (required, never skipped).
    Starttls,
    /// TLS from the first byte ("SMTPS").
    Tls,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        SmtpConfig {
            enabled: false,
            host: "localhost".into(),
            port: 587,
            security: SmtpSecurity::Starttls,
            from: String::new(),
            username: String::new(),
            password: String::new(),
            timeout_seconds: 30,
            retry_base_seconds: 60,
            max_attempts: 10,
        }
    }
}

/// A string, also when an environment override looks like a number or a boolean
/// (`ENTRAIDE__SMTP__PASSWORD=123456`).
fn string_like<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        S(String),
        I(i64),
        F(f64),
        B(bool),
    }
    Ok(match Raw::deserialize(d)? {
        Raw::S(s) => s,
        Raw::I(i) => i.to_string(),
        Raw::F(f) => f.to_string(),
        Raw::B(b) => b.to_string(),
    })
}

/// A list of strings, also when given as one string of comma-separated items (an environment
/// override such as `ENTRAIDE__SERVER__TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8`).
fn list_like<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        List(Vec<String>),
        One(String),
    }
    Ok(match Raw::deserialize(d)? {
        Raw::List(items) => items,
        Raw::One(s) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    })
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: "127.0.0.1:8080".into(),
            public_url: Url::parse("http://localhost:8080").expect("static URL"),
            data_dir: PathBuf::from("data"),
            header_read_timeout_seconds: 30,
            api_requests_per_minute: 600,
            trusted_proxies: Vec::new(),
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: String::new(),
            max_connections: 8,
            sqlite_cache_kib: DEFAULT_SQLITE_CACHE_KIB,
        }
    }
}

impl Default for FederationConfig {
    fn default() -> Self {
        FederationConfig {
            allow_private_addresses: false,
            delivery_workers: 64,
            max_inbox_body_bytes: 1024 * 1024,
            blocked_domains: Vec::new(),
            allowed_domains: Vec::new(),
            poll_interval_ms: 500,
            retry_base_seconds: 30,
            max_attempts: 12,
            keep_history_days: 30,
            inbox_concurrency: 128,
            inbox_per_host_per_minute: 600,
        }
    }
}

impl InstanceConfig {
    /// The description an administrator wrote for readers of `lang`, if any: English readers
    /// get `description_en` when it is written, everyone else (and they, otherwise)
    /// `description`.
    pub fn description_in(&self, lang: crate::i18n::Lang) -> Option<&str> {
        let own = match lang {
            crate::i18n::Lang::En => Some(self.description_en.as_str()),
            crate::i18n::Lang::Fr => None,
        };
        [own, Some(self.description.as_str())]
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|d| !d.is_empty())
    }
}

impl Default for InstanceConfig {
    fn default() -> Self {
        InstanceConfig {
            name: "Entraide".into(),
            description: String::new(),
            description_en: String::new(),
            default_language: "fr".into(),
            timezone: "Europe/Paris".into(),
        }
    }
}

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// Loads the file (if any), then applies `ENTRAIDE__SECTION__KEY` variables from `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                text.parse::<toml::Table>()
                    .map_err(|e| ConfigError::Invalid(format!("{}: {e}", path.display())))?
            }
            None => toml::Table::new(),
        };
        for (key, value) in env {
            let Some(rest) = key.strip_prefix("ENTRAIDE__") else {
                continue;
            };
            let parts: Vec<String> = rest.split("__").map(|p| p.to_ascii_lowercase()).collect();
            let [section, name] = parts.as_slice() else {
                return Err(ConfigError::Invalid(format!(
                    "{key}: expected ENTRAIDE__<SECTION>__<KEY>"
                )));
            };
            let section = table
                .entry(section.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            let toml::Value::Table(section) = section else {
                return Err(ConfigError::Invalid(format!("{key}: not a section")));
            };
            section.insert(name.clone(), env_value(&value));
        }
        let config: Config = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let url = &self.server.public_url;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(ConfigError::Invalid(format!(
                "server.public_url must be an http(s) URL with a host, got {url}"
            )));
        }
        if url.domain().is_none() {
            // The federation crate refuses actor and object ids without a domain name.
            return Err(ConfigError::Invalid(format!(
                "server.public_url must name the node by a domain name, not an IP address \
                 (got {url}): other servers cannot federate with it; give the machine a name \
                 (DNS, or /etc/hosts on a closed network)"
            )));
        }
        if url.path() != "/" || url.query().is_some() {
            return Err(ConfigError::Invalid(
                "server.public_url must not have a path or query (the node lives at the root)"
                    .into(),
            ));
        }
        if let Err(entry) =
            crate::http::client_address::trusted_networks(&self.server.trusted_proxies)
        {
            return Err(ConfigError::Invalid(format!(
                "server.trusted_proxies: {entry:?} is neither an IP address nor a network \
                 such as 10.0.0.0/8"
            )));
        }
        if !self.database_url().starts_with("sqlite:")
            && !self.database_url().starts_with("postgres:")
            && !self.database_url().starts_with("postgresql:")
        {
            return Err(ConfigError::Invalid(
                "database.url must start with sqlite:// or postgres://".into(),
            ));
        }
        if !matches!(self.instance.default_language.as_str(), "fr" | "en") {
            return Err(ConfigError::Invalid(
                "instance.default_language must be fr or en".into(),
            ));
        }
        if self.instance.timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(ConfigError::Invalid(format!(
                "instance.timezone: unknown time zone {}",
                self.instance.timezone
            )));
        }
        if self.smtp.enabled {
            if self.smtp.host.trim().is_empty() || self.smtp.port == 0 {
                return Err(ConfigError::Invalid(
                    "smtp.host and smtp.port are needed when smtp.enabled is true".into(),
                ));
            }
            if !self.mail_from().contains('@') {
                return Err(ConfigError::Invalid(format!(
                    "smtp.from must be an email address (or Name <address>), got {:?}",
                    self.smtp.from
                )));
            }
            if self.smtp.max_attempts < 1 {
                return Err(ConfigError::Invalid(
                    "smtp.max_attempts must be at least 1".into(),
                ));
            }
        }
        if !(1..=120).contains(&self.help.retention_months) {
            return Err(ConfigError::Invalid(format!(
                "help.retention_months must be between 1 and 120, got {}",
                self.help.retention_months
            )));
        }
        if self.federation.keep_history_days > 36_500 {
            return Err(ConfigError::Invalid(format!(
                "federation.keep_history_days must be at most 36500 (a century; 0 keeps everything), got {}",
                self.federation.keep_history_days
            )));
        }
        if let Some(problem) = self.aggregator.problem() {
            return Err(ConfigError::Invalid(problem));
        }
        self.places.validate()?;
        self.map.validate()?;
        self.sms.validate()?;
        if self.federation.delivery_workers == 0 {
            return Err(ConfigError::Invalid(
                "federation.delivery_workers must be at least 1".into(),
            ));
        }
        Ok(())
    }

    /// The database URL, defaulting to an SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!(
                "sqlite://{}",
                self.server.data_dir.join("entraide.sqlite").display()
            )
        } else {
            self.database.url.clone()
        }
    }

    /// `host` or `host:port`, as the federation crate compares it.
    pub fn domain(&self) -> String {
        let url = &self.server.public_url;
        let host = url.host_str().unwrap_or("localhost");
        match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        }
    }

    /// Public base URL without the trailing slash, for building ids.
    pub fn base(&self) -> String {
        self.server.public_url.as_str().trim_end_matches('/').into()
    }

    /// The sender of emails: `smtp.from`, or `<instance name> <noreply@<host>>`.
    pub fn mail_from(&self) -> String {
        if self.smtp.from.trim().is_empty() {
            let host = self.server.public_url.host_str().unwrap_or("localhost");
            let name: String = self
                .instance
                .name
                .chars()
                .filter(|c| !matches!(c, '<' | '>' | '"' | '\\'))
                .collect();
            format!("\"{}\" <noreply@{host}>", name.trim())
        } else {
            self.smtp.from.trim().to_string()
        }
    }

    pub fn timezone(&self) -> chrono_tz::Tz {
        self.instance
            .timezone
            .parse()
            .unwrap_or(chrono_tz::Europe::Paris)
    }
}

/// Environment values are typed the way TOML would read them: booleans, integers, arrays.
fn env_value(raw: &str) -> toml::Value {
    if let Ok(b) = raw.parse::<bool>() {
        return toml::Value::Boolean(b);
    }
    if let Ok(i) = raw.parse::<i64>() {
        return toml::Value::Integer(i);
    }
    if raw.starts_with('[') {
        if let Ok(t) = format!("v = {raw}").parse::<toml::Table>() {
            if let Some(v) = t.get("v") {
                return v.clone();
            }
        }
    }
    toml::Value::String(raw.to_string())
}

#[cfg(test)]
mod tests;
