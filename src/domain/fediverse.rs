//! People whose account is on Mastodon (or any fediverse server that cannot send `Join`):
//! they sign up through a one-time link sent to them by direct message, and their replies to a
//! mission are kept as "interest" for the coordinators.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// How long a link sent by direct message can be used.
pub const LINK_HOURS: i64 = 48;
/// At most this many links go to one account per hour (the form must not become a way to
/// flood someone with messages).
pub const LINKS_PER_HOUR: i64 = 5;
/// The longest reply text kept as interest.
pub const INTEREST_MAX_CHARS: usize = 2000;
/// The longest handle accepted in the form.
pub const HANDLE_MAX_CHARS: usize = 300;

/// A one-time link to record, bound to a slot and a remote person; only the token's hash is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConfirmation {
    pub token_hash: String,
    pub slot_id: i64,
    pub actor_ap_id: String,
    /// The sign-up's id (a fresh local id): confirming twice is one sign-up.
    pub join_ap_id: String,
    pub expires_at: DateTime<Utc>,
}

impl NewConfirmation {
    pub fn new(
        token_hash: String,
        slot_id: i64,
        actor_ap_id: String,
        join_ap_id: String,
        now: DateTime<Utc>,
    ) -> Self {
        NewConfirmation {
            token_hash,
            slot_id,
            actor_ap_id,
            join_ap_id,
            expires_at: now + Duration::hours(LINK_HOURS),
        }
    }
}

/// A one-time link as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confirmation {
    pub id: i64,
    pub slot_id: i64,
    pub actor_ap_id: String,
    pub join_ap_id: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

impl Confirmation {
    /// Whether the link can still be used at `now`.
    pub fn usable(&self, now: DateTime<Utc>) -> bool {
        self.used_at.is_none() && now < self.expires_at
    }
}

/// A reply to a mission, kept for its coordinators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInterest {
    pub mission_id: i64,
    pub actor_ap_id: String,
    /// The reply's id: a redelivered or edited reply is kept once.
    pub note_ap_id: String,
    /// Plain text, at most [`INTEREST_MAX_CHARS`].
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interest {
    pub id: i64,
    pub mission_id: i64,
    pub actor_ap_id: String,
    pub note_ap_id: String,
    pub content: String,
    pub created_at: DateTime<Utc>,
}

/// Why a typed handle cannot be used, before any network access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandleProblem {
    Empty,
    TooLong,
    /// Not `@name@server` (nor a profile address).
    Shape,
}

/// Checks what a person typed: `@name@server`, `name@server` or a profile address
/// (`https://server/@name`). Returns it cleaned (a handle always with its leading `@`).
pub fn clean_handle(input: &str) -> Result<String, HandleProblem> {
    let s = input.trim();
    if s.is_empty() {
        return Err(HandleProblem::Empty);
    }
    if s.chars().count() > HANDLE_MAX_CHARS {
        return Err(HandleProblem::TooLong);
    }
    if s.chars().any(char::is_whitespace) {
        return Err(HandleProblem::Shape);
    }
    if s.starts_with("https://") || s.starts_with("http://") {
        return url::Url::parse(s)
            .ok()
            .filter(|u| u.host_str().is_some())
            .map(|_| s.to_string())
            .ok_or(HandleProblem::Shape);
    }
    let bare = s.strip_prefix('@').unwrap_or(s);
    let Some((name, host)) = bare.split_once('@') else {
        return Err(HandleProblem::Shape);
    };
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'));
    let host_ok = host.contains('.') || host == "localhost" || host.starts_with("localhost:");
    let host_chars = host
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !name_ok || !host_ok || !host_chars || host.starts_with(['.', '-', ':']) {
        return Err(HandleProblem::Shape);
    }
    Ok(format!("@{name}@{}", host.to_lowercase()))
}

/// The server part of a cleaned handle or profile address, lower-cased (`host` or `host:port`).
pub fn handle_host(cleaned: &str) -> String {
    if let Ok(u) = url::Url::parse(cleaned) {
        if let Some(h) = u.host_str() {
            return match u.port() {
                Some(p) => format!("{}:{p}", h.to_lowercase()),
                None => h.to_lowercase(),
            };
        }
    }
    cleaned
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_people_type() {
        assert_eq!(
            clean_handle(" @Bob@Mastodon.Social ").as_deref(),
            Ok("@Bob@mastodon.social")
        );
        assert_eq!(
            clean_handle("bob@mastodon.social").as_deref(),
            Ok("@bob@mastodon.social")
        );
        assert_eq!(
            clean_handle("@vol@localhost:8081").as_deref(),
            Ok("@vol@localhost:8081")
        );
        assert_eq!(
            clean_handle("https://mastodon.social/@bob").as_deref(),
            Ok("https://mastodon.social/@bob")
        );
        assert_eq!(clean_handle(""), Err(HandleProblem::Empty));
        assert_eq!(clean_handle("   "), Err(HandleProblem::Empty));
        assert_eq!(clean_handle("bob"), Err(HandleProblem::Shape));
        assert_eq!(clean_handle("@bob"), Err(HandleProblem::Shape));
        assert_eq!(clean_handle("@bob@"), Err(HandleProblem::Shape));
        assert_eq!(clean_handle("@@server.example"), Err(HandleProblem::Shape));
        assert_eq!(clean_handle("@bob@server"), Err(HandleProblem::Shape));
        assert_eq!(
            clean_handle("@bo b@server.example"),
            Err(HandleProblem::Shape)
        );
        assert_eq!(
            clean_handle("@bob@serv/er.example"),
            Err(HandleProblem::Shape)
        );
        assert_eq!(
            clean_handle("<script>@x.example"),
            Err(HandleProblem::Shape)
        );
        assert_eq!(
            clean_handle(&format!("@{}@x.example", "a".repeat(400))),
            Err(HandleProblem::TooLong)
        );
    }

    #[test]
    fn host_of_a_handle() {
        assert_eq!(handle_host("@bob@Mastodon.Social"), "mastodon.social");
        assert_eq!(handle_host("@vol@localhost:8081"), "localhost:8081");
        assert_eq!(
            handle_host("https://Mastodon.social/@bob"),
            "mastodon.social"
        );
        assert_eq!(
            handle_host("http://localhost:8081/users/bob"),
            "localhost:8081"
        );
    }

    #[test]
    fn links_expire_and_are_used_once() {
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2030, 6, 1, 9, 0, 0)
            .single()
            .expect("valid");
        let c = NewConfirmation::new(
            "h".into(),
            1,
            "https://x.example/u/a".into(),
            "j".into(),
            now,
        );
        assert_eq!(c.expires_at, now + Duration::hours(48));
        let stored = Confirmation {
            id: 1,
            slot_id: 1,
            actor_ap_id: c.actor_ap_id.clone(),
            join_ap_id: "j".into(),
            created_at: now,
            expires_at: c.expires_at,
            used_at: None,
        };
        assert!(stored.usable(now));
        assert!(!stored.usable(now + Duration::hours(49)));
        assert!(!Confirmation {
            used_at: Some(now),
            ..stored
        }
        .usable(now));
    }
}
