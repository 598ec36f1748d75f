//! Volunteer hours (issue 5): what a volunteer did for an association, for how long, and what it
//! is worth in the accounts. Pure rules: checking an entry, the association's rates, and totals
//! computed with exact decimal arithmetic (money is never a float).

use super::{mission::CATEGORIES, DomainError, FieldErrors};
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, str::FromStr};

/// Longest description of an action, in characters.
pub const MAX_DESCRIPTION: usize = 500;
/// Longest distance for one entry, in km.
pub const MAX_DISTANCE_KM: i64 = 2000;
/// Longest span of days for one entry.
pub const MAX_SPAN_DAYS: i64 = 366;

/// Default hourly rate, in euros: the French gross minimum wage (SMIC) of 2025, 11.88 €/h
/// (décret n° 2024-951, in force from 1 November 2024 to 31 December 2025), times 1.45 for the
/// employer's social charges (a round factor; the real charges at the minimum wage are lower
/// because of the general reduction). 11.88 × 1.45 = 17.226, rounded to 17.23. Every
/// association can change it (`PUT /api/v1/associations/{name}/hours/settings`).
pub const DEFAULT_HOURLY_RATE: &str = "17.23";
/// Default mileage rate, in euros per km: the tax administration's rate for volunteers' car
/// expenses as published for 2024 income (0.324 €/km; check the year's figure). Editable too.
pub const DEFAULT_MILEAGE_RATE: &str = "0.324";
/// Highest rate accepted, per hour or per km.
const MAX_RATE: i64 = 1000;

/// Who did the action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Volunteer {
    /// A user of this node.
    User { user_id: i64 },
    /// Someone without an account: a name the association keeps.
    Guest { name: String },
    /// A person whose account is on another server (their ActivityPub id), with the name
    /// they had when the entry came.
    Remote { actor_ap_id: String, name: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HoursStatus {
    /// Waiting for a coordinator (moderation on).
    Pending,
    Validated,
    Refused,
}

impl HoursStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HoursStatus::Pending => "pending",
            HoursStatus::Validated => "validated",
            HoursStatus::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<HoursStatus> {
        match s {
            "pending" => Some(HoursStatus::Pending),
            "validated" => Some(HoursStatus::Validated),
            "refused" => Some(HoursStatus::Refused),
            _ => None,
        }
    }
}

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

