//! Volunteer hours as a ValueFlows `EconomicEvent` (`action: work`, `effortQuantity` in hours).
//! https://www.valueflo.ws/concepts/flows/#economic-events

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EconomicEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EconomicEventType,
    pub attributed_to: String,
    pub provider: String,
    pub receiver: String,
    #[serde(default, deserialize_with = "super::lenient_vec")]
    pub to: Vec<String>,
    pub action: String,
    pub effort_quantity: Quantity,
    /// Exact, when the hours are not a round decimal (20 minutes). Our namespace.
    pub minutes: i64,
    pub has_beginning: String,
    pub has_end: String,
    pub category: String,
    pub note: String,
    pub published: String,
    pub updated: String,
    /// Kilometres driven, a decimal as text. Our namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<String>,
    /// The mission the hours were for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_scope_of: Option<String>,
}

/// The one value of an `EconomicEvent`'s `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EconomicEventType {
    EconomicEvent,
}

/// An OM2 measure (https://www.valueflo.ws/specification/all_vf.html#om2:Measure): a unit and a
/// value, sent as decimal text, read as text or number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Quantity {
    pub has_unit: String,
    pub has_numerical_value: Numeric,
}

impl Quantity {
    /// `n` items (`hasUnit: one`), as our resources count them.
    pub fn items(n: i64) -> Self {
        Self {
            has_unit: "one".into(),
            has_numerical_value: Numeric::Text(n.to_string()),
        }
    }
}

/// A number as some servers send it (text) or others (a JSON number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Numeric {
    Text(String),
    Number(serde_json::Number),
}
