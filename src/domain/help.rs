//! "Aidez-moi à trouver": a person asks to be accompanied in finding a mission, and the node's
//! référents answer. This module holds the request's checks, its states and who may move it,
//! the profile the matching ranks missions for, and how long a request is kept. Pure.

use super::account::validate_email;
use super::volunteer::Profile;
use super::{DomainError, FieldError, FieldErrors};
use chrono::{DateTime, Months, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The longest free texts of a request.
pub const WISHES_MAX: usize = 1000;
pub const WHEN_MAX: usize = 300;
pub const NAME_MAX: usize = 100;
pub const NOTE_MAX: usize = 2000;
/// How far a person asking for help is ready to go, when matching (km): the network's
/// territory around their commune.
pub const HELP_TRAVEL_KM: f64 = 30.0;
/// How long a proposal's one-click link works.
pub const PROPOSAL_DAYS: i64 = 30;
/// At most this many missions in one proposal.
pub const PROPOSAL_MAX: usize = 5;

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HelpState {
    /// Nobody took it yet.
    New,
    /// A référent took it.
    InProgress,
    /// The person found a mission.
    Placed,
    /// Closed without a mission (or the person gave up).
    Closed,
}

impl HelpState {
    pub const ALL: [HelpState; 4] = [
        HelpState::New,
        HelpState::InProgress,
        HelpState::Placed,
        HelpState::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HelpState::New => "new",
            HelpState::InProgress => "in_progress",
            HelpState::Placed => "placed",
            HelpState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<HelpState> {
        HelpState::ALL.into_iter().find(|h| h.code() == s)
    }

    /// Whether a référent may move a request from this state to `to`: a new request is taken
    /// (in progress); one in progress is placed or closed; a placed or closed one may be
    /// opened again (in progress). Nothing goes back to `new`.
    pub fn may_become(self, to: HelpState) -> bool {
        use HelpState::*;
        matches!(
            (self, to),
            (New, InProgress)
                | (New, Closed)
                | (InProgress, Placed)
                | (InProgress, Closed)
                | (Placed, InProgress)
                | (Closed, InProgress)
        )
    }
}

/// How the person wishes to hear of a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// An email from the node, with the one-click links.
    Email,
    /// A call from the référent (SMS may come later: the choice is kept).
    Phone,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Phone => "phone",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        match s {
            "email" => Some(Channel::Email),
            "phone" => Some(Channel::Phone),
            _ => None,
        }
    }
}

/// What a person sends to ask for help.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HelpDraft {
    /// How to address them.
    pub name: String,
    /// What they would like to do, in their words.
    pub wishes: String,
    /// When they are free, in their words (the week's grid is in `wish`).
    pub when_note: String,
    /// Categories, the week's free times and the commune, as matching reads them.
    pub wish: Profile,
    pub email: String,
    pub phone: String,
    /// `email` or `phone`; empty: email when there is one.
    pub channel: String,
    /// They agree to be contacted about this request.
    pub consent: bool,
    /// `fr`, `en` or empty (the node's).
    pub language: String,
}

/// A draft that passed its checks, with its channel decided.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedHelp {
    pub draft: HelpDraft,
    pub channel: Channel,
}

/// Digits of a phone number (a leading `+` allowed; spaces, dots, dashes and brackets
/// ignored): between 6 and 15 digits.
pub fn phone_ok(phone: &str) -> bool {
    let mut digits = 0;
    for (i, c) in phone.trim().chars().enumerate() {
        match c {
            '0'..='9' => digits += 1,
            '+' if i == 0 => {}
            ' ' | '.' | '-' | '(' | ')' => {}
            _ => return false,
        }
    }
    (6..=15).contains(&digits)
}

fn text(e: &mut FieldErrors, field: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        e.add(field, FieldError::new("max_chars").num("max", max as i64));
    } else if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        e.add(field, FieldError::new("no_control_chars"));
    }
}

