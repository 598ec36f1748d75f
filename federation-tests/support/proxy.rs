//! A reverse proxy in front of several `entraide serve` processes, as a load balancer deploys
//! them: each connection goes to the next process in turn (round robin at the connection, as
//! HAProxy's `mode tcp` or Caddy's `lb_policy round_robin` with one request per connection do),
//! skipping a process that refuses connections. Bytes are copied both ways unchanged, so the
//! `Host` the client sent (the node's public host) reaches the process as it would through Caddy.

use std::{
    io::copy,
    net::{Shutdown, TcpListener, TcpStream},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
};

pub struct Proxy {
    pub port: u16,
    /// Connections sent to each backend, in the order given.
    pub served: Arc<Vec<AtomicUsize>>,
}

impl Proxy {
    /// Listens on `port` (free, on loopback) and spreads connections over `backends`.
    pub fn start(port: u16, backends: Vec<u16>) -> Proxy {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("proxy listener");
        let served: Arc<Vec<AtomicUsize>> =
            Arc::new(backends.iter().map(|_| AtomicUsize::new(0)).collect());
        let counts = served.clone();
        std::thread::spawn(move || {
            let next = AtomicUsize::new(0);
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let first = next.fetch_add(1, Ordering::SeqCst);
                let picked = (0..backends.len()).find_map(|k| {
                    let i = (first + k) % backends.len();
                    TcpStream::connect(("127.0.0.1", backends[i]))
                        .ok()
                        .map(|s| (i, s))
                });
                let Some((i, upstream)) = picked else {
                    continue;
                };
                counts[i].fetch_add(1, Ordering::SeqCst);
                pipe(client, upstream);
            }
        });
        Proxy { port, served }
    }
}

/// Copies each side to the other until either ends.
fn pipe(client: TcpStream, upstream: TcpStream) {
    let (Ok(mut c2), Ok(mut u2)) = (client.try_clone(), upstream.try_clone()) else {
        return;
    };
    let (mut c, mut u) = (client, upstream);
    std::thread::spawn(move || {
        let _ = copy(&mut c, &mut u);
        let _ = u.shutdown(Shutdown::Write);
    });
    std::thread::spawn(move || {
        let _ = copy(&mut u2, &mut c2);
        let _ = c2.shutdown(Shutdown::Write);
    });
}
