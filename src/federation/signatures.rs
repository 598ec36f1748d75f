//! Checking incoming HTTP signatures (draft-cavage, as Mastodon sends them) and the `Digest`
//! of the body. The federation crate does the same inside `receive_activity`, but we need each
//! failure told apart (401 with a reason) and the key checked against the activity's actor.

use super::error::FedError;
use base64::{engine::general_purpose::STANDARD, Engine};
use http::{HeaderMap, Method, Uri};
use http_signature_normalization::{verify::Unverified, Config};
use rsa::{pkcs8::DecodePublicKey, Pkcs1v15Sign, RsaPublicKey};
use sha2::{Digest, Sha256};
use std::{collections::BTreeMap, time::Duration};

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

/// Checks the signature with the actor's public key.
pub fn verify_with_key(unverified: &Unverified, public_key_pem: &str) -> Result<(), FedError> {
    let key = RsaPublicKey::from_public_key_pem(public_key_pem)
        .map_err(|_| FedError::Unauthorized("the actor's public key cannot be read".into()))?;
    let ok = unverified.verify(|signature, signing_string| {
        let Ok(signature) = STANDARD.decode(signature) else {
            return false;
        };
        key.verify(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signing_string.as_bytes()),
            &signature,
        )
        .is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(FedError::Unauthorized(
            "the HTTP signature does not match".into(),
        ))
    }
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
