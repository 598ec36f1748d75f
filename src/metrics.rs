//! The node's figures for `/metrics` (Prometheus text format): HTTP requests and their
//! durations by route template and status class, deliveries by outcome and host, emails,
//! inbox refusals; the delivery queue and the search index are read when scraped.
//!
//! Why `prometheus-client` (the Prometheus project's crate): each node owns its registry, so
//! the tests' several nodes in one process keep their figures apart (the `metrics` facade has
//! one global recorder), and it is pure Rust with four small dependencies. Recording is atomic
//! increments behind a read lock per label set: no database work on the requests' path.
//!
//! Labels are bounded: routes are the router's templates (`/api/v1/missions/{id}`), never raw
//! paths; methods outside the usual few are `other`; at most [`MAX_HOSTS`] remote hosts are
//! named, the rest counted as `other`.

use prometheus_client::{
    encoding::{text::encode, EncodeLabelSet},
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{exponential_buckets, Histogram},
    },
    registry::Registry,
};
use std::{collections::HashSet, sync::Mutex};

/// Remote hosts named in `entraide_deliveries_by_host_total`; others are counted as `other`.
pub const MAX_HOSTS: usize = 100;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Request {
    route: String,
    method: &'static str,
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct State {
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HostState {
    host: String,
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Reason {
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Info {
    version: &'static str,
    backend: &'static str,
}

type Durations = Family<Route, Histogram, fn() -> Histogram>;

fn durations() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// What became of a delivery attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Delivered,
    /// Failed, tried again later.
    Failed,
    /// Failed for good (refused, or out of attempts).
    GivenUp,
}

impl DeliveryOutcome {
    fn label(self) -> &'static str {
        match self {
            DeliveryOutcome::Delivered => "delivered",
            DeliveryOutcome::Failed => "failed",
            DeliveryOutcome::GivenUp => "given_up",
        }
    }
}

/// What became of an email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailOutcome {
    Sent,
    Failed,
    GivenUp,
}

/// The figures of one node.
pub struct Metrics {
    registry: Registry,
    requests: Family<Request, Counter>,
    durations: Durations,
    deliveries: Family<State, Counter>,
    deliveries_by_host: Family<HostState, Counter>,
    hosts: Mutex<HashSet<String>>,
    queue: Family<State, Gauge>,
    emails: Family<State, Counter>,
    inbox_refused: Family<Reason, Counter>,
    search_documents: Gauge,
    search_bytes: Gauge,
    info: Family<Info, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("entraide");
        let m = Metrics {
            requests: Family::default(),
            durations: Durations::new_with_constructor(durations),
            deliveries: Family::default(),
            deliveries_by_host: Family::default(),
            hosts: Mutex::new(HashSet::new()),
            queue: Family::default(),
            emails: Family::default(),
            inbox_refused: Family::default(),
            search_documents: Gauge::default(),
            search_bytes: Gauge::default(),
            info: Family::default(),
            registry: Registry::default(),
        };
        registry.register(
            "http_requests",
            "HTTP requests answered, by route template, method and status class",
            m.requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer HTTP requests, by route template",
            m.durations.clone(),
        );
        registry.register(
            "deliveries",
            "Delivery attempts to other servers' inboxes, by outcome (delivered, failed and tried again, given_up)",
            m.deliveries.clone(),
        );
        registry.register(
            "deliveries_by_host",
            "Delivery attempts by receiving host (the first 100 hosts seen; the others as `other`) and outcome",
            m.deliveries_by_host.clone(),
        );
        registry.register(
            "delivery_queue",
            "Deliveries and outgoing events waiting (pending) and given up (failed), read when scraped",
            m.queue.clone(),
        );
        registry.register(
            "emails",
            "Emails by outcome (sent, failed and tried again, given_up)",
            m.emails.clone(),
        );
        registry.register(
            "inbox_refused",
            "Activities refused by the inbox, by reason",
            m.inbox_refused.clone(),
        );
        registry.register(
            "search_documents",
            "Missions, events and resources in this process's search index, read when scraped",
            m.search_documents.clone(),
        );
        registry.register(
            "search_index_bytes",
            "Size of the search index on disk, read when scraped",
            m.search_bytes.clone(),
        );
        registry.register(
            "build_info",
            "Always 1: the version of Entraide and the database back end",
            m.info.clone(),
        );
        Metrics { registry, ..m }
    }

    /// One HTTP request answered: `route` is the matched route template (`None`: no route).
    pub fn request(&self, route: Option<&str>, method: &http::Method, status: u16, seconds: f64) {
        let route = route.unwrap_or("unmatched").to_string();
        self.durations
            .get_or_create(&Route {
                route: route.clone(),
            })
            .observe(seconds);
        self.requests
            .get_or_create(&Request {
                route,
                method: method_label(method),
                status: status_class(status),
            })
            .inc();
    }

    /// One delivery attempt to `host`.
    pub fn delivery(&self, host: &str, outcome: DeliveryOutcome) {
        let state = outcome.label();
        self.deliveries.get_or_create(&State { state }).inc();
        let host = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            if hosts.contains(host) || (hosts.len() < MAX_HOSTS && hosts.insert(host.to_string())) {
                host.to_string()
            } else {
                "other".to_string()
            }
        };
        self.deliveries_by_host
            .get_or_create(&HostState { host, state })
            .inc();
    }

    pub fn email(&self, outcome: EmailOutcome) {
        let state = match outcome {
            EmailOutcome::Sent => "sent",
            EmailOutcome::Failed => "failed",
            EmailOutcome::GivenUp => "given_up",
        };
        self.emails.get_or_create(&State { state }).inc();
    }

    /// An activity refused by the inbox (`reason`: a fixed word, see `FedError::reason`).
    pub fn inbox_refused(&self, reason: &'static str) {
        self.inbox_refused.get_or_create(&Reason { reason }).inc();
    }

    /// The figures read when scraped.
    pub fn set_gauges(&self, gauges: &Gauges) {
        if let Some((pending, failed)) = gauges.queue {
            self.queue
                .get_or_create(&State { state: "pending" })
                .set(pending);
            self.queue
                .get_or_create(&State { state: "failed" })
                .set(failed);
        }
        self.search_documents.set(gauges.search_documents as i64);
        self.search_bytes.set(gauges.search_bytes as i64);
        self.info
            .get_or_create(&Info {
                version: env!("CARGO_PKG_VERSION"),
                backend: gauges.backend,
            })
            .set(1);
    }

    /// The text a scraper reads (OpenMetrics 1.0, which Prometheus reads).
    pub fn text(&self) -> String {
        let mut out = String::new();
        if let Err(e) = encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "cannot write the metrics");
        }
        out
    }
}

