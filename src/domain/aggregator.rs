//! The aggregator's rules, as pure functions: what a source is and when it is silent, when it
//! is reconciled again, whether an item is inside the territory, whether its publisher
//! consents to being indexed (FEP-5feb), and the token bucket that paces requests to a host.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// What a source is, which says how it is walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// An Entraide node: its relay, and its `/relay/current` collection.
    Entraide,
    /// A Mobilizon instance: its `relay` actor, and that actor's outbox.
    Mobilizon,
    /// A group (a Mobilizon group, FEP-1b12) followed directly: its outbox.
    Group,
    /// Another server's actor: its outbox.
    Other,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Entraide => "entraide",
            SourceKind::Mobilizon => "mobilizon",
            SourceKind::Group => "group",
            SourceKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> SourceKind {
        match s {
            "entraide" => SourceKind::Entraide,
            "mobilizon" => SourceKind::Mobilizon,
            "group" => SourceKind::Group,
            _ => SourceKind::Other,
        }
    }
}

/// One source an aggregator follows, with what is known of its freshness.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: i64,
    /// What the operator typed (`https://host` or `@group@host`).
    pub input: String,
    /// The actor followed (a relay or a group).
    pub actor_ap_id: String,
    pub kind: SourceKind,
    pub host: String,
    /// The collection a backfill walks (`/relay/current`, or an outbox).
    pub collection: String,
    pub added_at: DateTime<Utc>,
    /// The last activity received from the followed actor.
    pub last_activity_at: Option<DateTime<Utc>>,
    /// The last backfill or reconciliation started.
    pub last_attempt_at: Option<DateTime<Utc>>,
    /// The last one that went to its end.
    pub last_success_at: Option<DateTime<Utc>>,
    /// Failures since the last success.
    pub error_count: i64,
    pub last_error: String,
    /// Items taken at the last success.
    pub items: i64,
}

/// A source to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSource {
    pub input: String,
    pub actor_ap_id: String,
    pub kind: SourceKind,
    pub host: String,
    pub collection: String,
}

/// How a walk of a source ended.
#[derive(Debug, Clone, PartialEq)]
pub enum WalkOutcome {
    /// To its end (or to the first item already known): how many items were taken.
    Done {
        items: i64,
    },
    Failed {
        error: String,
    },
}

/// Whether a source has been silent past `threshold`: nothing received from it since it was
/// added or last heard from.
pub fn is_silent(source: &Source, now: DateTime<Utc>, threshold: Duration) -> bool {
    let heard = source.last_activity_at.unwrap_or(source.added_at);
    now - heard > threshold
}

/// Whether a source is due for a walk now: never walked (the backfill); after a failure, once
/// the back-off (one minute doubling per failure, at most six hours) has passed; else once a
/// night, when the night's hour (`night_hour`, in `tz`) has come since the last success.
pub fn walk_due(source: &Source, now: DateTime<Utc>, tz: Tz, night_hour: u32) -> bool {
    let Some(attempt) = source.last_attempt_at else {
        return true;
    };
    if source.error_count > 0 || source.last_success_at.is_none() {
        let exponent = source.error_count.clamp(1, 10) - 1;
        let wait = Duration::minutes(1i64 << exponent).min(Duration::hours(6));
        return now >= attempt + wait;
    }
    let success = source.last_success_at.unwrap_or(attempt);
    let local = now.with_timezone(&tz);
    let hour = NaiveTime::from_hms_opt(night_hour.min(23), 0, 0).unwrap_or_default();
    let today = tz
        .from_local_datetime(&local.date_naive().and_time(hour))
        .earliest();
    let Some(today) = today else {
        return false; // the hour does not exist tonight (a clock change): tomorrow
    };
    let last_night = if today.with_timezone(&Utc) <= now {
        today.with_timezone(&Utc)
    } else {
        today.with_timezone(&Utc) - Duration::days(1)
    };
    success < last_night
}

