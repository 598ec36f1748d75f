//! Sends queued deliveries: signed POSTs with the sender's key, each retried with exponential
//! backoff until it succeeds or is given up. Claims are leased, so a killed process's
//! deliveries are taken up again after restart, and two processes never send the same delivery
//! at the same time.
//!
//! Successes are written in groups (one transaction for all that ended while the previous group
//! was being written): a crash before that write means a few deliveries are sent again, which
//! receivers de-duplicate by id.
//!
//! Each delivery runs as its own task: a slow or dead server holds up only its own deliveries.
//! At most `federation.delivery_workers` are in flight at once, and at most [`PER_HOST`] to
//! one host (never all the slots), so one server with many followers cannot take every slot.
//! Requests are signed with AWS-LC (`signatures::sign_post`), over the node's HTTP client,
//! which keeps connections open between deliveries to the same host.

use super::{error::FedError, objects::host_of, outbox, signatures};
use crate::{metrics::DeliveryOutcome, state::Context, storage::Delivery};
use chrono::Duration;
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
};
use tokio::sync::Semaphore;
use url::Url;

/// Most deliveries in flight to one host at once (fewer when the node has few sending slots:
/// see [`per_host`]).
pub const PER_HOST: usize = 8;

/// Deliveries in flight to one host at once, with `workers` sending slots in all: [`PER_HOST`],
/// and always at least one slot left to the other hosts when there are two or more.
pub fn per_host(workers: usize) -> usize {
    PER_HOST.min(workers.saturating_sub(1)).max(1)
}

pub use crate::domain::retry::backoff_seconds;

/// How many deliveries of one host may wait in memory for a free slot of that host, per slot.
const QUEUED_PER_SLOT: usize = 4;

/// The delivery machinery of one node: its slots (all deliveries, and per host), its HTTP
/// client, and the successes waiting to be written.
pub struct Pipeline {
    /// Deliveries being sent (`federation.delivery_workers`).
    all: Arc<Semaphore>,
    /// Deliveries claimed and held in memory, sending or waiting for their host: four times
    /// `all`, so that a host at its limit never keeps the others waiting.
    admitted: Arc<Semaphore>,
    admitted_capacity: usize,
    /// Per host: slots to send ([`PER_HOST`]), and places to wait for one.
    hosts: Mutex<HashMap<String, HostSlots>>,
    per_host: usize,
    client: reqwest_middleware::ClientWithMiddleware,
    delivered: Mutex<Vec<i64>>,
    flushing: AtomicBool,
    /// A delivery ended: its slot is free. Not `AppState::wake`, which also means "something
    /// was queued" and costs the worker a pass over the outbox.
    freed: tokio::sync::Notify,
}

#[derive(Clone)]
struct HostSlots {
    sending: Arc<Semaphore>,
    places: Arc<Semaphore>,
}

impl Pipeline {
    pub fn new(config: &crate::config::Config) -> Pipeline {
        let fed = &config.federation;
        let admitted_capacity = 4 * fed.delivery_workers.max(1);
        Pipeline {
            all: Arc::new(Semaphore::new(fed.delivery_workers.max(1))),
            admitted: Arc::new(Semaphore::new(admitted_capacity)),
            admitted_capacity,
            hosts: Mutex::new(HashMap::new()),
            per_host: per_host(fed.delivery_workers),
            client: super::http_client(fed.allow_private_addresses),
            delivered: Mutex::new(Vec::new()),
            flushing: AtomicBool::new(false),
            freed: tokio::sync::Notify::new(),
        }
    }

    fn host(&self, host: &str) -> HostSlots {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        if hosts.len() > 10_000 {
            // Forget idle hosts now and then (a semaphore in use is kept by its tasks).
            hosts.retain(|_, s| Arc::strong_count(&s.places) > 1);
        }
        hosts
            .entry(host.to_string())
            .or_insert_with(|| HostSlots {
                sending: Arc::new(Semaphore::new(self.per_host)),
                places: Arc::new(Semaphore::new(self.per_host * (1 + QUEUED_PER_SLOT))),
            })
            .clone()
    }

    /// Writes the successes that wait, in one transaction, unless another task is already
    /// writing (it takes these too).
    async fn flush(&self, ctx: &Context) {
        loop {
            if self.flushing.swap(true, Ordering::AcqRel) {
                return;
            }
            let batch =
                std::mem::take(&mut *self.delivered.lock().unwrap_or_else(|e| e.into_inner()));
            if !batch.is_empty() {
                if let Err(e) = ctx.store.mark_delivered_many(&batch, ctx.clock.now()).await {
                    // Their leases run out and they are sent again: receivers de-duplicate.
                    tracing::error!(error = %e, count = batch.len(), "cannot record deliveries");
                }
            }
            self.flushing.store(false, Ordering::Release);
            // Successes that came while writing, with nobody left to write them: once more.
            if self
                .delivered
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .is_empty()
            {
                return;
            }
        }
    }
}

