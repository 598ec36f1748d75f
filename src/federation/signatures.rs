//! HTTP signatures (draft-cavage, as Mastodon sends them): checking incoming ones and the
//! `Digest` of the body, and signing our deliveries. RSA runs on AWS-LC (about ten times faster
//! than the pure-Rust crate, see docs/benchmarks.md); keys are read once and kept. The federation crate does the same inside `receive_activity`, but we need each
//! failure told apart (401 with a reason) and the key checked against the activity's actor.

use super::error::FedError;
use crate::domain::actor::Actor;
use aws_lc_rs::{
    rand::SystemRandom,
    signature::{RsaKeyPair, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256},
};
use base64::{engine::general_purpose::STANDARD, Engine};
use http::{HeaderMap, Method, Uri};
use http_signature_normalization::{verify::Unverified, Config};
use rsa::{
    pkcs1::EncodeRsaPublicKey,
    pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey},
    traits::PublicKeyParts,
    Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey,
};
use sha2::{Digest, Sha256};
use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex, OnceLock},
    time::Duration,
};

/// How old a signature may be. Mastodon allows 12 h; one hour is plenty for our queue.
pub const MAX_AGE: Duration = Duration::from_secs(3600);

/// Checks `Digest: SHA-256=…` against the body.
pub fn verify_digest(headers: &HeaderMap, body: &[u8]) -> Result<(), FedError> {
    let header = headers
        .get("digest")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| FedError::Unauthorized("the Digest header is missing".into()))?;
    let expected = STANDARD.encode(Sha256::digest(body));
    let matches = header.split(',').any(|part| {
        part.trim()
            .split_once('=')
            .map(|(alg, value)| alg.eq_ignore_ascii_case("sha-256") && value == expected)
            .unwrap_or(false)
    });
    if matches {
        Ok(())
    } else {
        Err(FedError::Unauthorized(
            "the Digest header does not match the body".into(),
        ))
    }
}

/// Parses and dates the signature; the key is checked later, once the actor is known.
pub fn begin_verify(
    headers: &HeaderMap,
    method: &Method,
    uri: &Uri,
    host: &str,
) -> Result<Unverified, FedError> {
    let mut map = BTreeMap::new();
    for (name, value) in headers {
        if let Ok(v) = value.to_str() {
            map.insert(name.as_str().to_string(), v.to_string());
        }
    }
    // Behind a proxy that drops Host, the signed host is ours.
    map.entry("host".to_string())
        .or_insert_with(|| host.to_string());
    if let Some(date) = map.get("date") {
        let parsed = httpdate::parse_http_date(date).map_err(|_| {
            FedError::Unauthorized("the Date header is not a valid HTTP date".into())
        })?;
        // The system clock, not the node's `Clock`: a Date header is compared with the other
        // server's real clock, and a test node on a fixed clock must still talk to real peers.
        if parsed > std::time::SystemTime::now() + MAX_AGE {
            return Err(FedError::Unauthorized(
                "the Date header is in the future".into(),
            ));
        }
    } else {
        return Err(FedError::Unauthorized("the Date header is missing".into()));
    }
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    Config::new()
        .set_expiration(MAX_AGE)
        .require_digest()
        .require_header("date")
        .begin_verify(method.as_str(), path, map)
        .map_err(|e| FedError::Unauthorized(format!("HTTP signature refused: {e}")))
}

/// Whether `key_id` designates a key of `actor_id` (`actor#main-key` or `actor/main-key`).
pub fn key_belongs_to(key_id: &str, actor_id: &str) -> bool {
    let without_fragment = key_id.split('#').next().unwrap_or(key_id);
    without_fragment == actor_id
        || key_id
            .strip_prefix(actor_id)
            .map(|rest| rest.starts_with('/'))
            .unwrap_or(false)
}