impl HelpDraft {
    /// Checks every field at once: a name, something they would like to do (words or a
    /// category), a commune, an email or a phone that can be used, the channel among those
    /// given, and their consent to be contacted.
    pub fn check(mut self) -> Result<CheckedHelp, DomainError> {
        let mut e = FieldErrors::new();
        for s in [
            &mut self.name,
            &mut self.wishes,
            &mut self.when_note,
            &mut self.email,
            &mut self.phone,
        ] {
            *s = s.trim().to_string();
        }
        if self.name.is_empty() {
            e.add("name", FieldError::new("required"));
        }
        text(&mut e, "name", &self.name, NAME_MAX);
        if self.wishes.is_empty() && self.wish.interests.is_empty() {
            e.add("wishes", FieldError::new("help_wish_required"));
        }
        text(&mut e, "wishes", &self.wishes, WISHES_MAX);
        text(&mut e, "when_note", &self.when_note, WHEN_MAX);
        self.wish.skills.clear();
        self.wish.suggestable = false;
        self.wish.travel_km = Some(HELP_TRAVEL_KM);
        match self.wish.clone().validate() {
            Ok(w) => self.wish = w,
            Err(DomainError::Invalid(errors)) => {
                for (field, error) in errors.0 {
                    e.add(&field, error);
                }
            }
            Err(other) => return Err(other),
        }
        if self.wish.home_town.is_empty() {
            e.add("home_town", FieldError::new("required"));
        }
        if !self.email.is_empty() {
            validate_email(&self.email, &mut e);
        }
        if !self.phone.is_empty() && !phone_ok(&self.phone) {
            e.add("phone", FieldError::new("phone_invalid"));
        }
        if self.email.is_empty() && self.phone.is_empty() {
            e.add("email", FieldError::new("help_contact_required"));
        }
        let channel = match (self.channel.as_str(), self.email.is_empty()) {
            ("", false) => Channel::Email,
            ("", true) => Channel::Phone,
            (c, _) => match Channel::parse(c) {
                Some(c) => c,
                None => {
                    e.add(
                        "channel",
                        FieldError::new("one_of").text("values", "email, phone"),
                    );
                    Channel::Email
                }
            },
        };
        if channel == Channel::Email && self.email.is_empty() && !self.phone.is_empty() {
            e.add("email", FieldError::new("help_channel_email"));
        }
        if channel == Channel::Phone && self.phone.is_empty() && !self.email.is_empty() {
            e.add("phone", FieldError::new("help_channel_phone"));
        }
        if !self.consent {
            e.add("consent", FieldError::new("help_consent_required"));
        }
        if !matches!(self.language.as_str(), "" | "fr" | "en") {
            e.add("language", FieldError::new("language_unknown"));
        }
        e.into_result(CheckedHelp {
            draft: self,
            channel,
        })
    }
}

/// A référent's note on a request: not empty, at most [`NOTE_MAX`] characters.
pub fn check_note(body: &str) -> Result<String, DomainError> {
    let body = body.trim().to_string();
    let mut e = FieldErrors::new();
    if body.is_empty() {
        e.add("body", FieldError::new("required"));
    }
    text(&mut e, "body", &body, NOTE_MAX);
    e.into_result(body)
}

/// The missions chosen for a proposal: at least one, at most [`PROPOSAL_MAX`], each once.
pub fn check_proposal(mut missions: Vec<i64>) -> Result<Vec<i64>, DomainError> {
    let mut seen = std::collections::HashSet::new();
    missions.retain(|m| seen.insert(*m));
    let mut e = FieldErrors::new();
    if missions.is_empty() {
        e.add("missions", FieldError::new("required"));
    } else if missions.len() > PROPOSAL_MAX {
        e.add(
            "missions",
            FieldError::new("at_most").num("max", PROPOSAL_MAX as i64),
        );
    }
    e.into_result(missions)
}

