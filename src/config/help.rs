//! `[help]`: "Aidez-moi à trouver", the requests of people who wish to be accompanied in
//! finding a mission, answered by the node's référents.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HelpConfig {
    /// The form on the home page and the référents' pages (on by default).
    pub enabled: bool,
    /// Months a request is kept after its last change (a note, a proposal, a new state),
    /// then deleted with its notes and proposals.
    pub retention_months: u32,
}

impl Default for HelpConfig {
    fn default() -> Self {
        HelpConfig {
            enabled: true,
            retention_months: 12,
        }
    }
}
