//! What a coordinator types for a mission ([`MissionInput`]) and its checked form
//! ([`MissionDraft`]): the rules that make a mission acceptable, field by field.

use super::{JoinMode, Mission, MissionStatus, Place, CATEGORIES, COMMITMENT_PERIODS};
use crate::domain::{DomainError, FieldError, FieldErrors};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

/// What a coordinator typed, before checking. Every field is optional on update.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MissionInput {
    // The limits in `#[schema]` are those `MissionDraft::parse` checks (MAX_TITLE…); the
    // OpenAPI test compares them.
    #[schema(min_length = 3, max_length = 140)]
    pub title: Option<String>,
    /// Markdown.
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    /// A category code: solidarity, environment, culture, sport, education, health, support,
    /// community, emergency, other.
    pub category: Option<String>,
    /// At most 20, each at most 60 characters.
    #[schema(max_items = 20)]
    pub skills: Option<Vec<String>>,
    pub place_name: Option<String>,
    pub street_address: Option<String>,
    pub postal_code: Option<String>,
    /// Required unless online.
    pub locality: Option<String>,
    #[schema(minimum = -90, maximum = 90)]
    pub latitude: Option<f64>,
    #[schema(minimum = -180, maximum = 180)]
    pub longitude: Option<f64>,
    pub online: Option<bool>,
    /// RFC 3339 (`2026-06-14T09:00:00+02:00`) or a local `2026-06-14T09:00` in the node's zone.
    pub start_time: Option<String>,
    /// After start_time.
    pub end_time: Option<String>,
    #[schema(minimum = 1, maximum = 10000)]
    pub capacity: Option<i64>,
    /// `free` or `restricted`.
    pub join_mode: Option<String>,
    pub status: Option<String>,
    pub regular: Option<bool>,
    pub commitment_minutes: Option<i64>,
    pub commitment_period: Option<String>,
    pub reduced_mobility: Option<bool>,
    pub open_to_minors: Option<bool>,
    pub contact: Option<String>,
}

/// A checked mission, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct MissionDraft {
    pub title: String,
    pub description: String,
    pub category: String,
    pub skills: Vec<String>,
    pub place: Place,
    pub online: bool,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub capacity: Option<i64>,
    pub join_mode: JoinMode,
    pub status: MissionStatus,
    pub regular: bool,
    pub commitment_minutes: Option<i64>,
    pub commitment_period: String,
    pub reduced_mobility: bool,
    pub open_to_minors: bool,
    pub contact: String,
}

/// A blank published one-off mission at the epoch, free to join: builders and tests start from it
/// and set what they need (`..MissionDraft::default()`).
impl Default for MissionDraft {
    fn default() -> Self {
        MissionDraft {
            title: String::new(),
            description: String::new(),
            category: "other".into(),
            skills: Vec::new(),
            place: Place::default(),
            online: false,
            start_time: DateTime::<Utc>::UNIX_EPOCH,
            end_time: DateTime::<Utc>::UNIX_EPOCH,
            capacity: None,
            join_mode: JoinMode::Free,
            status: MissionStatus::Published,
            regular: false,
            commitment_minutes: None,
            commitment_period: String::new(),
            reduced_mobility: false,
            open_to_minors: false,
            contact: String::new(),
        }
    }
}

pub const MAX_TITLE: usize = 140;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MAX_CAPACITY: i64 = 10_000;
pub const MAX_CONTACT: usize = 200;
/// The longest place name, street, postal code or locality.
pub const MAX_PLACE_FIELD: usize = 200;

impl MissionDraft {
    /// The draft of an existing mission, to apply a change on.
    pub fn from_mission(m: &Mission) -> MissionDraft {
        MissionDraft {
            title: m.title.clone(),
            description: m.description.clone(),
            category: m.category.clone(),
            skills: m.skills.clone(),
            place: m.place.clone(),
            online: m.online,
            start_time: m.start_time,
            end_time: m.end_time,
            capacity: m.capacity,
            join_mode: m.join_mode,
            status: m.status,
            regular: m.regular,
            commitment_minutes: m.commitment_minutes,
            commitment_period: m.commitment_period.clone(),
            reduced_mobility: m.reduced_mobility,
            open_to_minors: m.open_to_minors,
            contact: m.contact.clone(),
        }
    }

    /// Checks a new mission: title, dates and place are required.
    pub fn create(
        input: MissionInput,
        tz: Tz,
        now: DateTime<Utc>,
    ) -> Result<MissionDraft, DomainError> {
        let mut errors = FieldErrors::new();
        if input
            .title
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .is_empty()
        {
            errors.add("title", FieldError::new("required"));
        }
        if input.start_time.as_deref().unwrap_or("").is_empty() {
            errors.add("start_time", FieldError::new("required"));
        }
        if input.end_time.as_deref().unwrap_or("").is_empty() {
            errors.add("end_time", FieldError::new("required"));
        }
        let base = MissionDraft {
            start_time: now,
            end_time: now,
            ..MissionDraft::default()
        };
        let result = base.apply(input, tz, now, true);
        match result {
            Ok(d) => errors.into_result(d),
            Err(DomainError::Invalid(mut more)) => {
                // FieldError::new("required") says more than what `apply` found with the field missing
                // (an empty end is not "after the start").
                for (k, v) in errors.0 {
                    more.0.insert(k, v);
                }
                Err(DomainError::Invalid(more))
            }
            Err(e) => Err(e),
        }
    }

