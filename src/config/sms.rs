//! `[sms]`: text messages through a gateway (issue 16). Off by default: nobody is offered SMS
//! and none is sent.

use super::ConfigError;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmsConfig {
    /// Send text messages at all.
    pub enabled: bool,
    /// Where Entraide POSTs each message as JSON `{"to", "text", "sender"}` (the generic
    /// gateway). Trusted as the operator wrote it: it may be on a private address or loopback.
    pub gateway_url: String,
    /// Sent as `Authorization: Bearer <token>` to the gateway.
    #[serde(deserialize_with = "super::string_like")]
    pub token: String,
    /// The sender name or number the gateway shows (11 letters or a number, per operator rules).
    #[serde(deserialize_with = "super::string_like")]
    pub sender: String,
    /// The token the gateway presents (`Authorization: Bearer …`) when it forwards replies to
    /// `POST /api/v1/sms/inbound`; empty: replies are not taken (STOP then only from profiles).
    #[serde(deserialize_with = "super::string_like")]
    pub inbound_token: String,
    /// SMS (counted in parts) an association may send per day, unless the node's
    /// administrator sets another figure for it.
    pub daily_cap_default: i64,
    /// Seconds to wait for the gateway before trying again later.
    pub timeout_seconds: u64,
    /// Base of the exponential backoff between attempts at one SMS, in seconds.
    pub retry_base_seconds: u64,
    /// Attempts after which an SMS is given up.
    pub max_attempts: i64,
}

impl Default for SmsConfig {
    fn default() -> Self {
        SmsConfig {
            enabled: false,
            gateway_url: String::new(),
            token: String::new(),
            sender: String::new(),
            inbound_token: String::new(),
            daily_cap_default: 200,
            timeout_seconds: 15,
            retry_base_seconds: 60,
            max_attempts: 8,
        }
    }
}

impl SmsConfig {
    /// The gateway's URL, when SMS are on and one is configured.
    pub fn gateway(&self) -> Option<url::Url> {
        if !self.enabled {
            return None;
        }
        url::Url::parse(self.gateway_url.trim()).ok()
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if !self.enabled {
            return Ok(());
        }
        let url = self.gateway_url.trim();
        let ok = url::Url::parse(url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
        if !ok {
            return Err(ConfigError::Invalid(format!(
                "sms.gateway_url must be an http(s) URL with a host when sms.enabled is true, got {url:?}"
            )));
        }
        if self.daily_cap_default < 0 {
            return Err(ConfigError::Invalid(
                "sms.daily_cap_default must be 0 or more".into(),
            ));
        }
        if self.max_attempts < 1 {
            return Err(ConfigError::Invalid(
                "sms.max_attempts must be at least 1".into(),
            ));
        }
        if !(1..=300).contains(&self.timeout_seconds) {
            return Err(ConfigError::Invalid(format!(
                "sms.timeout_seconds must be between 1 and 300, got {}",
                self.timeout_seconds
            )));
        }
        Ok(())
    }
}