/// A public key read once: AWS-LC's form for 2048 to 8192 bits (the fast path), the pure-Rust
/// key for smaller ones, which AWS-LC refuses.
enum PublicKey {
    Fast(Vec<u8>),
    Small(RsaPublicKey),
}

/// Public keys by their PEM text: reading a PEM costs more than checking a signature, and the
/// same few keys sign most of what arrives. Bounded: emptied when it holds 10,000 keys.
fn public_key(pem: &str) -> Option<Arc<PublicKey>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<PublicKey>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(k) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(pem) {
        return Some(k.clone());
    }
    let key = RsaPublicKey::from_public_key_pem(pem).ok()?;
    let parsed = if (2048..=8192).contains(&(key.size() * 8)) {
        PublicKey::Fast(key.to_pkcs1_der().ok()?.as_bytes().to_vec())
    } else {
        PublicKey::Small(key)
    };
    let parsed = Arc::new(parsed);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= 10_000 {
        cache.clear();
    }
    cache.insert(pem.to_string(), parsed.clone());
    Some(parsed)
}

/// Checks the signature with the actor's public key.
pub fn verify_with_key(unverified: &Unverified, public_key_pem: &str) -> Result<(), FedError> {
    let key = public_key(public_key_pem)
        .ok_or_else(|| FedError::Unauthorized("the actor's public key cannot be read".into()))?;
    let ok = unverified.verify(|signature, signing_string| {
        let Ok(signature) = STANDARD.decode(signature) else {
            return false;
        };
        match key.as_ref() {
            PublicKey::Fast(der) => UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der)
                .verify(signing_string.as_bytes(), &signature)
                .is_ok(),
            PublicKey::Small(key) => key
                .verify(
                    Pkcs1v15Sign::new::<Sha256>(),
                    &Sha256::digest(signing_string.as_bytes()),
                    &signature,
                )
                .is_ok(),
        }
    });
    if ok {
        Ok(())
    } else {
        Err(FedError::Unauthorized(
            "the HTTP signature does not match".into(),
        ))
    }
}

/// What signs a local actor's deliveries: its key id and its key pair, read once.
pub struct Signer {
    key_id: String,
    pair: RsaKeyPair,
}

/// The signer of a local actor, kept for the life of the process (a changed key is a new PEM).
pub fn signer_for(actor: &Actor) -> Result<Arc<Signer>, FedError> {
    /// By actor id and PEM.
    type Signers = HashMap<(String, String), Arc<Signer>>;
    static CACHE: OnceLock<Mutex<Signers>> = OnceLock::new();
    let pem = actor
        .private_key_pem
        .as_deref()
        .ok_or_else(|| FedError::Internal(format!("{} has no private key", actor.ap_id)))?;
    let cache = CACHE.get_or_init(Default::default);
    let k = (actor.ap_id.clone(), pem.to_string());
    if let Some(s) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&k) {
        return Ok(s.clone());
    }
    let der = RsaPrivateKey::from_pkcs8_pem(pem)
        .and_then(|key| key.to_pkcs8_der())
        .map_err(|e| FedError::Internal(format!("private key of {}: {e}", actor.ap_id)))?;
    let pair = RsaKeyPair::from_pkcs8(der.as_bytes())
        .map_err(|e| FedError::Internal(format!("private key of {}: {e}", actor.ap_id)))?;
    let signer = Arc::new(Signer {
        key_id: format!("{}#main-key", actor.ap_id),
        pair,
    });
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(k, signer.clone());
    Ok(signer)
}

/// `host` as signed: with the port when the URL names one.
fn signed_host(url: &url::Url) -> Result<String, FedError> {
    let host = super::objects::host_of(url);
    if host.is_empty() {
        return Err(FedError::BadRequest(format!("{url} has no host")));
    }
    Ok(host)
}