    /// Applies the given fields on top of this draft and checks the result as a whole.
    pub fn apply(
        mut self,
        input: MissionInput,
        tz: Tz,
        now: DateTime<Utc>,
        is_new: bool,
    ) -> Result<MissionDraft, DomainError> {
        let mut errors = FieldErrors::new();
        if let Some(title) = input.title {
            let title = title.trim().to_string();
            if title.chars().count() < 3 {
                errors.add("title", FieldError::new("min_chars").num("min", 3));
            } else if title.chars().count() > MAX_TITLE {
                errors.add("title", FieldError::new("max_chars").num("max", MAX_TITLE));
            }
            self.title = title;
        }
        if let Some(d) = input.description {
            if d.chars().count() > MAX_DESCRIPTION {
                errors.add(
                    "description",
                    FieldError::new("max_chars").num("max", MAX_DESCRIPTION),
                );
            }
            self.description = d.trim().to_string();
        }
        if let Some(c) = input.category {
            let c = if c.is_empty() { "other".to_string() } else { c };
            if CATEGORIES.iter().any(|k| k.0 == c) {
                self.category = c;
            } else {
                let codes: Vec<&str> = CATEGORIES.iter().map(|k| k.0).collect();
                errors.add(
                    "category",
                    FieldError::new("one_of").text("list", codes.join(", ")),
                );
            }
        }
        if let Some(skills) = input.skills {
            let mut clean: Vec<String> = Vec::new();
            for s in skills.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                if s.chars().count() > 60 {
                    errors.add("skills", FieldError::new("skill_too_long").num("max", 60));
                } else if !clean.iter().any(|c| c.eq_ignore_ascii_case(s)) {
                    clean.push(s.to_string());
                }
            }
            if clean.len() > 20 {
                errors.add("skills", FieldError::new("too_many_skills").num("max", 20));
            }
            self.skills = clean;
        }
        let text_fields = [
            ("place_name", input.place_name, &mut self.place.name),
            (
                "street_address",
                input.street_address,
                &mut self.place.street_address,
            ),
            (
                "postal_code",
                input.postal_code,
                &mut self.place.postal_code,
            ),
            ("locality", input.locality, &mut self.place.locality),
        ];
        for (field, value, target) in text_fields {
            if let Some(v) = value {
                if v.chars().count() > MAX_PLACE_FIELD {
                    errors.add(
                        field,
                        FieldError::new("max_chars").num("max", MAX_PLACE_FIELD as i64),
                    );
                }
                *target = v.trim().to_string();
            }
        }
        if let Some(lat) = input.latitude {
            if !(-90.0..=90.0).contains(&lat) {
                errors.add(
                    "latitude",
                    FieldError::new("between").num("min", -90).num("max", 90),
                );
            }
            self.place.latitude = Some(lat);
        }
        if let Some(lon) = input.longitude {
            if !(-180.0..=180.0).contains(&lon) {
                errors.add(
                    "longitude",
                    FieldError::new("between").num("min", -180).num("max", 180),
                );
            }
            self.place.longitude = Some(lon);
        }
        if self.place.latitude.is_some() != self.place.longitude.is_some() {
            errors.add("longitude", FieldError::new("lat_lon_together"));
        }
        if let Some(online) = input.online {
            self.online = online;
        }
        if !self.online && self.place.locality.is_empty() {
            errors.add("locality", FieldError::new("locality_unless_remote"));
        }
        if let Some(s) = input.start_time.filter(|s| !s.is_empty()) {
            match parse_time(&s, tz) {
                Some(t) => self.start_time = t,
                None => errors.add(
                    "start_time",
                    FieldError::new("not_date_time").text("example", "2026-06-14T09:00"),
                ),
            }
        }
        if let Some(s) = input.end_time.filter(|s| !s.is_empty()) {
            match parse_time(&s, tz) {
                Some(t) => self.end_time = t,
                None => errors.add(
                    "end_time",
                    FieldError::new("not_date_time").text("example", "2026-06-14T12:00"),
                ),
            }
        }
        if !errors.0.contains_key("start_time") && !errors.0.contains_key("end_time") {
            if self.end_time <= self.start_time {
                errors.add("end_time", FieldError::new("after_start"));
            } else if self.end_time - self.start_time > chrono::Duration::days(366) {
                errors.add("end_time", FieldError::new("mission_max_year"));
            }
            if is_new && self.end_time < now {
                errors.add("end_time", FieldError::new("already_over"));
            }
        }
        if let Some(c) = input.capacity {
            if c < 1 {
                errors.add("capacity", FieldError::new("capacity_min_or_empty"));
            } else if c > MAX_CAPACITY {
                errors.add(
                    "capacity",
                    FieldError::new("at_most").num("max", MAX_CAPACITY),
                );
            }
            self.capacity = Some(c);
        }
        if let Some(j) = input.join_mode {
            match JoinMode::parse(&j) {
                Some(j) => self.join_mode = j,
                None => errors.add("join_mode", FieldError::new("join_mode")),
            }
        }
        if let Some(s) = input.status {
            match MissionStatus::parse(&s) {
                Some(s) => self.status = s,
                None => errors.add("status", FieldError::new("mission_status")),
            }
        }
        if let Some(r) = input.regular {
            self.regular = r;
        }
        if let Some(m) = input.commitment_minutes {
            self.commitment_minutes = Some(m);
        }
        if let Some(p) = input.commitment_period {
            self.commitment_period = p.trim().to_string();
        }
        if self.regular {
            match self.commitment_minutes {
                None => errors.add("commitment_minutes", FieldError::new("commitment_required")),
                Some(m) if !(15..=7 * 24 * 60).contains(&m) => {
                    errors.add("commitment_minutes", FieldError::new("commitment_range"))
                }
                _ => {}
            }
            if !COMMITMENT_PERIODS.contains(&self.commitment_period.as_str()) {
                errors.add("commitment_period", FieldError::new("commitment_period"));
            }
        } else {
            self.commitment_minutes = None;
            self.commitment_period.clear();
        }
        if let Some(b) = input.reduced_mobility {
            self.reduced_mobility = b;
        }
        if let Some(b) = input.open_to_minors {
            self.open_to_minors = b;
        }
        if let Some(c) = input.contact {
            if c.chars().count() > MAX_CONTACT {
                errors.add(
                    "contact",
                    FieldError::new("max_chars").num("max", MAX_CONTACT as i64),
                );
            }
            self.contact = c.trim().to_string();
        }
        errors.into_result(self)
    }
}