/// The territory an aggregator takes items from: départements (by postcode prefix) and/or a
/// bounding box. Empty: everywhere.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Territory {
    /// `"29"`, `"22"`, `"971"`…
    pub departements: Vec<String>,
    /// `[west, south, east, north]` in degrees.
    pub bbox: Option<[f64; 4]>,
}

impl Territory {
    pub fn is_everywhere(&self) -> bool {
        self.departements.is_empty() && self.bbox.is_none()
    }

    /// Whether an item at this place belongs: its postcode starts with one of the
    /// départements, or its coordinates are inside the box. An item with neither a postcode
    /// nor coordinates (online) is not outside, so it is taken.
    pub fn contains(&self, postcode: &str, lat: Option<f64>, lon: Option<f64>) -> bool {
        if self.is_everywhere() {
            return true;
        }
        let postcode = postcode.trim();
        let coords = lat.zip(lon);
        if postcode.is_empty() && coords.is_none() {
            return true;
        }
        let by_code = !postcode.is_empty()
            && self
                .departements
                .iter()
                .any(|d| !d.is_empty() && postcode.starts_with(d.as_str()));
        let by_box = match (self.bbox, coords) {
            (Some([west, south, east, north]), Some((lat, lon))) => {
                (south..=north).contains(&lat) && (west..=east).contains(&lon)
            }
            _ => false,
        };
        by_code || by_box
    }
}

/// Whether a publisher consents to being indexed (FEP-5feb): `discoverable: false` or
/// `indexable: false` refuse, and a missing `indexable` counts as a refusal.
pub fn actor_consents(indexable: Option<bool>, discoverable: Option<bool>) -> bool {
    indexable == Some(true) && discoverable != Some(false)
}

/// Whether an object may be indexed given its own marks (its publisher's consent decides
/// when it has none): it must be public, and not marked `indexable: false` or
/// `discoverable: false`.
pub fn object_consents(public: bool, indexable: Option<bool>, discoverable: Option<bool>) -> bool {
    public && indexable != Some(false) && discoverable != Some(false)
}

/// A token bucket: `rate` tokens a second, at most `burst` saved. Times are seconds on a
/// monotonic clock given by the caller.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    at: f64,
}

impl TokenBucket {
    pub fn new(rate: f64, burst: f64, now: f64) -> Self {
        let burst = burst.max(1.0);
        TokenBucket {
            rate: rate.max(0.001),
            burst,
            tokens: burst,
            at: now,
        }
    }

