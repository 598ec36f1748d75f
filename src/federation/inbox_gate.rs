//! What the inbox lets in before it does anything costly (fetching a key, writing): at most
//! `federation.inbox_per_host_per_minute` requests of one remote host over the last minute
//! (more: 429 with `Retry-After`), and at most `federation.inbox_concurrency` requests handled
//! at once by this process (more: 503 with `Retry-After`; senders' queues try again later).
//!
//! Both are counted per process, in memory: several processes behind one proxy each take
//! their share.

use super::error::FedError;
use crate::{config::FederationConfig, http::throttle::Throttle};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a sender is asked to wait when the node is busy.
const BUSY_RETRY_SECONDS: u64 = 10;

pub struct InboxGate {
    running: Arc<Semaphore>,
    per_host: Option<Throttle>,
}

impl InboxGate {
    pub fn new(config: &FederationConfig) -> InboxGate {
        InboxGate {
            running: Arc::new(Semaphore::new(config.inbox_concurrency.max(1))),
            per_host: (config.inbox_per_host_per_minute > 0)
                .then(|| Throttle::new(config.inbox_per_host_per_minute, Duration::minutes(1))),
        }
    }

    /// Counts one request of `host`; refused (429) when the host already sent its share over
    /// the last minute. Refused requests are not counted.
    pub fn admit(&self, host: &str, now: DateTime<Utc>) -> Result<(), FedError> {
        let Some(throttle) = &self.per_host else {
            return Ok(());
        };
        if let Err(wait) = throttle.check(host, now) {
            let secs = wait.num_seconds().max(1) as u64;
            return Err(FedError::TooMany(
                format!("{host} sent too many activities lately: try again in {secs} s"),
                secs,
            ));
        }
        throttle.failed(host, now);
        Ok(())
    }

    /// A place among the requests handled at once, held until dropped; refused (503) when
    /// there is none.
    pub fn enter(&self) -> Result<OwnedSemaphorePermit, FedError> {
        self.running.clone().try_acquire_owned().map_err(|_| {
            FedError::Busy(
                "this server handles too many activities at once: try again shortly".into(),
                BUSY_RETRY_SECONDS,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_host_past_its_share_waits_and_others_do_not() {
        let config = FederationConfig {
            inbox_per_host_per_minute: 2,
            inbox_concurrency: 1,
            ..FederationConfig::default()
        };
        let gate = InboxGate::new(&config);
        let t0 = Utc
            .with_ymd_and_hms(2030, 1, 7, 9, 0, 0)
            .single()
            .expect("date");
        assert!(gate.admit("a.example", t0).is_ok());
        assert!(gate.admit("a.example", t0 + Duration::seconds(10)).is_ok());
        match gate.admit("a.example", t0 + Duration::seconds(20)) {
            Err(e @ FedError::TooMany(_, 40)) => assert_eq!(e.status(), 429),
            other => panic!("expected a 429 with 40 s to wait, got {other:?}"),
        }
        assert!(gate.admit("b.example", t0 + Duration::seconds(20)).is_ok());
        assert!(gate.admit("a.example", t0 + Duration::seconds(60)).is_ok());

        let held = gate.enter().expect("a free place");
        assert!(matches!(gate.enter(), Err(FedError::Busy(..))));
        drop(held);
        assert!(gate.enter().is_ok());

        let open = InboxGate::new(&FederationConfig {
            inbox_per_host_per_minute: 0,
            ..FederationConfig::default()
        });
        for _ in 0..10_000 {
            assert!(open.admit("a.example", t0).is_ok());
        }
    }
}
