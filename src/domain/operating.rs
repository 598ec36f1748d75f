//! Who may read `/metrics`.

use sha2::{Digest, Sha256};

/// What `/metrics` answers a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsAccess {
    Granted,
    /// No token is configured and the request is not a direct one from this machine: 404.
    LoopbackOnly,
    /// A token is configured and the request did not bring it: 401.
    TokenNeeded,
    /// `[metrics] enabled = false`: 404.
    Disabled,
}

/// The request, as far as the rule reads it.
#[derive(Debug, Clone, Copy)]
pub struct MetricsRequest<'a> {
    /// The peer's address is a loopback one.
    pub from_loopback: bool,
    /// It carries `Forwarded`, `X-Forwarded-For` or `X-Real-IP`: a proxy passed it on, so the
    /// loopback peer is the proxy, not the client.
    pub proxied: bool,
    /// The `Authorization: Bearer` value, if any.
    pub bearer: Option<&'a str>,
}

/// A direct request from loopback is served; otherwise the configured token (`[metrics]
/// token`) must come as a bearer token. Compared through digests, in constant time.
pub fn metrics_access(enabled: bool, token: &str, req: MetricsRequest<'_>) -> MetricsAccess {
    if !enabled {
        return MetricsAccess::Disabled;
    }
    if req.from_loopback && !req.proxied {
        return MetricsAccess::Granted;
    }
    if token.is_empty() {
        return MetricsAccess::LoopbackOnly;
    }
    match req.bearer {
        Some(given) if same_secret(given, token) => MetricsAccess::Granted,
        _ => MetricsAccess::TokenNeeded,
    }
}

fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(from_loopback: bool, proxied: bool, bearer: Option<&str>) -> MetricsRequest<'_> {
        MetricsRequest {
            from_loopback,
            proxied,
            bearer,
        }
    }

    #[test]
    fn loopback_or_the_token() {
        use MetricsAccess::*;
        assert_eq!(metrics_access(true, "", req(true, false, None)), Granted);
        assert_eq!(
            metrics_access(true, "", req(true, true, None)),
            LoopbackOnly
        );
        assert_eq!(
            metrics_access(true, "", req(false, false, Some(""))),
            LoopbackOnly
        );
        assert_eq!(
            metrics_access(true, "s3", req(false, false, None)),
            TokenNeeded
        );
        assert_eq!(
            metrics_access(true, "s3", req(false, false, Some("s4"))),
            TokenNeeded
        );
        assert_eq!(
            metrics_access(true, "s3", req(true, true, Some("s3"))),
            Granted
        );
        assert_eq!(
            metrics_access(false, "s3", req(true, false, Some("s3"))),
            Disabled
        );
    }
}
