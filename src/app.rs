//! Building a running node: store, federation configuration, router, workers. Used by `serve`,
//! by the operator commands that need federation, and by tests (port 0).

use crate::{
    clock::{SharedClock, SystemClock},
    config::Config,
    federation::{self, objects::ApubActor},
    http,
    service::accounts::ensure_relay,
    state::{AppState, Context},
    storage,
};
use activitypub_federation::config::FederationConfig;
use std::sync::Arc;
use tokio::sync::Notify;

/// Everything a node needs, before it listens.
pub struct App {
    pub state: AppState,
    pub federation: FederationConfig<AppState>,
}

impl App {
    /// Opens (and migrates) the store, ensures the node's actor exists, prepares federation;
    /// the node reads the system clock.
    pub async fn build(config: Config) -> anyhow::Result<App> {
        App::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// [`App::build`] with the clock the node reads (tests give a fixed one).
    pub async fn build_with_clock(config: Config, clock: SharedClock) -> anyhow::Result<App> {
        std::fs::create_dir_all(&config.server.data_dir).map_err(|e| {
            anyhow::anyhow!(
                "cannot create data directory {}: {e}",
                config.server.data_dir.display()
            )
        })?;
        let store = storage::connect(&config.database_url(), &config.database).await?;
        let relay = ensure_relay(
            store.as_ref(),
            &config.base(),
            &config.domain(),
            &config.instance.name,
            clock.now(),
        )
        .await?;
        let search = Arc::new(crate::search::Search::of_node(&config));
        let api_throttle = crate::http::throttle::Throttle::new(
            config.server.api_requests_per_minute,
            chrono::Duration::minutes(1),
        );
        let state = AppState {
            api_throttle: Arc::new(api_throttle),
            deliveries: Arc::new(federation::delivery::Pipeline::new(&config)),
            places: Arc::new(crate::service::places::Geocoder::new(&config.places)),
            inbox_gate: Arc::new(federation::inbox_gate::InboxGate::new(&config.federation)),
            moderation: Arc::new(crate::service::moderation::Moderation::new(&config)),
            config: Arc::new(config),
            store,
            clock,
            wake: Arc::new(Notify::new()),
            templates: Arc::new(http::web::templates()),
            actors: Default::default(),
            direct: Arc::new(federation::direct::Courier),
            login_throttle: Default::default(),
            account_throttle: Default::default(),
            search,
            kept: Default::default(),
            metrics: Default::default(),
            workers: Default::default(),
        };
        state
            .moderation
            .reload(state.store.as_ref(), state.clock.now())
            .await?;
        let federation =
            federation::federation_config(state.clone(), &ApubActor::new(relay)?).await?;
        Ok(App { state, federation })
    }

    /// Request data for code that runs outside a request (workers, CLI).
    pub fn context(&self) -> Context {
        self.federation.to_request_data()
    }

    pub fn router(&self) -> axum::Router {
        http::router(self.state.clone(), self.federation.clone())
    }

    /// Starts the background workers (deliveries; emails and reminders; the hourly purge of
    /// finished federation work; the search index, opened and following the change log; an
    /// aggregator's walks of its sources) in one task.
    pub fn spawn_workers(&self) -> tokio::task::JoinHandle<()> {
        let (deliveries, notices, history) = (self.context(), self.context(), self.context());
        let sources = self.context();
        let state = self.state.clone();
        let running = self.state.workers.started();
        tokio::spawn(async move {
            let _running = running;
            tokio::join!(
                federation::delivery::worker(deliveries),
                crate::notify::worker(notices),
                federation::history::worker(history),
                crate::service::search::start(&state),
                federation::aggregator::worker::worker(sources)
            );
        })
    }

    /// Listens and serves until the process is stopped.
    pub async fn serve(self) -> anyhow::Result<()> {
        let bind = self.state.config.server.bind.clone();
        let listener = tokio::net::TcpListener::bind(&bind)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
        let worker = self.spawn_workers();
        tracing::info!(
            address = %listener.local_addr()?,
            public_url = %self.state.config.server.public_url,
            backend = self.state.store.backend(),
            "Entraide is running"
        );
        let config = &self.state.config.server;
        let limits = http::server::Limits {
            header_read: std::time::Duration::from_secs(config.header_read_timeout_seconds.max(1)),
        };
        let timer = hyper_util::rt::TokioTimer::new();
        let result =
            http::server::serve(listener, self.router(), timer, limits, shutdown_signal()).await;
        worker.abort();
        Ok(result?)
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
