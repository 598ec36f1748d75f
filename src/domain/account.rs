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