/// Reads a decimal given as a JSON number or string.
pub fn decimal_from_json(v: &serde_json::Value) -> Option<Decimal> {
    match v {
        serde_json::Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        serde_json::Value::String(s) => Decimal::from_str(s.trim()).ok(),
        _ => None,
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

impl HoursDraft {
    /// A new action from `input`; `today` is the association's current date.
    pub fn parse(input: &HoursInput, today: NaiveDate) -> Result<HoursDraft, DomainError> {
        let mut errors = FieldErrors::new();
        if input.date.is_none() {
            errors.add("date", "give the day of the action (YYYY-MM-DD)");
        }
        if input.minutes.is_none() {
            errors.add("minutes", "give the duration in minutes");
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
                None => errors.add("date", "must be a date like 2025-03-14"),
            }
        }
        if let Some(s) = &input.end_date {
            match parse_date(s) {
                Some(date) => d.end_date = date,
                None => errors.add("end_date", "must be a date like 2025-03-14"),
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
                    None => errors.add("distance_km", "must be a number of kilometres"),
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
            errors.add("date", "cannot be in the future");
        }
        if self.end_date < self.start_date {
            errors.add("end_date", "must not be before the start date");
        } else if self.end_date > today {
            errors.add("end_date", "cannot be in the future");
        } else if self.days() > MAX_SPAN_DAYS {
            errors.add(
                "end_date",
                format!("a span is at most {MAX_SPAN_DAYS} days"),
            );
        }
        let days = self.days().clamp(1, MAX_SPAN_DAYS);
        if self.minutes <= 0 {
            errors.add("minutes", "must be more than 0");
        } else if self.minutes > 24 * 60 * days {
            errors.add(
                "minutes",
                format!(
                    "at most 24 hours per day: {} hours for {days} day(s)",
                    24 * days
                ),
            );
        }
        if let Some(km) = self.distance_km {
            if km.is_sign_negative() && !km.is_zero() {
                errors.add("distance_km", "must not be negative");
            } else if km > Decimal::from(MAX_DISTANCE_KM) {
                errors.add(
                    "distance_km",
                    format!("at most {MAX_DISTANCE_KM} km for one entry"),
                );
            } else if km.scale() > 3 {
                errors.add("distance_km", "at most 3 decimals");
            }
        }
        if !CATEGORIES.iter().any(|k| k.0 == self.category) {
            let codes: Vec<&str> = CATEGORIES.iter().map(|k| k.0).collect();
            errors.add("category", format!("must be one of: {}", codes.join(", ")));
        }
        if self.description.chars().count() > MAX_DESCRIPTION {
            errors.add(
                "description",
                format!("at most {MAX_DESCRIPTION} characters"),
            );
        }
    }
}

/// An action as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursEntry {
    pub id: i64,
    /// The association.
    pub actor_id: i64,
    pub volunteer: Volunteer,
    /// The user's name, for a user.
    pub user_name: Option<String>,
    #[serde(flatten)]
    pub draft: HoursDraft,
    pub status: HoursStatus,
    /// Why it was refused.
    pub reason: String,
    /// Set when the entry comes from attendance at a slot.
    pub slot_id: Option<i64>,
    pub participation_id: Option<i64>,
    /// The `EconomicEvent` id when the entry crosses servers: the volunteer's server made it
    /// (hours received) or this one did (hours sent to an association elsewhere).
    pub ap_id: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl HoursEntry {
    /// The name shown for the volunteer.
    pub fn volunteer_name(&self) -> String {
        match &self.volunteer {
            Volunteer::User { user_id } => self
                .user_name
                .clone()
                .unwrap_or_else(|| format!("user {user_id}")),
            Volunteer::Guest { name } | Volunteer::Remote { name, .. } => name.clone(),
        }
    }
}

/// An association's choices: moderation and rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursSettings {
    /// Entries by volunteers wait for a coordinator (true) or count at once (false).
    pub moderation: bool,
    /// Euros per hour.
    pub hourly_rate: Decimal,
    /// Euros per hour for some categories, instead of `hourly_rate`.
    pub category_rates: BTreeMap<String, Decimal>,
    /// Euros per km.
    pub mileage_rate: Decimal,
}

impl Default for HoursSettings {
    fn default() -> Self {
        HoursSettings {
            moderation: true,
            hourly_rate: Decimal::from_str(DEFAULT_HOURLY_RATE).unwrap_or_default(),
            category_rates: BTreeMap::new(),
            mileage_rate: Decimal::from_str(DEFAULT_MILEAGE_RATE).unwrap_or_default(),
        }
    }
}

/// A change of settings; fields left out stay as they are.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SettingsInput {
    pub moderation: Option<bool>,
    pub hourly_rate: Option<serde_json::Value>,
    /// Replaces all category rates.
    pub category_rates: Option<BTreeMap<String, serde_json::Value>>,
    pub mileage_rate: Option<serde_json::Value>,
}

fn rate(v: &serde_json::Value, field: &str, errors: &mut FieldErrors) -> Option<Decimal> {
    match decimal_from_json(v) {
        Some(r) if r.is_sign_negative() && !r.is_zero() => {
            errors.add(field, "must not be negative");
            None
        }
        Some(r) if r > Decimal::from(MAX_RATE) => {
            errors.add(field, format!("at most {MAX_RATE}"));
            None
        }
        Some(r) if r.scale() > 4 => {
            errors.add(field, "at most 4 decimals");
            None
        }
        Some(r) => Some(r.normalize()),
        None => {
            errors.add(field, "must be a decimal number, like \"11.88\"");
            None
        }
    }
}

impl HoursSettings {
    pub fn apply(&self, input: &SettingsInput) -> Result<HoursSettings, DomainError> {
        let mut errors = FieldErrors::new();
        let mut s = self.clone();
        if let Some(m) = input.moderation {
            s.moderation = m;
        }
        if let Some(v) = &input.hourly_rate {
            if let Some(r) = rate(v, "hourly_rate", &mut errors) {
                s.hourly_rate = r;
            }
        }
        if let Some(v) = &input.mileage_rate {
            if let Some(r) = rate(v, "mileage_rate", &mut errors) {
                s.mileage_rate = r;
            }
        }
        if let Some(rates) = &input.category_rates {
            s.category_rates.clear();
            for (code, v) in rates {
                let field = format!("category_rates.{code}");
                if !CATEGORIES.iter().any(|k| k.0 == code) {
                    errors.add(&field, "unknown category");
                } else if let Some(r) = rate(v, &field, &mut errors) {
                    s.category_rates.insert(code.clone(), r);
                }
            }
        }
        errors.into_result(s)
    }

    /// The hourly rate of a category.
    pub fn rate_for(&self, category: &str) -> Decimal {
        self.category_rates
            .get(category)
            .copied()
            .unwrap_or(self.hourly_rate)
    }
}

