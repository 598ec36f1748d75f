//! Time slots of a mission: when volunteers come, how many, and the rules of signing up.
//! Several slots can be made at once from a weekly rule ("every Saturday morning in March").

use super::{DomainError, FieldError, FieldErrors};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Most slots one rule may create (a year of daily slots).
pub const MAX_SLOTS_PER_RULE: usize = 366;
pub const MAX_SLOT_CAPACITY: i64 = 10_000;

/// A slot's start, end and capacity, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlotDraft {
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub capacity: i64,
}

/// One slot as typed: RFC 3339 or local times, a capacity.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SlotInput {
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub capacity: Option<i64>,
}

/// A weekly rule: these weekdays, between these dates, at these hours.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SlotRule {
    /// First and last day (inclusive), `YYYY-MM-DD`.
    pub from_date: Option<String>,
    pub to_date: Option<String>,
    /// `mon`, `tue`, … (empty: every day).
    pub weekdays: Vec<String>,
    /// Local times `HH:MM`.
    #[schema(example = "09:00")]
    pub start: Option<String>,
    #[schema(example = "12:00")]
    pub end: Option<String>,
    pub capacity: Option<i64>,
}

fn check_capacity(capacity: Option<i64>, errors: &mut FieldErrors) -> i64 {
    match capacity {
        None => {
            errors.add("capacity", FieldError::new("required"));
            0
        }
        Some(c) if c < 1 => {
            errors.add("capacity", FieldError::new("at_least").num("min", 1));
            c
        }
        Some(c) if c > MAX_SLOT_CAPACITY => {
            errors.add(
                "capacity",
                FieldError::new("at_most").num("max", MAX_SLOT_CAPACITY),
            );
            c
        }
        Some(c) => c,
    }
}

impl SlotDraft {
    pub fn parse(input: &SlotInput, tz: Tz, now: DateTime<Utc>) -> Result<SlotDraft, DomainError> {
        let mut errors = FieldErrors::new();
        let time = |field: &str, v: &Option<String>, errors: &mut FieldErrors| match v.as_deref() {
            None | Some("") => {
                errors.add(field, FieldError::new("required"));
                None
            }
            Some(s) => {
                let t = super::mission::parse_time(s, tz);
                if t.is_none() {
                    errors.add(
                        field,
                        FieldError::new("not_date_time").text("example", "2026-06-14T09:00"),
                    );
                }
                t
            }
        };
        let start = time("start_time", &input.start_time, &mut errors);
        let end = time("end_time", &input.end_time, &mut errors);
        let capacity = check_capacity(input.capacity, &mut errors);
        if let (Some(s), Some(e)) = (start, end) {
            check_span(s, e, now, &mut errors);
        }
        errors.into_result(())?;
        match (start, end) {
            (Some(start_time), Some(end_time)) => Ok(SlotDraft {
                start_time,
                end_time,
                capacity,
            }),
            _ => Err(DomainError::field(
                "start_time",
                FieldError::new("required"),
            )),
        }
    }
}

fn check_span(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    errors: &mut FieldErrors,
) {
    if end <= start {
        errors.add("end_time", FieldError::new("after_start"));
    } else if end - start > Duration::hours(24) {
        errors.add("end_time", FieldError::new("slot_max_day"));
    }
    if end < now {
        errors.add("end_time", FieldError::new("already_over"));
    }
}

fn weekday(s: &str) -> Option<Weekday> {
    match s.trim().to_ascii_lowercase().as_str() {
        "mon" | "monday" | "lun" | "lundi" => Some(Weekday::Mon),
        "tue" | "tuesday" | "mar" | "mardi" => Some(Weekday::Tue),
        "wed" | "wednesday" | "mer" | "mercredi" => Some(Weekday::Wed),
        "thu" | "thursday" | "jeu" | "jeudi" => Some(Weekday::Thu),
        "fri" | "friday" | "ven" | "vendredi" => Some(Weekday::Fri),
        "sat" | "saturday" | "sam" | "samedi" => Some(Weekday::Sat),
        "sun" | "sunday" | "dim" | "dimanche" => Some(Weekday::Sun),
        _ => None,
    }
}

