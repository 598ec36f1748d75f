//! Unit tests of volunteer hours: entries, settings and exact valuation.

#![allow(clippy::unwrap_used)]
use super::*;
use crate::domain::{DomainError, FieldErrors};
use chrono::NaiveDate;
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
    assert_eq!(e.0["minutes"].to_string(), "must be more than 0");
    let e = errors(json!({"date": "2025-06-14", "minutes": 30 * 60}));
    assert!(
        e.0["minutes"].to_string().contains("24 hours per day"),
        "{e:?}"
    );
    let e = errors(json!({"date": "2025-06-16", "minutes": 60}));
    assert_eq!(e.0["date"].to_string(), "cannot be in the future");
    let e = errors(json!({"date": "2025-06-10", "end_date": "2025-06-09", "minutes": 60}));
    assert_eq!(
        e.0["end_date"].to_string(),
        "must not be before the start date"
    );
    let e = errors(json!({"date": "2025-06-14", "minutes": 60, "distance_km": -1}));
    assert_eq!(e.0["distance_km"].to_string(), "must not be negative");
    let e = errors(json!({"date": "2025-06-14", "minutes": 60, "distance_km": 2000.5}));
    assert!(e.0["distance_km"].to_string().contains("2000"));
    let e = errors(json!({"date": "14/06/2025", "minutes": 60, "category": "x",
                          "description": "a".repeat(501)}));
    assert_eq!(e.0.len(), 3, "{e:?}");
}

#[test]
fn a_span_allows_24_hours_per_day() {
    let ok = input(json!({"date": "2025-06-10", "end_date": "2025-06-12", "minutes": 72 * 60}));
    assert_eq!(HoursDraft::parse(&ok, today()).unwrap().days(), 3);
    let e = errors(json!({"date": "2025-06-10", "end_date": "2025-06-12", "minutes": 72 * 60 + 1}));
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
