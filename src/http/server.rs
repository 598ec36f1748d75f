//! Serving the router: HTTP/1.1 connections whose client must send each request's headers in
//! time (which also closes a kept-alive connection left silent), so that slow clients cannot
//! hold connections open by the thousand (slowloris); and the security headers every answer
//! carries.

use axum::{
    extract::ConnectInfo,
    http::{header, HeaderName, HeaderValue, Request},
    response::Response,
    Router,
};
use hyper_util::rt::TokioIo;
use std::{future::Future, time::Duration};
use tokio::sync::watch;
use tower::ServiceExt;

/// How long the server waits for a client.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// To send a request's headers, from the connection's start or the end of the previous
    /// answer (an idle kept-alive connection is closed after it too).
    pub header_read: Duration,
}

/// The headers every answer carries, unless it set its own: the pages need only this site's
/// style sheets, images (and pictures of other servers' missions, over https, and the map's
/// tiles from the tile server of `[map]`), forms sent here, and this site's own scripts
/// (progressive help such as place completion and the map, which ask this site's API); no
/// inline script; no framing by other sites (their one-click forms stay ours).
const SECURITY_HEADERS: [(HeaderName, &str); 3] = [
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "same-origin"),
];

/// The Content-Security-Policy of every answer: `tile_origin` (`[map]`'s tile server) is
/// allowed for images, everything else is fixed.
pub fn content_security_policy(tile_origin: Option<&str>) -> HeaderValue {
    let policy = |tiles: &str| {
        format!(
            "default-src 'none'; img-src 'self' https:{tiles}; style-src 'self'; \
             script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
             base-uri 'none'"
        )
    };
    let tiles = tile_origin.map(|o| format!(" {o}")).unwrap_or_default();
    // An origin that cannot stand in a header (the configuration checks it) leaves the tiles out.
    HeaderValue::from_str(&policy(&tiles))
        .or_else(|_| HeaderValue::from_str(&policy("")))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
}

/// Adds the Content-Security-Policy `csp` and [`SECURITY_HEADERS`] to an answer (the router's
/// outermost layer).
pub async fn security_headers(csp: HeaderValue, mut res: Response) -> Response {
    let headers = res.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    for (name, value) in SECURITY_HEADERS {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    res
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the requests under way
/// finish. `timer` measures the limits (`hyper_util::rt::TokioTimer` in `serve`).
pub async fn serve<T>(
    listener: tokio::net::TcpListener,
    router: Router,
    timer: T,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    T: hyper::rt::Timer + Clone + Send + Sync + 'static,
{
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(timer)
        .header_read_timeout(limits.header_read)
        .keep_alive(true);
    let (stop, stopped) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little, go on.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
            // The peer's address reaches handlers (`ConnectInfo`): the brakes count per
            // address too.
            req.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(req.map(axum::body::Body::new))
        });
        let conn = builder.serve_connection(TokioIo::new(stream), service);
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            tokio::pin!(conn);
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended");
                    }
                    return;
                }
                _ = stopped.changed() => conn.as_mut().graceful_shutdown(),
            }
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
    drop(listener);
    drop(stopped);
    let _ = stop.send(true);
    // Each connection holds a receiver: they are all gone once the last one has finished.
    stop.closed().await;
    Ok(())
}
