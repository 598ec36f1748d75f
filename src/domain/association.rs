//! Associations coming in by themselves (issue 14): a person asks the node for a new
//! association ([`AssociationRequest`], answered by the node's administrators), an association
//! tells who it is ([`AssociationDetails`]: address, contact, website, fields of action), and
//! its coordinators invite people by email ([`Invitation`], valid [`INVITATION_DAYS`] days,
//! once).

use super::account::{validate_email, validate_name, Role};
use super::mission::CATEGORIES;
use super::{FieldError, FieldErrors};
use chrono::{DateTime, Utc};
use serde::Serialize;

pub const MAX_DISPLAY_NAME: usize = 100;
pub const MAX_SUMMARY: usize = 2000;
pub const MAX_ADDRESS: usize = 300;
pub const MAX_WEBSITE: usize = 300;
pub const MAX_REASON: usize = 1000;
/// How long an invitation may be followed.
pub const INVITATION_DAYS: i64 = 7;

/// What an association says of itself besides its names: each may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AssociationDetails {
    pub address: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    /// Codes of [`CATEGORIES`], each once, in the order of the list.
    pub categories: Vec<String>,
}

impl AssociationDetails {
    /// Trims the texts and puts the fields of action in the list's order, each once.
    pub fn normalised(mut self) -> Self {
        self.address = self.address.trim().to_string();
        self.email = self.email.trim().to_string();
        self.phone = self.phone.trim().to_string();
        self.website = self.website.trim().to_string();
        let chosen = std::mem::take(&mut self.categories);
        let known: Vec<String> = CATEGORIES
            .iter()
            .filter(|(code, _)| chosen.iter().any(|c| c.trim() == *code))
            .map(|(code, _)| code.to_string())
            .collect();
        let unknown = chosen
            .into_iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !CATEGORIES.iter().any(|(code, _)| code == c));
        self.categories = known.into_iter().chain(unknown).collect();
        self
    }

    /// The fields of action as stored: codes separated by commas.
    pub fn categories_text(&self) -> String {
        self.categories.join(",")
    }

    pub fn parse_categories(text: &str) -> Vec<String> {
        text.split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// Each field checked, errors by field name.
    pub fn check(&self, errors: &mut FieldErrors) {
        if self.address.chars().count() > MAX_ADDRESS {
            errors.add(
                "address",
                FieldError::new("max_chars").num("max", MAX_ADDRESS as i64),
            );
        }
        if !self.email.is_empty() {
            validate_email(&self.email, errors);
        }
        if !self.phone.is_empty() && !phone_ok(&self.phone) {
            errors.add("phone", FieldError::new("phone_invalid"));
        }
        if !self.website.is_empty() && !website_ok(&self.website) {
            errors.add("website", FieldError::new("website_invalid"));
        }
        if let Some(bad) = self
            .categories
            .iter()
            .find(|c| !CATEGORIES.iter().any(|(code, _)| code == c))
        {
            errors.add(
                "categories",
                FieldError::new("not_a_category").text("value", bad.as_str()),
            );
        }
    }
}

/// A telephone number as people write it: digits, spaces, dots, dashes, brackets and a
/// leading `+`; 6 to 20 digits.
fn phone_ok(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || " .-()".contains(c) || (c == '+' && i == 0));
    allowed && (6..=20).contains(&digits) && phone.chars().count() <= 30
}

/// An `http` or `https` address with a host and nothing that breaks out of an attribute.
fn website_ok(site: &str) -> bool {
    if site.chars().count() > MAX_WEBSITE || site.chars().any(|c| c.is_whitespace() || c == '"') {
        return false;
    }
    match url::Url::parse(site) {
        Ok(u) => {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| h.contains('.'))
        }
        Err(_) => false,
    }
}

/// The names of an association: its address name (`/g/<name>`), the name shown and a
/// description.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AssociationNames {
    pub name: String,
    pub display_name: String,
    pub summary: String,
}

impl AssociationNames {
    pub fn normalised(mut self) -> Self {
        self.name = self.name.trim().to_string();
        self.display_name = self.display_name.trim().to_string();
        self.summary = self.summary.trim().to_string();
        self
    }

    /// The shown name and the description (the address name is checked by the request only:
    /// it never changes).
    pub fn check_texts(&self, errors: &mut FieldErrors) {
        let shown = self.display_name.chars().count();
        if shown == 0 {
            errors.add("display_name", FieldError::new("required"));
        } else if shown > MAX_DISPLAY_NAME {
            errors.add(
                "display_name",
                FieldError::new("max_chars").num("max", MAX_DISPLAY_NAME as i64),
            );
        }
        if self.summary.chars().count() > MAX_SUMMARY {
            errors.add(
                "summary",
                FieldError::new("max_chars").num("max", MAX_SUMMARY as i64),
            );
        }
    }

    pub fn check(&self, errors: &mut FieldErrors) {
        validate_name("name", &self.name, errors);
        self.check_texts(errors);
    }
}

/// Where a request for a new association stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestStatus {
    Pending,
    Approved,
    Refused,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::Refused => "refused",
        }
    }
    pub fn parse(s: &str) -> Option<RequestStatus> {
        match s {
            "pending" => Some(RequestStatus::Pending),
            "approved" => Some(RequestStatus::Approved),
            "refused" => Some(RequestStatus::Refused),
            _ => None,
        }
    }
}

/// A person's request for a new association.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssociationRequest {
    pub id: i64,
    pub user_id: i64,
    pub names: AssociationNames,
    pub details: AssociationDetails,
    pub has_logo: bool,
    pub status: RequestStatus,
    /// Why it was refused (empty otherwise).
    pub reason: String,
    /// The association made of it, once approved.
    pub actor_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// Checks a refusal's reason: required, at most [`MAX_REASON`] characters.