/// What is read when `/metrics` is scraped.
#[derive(Debug, Clone, Default)]
pub struct Gauges {
    /// `(pending, failed)`; `None` when the database did not answer.
    pub queue: Option<(i64, i64)>,
    pub search_documents: u64,
    pub search_bytes: u64,
    pub backend: &'static str,
}

/// The content type of [`Metrics::text`].
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

fn method_label(method: &http::Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_stay_bounded() {
        let m = Metrics::new();
        for i in 0..(MAX_HOSTS + 20) {
            m.delivery(&format!("h{i}.example"), DeliveryOutcome::Delivered);
        }
        m.delivery("h0.example", DeliveryOutcome::Failed);
        m.request(
            None,
            &http::Method::from_bytes(b"BREW").unwrap_or_default(),
            404,
            0.01,
        );
        let text = m.text();
        assert!(
            text.contains(r#"entraide_deliveries_total{state="delivered"} 120"#),
            "{text}"
        );
        assert!(
            text.contains(r#"host="other",state="delivered"} 20"#),
            "{text}"
        );
        assert!(
            text.contains(r#"host="h0.example",state="failed"} 1"#),
            "{text}"
        );
        assert!(!text.contains("h110.example"), "{text}");
        assert!(
            text.contains(r#"route="unmatched",method="other",status="4xx"} 1"#),
            "{text}"
        );
    }
}