impl SlotRule {
    /// Every slot the rule describes, in order; a clear message per wrong field.
    pub fn expand(&self, tz: Tz, now: DateTime<Utc>) -> Result<Vec<SlotDraft>, DomainError> {
        let mut errors = FieldErrors::new();
        let date = |field: &str, v: &Option<String>, errors: &mut FieldErrors| {
            let parsed = v
                .as_deref()
                .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok());
            if parsed.is_none() {
                errors.add(
                    field,
                    FieldError::new("date_required").text("example", "2026-03-01"),
                );
            }
            parsed
        };
        let hour = |field: &str, v: &Option<String>, errors: &mut FieldErrors| {
            let parsed = v
                .as_deref()
                .and_then(|s| NaiveTime::parse_from_str(s.trim(), "%H:%M").ok());
            if parsed.is_none() {
                errors.add(
                    field,
                    FieldError::new("time_required").text("example", "09:00"),
                );
            }
            parsed
        };
        let from = date("from_date", &self.from_date, &mut errors);
        let to = date("to_date", &self.to_date, &mut errors);
        let start = hour("start", &self.start, &mut errors);
        let end = hour("end", &self.end, &mut errors);
        let capacity = check_capacity(self.capacity, &mut errors);
        let mut days = Vec::new();
        for w in &self.weekdays {
            match weekday(w) {
                Some(d) => days.push(d),
                None => errors.add(
                    "weekdays",
                    FieldError::new("not_a_weekday").text("value", w.as_str()),
                ),
            }
        }
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                errors.add("end", FieldError::new("end_after_start_same_day"));
            }
        }
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                errors.add("to_date", FieldError::new("after_first_day"));
            } else if (t - f).num_days() > 366 {
                errors.add("to_date", FieldError::new("rule_max_year"));
            }
        }
        errors.into_result(())?;
        let (Some(from), Some(to), Some(start), Some(end)) = (from, to, start, end) else {
            return Err(DomainError::field("from_date", FieldError::new("required")));
        };
        let mut slots = Vec::new();
        let mut day = from;
        while day <= to {
            if days.is_empty() || days.contains(&day.weekday()) {
                let local = |t: NaiveTime| {
                    tz.from_local_datetime(&day.and_time(t))
                        .earliest()
                        .map(|x| x.with_timezone(&Utc))
                };
                if let (Some(s), Some(e)) = (local(start), local(end)) {
                    if e > now {
                        slots.push(SlotDraft {
                            start_time: s,
                            end_time: e,
                            capacity,
                        });
                    }
                }
            }
            day += Duration::days(1);
        }
        if slots.is_empty() {
            return Err(DomainError::field(
                "weekdays",
                FieldError::new("rule_no_future_slot"),
            ));
        }
        if slots.len() > MAX_SLOTS_PER_RULE {
            return Err(DomainError::field(
                "to_date",
                FieldError::new("rule_too_many").num("max", MAX_SLOTS_PER_RULE),
            ));
        }
        Ok(slots)
    }
}

/// Why a volunteer cannot take a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    Full,
    Overlaps,
    Closed,
    Over,
    AlreadySignedUp,
}

impl Refusal {
    /// The refusal as a code (also what storage records as the reason): its words are in the
    /// catalogue as `err-refusal_<code>`, chosen where the refusal is shown.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Full => "full",
            Refusal::Overlaps => "overlaps",
            Refusal::Closed => "closed",
            Refusal::Over => "over",
            Refusal::AlreadySignedUp => "already_signed_up",
        }
    }
}

/// Whether two time spans overlap (touching ends do not).
pub fn overlaps(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Whether a slot still takes sign-ups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SlotStatus {
    Open,
    Cancelled,
}

impl SlotStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SlotStatus::Open => "open",
            SlotStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<SlotStatus> {
        match s {
            "open" => Some(SlotStatus::Open),
            "cancelled" => Some(SlotStatus::Cancelled),
            _ => None,
        }
    }
}

/// A slot as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slot {
    pub id: i64,
    pub ap_id: String,
    pub mission_id: i64,
    pub local: bool,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub capacity: i64,
    pub participant_count: i64,
    pub status: SlotStatus,
    pub updated: DateTime<Utc>,
}

impl Slot {
    pub fn remaining(&self) -> i64 {
        (self.capacity - self.participant_count).max(0)
    }

    /// Why nobody can sign up now, if so (the capacity is checked when the place is taken).
    pub fn closed_reason(&self, now: DateTime<Utc>) -> Option<Refusal> {
        if self.status == SlotStatus::Cancelled {
            Some(Refusal::Closed)
        } else if self.end_time <= now {
            Some(Refusal::Over)
        } else {
            None
        }
    }

