//! Users, their roles in associations, and the rules for names and passwords.

use super::{DomainError, FieldError, FieldErrors};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A person with an account on this node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub created_at: DateTime<Utc>,
    /// The person's name as written on documents (attestations, agreements, hours
    /// statements); private: shown to the coordinators of associations they work with. Empty
    /// when not given: documents then show the account's name.
    pub full_name: String,
    /// `fr` or `en`: the language of the emails the account gets; empty: the node's.
    pub language: String,
    /// The email was confirmed (by its link, by an administrator, or the account was made by
    /// an operator). Until then the person logs in but does not sign up for slots.
    pub email_confirmed: bool,
    pub state: AccountState,
}

impl User {
    /// The name printed on documents: the full name, else the account's name.
    pub fn shown_name(&self) -> &str {
        match self.full_name.trim() {
            "" => &self.name,
            full => full,
        }
    }

    /// Why this account may not sign up for a slot yet, if it may not.
    pub fn sign_up_block(&self) -> Option<AccountBlock> {
        match self.state {
            AccountState::Pending => Some(AccountBlock::AwaitingApproval),
            AccountState::Refused => Some(AccountBlock::Refused),
            AccountState::Active if !self.email_confirmed => Some(AccountBlock::EmailUnconfirmed),
            AccountState::Active => None,
        }
    }

    /// Why this account may not log in, if it may not (an account waiting for an
    /// administrator, or refused by one). An unconfirmed email does not stop a login.
    pub fn login_block(&self) -> Option<AccountBlock> {
        match self.state {
            AccountState::Pending => Some(AccountBlock::AwaitingApproval),
            AccountState::Refused => Some(AccountBlock::Refused),
            AccountState::Active => None,
        }
    }
}

/// Where an account stands with the node's administrators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AccountState {
    /// May log in (and sign up once its email is confirmed).
    Active,
    /// Registered on a node where an administrator accepts new accounts: waiting.
    Pending,
    /// An administrator refused it.
    Refused,
}

impl AccountState {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountState::Active => "active",
            AccountState::Pending => "pending",
            AccountState::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<AccountState> {
        match s {
            "active" => Some(AccountState::Active),
            "pending" => Some(AccountState::Pending),
            "refused" => Some(AccountState::Refused),
            _ => None,
        }
    }
}

/// Why an account cannot do something yet (a code: its words are `err-account_<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountBlock {
    EmailUnconfirmed,
    AwaitingApproval,
    Refused,
}

impl AccountBlock {
    pub fn code(self) -> &'static str {
        match self {
            AccountBlock::EmailUnconfirmed => "email_unconfirmed",
            AccountBlock::AwaitingApproval => "awaiting_approval",
            AccountBlock::Refused => "account_refused",
        }
    }
}

/// Whether people may make an account themselves on this node (`[accounts] registration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationMode {
    /// Anyone may register; the account works once its email is confirmed.
    #[default]
    Open,
    /// Anyone may register; an administrator accepts or refuses each new account.
    Approval,
    /// Only operators make accounts (`entraide admin create-user`).
    Closed,
}

impl RegistrationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationMode::Open => "open",
            RegistrationMode::Approval => "approval",
            RegistrationMode::Closed => "closed",
        }
    }

    /// The state a newly registered account starts in, or `None` when nobody may register.
    pub fn new_account_state(self) -> Option<AccountState> {
        match self {
            RegistrationMode::Open => Some(AccountState::Active),
            RegistrationMode::Approval => Some(AccountState::Pending),
            RegistrationMode::Closed => None,
        }
    }
}

/// The longest full name or display name.
pub const PERSON_NAME_MAX: usize = 100;

/// A full name or a display name: at most [`PERSON_NAME_MAX`] characters, no control
/// characters (they would break documents and emails).
pub fn validate_person_name(field: &str, value: &str, errors: &mut FieldErrors) {
    if value.chars().count() > PERSON_NAME_MAX {
        errors.add(
            field,
            FieldError::new("max_chars").num("max", PERSON_NAME_MAX as i64),
        );
    } else if value.chars().any(char::is_control) {
        errors.add(field, FieldError::new("no_control_chars"));
    }
}

/// The languages emails and pages are written in (empty: the node's).
pub fn validate_language(value: &str, errors: &mut FieldErrors) {
    if !matches!(value, "" | "fr" | "en") {
        errors.add("language", FieldError::new("language_unknown"));
    }
}

/// An API token as its owner sees it: never the secret (shown once, when it is created) nor
/// the hash kept of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub label: String,
    pub created_at: DateTime<Utc>,
}

/// What a user may do in an association.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Coordinator,
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Coordinator => "coordinator",
            Role::Owner => "owner",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "member" => Some(Role::Member),
            "coordinator" => Some(Role::Coordinator),
            "owner" | "admin" => Some(Role::Owner),
            _ => None,
        }
    }

    /// Coordinators and owners publish and change missions.
    pub fn can_manage_missions(self) -> bool {
        self >= Role::Coordinator
    }
}