/// Where a delivery may go: the rules of every outgoing request (`outgoing::check_destination`:
/// https, no explicit port, no private address, unless private addresses are allowed), a
/// domain name (no bare IP address), not ourselves, and not a host the operator refused.
/// Private addresses behind a name are refused when the connection is made.
fn check_inbox(ctx: &Context, inbox: &Url) -> Result<(), FedError> {
    super::outgoing::check_destination(inbox, ctx.config.federation.allow_private_addresses)
        .map_err(|refused| FedError::BadRequest(format!("inbox {refused}")))?;
    if inbox.domain().is_none() {
        return Err(FedError::BadRequest(format!(
            "inbox {inbox}: an inbox is named by a domain"
        )));
    }
    super::policy::check_host(&ctx.config, inbox)?;
    super::policy::check_blocked(&ctx.moderation, inbox)
}

/// One signed POST. A 2xx is delivered; a 4xx other than 408 and 429 is a refusal that a
/// retry would not change (given up, like Mastodon does); anything else is retried.
async fn send_one(
    ctx: &Context,
    d: &Delivery,
    signer: &signatures::Signer,
) -> Result<(), FedError> {
    let inbox = Url::parse(&d.inbox)
        .map_err(|e| FedError::BadRequest(format!("inbox {}: {e}", d.inbox)))?;
    if host_of(&inbox) == ctx.config.domain() {
        return Ok(()); // ours: nothing to send over the network
    }
    if let Err(e) = ctx
        .moderation
        .refresh(ctx.store.as_ref(), ctx.clock.now())
        .await
    {
        tracing::warn!(error = %e, "moderation rules not reloaded");
    }
    check_inbox(ctx, &inbox)?;
    let headers = signatures::sign_post(signer, &inbox, d.payload.as_bytes())?;
    let mut req = ctx
        .deliveries
        .client
        .post(inbox.as_str())
        .body(d.payload.clone());
    for (name, value) in headers {
        req = req.header(name, value);
    }
    let mut res = req
        .send()
        .await
        .map_err(|e| FedError::Remote(format!("{}: {e}", d.inbox)))?;
    let status = res.status();
    if status.is_success() {
        return Ok(());
    }
    // What the receiver says, for the log: its first 300 characters, read from at most 1 KiB
    // of the body (an endless or huge answer is not read further).
    let (start, _) = super::outgoing::read_at_most(&mut res, 1024)
        .await
        .unwrap_or_default();
    let text: String = String::from_utf8_lossy(&start).chars().take(300).collect();
    if status.is_client_error()
        && status != reqwest::StatusCode::REQUEST_TIMEOUT
        && status != reqwest::StatusCode::TOO_MANY_REQUESTS
    {
        tracing::info!(inbox = %d.inbox, %status, %text, "delivery refused by the receiver: given up");
        return Ok(());
    }
    Err(FedError::Remote(format!("{}: {status} {text}", d.inbox)))
}

/// Records what became of one delivery.
async fn record(ctx: &Context, d: &Delivery, result: Result<(), FedError>) {
    let fed = &ctx.config.federation;
    let now = ctx.clock.now();
    let outcome = match result {
        Ok(()) => {
            ctx.metrics
                .delivery(&inbox_host(&d.inbox), DeliveryOutcome::Delivered);
            ctx.deliveries
                .delivered
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(d.id);
            ctx.deliveries.flush(ctx).await;
            Ok(())
        }
        Err(e) => {
            let permanent = matches!(e, FedError::BadRequest(_) | FedError::Forbidden(_));
            let next = (!permanent && d.attempts + 1 < fed.max_attempts).then(|| {
                now + Duration::seconds(backoff_seconds(fed.retry_base_seconds, d.attempts))
            });
            tracing::info!(inbox = %d.inbox, activity = %d.activity_ap_id, error = %e, retry = ?next, "delivery failed");
            let outcome = match next {
                Some(_) => DeliveryOutcome::Failed,
                None => DeliveryOutcome::GivenUp,
            };
            ctx.metrics.delivery(&inbox_host(&d.inbox), outcome);
            ctx.store
                .mark_delivery_failed(d.id, &e.to_string(), next, now)
                .await
        }
    };
    if let Err(e) = outcome {
        tracing::error!(error = %e, "cannot record a delivery outcome");
    }
}