    /// The `updated` of a change made at `now` to this (locked) slot. Ours: strictly after the
    /// one it replaces. Copies on other nodes keep the newest `updated` they saw and drop older
    /// Updates, which parallel delivery can bring out of order; two sign-ups racing for the
    /// lock read the clock before it, so the one committed second may hold the earlier time.
    /// One microsecond is PostgreSQL's precision. A copy takes `now` as it is: its owner's time
    /// when the owner's message gives one.
    pub fn next_updated(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        if self.local {
            now.max(self.updated + Duration::microseconds(1))
        } else {
            now
        }
    }
}

/// Where a sign-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ParticipationStatus {
    /// Waiting for the coordinator (manual approval).
    Pending,
    Accepted,
    Rejected,
    /// The volunteer left, or the slot was cancelled.
    Withdrawn,
}

impl ParticipationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ParticipationStatus::Pending => "pending",
            ParticipationStatus::Accepted => "accepted",
            ParticipationStatus::Rejected => "rejected",
            ParticipationStatus::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<ParticipationStatus> {
        match s {
            "pending" => Some(ParticipationStatus::Pending),
            "accepted" => Some(ParticipationStatus::Accepted),
            "rejected" => Some(ParticipationStatus::Rejected),
            "withdrawn" => Some(ParticipationStatus::Withdrawn),
            _ => None,
        }
    }
    /// Holds (or asks for) a place.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            ParticipationStatus::Pending | ParticipationStatus::Accepted
        )
    }
}

/// Who signs up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Participant {
    /// A user of this node.
    User { user_id: i64 },
    /// An actor of another server (Entraide, Mobilizon, Mastodon).
    Remote { actor_ap_id: String },
    /// Someone without an account, signed up by a coordinator.
    Guest { name: String, contact: String },
}

/// A sign-up as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participation {
    pub id: i64,
    pub slot_id: i64,
    pub participant: Participant,
    pub join_ap_id: String,
    pub status: ParticipationStatus,
    pub message: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// What a sign-up request became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignUpOutcome {
    /// Recorded now (accepted at once, or pending approval).
    Recorded(Participation),
    /// The same request (same Join id) was already recorded: nothing changed.
    Existing(Participation),
    /// Refused, with the reason; remote requests keep a refused record to answer `Reject`.
    Refused(Refusal, Option<Participation>),
}

/// Most weeks a mission's form repeats its first slot over (a year).
pub const MAX_REPEAT_WEEKS: i64 = 52;

