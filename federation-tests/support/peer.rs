//! A tiny ActivityPub peer served from the test process, to talk to nodes as a foreign server
//! would: actors with RSA keys at `http://localhost:PORT/actors/{name}` (and found by WebFinger
//! as `@name@localhost:PORT`), inboxes that record every activity they receive, and
//! draft-cavage signing of the requests the tests send (`(request-target) host date digest`,
//! as Mastodon signs them).
//!
//! The HTTP side is a plain `std::net` server, one thread per connection, `Connection: close`:
//! enough for the few requests a test makes, with nothing to set up.

use base64::{engine::general_purpose::STANDARD, Engine};
use rsa::{
    pkcs8::{EncodePublicKey, LineEnding},
    Pkcs1v15Sign, RsaPrivateKey,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    sync::{
        atomic::{AtomicBool, AtomicU8, Ordering},
        Arc, Mutex, OnceLock,
    },
    time::{Duration, SystemTime},
};

pub const AS_CONTEXT: &str = "https://www.w3.org/ns/activitystreams";
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
const WEBFINGER: &str = "/.well-known/webfinger";

/// Request headers, as names and values.
pub type Headers = Vec<(String, String)>;

/// RSA keys are slow to make in a debug build: the tests of one run share a few.
fn shared_key(index: usize) -> RsaPrivateKey {
    static KEYS: OnceLock<Vec<RsaPrivateKey>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        let handles: Vec<_> = (0..3)
            .map(|_| {
                std::thread::spawn(|| {
                    RsaPrivateKey::new(&mut rand::thread_rng(), 2048).expect("RSA key")
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("key thread"))
            .collect()
    });
    keys[index % keys.len()].clone()
}

/// One activity a peer inbox received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The inbox path it was posted to.
    pub path: String,
    pub activity: Value,
    /// Whether the POST carried a `Signature` header.
    pub signed: bool,
}

impl Received {
    pub fn kind(&self) -> &str {
        self.activity["type"].as_str().unwrap_or_default()
    }

    pub fn id(&self) -> &str {
        self.activity["id"].as_str().unwrap_or_default()
    }

    /// The id of the object: a string, or the `id` of an embedded object.
    pub fn object_id(&self) -> &str {
        let object = &self.activity["object"];
        object
            .as_str()
            .or_else(|| object["id"].as_str())
            .unwrap_or_default()
    }
}

/// An actor of the peer, with its key.
#[derive(Clone)]
pub struct PeerActor {
    pub name: String,
    pub id: String,
    pub key_id: String,
    pub inbox: String,
    pub key: RsaPrivateKey,
    host: String,
    /// The `sharedInbox` its document names: the peer's `/inbox` unless told otherwise.
    shared_inbox: String,
}

impl PeerActor {
    /// The actor document the peer serves.
    pub fn document(&self) -> Value {
        let pem = self
            .key
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("public key PEM");
        json!({
            "@context": [AS_CONTEXT, "https://w3id.org/security/v1"],
            "id": self.id,
            "type": "Person",
            "preferredUsername": self.name,
            "name": format!("{} (test peer)", self.name),
            "inbox": self.inbox,
            "endpoints": {"sharedInbox": self.shared_inbox},
            "publicKey": {"id": self.key_id, "owner": self.id, "publicKeyPem": pem},
        })
    }

    /// `@name@localhost:PORT`, as people type it.
    pub fn handle(&self) -> String {
        format!("@{}@{}", self.name, self.host)
    }

    /// A fresh activity id on the peer's server.
    pub fn new_id(&self, slug: &str) -> String {
        format!(
            "http://{}/activities/{slug}-{}",
            self.host,
            uuid::Uuid::new_v4()
        )
    }

    /// `Follow` of `target` with the given id.
    pub fn follow(&self, id: &str, target: &str) -> Value {
        json!({"@context": AS_CONTEXT, "id": id, "type": "Follow", "actor": self.id, "object": target})
    }