pub fn check_reason(reason: &str) -> Result<(), super::DomainError> {
    let mut errors = FieldErrors::new();
    let n = reason.trim().chars().count();
    if n == 0 {
        errors.add("reason", FieldError::new("refusal_reason_required"));
    } else if n > MAX_REASON {
        errors.add(
            "reason",
            FieldError::new("max_chars").num("max", MAX_REASON as i64),
        );
    }
    errors.into_result(())
}

/// An invitation to join an association.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invitation {
    pub id: i64,
    pub actor_id: i64,
    pub email: String,
    pub role: Role,
    pub invited_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub accepted_by: Option<i64>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Where an invitation stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InvitationState {
    Open,
    Accepted,
    Revoked,
    Expired,
}

impl Invitation {
    pub fn state(&self, now: DateTime<Utc>) -> InvitationState {
        if self.accepted_at.is_some() {
            InvitationState::Accepted
        } else if self.revoked_at.is_some() {
            InvitationState::Revoked
        } else if now >= self.expires_at {
            InvitationState::Expired
        } else {
            InvitationState::Open
        }
    }
}

/// Whether this person may take this invitation now: it is open and it was sent to their
/// address (compared without regard to case). The refusal is a denial code.
pub fn decide_acceptance(
    invitation: &Invitation,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), &'static str> {
    match invitation.state(now) {
        InvitationState::Accepted => return Err("invitation_used"),
        InvitationState::Revoked => return Err("invitation_revoked"),
        InvitationState::Expired => return Err("invitation_expired"),
        InvitationState::Open => {}
    }
    match email {
        Some(e) if e.trim().eq_ignore_ascii_case(invitation.email.trim()) => Ok(()),
        _ => Err("invitation_other_person"),
    }
}

/// The role an invitation may give: member or coordinator.
pub fn parse_invited_role(role: &str) -> Result<Role, FieldError> {
    match role {
        "member" => Ok(Role::Member),
        "coordinator" => Ok(Role::Coordinator),
        _ => Err(FieldError::new("invitation_role")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2030, 1, 7, 9, 0, 0).unwrap() + Duration::hours(h)
    }

    fn details(f: impl FnOnce(&mut AssociationDetails)) -> FieldErrors {
        let mut d = AssociationDetails::default();
        f(&mut d);
        let mut e = FieldErrors::new();
        d.normalised().check(&mut e);
        e
    }

    #[test]
    fn details_are_checked_field_by_field() {
        assert!(details(|_| {}).is_empty());
        assert!(details(|d| d.phone = "+33 2 98 00 00 00".into()).is_empty());
        assert!(!details(|d| d.phone = "call me".into()).is_empty());
        assert!(!details(|d| d.phone = "12".into()).is_empty());
        assert!(details(|d| d.website = "https://asso.example.org/x".into()).is_empty());
        assert!(!details(|d| d.website = "javascript:alert(1)".into()).is_empty());
        assert!(!details(|d| d.website = "https://localhost".into()).is_empty());
        assert!(!details(|d| d.email = "nope".into()).is_empty());
        assert!(!details(|d| d.categories = vec!["cooking".into()]).is_empty());
        assert!(!details(|d| d.address = "x".repeat(301)).is_empty());
    }

    #[test]
    fn categories_keep_the_lists_order_once() {
        let d = AssociationDetails {
            categories: vec!["health".into(), "solidarity".into(), "health".into()],
            ..Default::default()
        }
        .normalised();
        assert_eq!(d.categories, vec!["solidarity", "health"]);
        assert_eq!(
            AssociationDetails::parse_categories(&d.categories_text()),
            d.categories
        );
    }

    #[test]
    fn an_invitation_works_once_for_its_person_within_its_days() {
        let mut inv = Invitation {
            id: 1,
            actor_id: 1,
            email: "Anne@Example.org".into(),
            role: Role::Member,
            invited_by: None,
            created_at: at(0),
            expires_at: at(24 * INVITATION_DAYS),
            accepted_at: None,
            accepted_by: None,
            revoked_at: None,
        };
        assert_eq!(
            decide_acceptance(&inv, Some("anne@example.org"), at(1)),
            Ok(())
        );
        assert_eq!(
            decide_acceptance(&inv, Some("bob@example.org"), at(1)),
            Err("invitation_other_person")
        );
        assert_eq!(
            decide_acceptance(&inv, None, at(1)),
            Err("invitation_other_person")
        );
        assert_eq!(
            decide_acceptance(&inv, Some("anne@example.org"), at(24 * INVITATION_DAYS)),
            Err("invitation_expired")
        );
        inv.revoked_at = Some(at(2));
        assert_eq!(
            decide_acceptance(&inv, Some("anne@example.org"), at(3)),
            Err("invitation_revoked")
        );
        inv.accepted_at = Some(at(1));
        assert_eq!(
            decide_acceptance(&inv, Some("anne@example.org"), at(3)),
            Err("invitation_used")
        );
    }

    #[test]
    fn invitations_give_member_or_coordinator() {
        assert_eq!(parse_invited_role("member"), Ok(Role::Member));
        assert_eq!(parse_invited_role("coordinator"), Ok(Role::Coordinator));
        assert!(parse_invited_role("owner").is_err());
    }

    #[test]
    fn a_refusal_says_why() {
        assert!(check_reason("  ").is_err());
        assert!(check_reason("Already on the node as solidarite-brest").is_ok());
    }
}
