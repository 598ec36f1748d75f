//! The state every handler and worker shares: configuration, store, templates, clock.

use crate::{
    clock::SharedClock,
    config::Config,
    storage::{DynStore, Store},
};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use tokio::sync::Notify;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: DynStore,
    /// Where handlers and workers read the time (the system clock, a fixed one in tests).
    pub clock: SharedClock,
    /// Wakes the federation workers when something was queued.
    pub wake: Arc<Notify>,
    pub templates: Arc<minijinja::Environment<'static>>,
    /// The delivery slots, HTTP client and pending writes of this node.
    pub deliveries: Arc<crate::federation::delivery::Pipeline>,
    /// Remote actors read lately (the inbox needs one per activity).
    pub actors: Arc<crate::federation::actor_cache::ActorCache>,
    /// What the inbox lets in: per remote host per minute, and at once.
    pub inbox_gate: Arc<crate::federation::inbox_gate::InboxGate>,
    /// The moderation rules in force (blocked and silenced hosts and actors), kept in memory.
    pub moderation: Arc<crate::service::moderation::Moderation>,
    /// How notices reach people on other servers (implemented by the federation side).
    pub direct: Arc<dyn crate::notify::DirectMessages>,
    /// Failed API logins lately, per account name (`POST /api/v1/auth/token`).
    pub login_throttle: Arc<crate::http::throttle::LoginThrottle>,
    /// Registrations, reset requests and confirmation emails lately, per address and account.
    pub account_throttle: Arc<crate::http::throttle::AccountThrottle>,
    /// The search index (`<data_dir>/search`), opened on first use.
    pub search: Arc<crate::search::Search>,
    /// Where typed places are (the gazetteer, the address service of `[places]`).
    pub places: Arc<crate::service::places::Geocoder>,
    /// Requests lately per API token (`server.api_requests_per_minute`).
    pub api_throttle: Arc<crate::http::throttle::Throttle>,
    /// What the most read pages show everyone, kept while none of it changed.
    pub kept: Arc<crate::http::web::kept_pages::KeptPages>,
    /// The figures `/metrics` shows.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Whether the background workers run (`/health/ready`).
    pub workers: Arc<Workers>,
}

/// Whether the background workers of this process run: set while their task lives.
#[derive(Debug, Default)]
pub struct Workers(std::sync::atomic::AtomicBool);

impl Workers {
    pub fn running(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Marks the workers running until the guard is dropped (their task ended or was aborted).
    pub fn started(self: &Arc<Self>) -> WorkersGuard {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
        WorkersGuard(self.clone())
    }
}

/// Held by the workers' task; marks them stopped when dropped.
pub struct WorkersGuard(Arc<Workers>);

impl Drop for WorkersGuard {
    fn drop(&mut self) {
        self.0 .0.store(false, std::sync::atomic::Ordering::Relaxed);
    }
}

impl AppState {
    /// The store, as use cases take it.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The time now, from the node's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// After a use case queued deliveries or emails: the workers look at their queue at once.
    pub fn queued(&self) {
        self.wake.notify_waiters()
    }
}

/// What federation handlers receive: our state inside the federation crate's request data.
pub type Context = activitypub_federation::config::Data<AppState>;
