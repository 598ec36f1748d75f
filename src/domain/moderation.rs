//! Moderation (issue 18): what the administrators decided about other servers and their
//! accounts, and the reports. Pure rules: which rule applies to an actor, what an input names.
//!
//! As on Mastodon, a rule names a whole host (and its subdomains) or one remote actor, and is
//! either a *block* (Mastodon's "suspend": nothing accepted from it, nothing fetched from or
//! sent to it, its followers and cached content gone) or a *silence* (Mastodon's "limit": its
//! activities are accepted, its content stays out of the public lists and search of this node,
//! reachable only by direct link).

use super::FieldError;
use chrono::{DateTime, Utc};
use url::Url;

/// How hard a rule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Accepted, kept out of public lists and search.
    Silence,
    /// Nothing accepted, fetched nor delivered; followers and cached content removed.
    Block,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Silence => "silence",
            Severity::Block => "block",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "silence" => Some(Severity::Silence),
            "block" => Some(Severity::Block),
            _ => None,
        }
    }
}

/// What a rule names: a host (with its subdomains) or one actor (its ActivityPub id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Host(String),
    Actor(String),
}

impl Target {
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Host(_) => "host",
            Target::Actor(_) => "actor",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            Target::Host(h) | Target::Actor(h) => h,
        }
    }

    pub fn from_parts(kind: &str, value: &str) -> Target {
        match kind {
            "actor" => Target::Actor(value.into()),
            _ => Target::Host(value.into()),
        }
    }

    /// The host this target is on.
    pub fn host(&self) -> String {
        match self {
            Target::Host(h) => h.clone(),
            Target::Actor(a) => host_of(a),
        }
    }
}

/// What an administrator typed to name a target, before an `@user@host` is looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetInput {
    /// A host or an actor's URL: known at once.
    Known(Target),
    /// `@user@host`: its actor is found by WebFinger.
    Handle { user: String, host: String },
}

fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && (host.contains('.') || host.contains(':'))
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':')
        && !host.starts_with('.')
        && !host.ends_with('.')
}

/// The lower-case host of a URL (empty when it has none).
pub fn host_of(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Reads `host`, `https://host`, `https://host/actor/path` or `@user@host`.
pub fn parse_target(input: &str) -> Result<TargetInput, FieldError> {
    let input = input.trim();
    let invalid = || FieldError::new("moderation_target");
    if input.is_empty() {
        return Err(FieldError::new("required"));
    }
    if input.starts_with("https://") || input.starts_with("http://") {
        let url = Url::parse(input).map_err(|_| invalid())?;
        let host = host_of(input);
        if !valid_host(&host) {
            return Err(invalid());
        }
        if url.path().trim_matches('/').is_empty() && url.query().is_none() {
            return Ok(TargetInput::Known(Target::Host(host)));
        }
        return Ok(TargetInput::Known(Target::Actor(url.to_string())));
    }
    let bare = input.trim_start_matches('@');
    if let Some((user, host)) = bare.split_once('@') {
        let host = host.to_ascii_lowercase();
        if user.is_empty() || host.contains('@') || !valid_host(&host) {
            return Err(invalid());
        }
        return Ok(TargetInput::Handle {
            user: user.into(),
            host,
        });
    }
    let host = bare.trim_start_matches("*.").to_ascii_lowercase();
    if !valid_host(&host) || input.starts_with('@') {
        return Err(invalid());
    }
    Ok(TargetInput::Known(Target::Host(host)))
}

/// The longest reason and report comment kept.
pub const MAX_TEXT: usize = 2000;

/// A rule as stored (`id` set) or read from the configuration (`id` is `None`: read-only).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: Option<i64>,
    pub target: Target,
    pub severity: Severity,
    pub reason: String,
    pub created_by: String,
    pub created_at: Option<DateTime<Utc>>,
}

/// A new rule, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRule {
    pub target: Target,
    pub severity: Severity,
    pub reason: String,
}

/// Whether `host` is `rule` or one of its subdomains.
pub fn host_matches(host: &str, rule: &str) -> bool {
    let rule = rule.trim().trim_start_matches("*.").to_ascii_lowercase();
    !rule.is_empty() && (host == rule || host.ends_with(&format!(".{rule}")))
}

/// The rules in force, as every process keeps them in memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    rules: Vec<Rule>,
}

impl Rules {
    pub fn new(rules: Vec<Rule>) -> Rules {
        Rules { rules }
    }

    pub fn all(&self) -> &[Rule] {
        &self.rules
    }

    /// The hardest rule that applies to this actor (or object) URL: one naming it, or its host.
    pub fn verdict(&self, url: &str) -> Option<Severity> {
        let host = host_of(url);
        let bare = url.trim_end_matches('/');
        self.rules
            .iter()
            .filter(|r| match &r.target {
                Target::Host(h) => host_matches(&host, h),
                Target::Actor(a) => a.trim_end_matches('/') == bare,
            })
            .map(|r| r.severity)
            .max()
    }