/// Claims what is due, as many as there is room for, and starts each in its own task, which
/// waits for a slot of its host, then for a sending slot; returns how many were claimed. The
/// tasks wake the worker when they end.
///
/// A host that already has all its places taken (its slots, and four deliveries waiting per
/// slot) gets its delivery back in the queue, due a second later, behind the others: a slow
/// host with many followers never holds the slots the other hosts could use.
pub async fn run_once(ctx: &Context) -> Result<usize, FedError> {
    let slots = &ctx.deliveries;
    let free = slots.admitted.available_permits();
    let capacity = slots.admitted_capacity;
    // Claim in chunks: a claim is a write, and one per freed slot would cost more than the
    // deliveries themselves. While some are in flight, wait for a quarter of the room.
    if free == 0 || (free < capacity && free < capacity.div_ceil(4)) {
        return Ok(0);
    }
    let now = ctx.clock.now();
    // The lease outlasts the request timeout, so a live sender is never overtaken.
    let batch = ctx
        .store
        .claim_deliveries(free as i64, now, now + Duration::seconds(120))
        .await?;
    let count = batch.len();
    // A batch is mostly one activity to many inboxes: read each signer once, not per delivery.
    let mut signers: HashMap<i64, Result<Arc<signatures::Signer>, String>> = HashMap::new();
    for d in &batch {
        if let std::collections::hash_map::Entry::Vacant(slot) = signers.entry(d.signer_actor_id) {
            slot.insert(match ctx.store.get_actor(d.signer_actor_id).await {
                Ok(actor) => signatures::signer_for(&actor).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            });
        }
    }
    let mut busy_hosts = Vec::new();
    for d in batch {
        let host = Url::parse(&d.inbox)
            .map(|u| host_of(&u))
            .unwrap_or_default();
        let host = slots.host(&host);
        let (Ok(place), Ok(admission)) = (
            host.places.clone().try_acquire_owned(),
            slots.admitted.clone().try_acquire_owned(),
        ) else {
            busy_hosts.push(d.id);
            continue;
        };
        let signer = signers.get(&d.signer_actor_id).cloned();
        let ctx = ctx.clone();
        tokio::spawn(async move {
            let result = match signer {
                Some(Ok(signer)) => {
                    let all = ctx.deliveries.all.clone();
                    match (
                        host.sending.acquire_owned().await,
                        all.acquire_owned().await,
                    ) {
                        (Ok(_host_slot), Ok(_slot)) => send_one(&ctx, &d, &signer).await,
                        _ => Err(FedError::Internal("delivery slots closed".into())),
                    }
                }
                Some(Err(e)) => Err(FedError::Internal(format!(
                    "signer of {}: {e}",
                    d.activity_ap_id
                ))),
                None => Err(FedError::Internal(format!(
                    "no signer for {}",
                    d.activity_ap_id
                ))),
            };
            record(&ctx, &d, result).await;
            drop((place, admission));
            ctx.deliveries.freed.notify_waiters();
        });
    }
    if !busy_hosts.is_empty() {
        tracing::debug!(deferred = busy_hosts.len(), "hosts at their limit");
        ctx.store
            .defer_deliveries(&busy_hosts, now + Duration::seconds(1))
            .await?;
    }
    Ok(count)
}

/// Sends what is due now and waits until every delivery in flight has ended and is recorded
/// (tests and tools that need the outcome before going on).
pub async fn run_until_idle(ctx: &Context) -> Result<usize, FedError> {
    let started = run_once(ctx).await?;
    let capacity = ctx.deliveries.admitted_capacity as u32;
    // Every place free again: every task has ended (a task frees its place after recording).
    let all = ctx
        .deliveries
        .admitted
        .acquire_many(capacity)
        .await
        .map_err(|_| FedError::Internal("delivery slots closed".into()))?;
    drop(all);
    while ctx.deliveries.flushing.load(Ordering::Acquire) {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    ctx.deliveries.flush(ctx).await;
    Ok(started)
}

/// The background loop of one process: events → deliveries → started, then sleep until woken
/// (something was queued, a delivery ended), or until the poll interval (other processes may
/// have queued, retries come due). A delivery that ends frees a slot for the next ones but
/// queues nothing: the outbox is not read again for it (with 1,000 deliveries in flight, that
/// was 1,000 needless write transactions).
pub async fn worker(ctx: Context) {
    use futures::FutureExt;
    let poll = std::time::Duration::from_millis(ctx.config.federation.poll_interval_ms.max(10));
    let mut outbox_due = true;
    loop {
        // Fresh request data each pass: the crate counts fetches per request.
        let ctx = ctx.reset_request_count();
        // Created before the passes, so a wake-up during them is not lost.
        let queued = ctx.wake.notified();
        let freed = ctx.deliveries.freed.notified();
        tokio::pin!(queued, freed);
        let events = if outbox_due {
            outbox::run_once(&ctx).await.unwrap_or_else(|e| {
                tracing::error!(error = %e, "outbox pass failed");
                0
            })
        } else {
            0
        };
        let sent = run_once(&ctx).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "delivery pass failed");
            0
        });
        if events > 0 {
            outbox_due = true; // there may be more
            continue;
        }
        let mut woken_by_queue = false;
        if sent == 0 {
            tokio::select! {
                _ = queued.as_mut() => woken_by_queue = true,
                _ = freed.as_mut() => {}
                // Each poll reads the outbox too (another process may have queued).
                _ = tokio::time::sleep(poll) => woken_by_queue = true,
            }
        }
        outbox_due = woken_by_queue || queued.as_mut().now_or_never().is_some();
    }
}

/// The host of an inbox URL, as the figures name it.
fn inbox_host(inbox: &str) -> String {
    Url::parse(inbox).map(|u| host_of(&u)).unwrap_or_default()
}
