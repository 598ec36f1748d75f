//! `[statistics]`: whether the node publishes its yearly counts (`GET /api/v1/statistics`)
//! for the territory's dashboard of an aggregator. Off by default.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StatisticsConfig {
    /// Publish the node's yearly counts (missions, volunteers, loans, hours; counts only).
    pub publish: bool,
}