/// Requests last changed before this instant are deleted: `retention_months` before `now`.
pub fn purge_before(now: DateTime<Utc>, retention_months: u32) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(retention_months))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HelpRequest {
    pub id: i64,
    pub name: String,
    pub wishes: String,
    pub when_note: String,
    pub wish: Profile,
    pub email: String,
    pub phone: String,
    pub channel: Channel,
    pub language: String,
    /// The account it was asked from, if any (for the export and the erasure).
    pub user_id: Option<i64>,
    pub state: HelpState,
    /// The référent who took it.
    pub referent_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A référent's note (a call, what was said).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HelpNote {
    pub id: i64,
    pub request_id: i64,
    pub author_id: Option<i64>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A mission proposed to the person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HelpProposal {
    pub id: i64,
    pub request_id: i64,
    pub mission_id: i64,
    pub slot_id: Option<i64>,
    pub referent_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// When its link was first followed.
    pub opened_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn draft() -> HelpDraft {
        HelpDraft {
            name: " Maryvonne ".into(),
            wishes: "Aider à l'épicerie solidaire".into(),
            wish: Profile {
                home_town: "Brest".into(),
                ..Default::default()
            },
            phone: "06 12 34 56 78".into(),
            consent: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_phone_alone_is_enough_and_chooses_the_phone() {
        let c = draft().check().expect("valid");
        assert_eq!(c.channel, Channel::Phone);
        assert_eq!(c.draft.name, "Maryvonne");
        assert_eq!(c.draft.wish.travel_km, Some(HELP_TRAVEL_KM));
    }

    #[test]
    fn every_missing_field_is_named() {
        let e = match HelpDraft::default().check() {
            Err(DomainError::Invalid(e)) => e,
            other => panic!("{other:?}"),
        };
        for (field, code) in [
            ("name", "required"),
            ("wishes", "help_wish_required"),
            ("home_town", "required"),
            ("email", "help_contact_required"),
            ("consent", "help_consent_required"),
        ] {
            assert_eq!(e.0.get(field).map(|f| f.code), Some(code), "{field}");
        }
    }

    #[test]
    fn the_channel_needs_its_contact() {
        let mut d = draft();
        d.channel = "email".into();
        assert!(
            matches!(d.check(), Err(DomainError::Invalid(e)) if e.0["email"].code == "help_channel_email")
        );
        let mut d = draft();
        d.email = "m@example.org".into();
        assert_eq!(d.check().expect("valid").channel, Channel::Email);
        let mut d = draft();
        d.phone = "call me".into();
        d.email = "m@example.org".into();
        assert!(
            matches!(d.check(), Err(DomainError::Invalid(e)) if e.0["phone"].code == "phone_invalid")
        );
    }

    #[test]
    fn phones_are_digits() {
        assert!(phone_ok("+33 6 12 34 56 78"));
        assert!(phone_ok("02.98.00.00.00"));
        assert!(!phone_ok("12345"));
        assert!(!phone_ok("06 12 34 56 78 ext"));
        assert!(!phone_ok("0612345678901234"));
    }

    #[test]
    fn states_move_forward_and_may_reopen() {
        use HelpState::*;
        assert!(New.may_become(InProgress));
        assert!(InProgress.may_become(Placed));
        assert!(Placed.may_become(InProgress));
        assert!(!Placed.may_become(New));
        assert!(!New.may_become(Placed));
        for s in HelpState::ALL {
            assert_eq!(HelpState::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn proposals_have_one_to_five_missions() {
        assert_eq!(check_proposal(vec![3, 3, 4]).expect("valid"), vec![3, 4]);
        assert!(check_proposal(vec![]).is_err());
        assert!(check_proposal((1..=6).collect()).is_err());
    }

    #[test]
    fn retention_counts_calendar_months() {
        let now = Utc.with_ymd_and_hms(2031, 3, 31, 12, 0, 0).unwrap();
        assert_eq!(
            purge_before(now, 12),
            Utc.with_ymd_and_hms(2030, 3, 31, 12, 0, 0).unwrap()
        );
        assert_eq!(
            purge_before(now, 1),
            Utc.with_ymd_and_hms(2031, 2, 28, 12, 0, 0).unwrap()
        );
    }
}