    /// Takes a token: `0.0` when one was there, else how many seconds to wait before the
    /// token taken (in advance) comes due.
    pub fn take(&mut self, now: f64) -> f64 {
        let elapsed = (now - self.at).max(0.0);
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.at = now.max(self.at);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            0.0
        } else {
            -self.tokens / self.rate
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    fn source() -> Source {
        Source {
            id: 1,
            input: "https://a.example".into(),
            actor_ap_id: "https://a.example/relay".into(),
            kind: SourceKind::Entraide,
            host: "a.example".into(),
            collection: "https://a.example/relay/current".into(),
            added_at: at("2026-03-01T10:00:00Z"),
            last_activity_at: None,
            last_attempt_at: None,
            last_success_at: None,
            error_count: 0,
            last_error: String::new(),
            items: 0,
        }
    }

    #[test]
    fn silence_counts_from_the_last_activity_or_the_addition() {
        let mut s = source();
        let day = Duration::hours(24);
        assert!(!is_silent(&s, at("2026-03-02T09:00:00Z"), day));
        assert!(is_silent(&s, at("2026-03-02T11:00:00Z"), day));
        s.last_activity_at = Some(at("2026-03-02T10:30:00Z"));
        assert!(!is_silent(&s, at("2026-03-02T11:00:00Z"), day));
        assert!(is_silent(&s, at("2026-03-03T10:31:00Z"), day));
    }

    #[test]
    fn a_new_source_is_due_then_once_a_night() {
        let tz = chrono_tz::Europe::Paris;
        let mut s = source();
        assert!(walk_due(&s, at("2026-03-01T10:00:00Z"), tz, 3));
        s.last_attempt_at = Some(at("2026-03-01T10:00:00Z"));
        s.last_success_at = Some(at("2026-03-01T10:01:00Z"));
        // Same day, later: not due; 03:00 Paris (02:00 UTC) next night: due.
        assert!(!walk_due(&s, at("2026-03-01T22:00:00Z"), tz, 3));
        assert!(!walk_due(&s, at("2026-03-02T01:59:00Z"), tz, 3));
        assert!(walk_due(&s, at("2026-03-02T02:00:00Z"), tz, 3));
        // Walked that night: not again before the next.
        s.last_attempt_at = Some(at("2026-03-02T02:00:00Z"));
        s.last_success_at = Some(at("2026-03-02T02:00:30Z"));
        assert!(!walk_due(&s, at("2026-03-02T20:00:00Z"), tz, 3));
    }

    #[test]
    fn failures_back_off_doubling_up_to_six_hours() {
        let tz = chrono_tz::Europe::Paris;
        let mut s = source();
        s.last_attempt_at = Some(at("2026-03-01T10:00:00Z"));
        s.error_count = 1;
        assert!(!walk_due(&s, at("2026-03-01T10:00:59Z"), tz, 3));
        assert!(walk_due(&s, at("2026-03-01T10:01:00Z"), tz, 3));
        s.error_count = 3;
        assert!(!walk_due(&s, at("2026-03-01T10:03:59Z"), tz, 3));
        assert!(walk_due(&s, at("2026-03-01T10:04:00Z"), tz, 3));
        s.error_count = 40;
        assert!(!walk_due(&s, at("2026-03-01T15:59:00Z"), tz, 3));
        assert!(walk_due(&s, at("2026-03-01T16:00:00Z"), tz, 3));
    }

    #[test]
    fn the_territory_takes_departements_and_a_box() {
        let finistere = Territory {
            departements: vec!["29".into()],
            bbox: None,
        };
        assert!(finistere.contains("29200", None, None));
        assert!(!finistere.contains("35000", Some(48.1), Some(-1.7)));
        assert!(finistere.contains("", None, None), "online: not outside");
        assert!(Territory::default().contains("75001", None, None));
        let brest = Territory {
            departements: Vec::new(),
            bbox: Some([-4.8, 48.2, -4.2, 48.6]),
        };
        assert!(brest.contains("", Some(48.39), Some(-4.49)));
        assert!(!brest.contains("", Some(48.11), Some(-1.68)));
        assert!(
            !brest.contains("29200", None, None),
            "no coordinates, not in a département list"
        );
        let both = Territory {
            departements: vec!["22".into()],
            bbox: brest.bbox,
        };
        assert!(both.contains("22000", Some(48.5), Some(-2.7)));
        assert!(both.contains("29200", Some(48.39), Some(-4.49)));
    }

    #[test]
    fn consent_needs_indexable_true_and_no_refusal() {
        assert!(actor_consents(Some(true), None));
        assert!(actor_consents(Some(true), Some(true)));
        assert!(
            !actor_consents(None, Some(true)),
            "missing indexable is a refusal"
        );
        assert!(!actor_consents(Some(true), Some(false)));
        assert!(!actor_consents(Some(false), None));
        assert!(object_consents(true, None, None));
        assert!(!object_consents(false, None, None), "only public items");
        assert!(!object_consents(true, Some(false), None));
        assert!(!object_consents(true, None, Some(false)));
    }

    #[test]
    fn the_bucket_lets_a_burst_through_then_paces() {
        let mut b = TokenBucket::new(2.0, 2.0, 0.0);
        assert_eq!(b.take(0.0), 0.0);
        assert_eq!(b.take(0.0), 0.0);
        let wait = b.take(0.0);
        assert!((wait - 0.5).abs() < 1e-9, "{wait}");
        let wait = b.take(0.0);
        assert!((wait - 1.0).abs() < 1e-9, "{wait}");
        // After a long pause, a full burst again (not more).
        assert_eq!(b.take(100.0), 0.0);
        assert_eq!(b.take(100.0), 0.0);
        assert!(b.take(100.0) > 0.0);
    }
}
