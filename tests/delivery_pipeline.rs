//! The delivery pipeline of one node, in process, against two servers on loopback: one that
//! answers at once and one that holds every request until the test lets it go. The slow host
//! must never hold up the other one, never get more than its share of requests at once, and
//! still get every delivery once it answers again.

#![allow(clippy::unwrap_used)]

mod common;

use axum::{extract::State, http::StatusCode, routing::post, Router};
use chrono::Duration;
use common::TestApp;
use entraide::{
    federation::delivery::{self, PER_HOST},
    storage::NewDelivery,
};
use serde_json::json;
use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc, Mutex,
    },
};
use tokio::sync::Notify;

/// A server on a loopback port that counts requests per path, and the most in flight at once.
/// While `hold` is set, it answers nothing until `release` is notified.
#[derive(Default)]
struct Inboxes {
    received: Mutex<HashMap<String, usize>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    hold: AtomicBool,
    release: Notify,
}

impl Inboxes {
    fn total(&self) -> usize {
        self.received.lock().unwrap().values().sum()
    }

    /// Answers the requests held, and the next ones at once.
    fn answer_again(&self) {
        self.hold.store(false, Ordering::SeqCst);
        self.release.notify_waiters();
    }
}

async fn inbox(
    State(s): State<Arc<Inboxes>>,
    uri: axum::http::Uri,
    _body: axum::body::Bytes,
) -> StatusCode {
    let now = s.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    s.most_in_flight.fetch_max(now, Ordering::SeqCst);
    // Registered before the check, so a release between the two is not lost.
    let released = s.release.notified();
    if s.hold.load(Ordering::SeqCst) {
        released.await;
    }
    *s.received
        .lock()
        .unwrap()
        .entry(uri.path().to_string())
        .or_default() += 1;
    s.in_flight.fetch_sub(1, Ordering::SeqCst);
    StatusCode::ACCEPTED
}

/// Starts a server; returns its state and its origin (`http://localhost:port`: a host name,
/// as deliveries go to domains only).
async fn server(hold: bool) -> (Arc<Inboxes>, String) {
    let state = Arc::new(Inboxes::default());
    state.hold.store(hold, Ordering::SeqCst);
    let app = Router::new()
        .route("/{*path}", post(inbox))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (state, format!("http://localhost:{port}"))
}

