//! `[aggregator]`: a node that follows the nodes of a territory (and Mobilizon instances and
//! groups) and keeps, fresh, everything they publish.

use crate::domain::aggregator::Territory;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AggregatorConfig {
    /// Turn this node into an aggregator (it stays a node too).
    pub enabled: bool,
    /// When not empty, the only hosts sources may be added from.
    pub allowed_hosts: Vec<String>,
    /// Départements taken (postcode prefixes: `"29"`, `"22"`); empty: no such bound.
    pub departements: Vec<String>,
    /// `[west, south, east, north]` in degrees; empty: no such bound.
    pub bbox: Vec<f64>,
    /// Requests in flight at once to one host during a walk (1 or 2).
    pub max_in_flight: usize,
    /// Requests a second to one host during a walk (token bucket rate).
    pub requests_per_second: f64,
    /// Requests that may go at once after a pause (token bucket size).
    pub burst: u32,
    /// A source heard from less recently than this is flagged silent.
    pub silent_after_seconds: u64,
    /// The hour of the night (node time zone) at which each source is reconciled.
    pub reconcile_hour: u32,
    /// Seconds between two looks at which sources are due.
    pub poll_seconds: u64,
}

impl Default for AggregatorConfig {
    fn default() -> Self {
        AggregatorConfig {
            enabled: false,
            allowed_hosts: Vec::new(),
            departements: Vec::new(),
            bbox: Vec::new(),
            max_in_flight: 2,
            requests_per_second: 10.0,
            burst: 10,
            silent_after_seconds: 48 * 3600,
            reconcile_hour: 3,
            poll_seconds: 30,
        }
    }
}

impl AggregatorConfig {
    /// The territory the configuration draws.
    pub fn territory(&self) -> Territory {
        Territory {
            departements: self
                .departements
                .iter()
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty())
                .collect(),
            bbox: match self.bbox.as_slice() {
                [w, s, e, n] => Some([*w, *s, *e, *n]),
                _ => None,
            },
        }
    }

    /// Whether sources may come from this host (`host` or `host:port`).
    pub fn allows_host(&self, host: &str) -> bool {
        let bare = host.split(':').next().unwrap_or(host);
        self.allowed_hosts.is_empty()
            || self
                .allowed_hosts
                .iter()
                .any(|h| h.eq_ignore_ascii_case(host) || h.eq_ignore_ascii_case(bare))
    }

    /// What is wrong with these settings, if anything.
    pub fn problem(&self) -> Option<String> {
        if !(self.bbox.is_empty() || self.bbox.len() == 4) {
            return Some("aggregator.bbox is [west, south, east, north] or empty".into());
        }
        if let [w, s, e, n] = self.bbox.as_slice() {
            if !(w < e && s < n && (-180.0..=180.0).contains(w) && (-90.0..=90.0).contains(s)) {
                return Some(
                    "aggregator.bbox must be [west, south, east, north] in degrees".into(),
                );
            }
        }
        if !(1..=2).contains(&self.max_in_flight) {
            return Some("aggregator.max_in_flight is 1 or 2".into());
        }
        if self.requests_per_second.is_nan() || self.requests_per_second <= 0.0 || self.burst == 0 {
            return Some("aggregator.requests_per_second and burst must be above 0".into());
        }
        if self.reconcile_hour > 23 || self.poll_seconds == 0 {
            return Some("aggregator.reconcile_hour is 0 to 23, poll_seconds at least 1".into());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_and_draw_the_territory() {
        let mut c = AggregatorConfig::default();
        assert!(c.problem().is_none());
        assert!(c.territory().is_everywhere());
        assert!(c.allows_host("anything.example"));
        c.bbox = vec![-4.8, 48.2];
        assert!(c.problem().is_some());
        c.bbox = vec![-4.8, 48.2, -4.2, 48.6];
        c.departements = vec![" 29 ".into(), String::new()];
        assert!(c.problem().is_none());
        assert_eq!(c.territory().departements, vec!["29".to_string()]);
        assert_eq!(c.territory().bbox, Some([-4.8, 48.2, -4.2, 48.6]));
        c.max_in_flight = 3;
        assert!(c.problem().is_some());
        c.max_in_flight = 2;
        c.allowed_hosts = vec!["brest.example".into()];
        assert!(c.allows_host("brest.example:8443"));
        assert!(!c.allows_host("paris.example"));
    }
}
