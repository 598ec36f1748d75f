//! Who the client is, for the per-address brakes (logins, registrations, resets, help
//! requests): the peer of the TCP connection, or, when that peer is one of the reverse proxies
//! the node trusts (`[server] trusted_proxies`), the client that the proxy names in
//! `X-Forwarded-For` (or, without it, `Forwarded: for=`).
//!
//! The forwarded chain is read from the right: each proxy appends the address it received the
//! request from, so the rightmost address that is not a trusted proxy is the first one no
//! trusted party vouches for beyond, and the one to count. Addresses further left were written
//! by the client itself and can be anything. An entry that is not an address stops the walk:
//! the request then counts for the last trusted hop reached.

use crate::state::AppState;
use axum::http::{request::Parts, HeaderMap};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The client's IP address, when the server was started with `ConnectInfo` (`serve` is; the
/// in-process tests call the router without it, or insert one).
pub struct ClientAddress(pub Option<IpAddr>);

impl axum::extract::FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddress(peer.map(|peer| {
            // The list is short (one to three entries) and only read on the braked routes:
            // parsed here rather than kept beside the configuration, which tests build by hand.
            let trusted =
                trusted_networks(&state.config.server.trusted_proxies).unwrap_or_default();
            client_ip(peer, &parts.headers, &trusted)
        })))
    }
}

/// The networks of `[server] trusted_proxies`: each entry an address (`127.0.0.1`, `::1`) or a
/// network (`10.0.0.0/8`); the entry that is neither, as an error.
pub fn trusted_networks(entries: &[String]) -> Result<Vec<IpNet>, String> {
    entries
        .iter()
        .map(|e| {
            let e = e.trim();
            e.parse::<IpNet>()
                .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| e.to_string())
        })
        .collect()
}

/// The address to count a request for, coming from `peer` with `headers`.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(&canonical(*ip)));
    if !is_trusted(&peer) {
        return peer;
    }
    let chain = forwarded_chain(headers);
    let mut client = peer;
    for entry in chain.iter().rev() {
        let Some(ip) = parse_node(entry) else {
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// The addresses a request passed through, leftmost first: every `X-Forwarded-For` line in
/// order, or, when there is none, the `for=` of every `Forwarded` element.
fn forwarded_chain(headers: &HeaderMap) -> Vec<String> {
    let xff: Vec<String> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_string())
        .collect();
    if !xff.is_empty() {
        return xff;
    }
    headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|element| {
            element
                .split(';')
                .find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    key.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| value.trim().trim_matches('"').to_string())
                })
                // An element without `for=` leaves a hole the walk cannot cross.
                .unwrap_or_default()
        })
        .collect()
}

/// An address as proxies write it: `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::5`,
/// `[2001:db8::5]` or `[2001:db8::5]:4711`. `unknown` and obfuscated names are not addresses.
fn parse_node(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Ok(addr) = entry.parse::<SocketAddr>() {
        return Some(canonical(addr.ip()));
    }
    let inner = entry.strip_prefix('[')?.split(']').next()?;
    inner.parse::<IpAddr>().ok().map(canonical)
}

/// An IPv4 address seen through an IPv6 socket (`::ffff:192.0.2.1`) as the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(entries: &[&str]) -> Vec<IpNet> {
        trusted_networks(&entries.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn entries_are_addresses_or_networks() {
        assert_eq!(nets(&["127.0.0.1", "10.0.0.0/8", "::1"]).len(), 3);
        assert_eq!(
            trusted_networks(&["10.0.0.0/8".into(), "proxy.example".into()]),
            Err("proxy.example".to_string())
        );
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let h = headers(&[("x-forwarded-for", "198.51.100.2")]);
        assert_eq!(client_ip(ip("192.0.2.9"), &h, &[]), ip("192.0.2.9"));
        assert_eq!(
            client_ip(ip("192.0.2.9"), &h, &nets(&["127.0.0.1"])),
            ip("192.0.2.9")
        );
    }

    #[test]
    fn the_rightmost_untrusted_address_counts() {
        let trusted = nets(&["127.0.0.1", "10.0.0.0/8"]);
        let peer = ip("127.0.0.1");
        for (chain, client) in [
            ("203.0.113.7", "203.0.113.7"),
            ("198.51.100.2, 203.0.113.7", "203.0.113.7"),
            ("198.51.100.2, 203.0.113.7, 10.1.2.3", "203.0.113.7"),
            ("garbage, 203.0.113.7", "203.0.113.7"),
            ("203.0.113.7, garbage", "127.0.0.1"),
            ("10.1.2.3, garbage, 10.4.5.6", "10.4.5.6"),
            ("[2001:db8::5]:4711", "2001:db8::5"),
            ("203.0.113.7:5000", "203.0.113.7"),
            ("::ffff:203.0.113.7", "203.0.113.7"),
            ("not an address", "127.0.0.1"),
        ] {
            let h = headers(&[("x-forwarded-for", chain)]);
            assert_eq!(client_ip(peer, &h, &trusted), ip(client), "{chain}");
        }
        // Two header lines are one chain, in order.
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.7"),
            ("x-forwarded-for", "10.1.2.3"),
        ]);
        assert_eq!(client_ip(peer, &h, &trusted), ip("203.0.113.7"));
        // No header: the proxy itself.
        assert_eq!(client_ip(peer, &HeaderMap::new(), &trusted), peer);
    }

    #[test]
    fn forwarded_is_read_when_x_forwarded_for_is_absent() {
        let trusted = nets(&["127.0.0.1"]);
        let peer = ip("127.0.0.1");
        let h = headers(&[(
            "forwarded",
            "for=198.51.100.2;proto=https, for=\"[2001:db8::5]:4711\"",
        )]);
        assert_eq!(client_ip(peer, &h, &trusted), ip("2001:db8::5"));
        let h = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(client_ip(peer, &h, &trusted), peer);
        // X-Forwarded-For wins when both are there.
        let h = headers(&[
            ("forwarded", "for=198.51.100.2"),
            ("x-forwarded-for", "203.0.113.7"),
        ]);
        assert_eq!(client_ip(peer, &h, &trusted), ip("203.0.113.7"));
    }
}