/// The path and query, as `(request-target)` signs them.
fn request_target(url: &url::Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

impl Signer {
    /// A draft-cavage `Signature` header over `signing_string`.
    fn signature_header(&self, headers: &str, signing_string: &str) -> Result<String, FedError> {
        let mut signature = vec![0; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                signing_string.as_bytes(),
                &mut signature,
            )
            .map_err(|_| FedError::Internal("cannot sign the request".into()))?;
        Ok(format!(
            "keyId=\"{}\",algorithm=\"rsa-sha256\",headers=\"{headers}\",signature=\"{}\"",
            self.key_id,
            STANDARD.encode(signature)
        ))
    }
}

/// The headers of a signed GET of `url` (servers in "secure mode", such as Mastodon with
/// authorized fetch, answer only those): `Date` and a `Signature` over the request target,
/// `host` and `date`.
pub fn sign_get(signer: &Signer, url: &url::Url) -> Result<Vec<(&'static str, String)>, FedError> {
    let host = signed_host(url)?;
    // The system clock, not the node's `Clock`: the receiving server checks this Date against
    // its own real clock.
    let date = httpdate::fmt_http_date(std::time::SystemTime::now());
    let signing_string = format!(
        "(request-target): get {}\nhost: {host}\ndate: {date}",
        request_target(url)
    );
    let signature = signer.signature_header("(request-target) host date", &signing_string)?;
    Ok(vec![
        ("host", host),
        ("date", date),
        ("signature", signature),
    ])
}

/// The headers of a signed POST of `body` to `url`, as Mastodon expects them: `Date`,
/// `Digest`, `Content-Type` and a draft-cavage `Signature` over the request target, `host`,
/// `date` and `digest`.
pub fn sign_post(
    signer: &Signer,
    url: &url::Url,
    body: &[u8],
) -> Result<Vec<(&'static str, String)>, FedError> {
    let host = signed_host(url)?;
    let target = request_target(url);
    // The system clock, not the node's `Clock`: the receiving server checks this Date against
    // its own real clock.
    let date = httpdate::fmt_http_date(std::time::SystemTime::now());
    let digest = format!("SHA-256={}", STANDARD.encode(Sha256::digest(body)));
    let signing_string =
        format!("(request-target): post {target}\nhost: {host}\ndate: {date}\ndigest: {digest}");
    let signature =
        signer.signature_header("(request-target) host date digest", &signing_string)?;
    Ok(vec![
        ("host", host),
        ("date", date),
        ("digest", digest),
        ("content-type", "application/activity+json".to_string()),
        ("signature", signature),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids() {
        assert!(key_belongs_to(
            "https://a.example/u/x#main-key",
            "https://a.example/u/x"
        ));
        assert!(key_belongs_to(
            "https://a.example/u/x/main-key",
            "https://a.example/u/x"
        ));
        assert!(!key_belongs_to(
            "https://a.example/u/xy#main-key",
            "https://a.example/u/x"
        ));
        assert!(!key_belongs_to(
            "https://evil.example/u/x#main-key",
            "https://a.example/u/x"
        ));
    }

    fn signer(key: &RsaPrivateKey) -> Signer {
        let der = key.to_pkcs8_der().expect("DER");
        Signer {
            key_id: "https://a.example/u/x#main-key".into(),
            pair: RsaKeyPair::from_pkcs8(der.as_bytes()).expect("key pair"),
        }
    }

    /// What we sign, the inbox checks: the digest, the signature with the right key; not with
    /// another key, not for another path. A 1024-bit key (AWS-LC refuses those) is checked the
    /// slow, pure-Rust way.
    #[test]
    fn what_we_sign_we_verify() {
        use rsa::pkcs8::{EncodePublicKey, LineEnding};
        let mut rng = rand::thread_rng();
        for bits in [2048, 1024] {
            let key = RsaPrivateKey::new(&mut rng, bits).expect("key");
            let other = RsaPrivateKey::new(&mut rng, bits).expect("key");
            let pem = |k: &RsaPrivateKey| {
                k.to_public_key()
                    .to_public_key_pem(LineEnding::LF)
                    .expect("PEM")
            };
            let url = url::Url::parse("https://b.example/inbox?x=1").expect("url");
            let body = br#"{"id":"https://a.example/1"}"#;
            let big = RsaPrivateKey::new(&mut rng, 2048).expect("key");
            let mut signed = sign_post(&signer(if bits == 2048 { &key } else { &big }), &url, body)
                .expect("signed");
            if bits == 1024 {
                // The same request signed with the small key, by the pure-Rust crate.
                let get = |n: &str| signed.iter().find(|h| h.0 == n).map(|h| h.1.clone());
                let text = format!(
                    "(request-target): post /inbox?x=1\nhost: b.example\ndate: {}\ndigest: {}",
                    get("date").expect("date"),
                    get("digest").expect("digest")
                );
                let sig = key
                    .sign(
                        Pkcs1v15Sign::new::<Sha256>(),
                        &Sha256::digest(text.as_bytes()),
                    )
                    .expect("signature");
                let header = format!(
                    "keyId=\"https://a.example/u/x#main-key\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"{}\"",
                    STANDARD.encode(sig)
                );
                signed.retain(|h| h.0 != "signature");
                signed.push(("signature", header));
            }
            let mut headers = HeaderMap::new();
            for (name, value) in &signed {
                headers.insert(*name, value.parse().expect("header value"));
            }
            verify_digest(&headers, body).expect("digest");
            assert!(verify_digest(&headers, b"{}").is_err());
            let uri: Uri = "/inbox?x=1".parse().expect("uri");
            let unverified =
                begin_verify(&headers, &Method::POST, &uri, "b.example").expect("parsed");
            verify_with_key(&unverified, &pem(&key)).expect("verified");
            assert!(
                verify_with_key(&unverified, &pem(&other)).is_err(),
                "{bits}"
            );
            // Another path was not signed.
            let moved: Uri = "/elsewhere".parse().expect("uri");
            let unverified =
                begin_verify(&headers, &Method::POST, &moved, "b.example").expect("parsed");
            assert!(verify_with_key(&unverified, &pem(&key)).is_err(), "{bits}");
        }
    }

    /// A signed GET names the request target, the host (with its port) and the date, and
    /// verifies with the signer's key only, for that path only.
    #[test]
    fn signed_get_verifies() {
        use rsa::pkcs8::{EncodePublicKey, LineEnding};
        let mut rng = rand::thread_rng();
        let key = RsaPrivateKey::new(&mut rng, 2048).expect("key");
        let other = RsaPrivateKey::new(&mut rng, 2048).expect("key");
        let pem = |k: &RsaPrivateKey| {
            k.to_public_key()
                .to_public_key_pem(LineEnding::LF)
                .expect("PEM")
        };
        let url = url::Url::parse("http://b.example:8080/u/x?page=2").expect("url");
        let signed = sign_get(&signer(&key), &url).expect("signed");
        let map: BTreeMap<String, String> = signed
            .iter()
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect();
        assert_eq!(map["host"], "b.example:8080");
        assert!(map["signature"].contains("headers=\"(request-target) host date\""));
        let check = |path: &str, k: &RsaPrivateKey| {
            let unverified = Config::new()
                .mastodon_compat()
                .begin_verify("GET", path, map.clone())
                .expect("parsed");
            verify_with_key(&unverified, &pem(k)).is_ok()
        };
        assert!(check("/u/x?page=2", &key));
        assert!(!check("/u/x?page=2", &other));
        assert!(!check("/u/y?page=2", &key));
    }

    #[test]
    fn digest_must_match() {
        let body = b"{\"a\":1}";
        let mut h = HeaderMap::new();
        assert!(verify_digest(&h, body).is_err());
        let good = format!("SHA-256={}", STANDARD.encode(Sha256::digest(body)));
        h.insert("digest", good.parse().expect("header"));
        assert!(verify_digest(&h, body).is_ok());
        assert!(verify_digest(&h, b"{\"a\":2}").is_err());
    }
}
