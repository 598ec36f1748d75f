//! `[metrics]` and `[log]`: what an operator watches the node with.

use serde::Deserialize;

/// `/metrics`, in the Prometheus text format.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsConfig {
    /// Serve `/metrics` at all (default: true).
    pub enabled: bool,
    /// A secret a scraper sends as `Authorization: Bearer <token>` to read `/metrics` from
    /// elsewhere than this machine. Empty (the default): only direct connections from loopback
    /// that came through no proxy (no `Forwarded`/`X-Forwarded-For`/`X-Real-IP` header).
    #[serde(deserialize_with = "super::string_like")]
    pub token: String,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            enabled: true,
            token: String::new(),
        }
    }
}

/// How log lines are written (to standard error).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// `text` (default) or `json` (one JSON object a line); `ENTRAIDE_LOG_FORMAT` overrides it.
    pub format: LogFormat,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl LogFormat {
    /// `ENTRAIDE_LOG_FORMAT` (`json` or `text`) when set, else the configured one.
    pub fn from_env_or(configured: LogFormat, env: Option<&str>) -> Result<LogFormat, String> {
        match env.map(str::trim) {
            None | Some("") => Ok(configured),
            Some(v) if v.eq_ignore_ascii_case("json") => Ok(LogFormat::Json),
            Some(v) if v.eq_ignore_ascii_case("text") => Ok(LogFormat::Text),
            Some(v) => Err(format!(
                "ENTRAIDE_LOG_FORMAT must be json or text, got {v:?}"
            )),
        }
    }
}
