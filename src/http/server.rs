//! Serving the router on a listener.

use axum::Router;
use std::{future::Future, net::SocketAddr, time::Duration};

/// How long the server waits for a client.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_read: Duration,
}

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn serve<T>(
    listener: tokio::net::TcpListener,
    router: Router,
    _timer: T,
    _limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
