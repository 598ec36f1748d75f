//! `[places]`: where typed places are located. The commune gazetteer is always there; an
//! address service (the Base Adresse Nationale's `/search`, or a self-hosted addok) adds street
//! precision when configured.

use super::ConfigError;
use serde::Deserialize;

/// The BAN's usage policy: 50 requests a second per address, then 429.
pub const MAX_REQUESTS_PER_SECOND: u32 = 50;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlacesConfig {
    /// The address service's search URL, e.g. `https://data.geopf.fr/geocodage/search` or
    /// `http://127.0.0.1:7878/search` (addok); empty: the gazetteer alone, nothing leaves the
    /// node. Trusted as the operator wrote it (a private address is allowed).
    pub address_url: String,
    /// Requests a second at most to the address service (1 to 50); past it, the gazetteer answers.
    pub requests_per_second: u32,
    /// How long to wait for the address service before the gazetteer answers, in milliseconds.
    pub timeout_ms: u64,
    /// Answers of the address service kept in memory (0: none kept).
    pub cache_entries: usize,
    /// Départements chosen first among communes of the same name (the node's territory), e.g.
    /// `["29", "22"]`.
    pub departements: Vec<String>,
}

impl Default for PlacesConfig {
    fn default() -> Self {
        PlacesConfig {
            address_url: String::new(),
            requests_per_second: 10,
            timeout_ms: 3000,
            cache_entries: 2000,
            departements: Vec::new(),
        }
    }
}

impl PlacesConfig {
    /// The address service's URL, when one is configured.
    pub fn address_url(&self) -> Option<url::Url> {
        let url = self.address_url.trim();
        (!url.is_empty())
            .then(|| url::Url::parse(url).ok())
            .flatten()
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        let url = self.address_url.trim();
        if !url.is_empty() {
            let ok = url::Url::parse(url)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some());
            if !ok {
                return Err(ConfigError::Invalid(format!(
                    "places.address_url must be an http(s) URL with a host, got {url:?}"
                )));
            }
        }
        if !(1..=MAX_REQUESTS_PER_SECOND).contains(&self.requests_per_second) {
            return Err(ConfigError::Invalid(format!(
                "places.requests_per_second must be between 1 and {MAX_REQUESTS_PER_SECOND} (the address service's policy), got {}",
                self.requests_per_second
            )));
        }
        if !(100..=30_000).contains(&self.timeout_ms) {
            return Err(ConfigError::Invalid(format!(
                "places.timeout_ms must be between 100 and 30000, got {}",
                self.timeout_ms
            )));
        }
        Ok(())
    }
}
