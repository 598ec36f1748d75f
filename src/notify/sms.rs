//! Sends the SMS that are due through the gateway of `[sms]`, each retried with exponential
//! backoff (`domain::retry`) until the gateway accepts it, refuses it for that number, or it is
//! given up. Claims are leased, as emails and deliveries are: a killed process's SMS are taken
//! up again after the lease, and two processes never send the same one. Each request carries
//! `Idempotency-Key: <the SMS's key>`, so a gateway that honours it drops the second copy of an
//! SMS whose acceptance the killed process could not record.
//!
//! **The port.** [`Gateway`] is what a provider must do: send one text to one number and say
//! how it went ([`GatewayAnswer`]). [`HttpGateway`] is the generic one built in (JSON
//! `{"to", "text", "sender"}` POSTed with `Authorization: Bearer <token>`). An adapter for a
//! provider implements [`Gateway`] (its own URL, body and authentication, its statuses mapped
//! to the same three answers) and [`gateway`] picks it from the configuration; see
//! `docs/admin.md`.
//!
//! **Where requests go.** The gateway's URL is the operator's, as `smtp.host` and
//! `places.address_url` are, so it is trusted as written: it may be on loopback or a private
//! network (a relay on the same machine, the tests' fake gateway), which the federation
//! client's guard (`federation::outgoing`, for addresses that come from other servers and
//! users) would refuse. Like every outgoing request: no redirect followed, bounded time, our
//! name as user agent.

use crate::{
    config::SmsConfig,
    domain::{
        retry::backoff_seconds,
        sms::{gateway_answer, GatewayAnswer},
    },
    notify::NotifyError,
    state::Context,
    storage::{Sms, SmsFailure},
};
use chrono::{DateTime, Duration, Utc};
use std::time::Duration as StdDuration;

/// SMS taken per pass.
const BATCH: i64 = 20;

/// One provider's way of sending a text.
#[async_trait::async_trait]
pub trait Gateway: Send + Sync {
    /// Sends `text` to `to` (E.164); `key` is the same for every attempt at one SMS. The
    /// error text says why (kept in the message's log).
    async fn send(&self, to: &str, text: &str, key: &str) -> (GatewayAnswer, String);
}

/// The generic HTTP gateway of `[sms]`.
pub struct HttpGateway {
    url: url::Url,
    token: String,
    sender: String,
    client: reqwest::Client,
}

impl HttpGateway {
    pub fn new(config: &SmsConfig, url: url::Url) -> HttpGateway {
        let timeout = StdDuration::from_secs(config.timeout_seconds.max(1));
        HttpGateway {
            url,
            token: config.token.clone(),
            sender: config.sender.clone(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(timeout)
                .connect_timeout(timeout)
                .user_agent(concat!("Entraide/", env!("CARGO_PKG_VERSION")))
                .build()
                .unwrap_or_default(),
        }
    }
}

#[derive(serde::Serialize)]
struct GatewayBody<'a> {
    to: &'a str,
    text: &'a str,
    sender: &'a str,
}

#[async_trait::async_trait]
impl Gateway for HttpGateway {
    async fn send(&self, to: &str, text: &str, key: &str) -> (GatewayAnswer, String) {
        let sent = self
            .client
            .post(self.url.clone())
            .bearer_auth(&self.token)
            .header("Idempotency-Key", key)
            .json(&GatewayBody {
                to,
                text,
                sender: &self.sender,
            })
            .send()
            .await;
        match sent {
            Ok(answer) => {
                let status = answer.status().as_u16();
                let verdict = gateway_answer(status);
                let detail = if verdict == GatewayAnswer::Accepted {
                    String::new()
                } else {
                    let body = answer.text().await.unwrap_or_default();
                    let body: String = body.chars().take(200).collect();
                    format!("gateway answered {status}: {}", body.trim())
                };
                (verdict, detail)
            }
            Err(e) => (GatewayAnswer::Retry, format!("gateway unreachable: {e}")),
        }
    }
}

/// The gateway the configuration names, when SMS are on.
pub fn gateway(config: &SmsConfig) -> Option<Box<dyn Gateway>> {
    config
        .gateway()
        .map(|url| Box::new(HttpGateway::new(config, url)) as Box<dyn Gateway>)
}

/// Sends what is due now; returns how many SMS were attempted.
pub async fn run_once(ctx: &Context) -> Result<usize, NotifyError> {
    run_once_at(ctx, ctx.clock.now()).await
}

/// Sends what is due at `now` (tests pass a later time to see retries come due).
pub async fn run_once_at(ctx: &Context, now: DateTime<Utc>) -> Result<usize, NotifyError> {
    let config = &ctx.config.sms;
    let Some(gateway) = gateway(config) else {
        return Ok(0);
    };
    // The lease outlasts a request that times out, so a live sender is never overtaken.
    let lease = Duration::seconds((config.timeout_seconds.max(1) as i64).saturating_mul(3) + 60);
    let batch = ctx.store.claim_sms(BATCH, now, now + lease).await?;
    for s in &batch {
        let (answer, detail) = gateway.send(&s.recipient, &s.body, &s.dedupe_key).await;
        let outcome = match answer {
            GatewayAnswer::Accepted => ctx.store.mark_sms_sent(s.id, now).await,
            GatewayAnswer::Retry | GatewayAnswer::Refused => {
                let failure = failure(config, s, answer, now);
                tracing::info!(kind = %s.kind, error = %detail, ?failure, "SMS not sent");
                ctx.store.mark_sms_failed(s.id, &detail, failure).await
            }
        };
        if let Err(e) = outcome {
            tracing::error!(error = %e, "cannot record an SMS's outcome");
        }
    }
    Ok(batch.len())
}

/// What becomes of an SMS that did not go.
fn failure(config: &SmsConfig, s: &Sms, answer: GatewayAnswer, now: DateTime<Utc>) -> SmsFailure {
    if answer == GatewayAnswer::Refused {
        SmsFailure::Refused
    } else if s.attempts + 1 < config.max_attempts {
        SmsFailure::Retry(
            now + Duration::seconds(backoff_seconds(config.retry_base_seconds, s.attempts)),
        )
    } else {
        SmsFailure::GiveUp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sms(attempts: i64) -> Sms {
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2030, 1, 7, 9, 0, 0).unwrap();
        Sms {
            id: 1,
            actor_id: Some(1),
            mass_message_id: None,
            user_id: Some(1),
            kind: "message".into(),
            recipient: "+33612345678".into(),
            body: "Bonjour".into(),
            parts: 1,
            status: "pending".into(),
            attempts,
            last_error: None,
            next_attempt_at: at,
            created_at: at,
            sent_at: None,
            dedupe_key: "k".into(),
        }
    }

    #[test]
    fn retries_back_off_then_give_up() {
        let config = SmsConfig {
            retry_base_seconds: 60,
            max_attempts: 3,
            ..SmsConfig::default()
        };
        let now = sms(0).created_at;
        assert_eq!(
            failure(&config, &sms(0), GatewayAnswer::Retry, now),
            SmsFailure::Retry(now + Duration::seconds(60))
        );
        assert_eq!(
            failure(&config, &sms(1), GatewayAnswer::Retry, now),
            SmsFailure::Retry(now + Duration::seconds(120))
        );
        assert_eq!(
            failure(&config, &sms(2), GatewayAnswer::Retry, now),
            SmsFailure::GiveUp
        );
        assert_eq!(
            failure(&config, &sms(0), GatewayAnswer::Refused, now),
            SmsFailure::Refused
        );
    }
}
