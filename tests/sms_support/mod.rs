//! A fake SMS gateway on loopback for the tests: an axum server on 127.0.0.1:0 that records
//! every request it receives (path, `Authorization`, `Idempotency-Key`, JSON body) and answers
//! 200, or the statuses the test queued (429, 500, 400…), one per request. It also stands for a
//! fediverse peer: what is POSTed to `/inbox` is recorded the same way (answered 202).

#![allow(dead_code, clippy::unwrap_used)]

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode, Uri},
    Router,
};
use serde_json::Value;
use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
};

/// One request the fake gateway received.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub authorization: String,
    pub idempotency_key: String,
    pub body: Value,
    /// The status it was answered.
    pub status: u16,
}

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    answers: VecDeque<u16>,
}

/// The gateway, running until dropped.
pub struct FakeGateway {
    pub url: String,
    pub base: String,
    inner: Arc<Mutex<Inner>>,
    task: tokio::task::JoinHandle<()>,
}

async fn take(
    State(inner): State<Arc<Mutex<Inner>>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let mut inner = inner.lock().unwrap();
    let status = if uri.path() == "/inbox" {
        202
    } else {
        inner.answers.pop_front().unwrap_or(200)
    };
    inner.received.push(Received {
        path: uri.path().to_string(),
        authorization: header("authorization"),
        idempotency_key: header("idempotency-key"),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        status,
    });
    StatusCode::from_u16(status).unwrap()
}

impl FakeGateway {
    pub async fn start() -> FakeGateway {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new().fallback(take).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        FakeGateway {
            url: format!("http://{addr}/sms"),
            // Deliveries go to domain names only: the peer is `localhost`.
            base: format!("http://localhost:{}", addr.port()),
            inner,
            task,
        }
    }

    /// Turns SMS on in `config`, through this gateway: token `gateway-secret`, sender
    /// `Entraide`, replies taken with `replies-secret`.
    pub fn configure(&self, config: &mut entraide::config::Config) {
        config.sms.enabled = true;
        config.sms.gateway_url = self.url.clone();
        config.sms.token = "gateway-secret".into();
        config.sms.sender = "Entraide".into();
        config.sms.inbound_token = "replies-secret".into();
    }

    /// The next requests to `/sms` are answered these statuses, in order (then 200).
    pub fn answer(&self, statuses: &[u16]) {
        self.inner.lock().unwrap().answers.extend(statuses);
    }

    /// The SMS requests received so far.
    pub fn sms(&self) -> Vec<Received> {
        self.inner
            .lock()
            .unwrap()
            .received
            .iter()
            .filter(|r| r.path == "/sms")
            .cloned()
            .collect()
    }

    /// The SMS the gateway accepted (2xx), as (to, text).
    pub fn accepted(&self) -> Vec<(String, String)> {
        self.sms()
            .into_iter()
            .filter(|r| (200..300).contains(&r.status))
            .map(|r| {
                (
                    r.body["to"].as_str().unwrap_or_default().to_string(),
                    r.body["text"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    /// What the fediverse peer's inbox received.
    pub fn inbox(&self) -> Vec<Value> {
        self.inner
            .lock()
            .unwrap()
            .received
            .iter()
            .filter(|r| r.path == "/inbox")
            .map(|r| r.body.clone())
            .collect()
    }
}

impl Drop for FakeGateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}