/// The slots a mission's form opens with the mission: one from its own dates and places, and
/// the same hours again each week when `weeks` is more than 1 (the same local times, whatever
/// the clock change), with the end of the last one, which becomes the mission's end. None when
/// the mission gives no number of places (its slots are added later), or when it lasts over a
/// day (a slot lasts at most one: the coordinator splits it). Pure: the mission's dates are
/// checked already.
pub fn first_slots(
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    capacity: Option<i64>,
    weeks: Option<i64>,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<(Vec<SlotDraft>, DateTime<Utc>), DomainError> {
    let weeks = weeks.unwrap_or(1);
    if weeks < 1 {
        return Err(DomainError::field(
            "repeat_weeks",
            FieldError::new("at_least").num("min", 1),
        ));
    }
    if weeks > MAX_REPEAT_WEEKS {
        return Err(DomainError::field(
            "repeat_weeks",
            FieldError::new("at_most").num("max", MAX_REPEAT_WEEKS),
        ));
    }
    let one_day = end > start && end - start <= Duration::hours(24);
    if weeks > 1 && !one_day {
        return Err(DomainError::field(
            "repeat_weeks",
            FieldError::new("repeat_one_day"),
        ));
    }
    let Some(capacity) = capacity.filter(|c| (1..=MAX_SLOT_CAPACITY).contains(c)) else {
        return Ok((Vec::new(), end));
    };
    if !one_day {
        return Ok((Vec::new(), end));
    }
    let (local_start, local_end) = (start.with_timezone(&tz), end.with_timezone(&tz));
    let mut slots = Vec::new();
    for week in 0..weeks {
        let shift = |t: chrono::DateTime<Tz>| {
            tz.from_local_datetime(&(t.naive_local() + Duration::weeks(week)))
                .earliest()
                .map(|x| x.with_timezone(&Utc))
        };
        if let (Some(s), Some(e)) = (shift(local_start), shift(local_end)) {
            if e > now {
                slots.push(SlotDraft {
                    start_time: s,
                    end_time: e,
                    capacity,
                });
            }
        }
    }
    let last_end = slots.last().map_or(end, |s| s.end_time.max(end));
    Ok((slots, last_end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Paris;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 2, 20, 8, 0, 0)
            .single()
            .expect("date")
    }

    #[test]
    fn every_saturday_morning_in_march() {
        let rule = SlotRule {
            from_date: Some("2027-03-01".into()),
            to_date: Some("2027-03-31".into()),
            weekdays: vec!["sat".into()],
            start: Some("09:00".into()),
            end: Some("12:00".into()),
            capacity: Some(5),
        };
        let slots = rule.expand(Paris, now()).expect("valid");
        assert_eq!(slots.len(), 4, "6, 13, 20 and 27 March 2027");
        assert_eq!(
            slots[0].start_time.to_rfc3339(),
            "2027-03-06T08:00:00+00:00"
        );
        // Summer time starts on 28 March: the 27th is still UTC+1.
        assert_eq!(slots[3].end_time.to_rfc3339(), "2027-03-27T11:00:00+00:00");
        assert!(slots.iter().all(|s| s.capacity == 5));
    }

    #[test]
    fn bad_rules_are_explained() {
        let rule = SlotRule {
            from_date: Some("2027-03-31".into()),
            to_date: Some("2027-03-01".into()),
            weekdays: vec!["someday".into()],
            start: Some("12:00".into()),
            end: Some("09:00".into()),
            capacity: Some(0),
        };
        let Err(DomainError::Invalid(e)) = rule.expand(Paris, now()) else {
            panic!("must fail")
        };
        for f in ["to_date", "weekdays", "end", "capacity"] {
            assert!(e.0.contains_key(f), "{f}: {e:?}");
        }
    }

    #[test]
    fn single_slot_rules() {
        let ok = SlotInput {
            start_time: Some("2027-03-06T09:00".into()),
            end_time: Some("2027-03-06T12:00".into()),
            capacity: Some(3),
        };
        assert_eq!(
            SlotDraft::parse(&ok, Paris, now()).expect("valid").capacity,
            3
        );
        let backwards = SlotInput {
            start_time: Some("2027-03-06T12:00".into()),
            end_time: Some("2027-03-06T09:00".into()),
            capacity: Some(-1),
        };
        let Err(DomainError::Invalid(e)) = SlotDraft::parse(&backwards, Paris, now()) else {
            panic!("must fail")
        };
        assert!(e.0.contains_key("end_time") && e.0.contains_key("capacity"));
    }

    #[test]
    fn overlap_rule() {
        let t = |h: u32| {
            Utc.with_ymd_and_hms(2027, 3, 6, h, 0, 0)
                .single()
                .expect("date")
        };
        assert!(overlaps((t(9), t(12)), (t(11), t(13))));
        assert!(!overlaps((t(9), t(12)), (t(12), t(13))));
        assert!(overlaps((t(9), t(12)), (t(10), t(11))));
    }

    #[test]
    fn a_missions_first_slot_repeats_weekly_at_the_same_local_hours() {
        let tz: Tz = Paris;
        let now = Utc.with_ymd_and_hms(2030, 3, 1, 8, 0, 0).unwrap();
        // Saturday 23 March 2030, 9:00-12:00 in Paris (UTC+1); clocks change on the 31st.
        let start = Utc.with_ymd_and_hms(2030, 3, 23, 8, 0, 0).unwrap();
        let end = Utc.with_ymd_and_hms(2030, 3, 23, 11, 0, 0).unwrap();
        let (one, last) = first_slots((start, end), Some(5), None, tz, now).expect("slots");
        assert_eq!(one.len(), 1);
        assert_eq!((one[0].start_time, one[0].capacity, last), (start, 5, end));
        let (three, last) = first_slots((start, end), Some(5), Some(3), tz, now).expect("slots");
        assert_eq!(three.len(), 3);
        // 6 April, 9:00 in Paris is 7:00 UTC (summer time).
        assert_eq!(
            three[2].start_time,
            Utc.with_ymd_and_hms(2030, 4, 6, 7, 0, 0).unwrap()
        );
        assert_eq!(last, Utc.with_ymd_and_hms(2030, 4, 6, 10, 0, 0).unwrap());
        // No places, no slot; over a day, one slot is not possible and repeating is refused.
        assert!(first_slots((start, end), None, None, tz, now)
            .expect("slots")
            .0
            .is_empty());
        let long = end + Duration::days(2);
        assert!(first_slots((start, long), Some(5), None, tz, now)
            .expect("slots")
            .0
            .is_empty());
        assert!(first_slots((start, long), Some(5), Some(2), tz, now).is_err());
        assert!(first_slots((start, end), Some(5), Some(53), tz, now).is_err());
        assert!(first_slots((start, end), Some(5), Some(0), tz, now).is_err());
    }
}
