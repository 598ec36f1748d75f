//! What requests to the inbox may cost a node: nothing is fetched before the cheap checks pass
//! (Digest, date, a signature whose key is the activity's actor's), an actor's key is fetched
//! again after a failed signature at most once per actor and cooldown, one remote host gets a
//! share of requests per minute (429 past it) and the node handles a bounded number at once
//! (503 past it), both with `Retry-After`.

use crate::support::{
    peer::{post_raw, sign_post, Headers, Peer},
    Db, Node,
};
use serde_json::json;
use std::{
    net::{TcpListener, TcpStream},
    time::{Duration, Instant, SystemTime},
};

/// POSTs and returns the status and the `Retry-After` header.
fn post_retry_after(url: &str, headers: &Headers, body: Vec<u8>) -> (u16, Option<String>) {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("HTTP client");
    let mut req = client.post(url).body(body);
    for (name, value) in headers {
        req = req.header(name.as_str(), value.as_str());
    }
    let res = req.send().expect("POST to the node");
    let retry = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (res.status().as_u16(), retry)
}

/// The next connection to `listener`; a guard of a minute against a node that never comes.
fn accept_within_a_minute(listener: &TcpListener) -> TcpStream {
    listener.set_nonblocking(true).expect("non-blocking");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match listener.accept() {
            Ok((stream, _)) => return stream,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                assert!(Instant::now() < deadline, "the node never connected");
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => panic!("accept: {e}"),
        }
    }
}

#[test]
fn forged_requests_cost_at_most_one_fetch_of_the_actor() {
    let mut a = Node::new("a", Db::Sqlite);
    a.start();
    a.user_with_token("alice");
    a.association("asso", "alice");
    let (asso, inbox) = (a.url("/g/asso"), a.url("/inbox"));
    let peer = Peer::start(&["paul", "mallory"]);
    let (paul, mallory) = (peer.actor("paul"), peer.actor("mallory"));
    let paul_path = "/actors/paul";
    let follow = paul.follow(&paul.new_id("follow"), &asso);
    let body = follow.to_string().into_bytes();
    let without = |name: &str| -> Headers {
        (paul.sign(&inbox, &body).into_iter())
            .filter(|(n, _)| n != name)
            .collect()
    };
    let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 3600);
    let other_host_key = paul.key_id.replace(&peer.base, "http://localhost:1");

    // What fails the cheap checks is refused before anything is fetched.
    for (what, headers, body) in [
        ("no Signature", without("Signature"), body.clone()),
        ("no Digest", without("Digest"), body.clone()),
        (
            "a Digest of another body",
            paul.sign(&inbox, b"{}"),
            body.clone(),
        ),
        (
            "a Date two hours old",
            sign_post(&paul.key, &paul.key_id, &inbox, &body, two_hours_ago),
            body.clone(),
        ),
        (
            "a key on another host than the actor's",
            sign_post(&paul.key, &other_host_key, &inbox, &body, SystemTime::now()),
            body.clone(),
        ),
    ] {
        let (status, v) = post_raw(&inbox, &headers, body);
        assert_eq!(status, 401, "{what}: {v}");
        assert_eq!(
            peer.fetches(paul_path),
            0,
            "{what}: Paul's actor was fetched"
        );
    }

    // Signed with a key that is not Paul's: the node fetches Paul once (it did not know him),
    // and not again for the next forgeries.
    for attempt in 1..=3 {
        let forged = sign_post(&mallory.key, &paul.key_id, &inbox, &body, SystemTime::now());
        let (status, v) = post_raw(&inbox, &forged, body.clone());
        assert_eq!(status, 401, "forgery {attempt}: {v}");
    }
    assert_eq!(
        peer.fetches(paul_path),
        1,
        "Paul's actor fetched again for forged signatures"
    );

    // Paul himself is heard, with the key fetched then.
    let (status, v) = paul.post(&inbox, &follow);
    assert_eq!(status, 202, "{v}");
    assert_eq!(peer.fetches(paul_path), 1);
}

#[test]
fn the_inbox_limits_each_host_and_the_requests_at_once() {
    const SHARE: usize = 5;
    let mut a = Node::new("a", Db::Sqlite);
    a.extra_env.extend([
        (
            "ENTRAIDE__FEDERATION__INBOX_CONCURRENCY".to_string(),
            "1".to_string(),
        ),
        (
            "ENTRAIDE__FEDERATION__INBOX_PER_HOST_PER_MINUTE".to_string(),
            SHARE.to_string(),
        ),
    ]);
    a.start();
    a.user_with_token("alice");
    a.association("asso", "alice");
    let (asso, inbox) = (a.url("/g/asso"), a.url("/inbox"));
    let peer = Peer::start(&["paul"]);
    let paul = peer.actor("paul");

    // A server whose actor never answers: a request from it holds the node's only place while
    // the node waits for the actor's key.
    let silent = TcpListener::bind("127.0.0.1:0").expect("listener");
    let ghost = format!(
        "http://localhost:{}/actors/ghost",
        silent.local_addr().expect("address").port()
    );
    let ghost_body = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{ghost}/follows/1"), "type": "Follow", "actor": ghost, "object": asso})
    .to_string()
    .into_bytes();
    let ghost_headers = sign_post(
        &paul.key,
        &format!("{ghost}#main-key"),
        &inbox,
        &ghost_body,
        SystemTime::now(),
    );
    let held = {
        let inbox = inbox.clone();
        std::thread::spawn(move || post_raw(&inbox, &ghost_headers, ghost_body))
    };
    let fetching = accept_within_a_minute(&silent);

    // Meanwhile Paul's server is asked to come back later.
    let wave = |n: usize| {
        let activity = paul.activity("Wave", json!(format!("{asso}#{n}")));
        let body = activity.to_string().into_bytes();
        (paul.sign(&inbox, &body), body)
    };
    let (headers, body) = wave(0);
    let (status, retry) = post_retry_after(&inbox, &headers, body);
    assert_eq!(status, 503, "the only place is taken");
    assert!(
        retry.is_some_and(|s| s.parse::<u64>().is_ok_and(|s| s > 0)),
        "503 without Retry-After"
    );
    drop(fetching); // the ghost's key cannot be fetched
    let (status, v) = held.join().expect("the held request");
    assert_eq!(status, 401, "{v}");

    // Paul's server has its share of the minute (the request answered 503 counted), then 429.
    for n in 1..SHARE {
        let (headers, body) = wave(n);
        let (status, v) = post_raw(&inbox, &headers, body);
        assert_eq!(status, 202, "request {n} of Paul's server: {v}");
    }
    let (headers, body) = wave(SHARE);
    let (status, retry) = post_retry_after(&inbox, &headers, body);
    assert_eq!(status, 429, "past the host's share");
    let wait: u64 = retry
        .expect("429 without Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "Retry-After: {wait}");
}
