//! An action as people send it ([`HoursInput`]) and as checked ([`HoursDraft`]): the day or
//! span of days, the time, the distance, the category and the description.

use super::{decimal_from_json, MAX_DESCRIPTION, MAX_DISTANCE_KM, MAX_SPAN_DAYS};
use crate::domain::{mission::CATEGORIES, DomainError, FieldError, FieldErrors};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What people send to record or change an action. Every field may be left out of a change.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct HoursInput {
    /// The association (its name), when a volunteer records their own hours.
    pub association: Option<String>,
    /// A coordinator records for a user of this node (their name)…
    pub user: Option<String>,
    /// …or for someone without an account.
    pub guest_name: Option<String>,
    /// `YYYY-MM-DD`: the day, or the first day of a span.
    pub date: Option<String>,
    /// `YYYY-MM-DD`: the last day of a span (the same day when left out).
    pub end_date: Option<String>,
    pub minutes: Option<i64>,
    /// Kilometres, as a number or (exactly) as a decimal string; `null` for none.
    pub distance_km: Option<serde_json::Value>,
    pub category: Option<String>,
    pub mission_id: Option<i64>,
    pub description: Option<String>,
}

/// A checked action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursDraft {
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub minutes: i64,
    pub distance_km: Option<Decimal>,
    pub category: String,
    pub mission_id: Option<i64>,
    pub description: String,
}
fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

impl HoursDraft {
    /// A new action from `input`; `today` is the association's current date.
    pub fn parse(input: &HoursInput, today: NaiveDate) -> Result<HoursDraft, DomainError> {
        let mut errors = FieldErrors::new();
        if input.date.is_none() {
            errors.add("date", FieldError::new("action_day_required"));
        }
        if input.minutes.is_none() {
            errors.add("minutes", FieldError::new("duration_required"));
        }
        let blank = HoursDraft {
            start_date: today,
            end_date: today,
            minutes: 1,
            distance_km: None,
            category: "other".into(),
            mission_id: None,
            description: String::new(),
        };
        match blank.apply(input, today) {
            Ok(d) => errors.into_result(d),
            Err(DomainError::Invalid(more)) => {
                for (k, v) in more.0 {
                    errors.add(&k, v);
                }
                Err(DomainError::Invalid(errors))
            }
            Err(e) => Err(e),
        }
    }

    /// This action changed by the fields given in `input`, checked as a whole.
    pub fn apply(&self, input: &HoursInput, today: NaiveDate) -> Result<HoursDraft, DomainError> {
        let mut errors = FieldErrors::new();
        let mut d = self.clone();
        if let Some(s) = &input.date {
            match parse_date(s) {
                Some(date) => {
                    d.start_date = date;
                    // A new day without an end day: a single day.
                    if input.end_date.is_none() {
                        d.end_date = date;
                    }
                }
                None => errors.add("date", FieldError::new("action_day")),
            }
        }
        if let Some(s) = &input.end_date {
            match parse_date(s) {
                Some(date) => d.end_date = date,
                None => errors.add("end_date", FieldError::new("action_day")),
            }
        }
        if let Some(m) = input.minutes {
            d.minutes = m;
        }
        if let Some(v) = &input.distance_km {
            if v.is_null() {
                d.distance_km = None;
            } else {
                match decimal_from_json(v) {
                    Some(km) => d.distance_km = Some(km.normalize()),
                    None => errors.add("distance_km", FieldError::new("km")),
                }
            }
        }
        if let Some(c) = &input.category {
            d.category = c.trim().to_string();
        }
        if input.mission_id.is_some() {
            d.mission_id = input.mission_id;
        }
        if let Some(text) = &input.description {
            d.description = text.trim().to_string();
        }
        d.check(today, &mut errors);
        errors.into_result(d)
    }

    /// Days covered, at least 1.
    pub fn days(&self) -> i64 {
        (self.end_date - self.start_date).num_days() + 1
    }

    fn check(&self, today: NaiveDate, errors: &mut FieldErrors) {
        if self.start_date > today {
            errors.add("date", FieldError::new("not_in_future"));
        }
        if self.end_date < self.start_date {
            errors.add("end_date", FieldError::new("end_before_start_date"));
        } else if self.end_date > today {
            errors.add("end_date", FieldError::new("not_in_future"));
        } else if self.days() > MAX_SPAN_DAYS {
            errors.add(
                "end_date",
                FieldError::new("span_max_days").num("max", MAX_SPAN_DAYS),
            );
        }
        let days = self.days().clamp(1, MAX_SPAN_DAYS);
        if self.minutes <= 0 {
            errors.add("minutes", FieldError::new("duration_positive"));
        } else if self.minutes > 24 * 60 * days {
            errors.add(
                "minutes",
                FieldError::new("day_24h")
                    .num("hours", 24 * days)
                    .num("days", days),
            );
        }
        if let Some(km) = self.distance_km {
            if km.is_sign_negative() && !km.is_zero() {
                errors.add("distance_km", FieldError::new("negative"));
            } else if km > Decimal::from(MAX_DISTANCE_KM) {
                errors.add(
                    "distance_km",
                    FieldError::new("km_too_many").num("max", MAX_DISTANCE_KM),
                );
            } else if km.scale() > 3 {
                errors.add("distance_km", FieldError::new("decimals").num("max", 3));
            }
        }
        if !CATEGORIES.iter().any(|k| k.0 == self.category) {
            let codes: Vec<&str> = CATEGORIES.iter().map(|k| k.0).collect();
            errors.add(
                "category",
                FieldError::new("one_of").text("list", codes.join(", ")),
            );
        }
        if self.description.chars().count() > MAX_DESCRIPTION {
            errors.add(
                "description",
                FieldError::new("text_too_long").num("max", MAX_DESCRIPTION),
            );
        }
    }
}