    /// An activity of `kind` about `object`, with a fresh id.
    pub fn activity(&self, kind: &str, object: Value) -> Value {
        json!({
            "@context": AS_CONTEXT, "id": self.new_id(&kind.to_lowercase()), "type": kind,
            "actor": self.id, "to": [PUBLIC], "object": object,
        })
    }

    /// Headers of a POST of `body` to `url`, signed with this actor's key, dated now.
    pub fn sign(&self, url: &str, body: &[u8]) -> Headers {
        sign_post(&self.key, &self.key_id, url, body, SystemTime::now())
    }

    /// POSTs `activity` to `url`, correctly signed; returns the status and the JSON answer.
    pub fn post(&self, url: &str, activity: &Value) -> (u16, Value) {
        let body = activity.to_string().into_bytes();
        post_raw(url, &self.sign(url, &body), body)
    }
}

/// The headers of a draft-cavage signed POST: `Date`, `Digest`, `Signature`, `Content-Type`.
/// `Host` is signed as the URL's `host:port`, which is what the HTTP client sends.
pub fn sign_post(
    key: &RsaPrivateKey,
    key_id: &str,
    url: &str,
    body: &[u8],
    date: SystemTime,
) -> Headers {
    sign_post_covering(
        key,
        key_id,
        url,
        body,
        date,
        &["(request-target)", "host", "date", "digest"],
    )
}

/// Like [`sign_post`], with the signature covering only `covered` (for forgeries).
pub fn sign_post_covering(
    key: &RsaPrivateKey,
    key_id: &str,
    url: &str,
    body: &[u8],
    date: SystemTime,
    covered: &[&str],
) -> Headers {
    let parsed = url::Url::parse(url).expect("URL to sign");
    let host = match parsed.port() {
        Some(port) => format!("{}:{port}", parsed.host_str().expect("host")),
        None => parsed.host_str().expect("host").to_string(),
    };
    let target = match parsed.query() {
        Some(q) => format!("{}?{q}", parsed.path()),
        None => parsed.path().to_string(),
    };
    let date = httpdate::fmt_http_date(date);
    let digest = format!("SHA-256={}", STANDARD.encode(Sha256::digest(body)));
    let signing_string = covered
        .iter()
        .map(|name| match *name {
            "(request-target)" => format!("(request-target): post {target}"),
            "host" => format!("host: {host}"),
            "date" => format!("date: {date}"),
            "digest" => format!("digest: {digest}"),
            other => panic!("cannot sign header {other}"),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let signature = key
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signing_string.as_bytes()),
        )
        .expect("RSA signature");
    let header = format!(
        "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"{}\",signature=\"{}\"",
        covered.join(" "),
        STANDARD.encode(signature)
    );
    vec![
        ("Date".to_string(), date),
        ("Digest".to_string(), digest),
        ("Signature".to_string(), header),
        (
            "Content-Type".to_string(),
            "application/activity+json".to_string(),
        ),
    ]
}

/// POSTs `body` with exactly these headers (plus the client's own `Host` and `Content-Length`).
pub fn post_raw(url: &str, headers: &[(String, String)], body: Vec<u8>) -> (u16, Value) {
    static CLIENT: OnceLock<reqwest::blocking::Client> = OnceLock::new();
    let client = CLIENT.get_or_init(|| {
        reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("HTTP client")
    });
    let mut req = client.post(url).body(body);
    for (name, value) in headers {
        req = req.header(name.as_str(), value.as_str());
    }
    let res = req.send().expect("POST to the node");
    let status = res.status().as_u16();
    (status, res.json().unwrap_or(Value::Null))
}

/// The peer server and its actors.
pub struct Peer {
    pub base: String,
    actors: Vec<PeerActor>,
    received: Arc<Mutex<Vec<Received>>>,
    /// The path of every GET the peer answered, in order.
    fetched: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    port: u16,
    /// How the peer answers from now on (a [`Fault`] as a number; 0: as it should).
    fault: Arc<AtomicU8>,
}