/// Waits (at most a minute: a guard against a hang, not a measure) until `done` holds.
async fn until(what: &str, done: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    while !done() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "still waiting for: {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

async fn queue_stats(t: &TestApp) -> (i64, i64, i64) {
    let s = t.store().queue_stats().await.unwrap();
    (s.pending, s.delivered, s.failed)
}

/// (pending, delivered, failed) once `delivered` are recorded (successes are written in groups,
/// a little after they arrive), or after five seconds.
async fn queue_stats_once_delivered(t: &TestApp, delivered: i64) -> (i64, i64, i64) {
    for _ in 0..500 {
        if queue_stats(t).await.1 == delivered {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // Read again: the three counts are three statements, and the one that saw `delivered`
    // may have counted `pending` just before the last group of successes was written.
    queue_stats(t).await
}

/// A slow server and a fast one, and the inboxes to deliver to: `slow_n` on the slow host
/// first (claimed before the others), then `fast_n` on the fast one.
async fn slow_and_fast(slow_n: usize, fast_n: usize) -> (Arc<Inboxes>, Arc<Inboxes>, Vec<String>) {
    let (slow, slow_origin) = server(true).await;
    let (fast, fast_origin) = server(false).await;
    let planned = (0..slow_n)
        .map(|i| format!("{slow_origin}/users/s{i}/inbox"))
        .chain((0..fast_n).map(|i| format!("{fast_origin}/users/f{i}/inbox")))
        .collect();
    (slow, fast, planned)
}

/// A node on SQLite with `workers` sending slots, an association, and `deliveries` queued in
/// this order, all due now.
async fn node_with_queue(workers: usize, deliveries: Vec<String>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.federation.allow_private_addresses = true;
    config.federation.delivery_workers = workers;
    let t = TestApp::with_config(config, dir).await;
    t.user("alice").await;
    let group = t.association("epicerie", "alice").await;
    // Deliveries are queued with the outbox event they come from: claim one and complete it.
    let store = t.store();
    let now = t.now();
    store
        .queue_event(
            // Never read by the outbox pass: it is completed here with the test's deliveries.
            entraide::domain::events::Outgoing::MissionUpdated { mission_id: 0 },
            now,
        )
        .await
        .unwrap();
    let events = store
        .claim_outbox_events(10, now, now + Duration::seconds(60))
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    let activity = format!("{}/activities/test", group.ap_id);
    let payload = json!({"id": activity, "type": "Update"}).to_string();
    let planned = deliveries
        .into_iter()
        .map(|inbox| NewDelivery {
            activity_ap_id: activity.clone(),
            signer_actor_id: group.id,
            inbox,
            payload: payload.clone(),
        })
        .collect();
    store
        .complete_outbox_event(events[0].id, planned, now)
        .await
        .unwrap();
    t
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_host_never_holds_up_the_others_and_gets_everything_once_it_answers() {
    // The slow host's 100 deliveries are queued first: they are claimed before the others.
    let (slow, fast, planned) = slow_and_fast(100, 30).await;
    let t = node_with_queue(64, planned).await;
    assert_eq!(queue_stats(&t).await, (130, 0, 0));

    let worker = tokio::spawn(delivery::worker(t.app.context()));

    // Every delivery of the fast host arrives while the slow host answers nothing.
    until("the fast host gets its 30 deliveries", || {
        fast.total() == 30
    })
    .await;
    until("the slow host holds its share of requests", || {
        slow.in_flight.load(Ordering::SeqCst) == PER_HOST
    })
    .await;
    assert_eq!(slow.total(), 0, "the slow host has answered nothing yet");
    // Nothing failed: the deliveries beyond the slow host's places went back to the queue.
    assert_eq!(
        queue_stats_once_delivered(&t, 30).await,
        (100, 30, 0),
        "(pending, delivered, failed)"
    );

    // The slow host answers again: it gets all of its deliveries, each once, never more than
    // its share at once.
    slow.answer_again();
    until("the slow host gets its 100 deliveries", || {
        slow.total() == 100
    })
    .await;
    assert_eq!(
        queue_stats_once_delivered(&t, 130).await,
        (0, 130, 0),
        "(pending, delivered, failed)"
    );
    worker.abort();

    for (who, host, count) in [("slow", &slow, 100), ("fast", &fast, 30)] {
        let received = host.received.lock().unwrap();
        assert_eq!(received.len(), count, "{who}: each inbox reached");
        assert!(
            received.values().all(|n| *n == 1),
            "{who}: each inbox got its delivery once: {received:?}"
        );
    }
    assert_eq!(slow.most_in_flight.load(Ordering::SeqCst), PER_HOST);
    assert!(fast.most_in_flight.load(Ordering::SeqCst) <= PER_HOST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_few_sending_slots_a_slow_host_still_leaves_one_to_the_others() {
    let (slow, fast, planned) = slow_and_fast(20, 5).await;
    // Two sending slots in all: the slow host may take one of them, never both.
    let t = node_with_queue(2, planned).await;
    let worker = tokio::spawn(delivery::worker(t.app.context()));
    until("the fast host gets its 5 deliveries", || fast.total() == 5).await;
    assert_eq!(slow.total(), 0);
    assert_eq!(slow.most_in_flight.load(Ordering::SeqCst), 1);
    slow.answer_again();
    until("the slow host gets its 20 deliveries", || {
        slow.total() == 20
    })
    .await;
    worker.abort();
    // /metrics counts them, by outcome and by host.
    let text = t.app.state.metrics.text();
    assert!(
        text.contains(r#"entraide_deliveries_total{state="delivered"} 25"#),
        "{text}"
    );
    assert!(
        text.matches(r#"entraide_deliveries_by_host_total{host="localhost:"#)
            .count()
            >= 2,
        "{text}"
    );
}

/// A receiver that answers a delivery with an error and a body that does not end: the node
/// reads the start of it (for its log) and hangs up, instead of reading it all. The receiver
/// stops by itself after [`ENDLESS_LIMIT`] bytes, which a node reading the whole body would
/// reach; it tells how many bytes it could write before the node hung up.
const ENDLESS_LIMIT: usize = 64 * 1024 * 1024;

fn endless_error_server() -> (String, std::sync::mpsc::Receiver<usize>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tell, told) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0u8; 16 * 1024];
        let _ = stream.read(&mut request);
        let head = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n\
                    Connection: close\r\n\r\n";
        let mut written = 0;
        if stream.write_all(head.as_bytes()).is_ok() {
            let chunk = "Internal trouble, and more. ".repeat(2340);
            while written < ENDLESS_LIMIT && stream.write_all(chunk.as_bytes()).is_ok() {
                written += chunk.len();
            }
        }
        let _ = tell.send(written);
    });
    (format!("http://localhost:{port}/inbox"), told)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_error_body_of_a_failed_delivery_is_read_with_a_cap() {
    let (inbox, written) = endless_error_server();
    let t = node_with_queue(2, vec![inbox]).await;
    delivery::run_until_idle(&t.app.context()).await.unwrap();
    assert_eq!(queue_stats(&t).await, (1, 0, 0), "to be tried again");
    let text = t.app.state.metrics.text();
    assert!(
        text.contains(r#"entraide_deliveries_total{state="failed"} 1"#),
        "{text}"
    );
    let written = tokio::task::spawn_blocking(move || {
        written
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap()
    })
    .await
    .unwrap();
    assert!(
        written < ENDLESS_LIMIT,
        "the node read the whole endless answer ({written} bytes) instead of its start"
    );
}
