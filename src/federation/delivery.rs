//! Sends queued deliveries: signed POSTs with the sender's key, many at once, each retried
//! with exponential backoff until it succeeds or is given up. Claims are leased, so a killed
//! process's deliveries are taken up again after restart, and two processes never send the
//! same delivery at the same time.

use super::{error::FedError, objects::ApubActor, outbox};
use crate::{state::Context, storage::Delivery};
use activitypub_federation::{activity_sending::SendActivityTask, config::Data, traits::Activity};
use chrono::{Duration, Utc};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use url::Url;

/// A stored activity, handed to the federation crate only to be signed and sent.
#[derive(Debug, Serialize, Deserialize)]
struct StoredActivity {
    id: Url,
    actor: Url,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

#[async_trait::async_trait]
impl Activity for StoredActivity {
    type DataType = crate::state::AppState;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _data: &Data<Self::DataType>) -> Result<(), FedError> {
        Ok(())
    }

    async fn receive(self, _data: &Data<Self::DataType>) -> Result<(), FedError> {
        Ok(())
    }
}

/// Seconds to wait before attempt `n + 1`: base × 2ⁿ, at most a day.
pub fn backoff_seconds(base: u64, attempts: i64) -> i64 {
    let exp = attempts.clamp(0, 20) as u32;
    (base.max(1) as i64)
        .saturating_mul(2i64.saturating_pow(exp))
        .min(86_400)
}

async fn send_one(ctx: &Context, d: &Delivery, signer: &ApubActor) -> Result<(), FedError> {
    let activity: StoredActivity = serde_json::from_str(&d.payload)
        .map_err(|e| FedError::Internal(format!("stored activity {}: {e}", d.activity_ap_id)))?;
    let inbox = Url::parse(&d.inbox)
        .map_err(|e| FedError::BadRequest(format!("inbox {}: {e}", d.inbox)))?;
    super::policy::check_host(&ctx.config, &inbox)?;
    let tasks = SendActivityTask::prepare(&activity, signer, vec![inbox], ctx).await?;
    let Some(task) = tasks.first() else {
        return Err(FedError::BadRequest(format!(
            "inbox {} refused by the address policy",
            d.inbox
        )));
    };
    task.sign_and_send(ctx).await?;
    Ok(())
}

/// Sends what is due; returns how many deliveries were attempted.
pub async fn run_once(ctx: &Context) -> Result<usize, FedError> {
    let fed = &ctx.config.federation;
    let now = Utc::now();
    // The lease outlasts the request timeout, so a live sender is never overtaken.
    let batch = ctx
        .store
        .claim_deliveries(
            (fed.delivery_workers * 8) as i64,
            now,
            now + Duration::seconds(120),
        )
        .await?;
    let count = batch.len();
    // A batch is mostly one activity to many inboxes: read each signer once, not per delivery.
    let mut signers: HashMap<i64, Result<ApubActor, String>> = HashMap::new();
    for d in &batch {
        if let std::collections::hash_map::Entry::Vacant(slot) = signers.entry(d.signer_actor_id) {
            slot.insert(match ctx.store.get_actor(d.signer_actor_id).await {
                Ok(actor) => ApubActor::new(actor).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            });
        }
    }
    let signers = &signers;
    futures::stream::iter(batch)
        .for_each_concurrent(fed.delivery_workers, |d| async move {
            let result = match signers.get(&d.signer_actor_id) {
                Some(Ok(signer)) => send_one(ctx, &d, signer).await,
                Some(Err(e)) => Err(FedError::Internal(format!("signer of {}: {e}", d.activity_ap_id))),
                None => Err(FedError::Internal(format!("no signer for {}", d.activity_ap_id))),
            };
            let now = Utc::now();
            let outcome = match result {
                Ok(()) => ctx.store.mark_delivered(d.id, now).await,
                Err(e) => {
                    let permanent = matches!(e, FedError::BadRequest(_) | FedError::Forbidden(_));
                    let next = (!permanent && d.attempts + 1 < fed.max_attempts)
                        .then(|| now + Duration::seconds(backoff_seconds(fed.retry_base_seconds, d.attempts)));
                    tracing::info!(inbox = %d.inbox, activity = %d.activity_ap_id, error = %e, retry = ?next, "delivery failed");
                    ctx.store.mark_delivery_failed(d.id, &e.to_string(), next, now).await
                }
            };
            if let Err(e) = outcome {
                tracing::error!(error = %e, "cannot record a delivery outcome");
            }
        })
        .await;
    Ok(count)
}

/// The background loop of one process: events → deliveries → sent, then sleep until woken,
/// until the next retry is due, or until the poll interval (other processes may have queued).
pub async fn worker(ctx: Context) {
    let poll = std::time::Duration::from_millis(ctx.config.federation.poll_interval_ms.max(10));
    loop {
        // Fresh request data each pass: the crate counts fetches per request.
        let ctx = ctx.reset_request_count();
        let notified = ctx.wake.notified();
        let events = outbox::run_once(&ctx).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "outbox pass failed");
            0
        });
        let sent = run_once(&ctx).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "delivery pass failed");
            0
        });
        if events == 0 && sent == 0 {
            let _ = tokio::time::timeout(poll, notified).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff_seconds(30, 0), 30);
        assert_eq!(backoff_seconds(30, 1), 60);
        assert_eq!(backoff_seconds(30, 3), 240);
        assert_eq!(backoff_seconds(30, 50), 86_400);
        assert_eq!(backoff_seconds(0, 0), 1);
    }
}
