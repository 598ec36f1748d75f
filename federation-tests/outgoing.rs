//! Where a public node's requests may go: with `allow_private_addresses = false`, nothing
//! it is asked to reach on a private or loopback address is reached, whether the address is
//! written as such or behind a name; and a node named by an IP address does not start.

use crate::support::{Api, Db, Node};
use serde_json::json;
use std::{
    net::TcpListener,
    process::Stdio,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

/// A loopback port that counts the connections made to it (and answers none).
fn watched_port() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("listener");
    let port = listener.local_addr().expect("address").port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (port, connections)
}

#[test]
fn a_public_node_reaches_no_private_address() {
    let api = Api::default();
    let mut a = Node::new("a", Db::Sqlite);
    a.extra_env.push((
        "ENTRAIDE__FEDERATION__ALLOW_PRIVATE_ADDRESSES".into(),
        "false".into(),
    ));
    a.start();
    let token = a.user_with_token("alice");
    let (port, connections) = watched_port();
    for target in [
        // A server by its address: its NodeInfo would be read first.
        format!("http://127.0.0.1:{port}/"),
        format!("https://127.0.0.1:{port}/"),
        format!("http://[::ffff:127.0.0.1]:{port}/"),
        // An actor by its address, and by a name that resolves to loopback.
        format!("http://127.0.0.1:{port}/actors/x"),
        format!("http://localhost:{port}/"),
        format!("https://localhost:{port}/actors/x"),
        // WebFinger on such a server.
        format!("@x@127.0.0.1:{port}"),
        format!("@x@localhost:{port}"),
    ] {
        let (status, v) = api.send(
            "POST",
            &a.url("/api/v1/follows"),
            Some(&token),
            Some(&json!({ "target": target })),
        );
        assert!(
            (400..500).contains(&status),
            "following {target}: {status} {v}"
        );
        assert!(
            v["message"].as_str().is_some_and(|m| !m.is_empty()),
            "following {target}: a message is expected, got {v}"
        );
    }
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "the node connected to a loopback address"
    );
}

/// The federation crate refuses ids without a domain name: a node named by an IP address could
/// not federate, even on a closed network. It says so at start and stops.
#[test]
fn a_node_named_by_an_ip_address_does_not_start() {
    let mut a = Node::new("a", Db::Sqlite);
    a.extra_env.push((
        "ENTRAIDE__SERVER__PUBLIC_URL".into(),
        format!("http://127.0.0.1:{}", a.port),
    ));
    let mut child = a
        .command()
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("entraide serve starts");
    // A guard against a node that runs, not a measure.
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("a node named by an IP address started");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    use std::io::Read;
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    assert!(!status.success(), "{stderr}");
    assert!(
        stderr.contains("server.public_url") && stderr.contains("domain name"),
        "the message names the key and what it needs: {stderr}"
    );
}
