//! Where the node's outgoing requests may go, and how much of an answer it reads.
//!
//! Every request the node makes to another server (finding an actor from what someone typed,
//! NodeInfo, WebFinger, actors and objects, deliveries) leaves through [`super::http_client`],
//! which carries two guards with one rule, [`is_public`]:
//! - [`Destination`], a middleware that looks at each request's URL before it is sent: https
//!   only, no explicit port, and a host written as an IP address must be a public one;
//! - [`PublicResolver`], the client's DNS resolver: a name that resolves to a private address
//!   is refused when the connection is made (so a name that changes its answer between a check
//!   and the connection gains nothing).
//!
//! With `federation.allow_private_addresses = true` (a closed network, the tests) both let
//! everything through.

use http::Extensions;
use reqwest::{
    dns::{Addrs, Name, Resolve, Resolving},
    Request, Response,
};
use reqwest_middleware::{Middleware, Next};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use url::{Host, Url};

/// Whether an address is one of the internet's, not of a private network, this machine, a
/// link, a multicast group or a reserved range.
pub fn is_public(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4_is_public(v4),
        IpAddr::V6(v6) => v6_is_public(v6),
    }
}

fn v4_is_public(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let refused = a == 0 // "this network"; 0.0.0.0 reaches this machine on Linux
        || a == 10 // private
        || a == 127 // loopback
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT, used inside clouds
        || (a == 169 && b == 254) // link-local, where cloud metadata services answer
        || (a == 172 && (16..32).contains(&b)) // private
        || (a == 192 && b == 0 && c == 0) // protocol assignments
        || (a == 192 && b == 0 && c == 2) // documentation
        || (a == 192 && b == 168) // private
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // documentation
        || (a == 203 && b == 0 && c == 113) // documentation
        || a >= 224; // multicast, reserved, broadcast
    !refused
}

fn v6_is_public(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded_v4 = || Ipv4Addr::from((u32::from(s[6]) << 16) | u32::from(s[7]));
    match s {
        // IPv4 translated by NAT64 (64:ff9b::/96): the IPv4 address inside decides.
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => v4_is_public(embedded_v4()),
        // 6to4 (2002::/16): the IPv4 address in the second and third groups decides.
        [0x2002, hi, lo, ..] => v4_is_public(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo))),
        // Unspecified, loopback and the deprecated IPv4-compatible form (::/96).
        [0, 0, 0, 0, 0, 0, _, _] => false,
        _ => {
            let first = s[0];
            let refused = (first & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (first & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
                || (first & 0xff00) == 0xff00 // multicast ff00::/8
                || (first == 0x2001 && s[1] == 0x0db8) // documentation
                || (first == 0x64 && s[1] == 0xff9b && s[2] == 1) // local-use NAT64
                || (first == 0x0100 && s[1..4] == [0, 0, 0]); // discard-only 100::/64
            !refused
        }
    }
}

/// Why an outgoing request is not made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("{0}: only https is allowed")]
    Scheme(String),
    #[error("{0}: no explicit port is allowed")]
    Port(String),
    #[error("{0}: no host")]
    NoHost(String),
    #[error("{0} is a private, loopback, link-local or reserved address")]
    Private(String),
}

/// Whether a request to `url` may leave: https, the default port, and a host that is a name
/// or a public address. Everything passes when private addresses are allowed but the scheme,
/// which must still be http or https. Names are checked when they are resolved.
pub fn check_destination(url: &Url, allow_private: bool) -> Result<(), Refused> {
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Err(Refused::Scheme(url.to_string())),
    }
    if allow_private {
        return Ok(());
    }
    if url.port().is_some() {
        return Err(Refused::Port(url.to_string()));
    }
    let ip = match url.host() {
        None => return Err(Refused::NoHost(url.to_string())),
        Some(Host::Domain(_)) => return Ok(()),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
    };
    if is_public(ip) {
        Ok(())
    } else {
        Err(Refused::Private(ip.to_string()))
    }
}

/// Checks each request's URL before it is sent ([`check_destination`]).
pub struct Destination {
    pub allow_private: bool,
}

#[async_trait::async_trait]
impl Middleware for Destination {
    async fn handle(
        &self,
        req: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        if let Err(refused) = check_destination(req.url(), self.allow_private) {
            tracing::info!(url = %req.url(), %refused, "outgoing request refused");
            return Err(reqwest_middleware::Error::middleware(refused));
        }
        next.run(req, extensions).await
    }
}

/// The DNS resolver of the node's HTTP client: refuses a name that resolves to an address
/// that is not public, unless private addresses are allowed.
pub struct PublicResolver {
    pub allow_private: bool,
}

impl Resolve for PublicResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().trim_end_matches('.').to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allow_private {
                if let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
                    let refused = Refused::Private(format!("{host} ({})", bad.ip()));
                    return Err(Box::new(refused) as Box<dyn std::error::Error + Send + Sync>);
                }
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// Reads at most `limit` bytes of a body, chunk by chunk, and stops there: the rest is never
/// read (the connection is dropped). Returns what was read and whether that was all of it.
pub async fn read_at_most(res: &mut Response, limit: usize) -> reqwest::Result<(Vec<u8>, bool)> {
    let mut bytes = Vec::new();
    while let Some(chunk) = res.chunk().await? {
        let room = limit - bytes.len();
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            return Ok((bytes, false));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((bytes, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    #[test]
    fn private_loopback_link_local_and_reserved_addresses_are_not_public() {
        for refused in [
            "10.0.0.5",
            "127.0.0.1",
            "0.0.0.0",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.5",
            "64:ff9b::a00:5",
            "2002:a00:5::1",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip(refused)), "{refused} must be refused");
        }
        for public in [
            "93.184.216.34",
            "172.32.0.1",
            "1.1.1.1",
            "2a01:4f8::1",
            "64:ff9b::5db8:d822",
        ] {
            assert!(is_public(ip(public)), "{public} is public");
        }
    }

    #[test]
    fn destinations_need_https_no_port_and_a_public_address() {
        let url = |s: &str| Url::parse(s).expect("url");
        let closed = |s: &str| check_destination(&url(s), false);
        assert!(closed("https://asso.example/actor").is_ok());
        assert!(closed("https://93.184.216.34/").is_ok());
        assert!(matches!(
            closed("http://10.0.0.5:8500/"),
            Err(Refused::Scheme(_))
        ));
        assert!(matches!(
            closed("https://asso.example:8443/"),
            Err(Refused::Port(_))
        ));
        for private in [
            "https://10.0.0.5/",
            "https://127.0.0.1/",
            "https://[::1]/",
            "https://[::ffff:169.254.169.254]/",
            "https://0.0.0.0/",
        ] {
            assert!(
                matches!(closed(private), Err(Refused::Private(_))),
                "{private}"
            );
        }
        // A closed network (the tests): http, ports and private addresses, but still http(s).
        assert!(check_destination(&url("http://10.0.0.5:8500/"), true).is_ok());
        assert!(check_destination(&url("ftp://asso.example/"), true).is_err());
    }
}