/// A remote server gone bad: what the peer does with every request once told to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answers as it should.
    None = 0,
    /// Reads the request and never answers (the connection stays open).
    Silent = 1,
    /// Answers 200 with a body that never ends (a kilobyte every few milliseconds).
    Endless = 2,
    /// Answers bytes that are not HTTP at all, then hangs up.
    Garbage = 3,
}

impl Peer {
    /// Starts a peer on a free loopback port with one actor per name.
    pub fn start(names: &[&str]) -> Peer {
        Peer::start_with_shared_inbox(names, None)
    }

    /// [`Peer::start`], with actors whose documents name `shared_inbox` (another server's, say)
    /// as their shared inbox.
    pub fn start_with_shared_inbox(names: &[&str], shared_inbox: Option<&str>) -> Peer {
        Peer::start_full(names, shared_inbox, |_, _| Vec::new())
    }

    /// [`Peer::start`], also serving the documents `extra` makes from the peer's actors and
    /// base URL: `(path with its query, if any, JSON)`; a path of an actor replaces its
    /// document (another type, more fields).
    pub fn start_serving(
        names: &[&str],
        extra: impl FnOnce(&[PeerActor], &str) -> Vec<(String, Value)>,
    ) -> Peer {
        Peer::start_full(names, None, extra)
    }

    fn start_full(
        names: &[&str],
        shared_inbox: Option<&str>,
        extra: impl FnOnce(&[PeerActor], &str) -> Vec<(String, Value)>,
    ) -> Peer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("peer listener");
        let port = listener.local_addr().expect("peer address").port();
        let host = format!("localhost:{port}");
        let base = format!("http://{host}");
        let actors: Vec<PeerActor> = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let id = format!("{base}/actors/{name}");
                PeerActor {
                    name: name.to_string(),
                    key_id: format!("{id}#main-key"),
                    inbox: format!("{id}/inbox"),
                    id,
                    key: shared_key(i),
                    host: host.clone(),
                    shared_inbox: shared_inbox
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("{base}/inbox")),
                }
            })
            .collect();
        let mut documents: HashMap<String, String> = actors
            .iter()
            .map(|a| (format!("/actors/{}", a.name), a.document().to_string()))
            .collect();
        // WebFinger, as Mastodon answers it, so `@name@localhost:PORT` finds the actor.
        for a in &actors {
            let jrd = json!({"subject": format!("acct:{}@{host}", a.name), "links": [
                {"rel": "self", "type": "application/activity+json", "href": a.id}]});
            documents.insert(
                format!("{WEBFINGER}?resource=acct:{}@{host}", a.name),
                jrd.to_string(),
            );
        }
        for (path, doc) in extra(&actors, &base) {
            documents.insert(path, doc.to_string());
        }
        let documents = Arc::new(documents);
        let received = Arc::new(Mutex::new(Vec::new()));
        let fetched = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let fault = Arc::new(AtomicU8::new(Fault::None as u8));
        let (rec, stopping, gets) = (received.clone(), stop.clone(), fetched.clone());
        let faulty = fault.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (docs, rec, gets) = (documents.clone(), rec.clone(), gets.clone());
                let fault = faulty.load(Ordering::SeqCst);
                let stopping = stopping.clone();
                std::thread::spawn(move || {
                    let _ = match fault {
                        0 => serve(stream, &docs, &rec, &gets),
                        _ => misbehave(stream, fault, &stopping),
                    };
                });
            }
        });
        Peer {
            base,
            actors,
            received,
            fetched,
            stop,
            port,
            fault,
        }
    }

    /// Every actor of the peer.
    pub fn actors_list(&self) -> &[PeerActor] {
        &self.actors
    }

    /// From now on, every request the peer gets meets `fault`.
    pub fn go_bad(&self, fault: Fault) {
        self.fault.store(fault as u8, Ordering::SeqCst);
    }

    pub fn actor(&self, name: &str) -> &PeerActor {
        self.actors
            .iter()
            .find(|a| a.name == name)
            .expect("peer actor")
    }

    /// Everything the peer's inboxes received, in order.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("received lock").clone()
    }

    /// How many GETs of `path` the peer answered (an actor document: the node fetched it).
    pub fn fetches(&self, path: &str) -> usize {
        let fetched = self.fetched.lock().expect("fetched lock");
        fetched.iter().filter(|p| *p == path).count()
    }

    /// How many received activities match.
    pub fn count(&self, pred: impl Fn(&Received) -> bool) -> usize {
        self.received().iter().filter(|r| pred(r)).count()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port)); // wakes the accept loop
    }
}

