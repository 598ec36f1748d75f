//! `[map]`: the map of the search page. Leaflet is served by the node itself; only the tiles
//! come from elsewhere, from one tile server (OpenStreetMap's by default), whose origin the
//! pages' Content-Security-Policy allows for images.

use super::ConfigError;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MapConfig {
    /// The tiles' URL with `{z}`, `{x}` and `{y}`, on one host (no `{s}` subdomains: the
    /// OpenStreetMap tile policy asks for one host); empty: no map.
    pub tile_url: String,
    /// The credit shown on the map (HTML, a link allowed), as the tile server asks.
    pub attribution: String,
}

/// OpenStreetMap's tile server (its usage policy: attribution, one host, no prefetch, a real
/// User-Agent and Referer, which browsers send).
pub const OSM_TILES: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
pub const OSM_ATTRIBUTION: &str =
    r#"© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors"#;

impl Default for MapConfig {
    fn default() -> Self {
        MapConfig {
            tile_url: OSM_TILES.into(),
            attribution: OSM_ATTRIBUTION.into(),
        }
    }
}

impl MapConfig {
    /// Whether the search page shows a map.
    pub fn enabled(&self) -> bool {
        !self.tile_url.trim().is_empty()
    }

    /// `https://tile.openstreetmap.org`: the tiles' origin, for the Content-Security-Policy.
    pub fn tile_origin(&self) -> Option<String> {
        let url = url::Url::parse(&self.tile_url.trim().replace(['{', '}'], "")).ok()?;
        matches!(url.scheme(), "http" | "https").then_some(())?;
        Some(url.origin().ascii_serialization()).filter(|o| o != "null")
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if !self.enabled() {
            return Ok(());
        }
        let url = self.tile_url.trim();
        let placeholders = ["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p));
        if !placeholders || url.contains("{s}") || self.tile_origin().is_none() {
            return Err(ConfigError::Invalid(format!(
                "map.tile_url must be an http(s) URL on one host with {{z}}, {{x}} and {{y}} (no {{s}}), got {url:?}"
            )));
        }
        if self.attribution.trim().is_empty() {
            return Err(ConfigError::Invalid(
                "map.attribution must credit the tiles' source (their licence asks for it)".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_tiles_origin_is_read_from_their_url() {
        let mut m = MapConfig::default();
        assert_eq!(
            m.tile_origin().as_deref(),
            Some("https://tile.openstreetmap.org")
        );
        assert!(m.validate().is_ok());
        m.tile_url = "http://127.0.0.1:8099/tiles/{z}/{x}/{y}.png".into();
        assert_eq!(m.tile_origin().as_deref(), Some("http://127.0.0.1:8099"));
        for bad in [
            "https://{s}.tile.example.org/{z}/{x}/{y}.png",
            "https://tile.example.org/{z}/{x}.png",
            "ftp://tile.example.org/{z}/{x}/{y}.png",
            "tiles/{z}/{x}/{y}.png",
        ] {
            m.tile_url = bad.into();
            assert!(m.validate().is_err(), "{bad}");
        }
        m.tile_url = String::new();
        assert!(m.validate().is_ok() && !m.enabled());
    }

    #[test]
    fn the_sample_configuration_names_the_default_tiles() {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("deploy")
            .join("entraide.toml.example");
        let config = crate::config::Config::load(Some(&file), Vec::new()).unwrap();
        assert_eq!(config.map.tile_url, OSM_TILES);
        assert_eq!(config.map.attribution, OSM_ATTRIBUTION);
    }
}