/// Names of users and associations: they become `acct:name@host` and URL segments.
pub fn validate_name(field: &str, name: &str, errors: &mut FieldErrors) {
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' || c == '.');
    if name.is_empty() || name.len() > 40 {
        errors.add(
            field,
            FieldError::new("name_length").num("min", 1).num("max", 40),
        );
    } else if !ok_chars {
        errors.add(field, FieldError::new("name_chars"));
    } else if name.starts_with(['.', '-']) || name.ends_with(['.', '-']) {
        errors.add(field, FieldError::new("name_edges"));
    } else if RESERVED.contains(&name) {
        errors.add(field, FieldError::new("name_reserved"));
    }
}

/// Names that would collide with the node's own actors or routes.
const RESERVED: &[&str] = &[
    "relay", "admin", "api", "inbox", "login", "logout", "static", "www", "new", "requests",
];

/// Passwords: long enough to resist guessing, not absurdly long (argon2 input).
pub fn validate_password(password: &str) -> Result<(), DomainError> {
    let n = password.chars().count();
    if n < 8 {
        return Err(DomainError::field(
            "password",
            FieldError::new("min_chars").num("min", 8),
        ));
    }
    if n > 256 {
        return Err(DomainError::field(
            "password",
            FieldError::new("max_chars").num("max", 256),
        ));
    }
    Ok(())
}

/// A light check: one `@`, something on both sides, a dot in the domain.
pub fn validate_email(email: &str, errors: &mut FieldErrors) {
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !domain.contains('@') && email.len() <= 254
        }
        None => false,
    };
    if !valid {
        errors.add("email", FieldError::new("email_invalid"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name_ok(n: &str) -> bool {
        let mut e = FieldErrors::new();
        validate_name("name", n, &mut e);
        e.is_empty()
    }

    #[test]
    fn names() {
        assert!(name_ok("restos-brest"));
        assert!(name_ok("sema_for2"));
        assert!(!name_ok(""));
        assert!(!name_ok("Capitals"));
        assert!(!name_ok("a b"));
        assert!(!name_ok("-lead"));
        assert!(!name_ok("relay"));
        assert!(!name_ok(&"x".repeat(41)));
    }

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Owner.can_manage_missions());
        assert!(Role::Coordinator.can_manage_missions());
        assert!(!Role::Member.can_manage_missions());
        assert_eq!(Role::parse("admin"), Some(Role::Owner));
        assert_eq!(Role::parse("x"), None);
    }

    fn user(state: AccountState, email_confirmed: bool, full_name: &str) -> User {
        User {
            id: 1,
            name: "camille".into(),
            email: Some("c@example.org".into()),
            password_hash: None,
            is_admin: false,
            created_at: chrono::DateTime::UNIX_EPOCH,
            full_name: full_name.into(),
            language: String::new(),
            email_confirmed,
            state,
        }
    }

    #[test]
    fn who_may_sign_up_and_log_in() {
        let ok = user(AccountState::Active, true, "");
        assert_eq!(ok.sign_up_block(), None);
        assert_eq!(ok.login_block(), None);
        let unconfirmed = user(AccountState::Active, false, "");
        assert_eq!(
            unconfirmed.sign_up_block(),
            Some(AccountBlock::EmailUnconfirmed)
        );
        assert_eq!(unconfirmed.login_block(), None);
        let waiting = user(AccountState::Pending, true, "");
        assert_eq!(waiting.login_block(), Some(AccountBlock::AwaitingApproval));
        let refused = user(AccountState::Refused, true, "");
        assert_eq!(refused.sign_up_block(), Some(AccountBlock::Refused));
    }

    #[test]
    fn documents_show_the_full_name_or_else_the_account_name() {
        assert_eq!(
            user(AccountState::Active, true, " Camille Le Goff ").shown_name(),
            "Camille Le Goff"
        );
        assert_eq!(
            user(AccountState::Active, true, "  ").shown_name(),
            "camille"
        );
    }

    #[test]
    fn person_names_and_languages() {
        let mut e = FieldErrors::new();
        validate_person_name("full_name", "Anne-Marie Kerhervé", &mut e);
        validate_language("fr", &mut e);
        validate_language("", &mut e);
        assert!(e.is_empty());
        validate_person_name("full_name", &"x".repeat(101), &mut e);
        validate_person_name("display_name", "a\u{7}b", &mut e);
        validate_language("de", &mut e);
        assert_eq!(e.0["full_name"].code, "max_chars");
        assert_eq!(e.0["display_name"].code, "no_control_chars");
        assert_eq!(e.0["language"].code, "language_unknown");
        assert_eq!(
            RegistrationMode::Approval.new_account_state(),
            Some(AccountState::Pending)
        );
        assert_eq!(RegistrationMode::Closed.new_account_state(), None);
    }

    #[test]
    fn passwords_and_emails() {
        assert!(validate_password("short").is_err());
        assert!(validate_password("long enough").is_ok());
        let mut e = FieldErrors::new();
        validate_email("a@b.fr", &mut e);
        assert!(e.is_empty());
        validate_email("nope", &mut e);
        assert!(!e.is_empty());
    }
}