/// One HTTP/1.1 request as read from a connection.
pub struct Request {
    /// `POST /inbox HTTP/1.1`.
    pub line: String,
    /// Names in lower case, values trimmed, in the order they came.
    pub headers: Vec<(String, String)>,
    /// `Content-Length` bytes.
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of a header (`name` in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        (self.headers.iter())
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one request: its line, its headers up to the blank line, and its body. A connection
/// closed before the blank line is an error (`UnexpectedEof`), as is a body cut short.
pub fn read_request(reader: &mut impl BufRead) -> std::io::Result<Request> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let length = (headers.iter())
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    Ok(Request {
        line: line.trim_end().to_string(),
        headers,
        body,
    })
}

/// Answers one request: an actor document, an inbox POST, or 404.
fn serve(
    mut stream: TcpStream,
    docs: &HashMap<String, String>,
    received: &Mutex<Vec<Received>>,
    fetched: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let Request {
        line,
        headers,
        body,
    } = read_request(&mut BufReader::new(stream.try_clone()?))?;
    let mut parts = line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("").to_string(),
    );
    let path = target.split('?').next().unwrap_or("").to_string();
    let signed = headers.iter().any(|(name, _)| name == "signature");
    if method == "GET" {
        fetched.lock().expect("fetched lock").push(path.clone());
    }
    // A WebFinger query is found by its resource (`:` and `@` may come percent-encoded).
    let decoded = target
        .replace("%3A", ":")
        .replace("%3a", ":")
        .replace("%40", "@");
    let doc = if path == WEBFINGER {
        docs.get(&decoded)
    } else {
        // A page of a collection is served by its full target (`/outbox?page=2`).
        docs.get(&target).or_else(|| docs.get(&path))
    };
    let kind = if path == WEBFINGER {
        "application/jrd+json"
    } else {
        "application/activity+json"
    };
    let (status, content_type, payload) = match (method.as_str(), doc) {
        ("GET", Some(doc)) => ("200 OK", kind, doc.clone()),
        ("POST", _) if path.ends_with("/inbox") => match serde_json::from_slice::<Value>(&body) {
            Ok(activity) => {
                received.lock().expect("received lock").push(Received {
                    path,
                    activity,
                    signed,
                });
                ("202 Accepted", "application/json", "{}".to_string())
            }
            Err(_) => ("400 Bad Request", "application/json", "{}".to_string()),
        },
        _ => ("404 Not Found", "application/json", "{}".to_string()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    )?;
    stream.flush()
}

/// What a peer gone bad does with a request (see [`Fault`]); ends when the peer stops.
fn misbehave(mut stream: TcpStream, fault: u8, stop: &AtomicBool) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_millis(200)))?;
    let mut buf = [0u8; 4096];
    let _ = stream.read(&mut buf);
    match fault {
        1 => {
            while !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(100));
            }
            Ok(())
        }
        2 => {
            stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/activity+json\r\n\r\n{\"a\":\"",
            )?;
            let chunk = [b'x'; 1024];
            while !stop.load(Ordering::SeqCst) {
                stream.write_all(&chunk)?;
                std::thread::sleep(Duration::from_millis(2));
            }
            Ok(())
        }
        _ => {
            let noise: Vec<u8> = (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect();
            stream.write_all(&noise)?;
            stream.flush()
        }
    }
}
