//! Shared equipment (FEP-0837, https://codeberg.org/fediverse/fep/src/branch/main/fep/0837/fep-0837.md,
//! over ValueFlows): a resource is a `Page` publishing an `Intent`; a reservation is an
//! `Agreement` stipulating a `Commitment`. Our loan terms are in our namespace (`vol:`).

use super::{collections::OrderedCollection, economic::Quantity, event::PlaceJson};
use serde::{Deserialize, Serialize};

/// A resource offered for loan. https://www.w3.org/TR/activitystreams-vocabulary/#dfn-page
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub attributed_to: String,
    pub name: String,
    pub summary: String,
    pub content: String,
    pub media_type: String,
    pub url: String,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub published: String,
    pub updated: String,
    /// FEP-0837: `offer`.
    pub purpose: String,
    pub unit_based: bool,
    pub publishes: Intent,
    pub category: String,
    pub owner_kind: String,
    pub loan_mode: String,
    /// Money as decimal text, `null` when not set.
    pub price_per_day: Option<String>,
    pub deposit: Option<String>,
    pub replacement_value: Option<String>,
    pub conditions: String,
    pub description: String,
    pub insurance_required: bool,
    pub min_notice_hours: i64,
    pub max_days: i64,
    pub turnaround_hours: i64,
    pub approval: String,
    pub borrowers: String,
    /// The owner's text of the lending agreement (empty: the standard one).
    pub agreement_template: String,
    pub availability: OrderedCollection<Commitment>,
    pub attachment: Vec<Attachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<PlaceJson>,
}

/// What a resource's `Page` publishes. https://www.valueflo.ws/concepts/plan/#intent
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Intent {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub action: String,
    pub resource_conforms_to: String,
    pub resource_quantity: Quantity,
    pub available_quantity: Quantity,
    pub minimum_quantity: Quantity,
}

/// A use of a resource over a period: a busy period, or what an `Agreement` stipulates.
/// https://www.valueflo.ws/concepts/plan/#commitment
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Commitment {
    #[serde(rename = "type")]
    pub kind: String,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfies: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_inventoried_as: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<String>,
    pub resource_quantity: Quantity,
    pub has_beginning: String,
    pub has_end: String,
}

/// A reservation between the owner and the borrower. https://www.valueflo.ws/concepts/agreement/
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Agreement {
    /// Absent in the `Offer` (the owner's node names it when it accepts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stipulates: Option<Commitment>,
    /// Where the loan stands (`accepted`, `picked_up`, …). Our namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_signed: Option<Signed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub borrower_signed: Option<Signed>,
}

impl Agreement {
    /// An `Agreement` with only its id (and what is set afterwards).
    pub fn named(id: Option<String>) -> Self {
        Self {
            id,
            kind: "Agreement".into(),
            attributed_to: None,
            to: None,
            url: None,
            stipulates: None,
            state: None,
            pickup_notes: None,
            return_notes: None,
            owner_signed: None,
            borrower_signed: None,
        }
    }
}

/// Who accepted the agreement, and when. Our namespace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signed {
    pub by: String,
    pub at: String,
}

/// A photo (`Image`) or a document of a resource.
/// https://www.w3.org/TR/activitystreams-vocabulary/#dfn-attachment
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    #[serde(rename = "type")]
    pub kind: String,
    pub media_type: String,
    pub url: String,
    pub name: String,
}