/// Rounds money to the cent, half away from zero.
pub fn cents(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// Sums of some entries. The value is computed once from exact sums, then rounded to the cent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub entries: i64,
    pub minutes: i64,
    pub distance_km: Decimal,
    /// Σ minutes × hourly rate (exact; divided by 60 at the end).
    minute_cost: Decimal,
    /// Σ km × mileage rate (exact).
    km_cost: Decimal,
}

impl Tally {
    pub fn add(&mut self, entry: &HoursDraft, settings: &HoursSettings) {
        self.entries += 1;
        self.minutes += entry.minutes;
        self.minute_cost += Decimal::from(entry.minutes) * settings.rate_for(&entry.category);
        if let Some(km) = entry.distance_km {
            self.distance_km += km;
            self.km_cost += km * settings.mileage_rate;
        }
    }

    /// Hours, rounded to the hundredth.
    pub fn hours(&self) -> Decimal {
        cents(Decimal::from(self.minutes) / Decimal::from(60))
    }

    /// The value of the time alone, in euros, to the cent.
    pub fn time_value(&self) -> Decimal {
        cents(self.minute_cost / Decimal::from(60))
    }

    /// The value of the distance alone, in euros, to the cent.
    pub fn mileage_value(&self) -> Decimal {
        cents(self.km_cost)
    }

    /// Time and distance, in euros, to the cent (rounded once, from the exact sums).
    pub fn value(&self) -> Decimal {
        cents(self.minute_cost / Decimal::from(60) + self.km_cost)
    }
}

/// Totals of validated entries, overall and grouped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub overall: Tally,
    /// Keyed by volunteer name.
    pub by_volunteer: BTreeMap<String, Tally>,
    pub by_category: BTreeMap<String, Tally>,
    /// Keyed by mission id; `None` for actions outside a mission.
    pub by_mission: BTreeMap<Option<i64>, Tally>,
    /// Keyed by `YYYY-MM` of the first day.
    pub by_month: BTreeMap<String, Tally>,
    /// Keyed by `YYYY`.
    pub by_year: BTreeMap<i32, Tally>,
}

