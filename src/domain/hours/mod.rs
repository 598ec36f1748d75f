//! Volunteer hours (issue 5): what a volunteer did for an association, for how long, and what it
//! is worth in the accounts. Pure rules: checking an entry (`entry`), the association's rates
//! (`settings`), and totals computed with exact decimal arithmetic, money never a float
//! (`totals`).

mod entry;
mod settings;
#[cfg(test)]
mod tests;
mod totals;

pub use entry::{HoursDraft, HoursInput};
pub use settings::{HoursSettings, SettingsInput};
pub use totals::{cents, Report, Tally};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// Longest description of an action, in characters.
pub const MAX_DESCRIPTION: usize = 500;
/// Longest distance for one entry, in km.
pub const MAX_DISTANCE_KM: i64 = 2000;
/// Longest span of days for one entry.
pub const MAX_SPAN_DAYS: i64 = 366;

/// Default hourly rate, in euros: the French gross minimum wage (SMIC) of 2025, 11.88 €/h
/// (décret n° 2024-951, in force from 1 November 2024 to 31 December 2025), times 1.45 for the
/// employer's social charges (a round factor; the real charges at the minimum wage are lower
/// because of the general reduction). 11.88 × 1.45 = 17.226, rounded to 17.23. Every
/// association can change it (`PUT /api/v1/associations/{name}/hours/settings`).
pub const DEFAULT_HOURLY_RATE: &str = "17.23";
/// Default mileage rate, in euros per km: the tax administration's rate for volunteers' car
/// expenses as published for 2024 income (0.324 €/km; check the year's figure). Editable too.
pub const DEFAULT_MILEAGE_RATE: &str = "0.324";

/// Who did the action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Volunteer {
    /// A user of this node.
    User { user_id: i64 },
    /// Someone without an account: a name the association keeps.
    Guest { name: String },
    /// A person whose account is on another server (their ActivityPub id), with the name
    /// they had when the entry came.
    Remote { actor_ap_id: String, name: String },
    /// Someone whose account was deleted (here, or on their server): the validated hours stay
    /// in the association's totals, with no name (shown as "ancien·ne bénévole").
    Former,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HoursStatus {
    /// Waiting for a coordinator (moderation on).
    Pending,
    Validated,
    Refused,
}

impl HoursStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HoursStatus::Pending => "pending",
            HoursStatus::Validated => "validated",
            HoursStatus::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<HoursStatus> {
        match s {
            "pending" => Some(HoursStatus::Pending),
            "validated" => Some(HoursStatus::Validated),
            "refused" => Some(HoursStatus::Refused),
            _ => None,
        }
    }
}
/// Reads a decimal given as a JSON number or string.
pub fn decimal_from_json(v: &serde_json::Value) -> Option<Decimal> {
    match v {
        serde_json::Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        serde_json::Value::String(s) => Decimal::from_str(s.trim()).ok(),
        _ => None,
    }
}
/// An action as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursEntry {
    pub id: i64,
    /// The association.
    pub actor_id: i64,
    pub volunteer: Volunteer,
    /// The user's name, for a user.
    pub user_name: Option<String>,
    #[serde(flatten)]
    pub draft: HoursDraft,
    pub status: HoursStatus,
    /// Why it was refused.
    pub reason: String,
    /// Set when the entry comes from attendance at a slot.
    pub slot_id: Option<i64>,
    pub participation_id: Option<i64>,
    /// The `EconomicEvent` id when the entry crosses servers: the volunteer's server made it
    /// (hours received) or this one did (hours sent to an association elsewhere).
    pub ap_id: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl HoursEntry {
    /// The name shown for the volunteer.
    pub fn volunteer_name(&self) -> String {
        match &self.volunteer {
            Volunteer::User { user_id } => self
                .user_name
                .clone()
                .unwrap_or_else(|| format!("user {user_id}")),
            Volunteer::Guest { name } | Volunteer::Remote { name, .. } => name.clone(),
            // Words are the reader's: shown by `i18n::volunteer_name`.
            Volunteer::Former => String::new(),
        }
    }
}
