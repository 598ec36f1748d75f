//! Shared equipment (issue 4): a lendable resource (one item or a pool of identical ones) with
//! its terms, and reservations of a quantity over a period. Pure rules, no I/O: what a resource
//! (`draft`) or a request (`loan`) must be, how busy periods stretch by the turnaround
//! buffer, and how much of a pool is taken over a period; the lending agreement's template
//! (`agreement`).

mod agreement;
mod draft;
mod loan;
#[cfg(test)]
mod tests;

pub use agreement::{fill_template, AGREEMENT_PLACEHOLDERS, DEFAULT_AGREEMENT};
pub use draft::{ResourceDraft, ResourceInput};
pub use loan::{free_over, peak_use, Period, Reservation, ReservationState, Signature};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who owns equipment: associations lend to each other, and so do cooperatives, craftsmen,
/// companies and local authorities of the territory.
pub const OWNER_KINDS: [&str; 5] = [
    "association",
    "cooperative",
    "craftsman",
    "company",
    "local_authority",
];

/// Kinds of equipment.
pub const RESOURCE_CATEGORIES: [&str; 8] = [
    "furniture",
    "tent",
    "stage",
    "sound_light",
    "vehicle",
    "room",
    "kitchen",
    "other",
];
/// How the equipment is lent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoanMode {
    FreeLoan,
    Rental,
    Exchange,
}

impl LoanMode {
    pub fn as_str(self) -> &'static str {
        match self {
            LoanMode::FreeLoan => "free_loan",
            LoanMode::Rental => "rental",
            LoanMode::Exchange => "exchange",
        }
    }

    pub fn parse(s: &str) -> Option<LoanMode> {
        [LoanMode::FreeLoan, LoanMode::Rental, LoanMode::Exchange]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// Whether a request is granted by the owner's node at once (when the pool allows), or waits
/// for a coordinator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Approval {
    Automatic,
    Manual,
}

impl Approval {
    pub fn as_str(self) -> &'static str {
        match self {
            Approval::Automatic => "automatic",
            Approval::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Approval> {
        [Approval::Automatic, Approval::Manual]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}

/// Who may ask to borrow a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Borrowers {
    /// Any association, of this node or of another.
    Everyone,
    /// The associations of this node, and those the owner follows.
    Followed,
    /// Only the associations listed (`name@host` addresses).
    List,
}

impl Borrowers {
    pub fn as_str(self) -> &'static str {
        match self {
            Borrowers::Everyone => "everyone",
            Borrowers::Followed => "followed",
            Borrowers::List => "list",
        }
    }

    pub fn parse(s: &str) -> Option<Borrowers> {
        [Borrowers::Everyone, Borrowers::Followed, Borrowers::List]
            .into_iter()
            .find(|m| m.as_str() == s)
    }
}
/// A period during which some of a pool is taken (published without the borrower's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusyPeriod {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub quantity: i64,
}

/// A resource as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    pub id: i64,
    pub ap_id: String,
    /// The owning association (or structure).
    pub actor_id: i64,
    #[serde(flatten)]
    pub draft: ResourceDraft,
    /// Another node's resource: the busy periods it last published (ours are computed from
    /// the reservations).
    #[serde(skip)]
    pub remote_busy: Vec<BusyPeriod>,
    /// Removed by its owner: it answers 410 and takes no more requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
