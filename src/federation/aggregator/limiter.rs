//! Politeness towards the hosts an aggregator walks: at most `max_in_flight` requests at once
//! per host, and a token bucket per host (`requests_per_second`, `burst`). Pacing uses the
//! monotonic clock: it is about not overwhelming a server, not about the node's dates.

use crate::{config::AggregatorConfig, domain::aggregator::TokenBucket};
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};
use tokio::{sync::Semaphore, time::Instant};

struct HostGate {
    slots: Arc<Semaphore>,
    bucket: Mutex<TokenBucket>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    requests: AtomicUsize,
}

/// The gates of every host walked by this process.
pub struct HostLimiter {
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
    in_flight: usize,
    rate: f64,
    burst: f64,
    start: Instant,
}

/// A request's turn: held while it is in flight.
pub struct Turn {
    gate: Arc<HostGate>,
    _permit: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl Drop for Turn {
    fn drop(&mut self) {
        self.gate.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HostLimiter {
    pub fn new(config: &AggregatorConfig) -> Self {
        HostLimiter {
            hosts: Mutex::new(HashMap::new()),
            in_flight: config.max_in_flight.clamp(1, 2),
            rate: config.requests_per_second,
            burst: f64::from(config.burst),
            start: Instant::now(),
        }
    }

    fn gate(&self, host: &str) -> Arc<HostGate> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(host.to_string())
            .or_insert_with(|| {
                Arc::new(HostGate {
                    slots: Arc::new(Semaphore::new(self.in_flight)),
                    bucket: Mutex::new(TokenBucket::new(self.rate, self.burst, 0.0)),
                    in_flight: AtomicUsize::new(0),
                    peak: AtomicUsize::new(0),
                    requests: AtomicUsize::new(0),
                })
            })
            .clone()
    }

    /// Waits for a free slot and a token for `host`; the request goes while the turn is held.
    pub async fn turn(&self, host: &str) -> Turn {
        let gate = self.gate(host);
        // The semaphore is never closed (it lives as long as the gate).
        let permit = gate.slots.clone().acquire_owned().await.ok();
        let wait = {
            let now = self.start.elapsed().as_secs_f64();
            let mut bucket = gate.bucket.lock().unwrap_or_else(|p| p.into_inner());
            bucket.take(now)
        };
        if wait > 0.0 {
            tokio::time::sleep(Duration::from_secs_f64(wait)).await;
        }
        let now = gate.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        gate.peak.fetch_max(now, Ordering::SeqCst);
        gate.requests.fetch_add(1, Ordering::SeqCst);
        Turn {
            gate,
            _permit: permit,
        }
    }

    /// `(requests, most in flight at once)` sent to `host` so far.
    pub fn seen(&self, host: &str) -> (usize, usize) {
        let gate = self.gate(host);
        (
            gate.requests.load(Ordering::SeqCst),
            gate.peak.load(Ordering::SeqCst),
        )
    }
}