/// Reads RFC 3339, or a local date-time (as an HTML `datetime-local` field sends it).
pub fn parse_time(s: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(s, fmt) {
            return tz
                .from_local_datetime(&naive)
                .earliest()
                .map(|t| t.with_timezone(&Utc));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Paris;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0)
            .single()
            .expect("valid date")
    }

    fn input() -> MissionInput {
        MissionInput {
            title: Some("Distribution alimentaire".into()),
            start_time: Some("2026-06-13T09:00".into()),
            end_time: Some("2026-06-13T12:00".into()),
            locality: Some("Brest".into()),
            capacity: Some(8),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_mission_is_accepted_with_local_times() {
        let d = MissionDraft::create(input(), Paris, now()).expect("valid");
        assert_eq!(d.start_time.to_rfc3339(), "2026-06-13T07:00:00+00:00");
        assert_eq!(d.category, "other");
        assert_eq!(d.join_mode, JoinMode::Free);
    }

    #[test]
    fn every_bad_field_gets_a_message() {
        let bad = MissionInput {
            title: Some("x".into()),
            start_time: Some("2026-06-13T12:00".into()),
            end_time: Some("2026-06-13T09:00".into()),
            capacity: Some(0),
            category: Some("nope".into()),
            latitude: Some(91.0),
            join_mode: Some("maybe".into()),
            ..Default::default()
        };
        let Err(DomainError::Invalid(errors)) = MissionDraft::create(bad, Paris, now()) else {
            panic!("must be invalid");
        };
        for field in [
            "title",
            "end_time",
            "capacity",
            "category",
            "latitude",
            "join_mode",
            "locality",
        ] {
            assert!(
                errors.0.contains_key(field),
                "missing error for {field}: {errors:?}"
            );
        }
    }

    #[test]
    fn missing_fields_are_required() {
        let Err(DomainError::Invalid(errors)) =
            MissionDraft::create(MissionInput::default(), Paris, now())
        else {
            panic!("must be invalid");
        };
        assert_eq!(errors.0.get("title").map(|e| e.code), Some("required"));
        assert_eq!(errors.0.get("start_time").map(|e| e.code), Some("required"));
        assert_eq!(errors.0.get("end_time").map(|e| e.code), Some("required"));
    }

    #[test]
    fn negative_capacity_and_past_missions_are_refused() {
        let mut i = input();
        i.capacity = Some(-3);
        assert!(MissionDraft::create(i, Paris, now()).is_err());
        let mut i = input();
        i.start_time = Some("2025-01-01T09:00".into());
        i.end_time = Some("2025-01-01T10:00".into());
        assert!(MissionDraft::create(i, Paris, now()).is_err());
    }
}