impl Report {
    /// Counts the validated entries only.
    pub fn of(entries: &[HoursEntry], settings: &HoursSettings) -> Report {
        let mut r = Report::default();
        for e in entries
            .iter()
            .filter(|e| e.status == HoursStatus::Validated)
        {
            let d = &e.draft;
            r.overall.add(d, settings);
            r.by_volunteer
                .entry(e.volunteer_name())
                .or_default()
                .add(d, settings);
            r.by_category
                .entry(d.category.clone())
                .or_default()
                .add(d, settings);
            r.by_mission
                .entry(d.mission_id)
                .or_default()
                .add(d, settings);
            r.by_month
                .entry(format!(
                    "{:04}-{:02}",
                    d.start_date.year(),
                    d.start_date.month()
                ))
                .or_default()
                .add(d, settings);
            r.by_year
                .entry(d.start_date.year())
                .or_default()
                .add(d, settings);
        }
        r
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 6, 15).unwrap()
    }

    fn input(v: serde_json::Value) -> HoursInput {
        serde_json::from_value(v).unwrap()
    }

    fn errors(v: serde_json::Value) -> FieldErrors {
        match HoursDraft::parse(&input(v), today()) {
            Err(DomainError::Invalid(e)) => e,
            other => panic!("expected errors, got {other:?}"),
        }
    }

    #[test]
    fn a_good_entry() {
        let d = HoursDraft::parse(
            &input(
                json!({"date": "2025-06-14", "minutes": 90, "distance_km": "12.5",
                          "category": "solidarity", "description": "  tri des dons  "}),
            ),
            today(),
        )
        .unwrap();
        assert_eq!(d.end_date, d.start_date);
        assert_eq!(d.distance_km, Some(Decimal::from_str("12.5").unwrap()));
        assert_eq!(d.description, "tri des dons");
        assert_eq!(d.days(), 1);
    }

    #[test]
    fn bad_entries_get_a_message_per_field() {
        let e = errors(json!({}));
        assert!(e.0.contains_key("date") && e.0.contains_key("minutes"));
        let e = errors(json!({"date": "2025-06-14", "minutes": -5}));
        assert_eq!(e.0["minutes"], "must be more than 0");
        let e = errors(json!({"date": "2025-06-14", "minutes": 30 * 60}));
        assert!(e.0["minutes"].contains("24 hours per day"), "{e:?}");
        let e = errors(json!({"date": "2025-06-16", "minutes": 60}));
        assert_eq!(e.0["date"], "cannot be in the future");
        let e = errors(json!({"date": "2025-06-10", "end_date": "2025-06-09", "minutes": 60}));
        assert_eq!(e.0["end_date"], "must not be before the start date");
        let e = errors(json!({"date": "2025-06-14", "minutes": 60, "distance_km": -1}));
        assert_eq!(e.0["distance_km"], "must not be negative");
        let e = errors(json!({"date": "2025-06-14", "minutes": 60, "distance_km": 2000.5}));
        assert!(e.0["distance_km"].contains("2000"));
        let e = errors(json!({"date": "14/06/2025", "minutes": 60, "category": "x",
                              "description": "a".repeat(501)}));
        assert_eq!(e.0.len(), 3, "{e:?}");
    }

    #[test]
    fn a_span_allows_24_hours_per_day() {
        let ok = input(json!({"date": "2025-06-10", "end_date": "2025-06-12", "minutes": 72 * 60}));
        assert_eq!(HoursDraft::parse(&ok, today()).unwrap().days(), 3);
        let e =
            errors(json!({"date": "2025-06-10", "end_date": "2025-06-12", "minutes": 72 * 60 + 1}));
        assert!(e.0.contains_key("minutes"));
    }

    #[test]
    fn a_change_keeps_the_other_fields() {
        let d = HoursDraft::parse(
            &input(json!({"date": "2025-06-10", "end_date": "2025-06-11", "minutes": 600})),
            today(),
        )
        .unwrap();
        let changed = d.apply(&input(json!({"minutes": 120})), today()).unwrap();
        assert_eq!(changed.end_date, d.end_date);
        assert_eq!(changed.minutes, 120);
        assert!(d.apply(&input(json!({"minutes": 0})), today()).is_err());
    }

    fn entry(minutes: i64, km: Option<&str>, category: &str, status: HoursStatus) -> HoursEntry {
        let now = today().and_hms_opt(12, 0, 0).expect("valid").and_utc();
        HoursEntry {
            id: 1,
            actor_id: 1,
            volunteer: Volunteer::Guest {
                name: "Jeanne".into(),
            },
            user_name: None,
            draft: HoursDraft {
                start_date: today(),
                end_date: today(),
                minutes,
                distance_km: km.map(|k| Decimal::from_str(k).unwrap()),
                category: category.into(),
                mission_id: None,
                description: String::new(),
            },
            status,
            reason: String::new(),
            slot_id: None,
            participation_id: None,
            ap_id: None,
            created_by: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn valuation_is_exact() {
        let settings = HoursSettings::default()
            .apply(
                &serde_json::from_value(json!({"hourly_rate": "11.88", "mileage_rate": "0.324",
                                                   "category_rates": {"culture": "20"}}))
                .unwrap(),
            )
            .unwrap();
        let entries = vec![
            entry(450, Some("12.5"), "solidarity", HoursStatus::Validated),
            entry(7, None, "solidarity", HoursStatus::Validated),
            entry(60, None, "culture", HoursStatus::Validated),
            entry(600, None, "solidarity", HoursStatus::Pending),
        ];
        let r = Report::of(&entries, &settings);
        // 457 min × 11.88 / 60 = 90.486 ; 60 min × 20 / 60 = 20 ; 12.5 km × 0.324 = 4.05
        assert_eq!(r.overall.minutes, 517);
        assert_eq!(r.overall.time_value().to_string(), "110.49");
        assert_eq!(r.overall.mileage_value().to_string(), "4.05");
        assert_eq!(r.overall.value().to_string(), "114.54");
        assert_eq!(r.overall.hours().to_string(), "8.62");
        assert_eq!(r.by_category["culture"].value().to_string(), "20.00");
        assert_eq!(r.by_month["2025-06"].entries, 3);
        assert_eq!(r.by_year[&2025].entries, 3);
    }

    #[test]
    fn settings_are_checked() {
        let bad: SettingsInput = serde_json::from_value(
            json!({"hourly_rate": "-1", "mileage_rate": "abc", "category_rates": {"nope": 3}}),
        )
        .unwrap();
        match HoursSettings::default().apply(&bad) {
            Err(DomainError::Invalid(e)) => assert_eq!(e.0.len(), 3, "{e:?}"),
            other => panic!("{other:?}"),
        }
        let d = HoursSettings::default();
        assert_eq!(d.hourly_rate.to_string(), "17.23");
        assert_eq!(d.mileage_rate.to_string(), "0.324");
    }
}