    /// Whether a whole host is blocked (for deliveries and fetches, which know only the URL).
    pub fn host_blocked(&self, host: &str) -> bool {
        self.rules.iter().any(|r| {
            r.severity == Severity::Block
                && matches!(&r.target, Target::Host(h) if host_matches(host, h))
        })
    }
}

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Mission,
    Resource,
    Actor,
}

impl ReportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Mission => "mission",
            ReportKind::Resource => "resource",
            ReportKind::Actor => "actor",
        }
    }

    pub fn parse(s: &str) -> Option<ReportKind> {
        match s {
            "mission" => Some(ReportKind::Mission),
            "resource" => Some(ReportKind::Resource),
            "actor" => Some(ReportKind::Actor),
            _ => None,
        }
    }
}

/// A report: made here by a logged-in person (`origin` `local`, `reporter` their name) or
/// received as a `Flag` from another server (`remote`, `reporter` its actor).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub id: i64,
    pub reporter: String,
    pub origin: String,
    pub kind: ReportKind,
    /// The reported object's id (or the actor's).
    pub target: String,
    /// The actor the object belongs to, when known.
    pub target_actor: String,
    pub comment: String,
    pub flag_ap_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by: Option<String>,
    pub forwarded_at: Option<DateTime<Utc>>,
}

/// A report to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReport {
    pub reporter: String,
    pub origin: String,
    pub kind: ReportKind,
    pub target: String,
    pub target_actor: String,
    pub comment: String,
    pub flag_ap_id: Option<String>,
}

/// A report's comment, checked: at most [`MAX_TEXT`] characters, trimmed.
pub fn check_text(text: &str) -> Result<String, FieldError> {
    let text = text.trim();
    if text.chars().count() > MAX_TEXT {
        return Err(FieldError::new("max_chars").num("max", MAX_TEXT));
    }
    Ok(text.to_string())
}

/// One entry of the log: who (`by`: a user's name, `console`, or a remote actor), what
/// (`action`: `block`, `silence`, `unblock`, `remove`, `restore`, `resolve`, `forward`,
/// `report`), on what and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub by: String,
    pub action: String,
    pub target: String,
    pub reason: String,
}

/// A remote mission or resource an administrator removed from this node.
#[derive(Debug, Clone, PartialEq)]
pub struct Removed {
    pub ap_id: String,
    pub kind: ReportKind,
    pub removed_by: String,
    pub reason: String,
    pub removed_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(target: Target, severity: Severity) -> Rule {
        Rule {
            id: Some(1),
            target,
            severity,
            reason: String::new(),
            created_by: "admin".into(),
            created_at: None,
        }
    }

    #[test]
    fn targets_are_read_from_what_an_administrator_types() {
        let host = |h: &str| Ok(TargetInput::Known(Target::Host(h.into())));
        assert_eq!(parse_target("Bad.Example"), host("bad.example"));
        assert_eq!(parse_target("https://bad.example/"), host("bad.example"));
        assert_eq!(parse_target("*.bad.example"), host("bad.example"));
        assert_eq!(
            parse_target("https://bad.example/users/troll"),
            Ok(TargetInput::Known(Target::Actor(
                "https://bad.example/users/troll".into()
            )))
        );
        assert_eq!(
            parse_target("@troll@Bad.Example"),
            Ok(TargetInput::Handle {
                user: "troll".into(),
                host: "bad.example".into()
            })
        );
        for wrong in [
            "@nobody",
            "not a host",
            "localhost",
            "@a@b@c.example",
            "https://",
        ] {
            assert!(parse_target(wrong).is_err(), "{wrong}");
        }
        assert_eq!(parse_target("  "), Err(FieldError::new("required")));
    }

    #[test]
    fn the_hardest_rule_that_names_an_actor_or_its_host_applies() {
        let rules = Rules::new(vec![
            rule(Target::Host("noisy.example".into()), Severity::Silence),
            rule(
                Target::Actor("https://noisy.example/users/troll".into()),
                Severity::Block,
            ),
            rule(Target::Host("bad.example".into()), Severity::Block),
        ]);
        assert_eq!(
            rules.verdict("https://noisy.example/users/ann"),
            Some(Severity::Silence)
        );
        assert_eq!(
            rules.verdict("https://noisy.example/users/troll"),
            Some(Severity::Block)
        );
        assert_eq!(
            rules.verdict("https://sub.bad.example/relay"),
            Some(Severity::Block)
        );
        assert_eq!(rules.verdict("https://notbad.example/relay"), None);
        assert_eq!(rules.verdict("https://good.example/u/x"), None);
        assert!(rules.host_blocked("bad.example"));
        assert!(
            !rules.host_blocked("noisy.example"),
            "silenced, not blocked"
        );
        assert!(Rules::default().verdict("https://bad.example/").is_none());
    }

    #[test]
    fn texts_are_bounded() {
        assert_eq!(check_text("  spam  "), Ok("spam".into()));
        assert!(check_text(&"x".repeat(MAX_TEXT + 1)).is_err());
        assert_eq!(Severity::parse("block"), Some(Severity::Block));
        assert_eq!(ReportKind::parse("mission"), Some(ReportKind::Mission));
        assert_eq!(ReportKind::parse("user"), None);
    }
}
