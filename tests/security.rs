//! What a node facing the open internet needs around its pages and API (issue 18, items 2
//! and 8): security headers on every answer, a server that cuts clients too slow to send their
//! request, a per-token limit on the API.

#![allow(clippy::unwrap_used)]

mod common;

use axum::http::Method;
use common::TestApp;
use std::{
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll, Waker},
    time::{Duration, Instant},
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let t = TestApp::new().await;
    let (_, token) = t.user("alice").await;
    let answers = [
        ("a page", t.get("/").await),
        ("the login page", t.get("/login").await),
        ("a page not found", t.get("/nowhere").await),
        ("the API", t.get("/api/v1/missions").await),
        (
            "an API error",
            t.api(Method::GET, "/api/v1/missions/987654", Some(&token), None)
                .await,
        ),
        (
            "an API refusal",
            t.api(Method::GET, "/api/v1/me", Some("wrong"), None).await,
        ),
        (
            "a federation document",
            t.get("/.well-known/nodeinfo").await,
        ),
        ("a style sheet", t.get("/static/style.css").await),
    ];
    for (what, res) in answers {
        let h = |name: &str| {
            res.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_else(|| panic!("{what} ({}) has no {name}", res.status))
                .to_string()
        };
        let csp = h("content-security-policy");
        for directive in [
            "default-src 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "style-src 'self'",
            "script-src 'self'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(directive), "{what}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
        assert_eq!(h("x-frame-options"), "DENY", "{what}");
        assert_eq!(h("x-content-type-options"), "nosniff", "{what}");
        assert_eq!(h("referrer-policy"), "same-origin", "{what}");
    }
}

/// The pages need nothing the policy forbids: no inline script, style or event handler (a
/// script is one of this site's files, `<script src="/static/…" defer></script>`).
#[test]
fn the_templates_need_no_inline_script_or_style() {
    for entry in std::fs::read_dir("templates").unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap().to_lowercase();
        // A script may only be one of this site's files, with nothing inline.
        for (at, _) in text.match_indices("<script") {
            let tag = &text[at..];
            let end = tag.find('>').map_or(tag.len(), |i| i + 1);
            assert!(
                tag[..end].contains(r#" src="/static/"#) && tag[end..].starts_with("</script>"),
                "{} holds an inline script: {}",
                path.display(),
                &tag[..end]
            );
        }
        for forbidden in ["<style", " style=", " onclick=", " onload=", "javascript:"] {
            assert!(
                !text.contains(forbidden),
                "{} holds {forbidden}",
                path.display()
            );
        }
    }
}

/// A clock for the server's timeouts that moves only when the test says so.
#[derive(Clone)]
struct ManualTimer(Arc<Mutex<(Instant, Vec<Waker>)>>);

impl ManualTimer {
    fn new() -> Self {
        ManualTimer(Arc::new(Mutex::new((Instant::now(), Vec::new()))))
    }

    fn advance(&self, by: Duration) {
        let mut state = self.0.lock().unwrap();
        state.0 += by;
        for waker in state.1.drain(..) {
            waker.wake();
        }
    }
}

struct ManualSleep {
    timer: ManualTimer,
    deadline: Instant,
}

impl std::future::Future for ManualSleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.timer.0.lock().unwrap();
        if state.0 >= self.deadline {
            Poll::Ready(())
        } else {
            state.1.push(cx.waker().clone());
            Poll::Pending
        }
    }
}

impl hyper::rt::Sleep for ManualSleep {}

impl hyper::rt::Timer for ManualTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        self.sleep_until(self.now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(ManualSleep {
            timer: self.clone(),
            deadline,
        })
    }

    fn now(&self) -> Instant {
        self.0.lock().unwrap().0
    }
}

/// Whether the server closed the connection: the read ends (or fails) rather than waits.
async fn closed(stream: &mut tokio::net::TcpStream) -> bool {
    let mut buf = [0u8; 256];
    matches!(
        tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf)).await,
        Ok(Ok(0) | Err(_))
    )
}

#[tokio::test]
async fn a_client_too_slow_to_send_its_headers_is_cut() {
    let t = TestApp::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let timer = ManualTimer::new();
    let limits = entraide::http::server::Limits {
        header_read: Duration::from_secs(10),
    };
    let server = tokio::spawn(entraide::http::server::serve(
        listener,
        t.router.clone(),
        timer.clone(),
        limits,
        std::future::pending(),
    ));

    // A whole request is answered.
    let mut quick = tokio::net::TcpStream::connect(address).await.unwrap();
    quick
        .write_all(
            b"GET /.well-known/nodeinfo HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let mut answer = Vec::new();
    quick.read_to_end(&mut answer).await.unwrap();
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );

    // A request whose headers come a byte at a time: cut once 10 seconds have passed, with
    // the headers still unfinished.
    let mut slow = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let mut sent = 0;
    for byte in request.iter() {
        if slow.write_all(&[*byte]).await.is_err() {
            break;
        }
        sent += 1;
        // The server reads it (the pause only lets its task run), then a second passes.
        tokio::time::sleep(Duration::from_millis(5)).await;
        timer.advance(Duration::from_secs(1));
        if sent == 12 {
            break;
        }
    }
    timer.advance(Duration::from_secs(10));
    assert!(closed(&mut slow).await, "the slow client is cut");
    assert!(sent < request.len());

    // A connection that says nothing at all is closed too (idle).
    let mut idle = tokio::net::TcpStream::connect(address).await.unwrap();
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_millis(5)).await;
        timer.advance(Duration::from_secs(1));
    }
    assert!(closed(&mut idle).await, "the idle connection is closed");
    server.abort();
}

#[tokio::test]
async fn api_tokens_are_braked_past_their_share_of_requests() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = common::test_config(dir.path());
    config.server.api_requests_per_minute = 5;
    let t = TestApp::with_config(config, dir).await;
    let (_, alice) = t.user("alice").await;
    let (_, bob) = t.user("bob").await;
    for _ in 0..5 {
        t.api(Method::GET, "/api/v1/me", Some(&alice), None)
            .await
            .expect(200);
    }
    let braked = t.api(Method::GET, "/api/v1/me", Some(&alice), None).await;
    let wait = braked.braked();
    assert!((1..=60).contains(&wait), "{wait}");
    // Another token is not braked, and the minute once past frees the first.
    t.api(Method::GET, "/api/v1/me", Some(&bob), None)
        .await
        .expect(200);
    t.clock.advance(chrono::Duration::seconds(61));
    t.api(Method::GET, "/api/v1/me", Some(&alice), None)
        .await
        .expect(200);
}
