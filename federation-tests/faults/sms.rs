//! `kill -9` while the node sends SMS (issue 16, "retries without duplicates across a kill -9"):
//! a gateway on loopback that answers slowly and records every request; the process is killed
//! while it waits for an answer; started again, it sends what was left. Every SMS reaches the
//! gateway, none is sent twice except the one in flight at the kill (accepted by the gateway,
//! never recorded by the dead process), which comes again with the same `Idempotency-Key` (so
//! a gateway that honours it delivers it once), and the queue says `sent` for each.

use crate::support::{eventually, peer::read_request, sql::number, Api, Db, Node};
use std::{
    collections::HashMap,
    io::{BufReader, Write},
    net::TcpListener,
    sync::{Arc, Mutex},
    time::Duration,
};

const PEOPLE: usize = 6;

/// One request the gateway read: its `Idempotency-Key` and its JSON body's `to`.
type Got = (String, String);

/// A gateway that records each request as soon as it is read, then answers 200 after `delay`.
fn slow_gateway(delay: Duration) -> (String, Arc<Mutex<Vec<Got>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/sms", listener.local_addr().expect("addr"));
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let Ok(request) = read_request(&mut reader) else {
                    return;
                };
                let key = request.header("idempotency-key").unwrap_or_default();
                let json: serde_json::Value =
                    serde_json::from_slice(&request.body).unwrap_or_default();
                let to = json["to"].as_str().unwrap_or_default().to_string();
                seen.lock().expect("lock").push((key.to_string(), to));
                std::thread::sleep(delay);
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            });
        }
    });
    (url, got)
}

#[test]
fn kill_9_while_sending_sms_sends_each_once() {
    let (gateway, got) = slow_gateway(Duration::from_millis(500));
    let api = Api::default();
    let mut node = Node::new("texter", Db::Sqlite);
    for (key, value) in [
        ("ENABLED", "true"),
        ("GATEWAY_URL", gateway.as_str()),
        ("TOKEN", "gateway-secret"),
        ("SENDER", "Entraide"),
        ("TIMEOUT_SECONDS", "1"),
        ("RETRY_BASE_SECONDS", "1"),
    ] {
        node.extra_env
            .push((format!("ENTRAIDE__SMS__{key}"), value.to_string()));
    }
    node.start();
    // Each person gives a number: a confirmation code leaves for each, one by one, slowly.
    let tokens: Vec<String> = (0..PEOPLE)
        .map(|n| node.user_with_token(&format!("person{n}")))
        .collect();
    for (n, token) in tokens.iter().enumerate() {
        let body = serde_json::json!({"phone": format!("06 12 34 56 {:02}", 10 + n)});
        let (status, v) = api.send(
            "PUT",
            &node.url("/api/v1/me/phone"),
            Some(token),
            Some(&body),
        );
        assert_eq!(status, 202, "{v}");
    }
    let url = node.database_url();
    eventually(30, "the gateway is sending", || {
        (got.lock().expect("lock").len() >= 2).then_some(())
    });
    // Killed while the gateway holds a request: answered to nobody.
    node.kill9();
    let before = got.lock().expect("lock").clone();
    let sent_before = number(
        &url,
        "SELECT count(*) FROM sms_message WHERE status = 'sent'",
    );
    assert!(
        (sent_before as usize) < PEOPLE,
        "the kill came after everything was sent ({before:?})"
    );
    // The gateway read one request more than the node recorded as sent: the one it held when
    // the process died (the sender waits for each answer, so it is nearly always holding one).
    assert_eq!(
        before.len() as i64,
        sent_before + 1,
        "killed while the gateway held a request: {before:?}"
    );

    // Started again: what was left goes once the killed process's leases run out (the lease
    // outlasts three timeouts and a minute, so a live sender is never overtaken).
    node.start();
    eventually(120, "every SMS is marked sent", || {
        let sent = number(
            &url,
            "SELECT count(*) FROM sms_message WHERE status = 'sent'",
        );
        (sent as usize == PEOPLE).then_some(())
    });
    std::thread::sleep(Duration::from_secs(2));
    let all = got.lock().expect("lock").clone();
    let mut by_key: HashMap<&str, Vec<&str>> = HashMap::new();
    for (key, to) in &all {
        by_key.entry(key.as_str()).or_default().push(to.as_str());
    }
    // Every SMS reached the gateway, each with its own key and its own number.
    assert_eq!(by_key.len(), PEOPLE, "{all:?}");
    let numbers: std::collections::HashSet<&str> = all.iter().map(|(_, to)| to.as_str()).collect();
    assert_eq!(numbers.len(), PEOPLE, "{all:?}");
    // Only what was in flight at the kill came twice (the sender sends one at a time), with
    // the same key and to the same number.
    let twice: Vec<_> = by_key.iter().filter(|(_, tos)| tos.len() > 1).collect();
    assert_eq!(twice.len(), 1, "{all:?}");
    for (key, tos) in twice {
        assert_eq!(tos.len(), 2, "{all:?}");
        assert_eq!(tos[0], tos[1]);
        assert!(
            before.iter().any(|(k, _)| k == key),
            "a repeat of an SMS the killed process had sent: {all:?}"
        );
    }
    assert_eq!(all.len(), PEOPLE + 1, "{all:?}");
}
