//! Missions: what an association asks volunteers to do, when and where. Local and remote
//! missions share the [`Mission`] type; `local` tells them apart. What a coordinator types and
//! the rules that make a mission acceptable are in `draft`.

mod draft;

pub use draft::{
    parse_time, MissionDraft, MissionInput, MAX_CAPACITY, MAX_CONTACT, MAX_DESCRIPTION,
    MAX_PLACE_FIELD, MAX_TITLE,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Kinds of missions, close to JeVeuxAider's domains and FEP-8a8e's categories:
/// `(code, federated category)`. Their labels are in the catalogue
/// (`category_<code>`).
pub const CATEGORIES: &[(&str, &str)] = &[
    ("solidarity", "CAUSES"),
    ("environment", "CLIMATE_ENVIRONMENT"),
    ("culture", "LANGUAGE_CULTURE"),
    ("sport", "SPORTS"),
    ("education", "LEARNING"),
    ("health", "HEALTH"),
    ("support", "WORKSHOPS_SKILL_SHARING"),
    ("community", "COMMUNITY"),
    ("emergency", "CAUSES"),
    ("other", "MEETING"),
];

/// How volunteers take part: at once (`free`) or after the coordinator says yes (`restricted`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JoinMode {
    Free,
    Restricted,
}

impl JoinMode {
    pub fn as_str(self) -> &'static str {
        match self {
            JoinMode::Free => "free",
            JoinMode::Restricted => "restricted",
        }
    }
    pub fn parse(s: &str) -> Option<JoinMode> {
        match s {
            "free" => Some(JoinMode::Free),
            "restricted" => Some(JoinMode::Restricted),
            _ => None,
        }
    }
}

/// Where a mission stands. A draft is seen by its coordinators only and is not federated;
/// a published mission closes by itself once its last slot (or its end) is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MissionStatus {
    Draft,
    Published,
    Closed,
    Cancelled,
}

impl MissionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MissionStatus::Draft => "draft",
            MissionStatus::Published => "published",
            MissionStatus::Closed => "closed",
            MissionStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<MissionStatus> {
        match s {
            "draft" => Some(MissionStatus::Draft),
            "published" => Some(MissionStatus::Published),
            "closed" => Some(MissionStatus::Closed),
            "cancelled" => Some(MissionStatus::Cancelled),
            _ => None,
        }
    }
}

/// How often a regular mission asks for the commitment.
pub const COMMITMENT_PERIODS: &[&str] = &["week", "month"];

/// A postal place with optional coordinates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Place {
    pub name: String,
    pub street_address: String,
    pub postal_code: String,
    pub locality: String,
    pub country: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl Place {
    pub fn is_empty(&self) -> bool {
        self.name.is_empty() && self.street_address.is_empty() && self.locality.is_empty()
    }

    /// One line for people: "Salle Jangot, 10 rue Jangot, 29200 Brest".
    pub fn one_line(&self) -> String {
        let town = [self.postal_code.as_str(), self.locality.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        [
            self.name.as_str(),
            self.street_address.as_str(),
            town.as_str(),
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// A mission as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mission {
    pub id: i64,
    pub ap_id: String,
    /// The association (a `Group` actor) the mission belongs to.
    pub actor_id: i64,
    pub local: bool,
    pub title: String,
    /// Markdown written by the coordinator (local missions only).
    pub description: String,
    /// Sanitised HTML shown on the page.
    pub content_html: String,
    /// For remote missions: the summary line sent by their node.
    pub remote_summary: String,
    pub category: String,
    pub skills: Vec<String>,
    pub place: Place,
    pub online: bool,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub capacity: Option<i64>,
    pub participant_count: i64,
    pub join_mode: JoinMode,
    pub status: MissionStatus,
    /// The page people open (same as `ap_id` for our missions).
    pub url: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Regular (a commitment over time) rather than a one-off.
    pub regular: bool,
    /// For a regular mission: minutes per period.
    pub commitment_minutes: Option<i64>,
    /// `week` or `month` (empty for a one-off).
    pub commitment_period: String,
    /// Accessible to people with reduced mobility.
    pub reduced_mobility: bool,
    pub open_to_minors: bool,
    /// Whom to ask (a name, a phone, an email), shown on the mission page.
    pub contact: String,
}

impl Mission {
    /// The status people see: a published mission whose last slot is over is closed.
    pub fn effective_status(
        &self,
        last_slot_end: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> MissionStatus {
        let end = last_slot_end.unwrap_or(self.end_time);
        if self.status == MissionStatus::Published && end <= now {
            MissionStatus::Closed
        } else {
            self.status
        }
    }

    pub fn remaining(&self) -> Option<i64> {
        self.capacity.map(|c| (c - self.participant_count).max(0))
    }
}

/// The federated category code for one of ours, and back.
pub fn category_to_ap(code: &str) -> &'static str {
    CATEGORIES
        .iter()
        .find(|c| c.0 == code)
        .map(|c| c.1)
        .unwrap_or("MEETING")
}

pub fn category_from_ap(code: &str) -> &'static str {
    match code {
        "CLIMATE_ENVIRONMENT" | "OUTDOORS_ADVENTURE" => "environment",
        "LANGUAGE_CULTURE" | "ARTS" | "MUSIC" | "THEATRE" | "BOOK_CLUBS" | "FILM_MEDIA" => {
            "culture"
        }
        "SPORTS" => "sport",
        "LEARNING" | "FAMILY_EDUCATION" | "SCIENCE_TECH" => "education",
        "HEALTH" => "health",
        "WORKSHOPS_SKILL_SHARING" | "BUSINESS" => "support",
        "COMMUNITY" | "MOVEMENTS_POLITICS" | "NETWORKING" => "community",
        "CAUSES" => "solidarity",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_round_trip() {
        for (code, ap) in CATEGORIES {
            if *code != "emergency" && *code != "other" {
                assert_eq!(category_from_ap(ap), *code);
            }
        }
        assert_eq!(category_from_ap("UNKNOWN"), "other");
    }
}
