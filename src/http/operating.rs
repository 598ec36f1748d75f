//! What operators and their tools read: `/health/live`, `/health/ready` and `/metrics`; and
//! the layer that counts every request for `/metrics`.

use crate::{
    domain::operating::{metrics_access, MetricsAccess, MetricsRequest},
    service::operating,
    state::AppState,
};
use axum::{
    extract::{ConnectInfo, MatchedPath, Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde_json::json;
use std::{net::SocketAddr, time::Instant};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .route("/metrics", get(metrics))
}

/// The process is up and answers.
async fn live() -> Response {
    no_store(Json(json!({"status": "live"})).into_response())
}

/// 200 when the database answers, its schema is this build's and the workers run; else 503;
/// each check in the body.
async fn ready(State(state): State<AppState>) -> Response {
    let readiness = operating::readiness(&state).await;
    let status = if readiness.ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    no_store((status, Json(readiness)).into_response())
}

async fn metrics(State(state): State<AppState>, req: Request) -> Response {
    let config = &state.config.metrics;
    let headers = req.headers();
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>();
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let request = MetricsRequest {
        from_loopback: peer.is_some_and(|ConnectInfo(a)| a.ip().is_loopback()),
        proxied: ["forwarded", "x-forwarded-for", "x-real-ip"]
            .iter()
            .any(|h| headers.contains_key(*h)),
        bearer,
    };
    let text = |status: StatusCode, message: &'static str| {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message,
        )
            .into_response()
    };
    match metrics_access(config.enabled, &config.token, request) {
        MetricsAccess::Granted => {
            let body = operating::metrics_text(&state).await;
            no_store(([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], body).into_response())
        }
        MetricsAccess::Disabled => text(
            StatusCode::NOT_FOUND,
            "metrics are disabled on this node ([metrics] enabled = false)\n",
        ),
        MetricsAccess::LoopbackOnly => text(
            StatusCode::NOT_FOUND,
            "metrics are served only to direct connections from this machine; \
             set [metrics] token to scrape them from elsewhere\n",
        ),
        MetricsAccess::TokenNeeded => {
            let mut res = text(
                StatusCode::UNAUTHORIZED,
                "metrics need the token of [metrics] token: send Authorization: Bearer <token>\n",
            );
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"metrics\""),
            );
            res
        }
    }
}

fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Counts each request by its route template (not its path), method and status class, and
/// times it (a layer of the whole router).
pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = req.method().clone();
    let res = next.run(req).await;
    state.metrics.request(
        route.as_ref().map(MatchedPath::as_str),
        &method,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    res
}
