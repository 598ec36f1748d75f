//! Unit tests of the resource rules: descriptions, requests and the pool's peak use.

use super::*;
use crate::domain::DomainError;
use chrono::{Duration, TimeZone};
use rust_decimal::Decimal;
use std::str::FromStr;

fn at(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 6, 1, 0, 0, 0)
        .single()
        .expect("date")
        + Duration::hours(h)
}

fn chairs() -> ResourceDraft {
    ResourceDraft::parse(&ResourceInput {
        name: Some("Chaises pliantes".into()),
        quantity: Some(80),
        turnaround_hours: Some(12),
        min_notice_hours: Some(48),
        max_days: Some(5),
        ..Default::default()
    })
    .expect("valid")
}

#[test]
fn a_resource_is_checked_field_by_field() {
    let bad = ResourceDraft::parse(&ResourceInput {
        quantity: Some(0),
        mode: Some("rental".into()),
        deposit: Some(serde_json::json!("-5")),
        category: Some("spaceship".into()),
        latitude: Some(48.4),
        ..Default::default()
    });
    let Err(DomainError::Invalid(e)) = bad else {
        panic!("{bad:?}")
    };
    for f in [
        "name",
        "quantity",
        "price_per_day",
        "deposit",
        "category",
        "latitude",
    ] {
        assert!(e.0.contains_key(f), "{f}: {e:?}");
    }
    let d = chairs();
    assert_eq!(
        (d.quantity, d.approval, d.mode),
        (80, Approval::Manual, LoanMode::FreeLoan)
    );
    let rental = d
        .apply(&ResourceInput {
            mode: Some("rental".into()),
            price_per_day: Some(serde_json::json!("2,50")),
            ..Default::default()
        })
        .expect("a rental with its price");
    assert_eq!(rental.price_per_day, Decimal::from_str("2.50").ok());
}

#[test]
fn a_request_respects_the_terms() {
    let d = chairs();
    let now = at(0);
    assert!(Period::check(&d, 10, at(72), at(96), now).is_ok());
    let refused = |q, s, e| match Period::check(&d, q, s, e, now) {
        Err(DomainError::Invalid(errors)) => errors.0.keys().cloned().collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(refused(10, at(96), at(72)), ["end"], "return before pickup");
    assert_eq!(refused(81, at(72), at(96)), ["quantity"], "above the pool");
    assert_eq!(
        refused(10, at(24), at(30)),
        ["start"],
        "shorter than the notice"
    );
    // A pickup already passed has its own reason, whatever the notice.
    match Period::check(&d, 10, now - Duration::hours(2), at(30), now) {
        Err(DomainError::Invalid(errors)) => assert_eq!(errors.0["start"].code, "pickup_in_past"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        refused(10, at(72), at(72 + 24 * 6)),
        ["end"],
        "longer than 5 days"
    );
}

#[test]
fn the_peak_counts_overlaps_not_sums() {
    let held = [
        (30, at(0), at(10)),
        (30, at(10), at(20)),
        (15, at(5), at(15)),
    ];
    assert_eq!(peak_use(&held, at(0), at(20)), 45);
    assert_eq!(peak_use(&held, at(16), at(18)), 30);
    assert_eq!(peak_use(&held, at(20), at(30)), 0, "ends are open");
    // The buffer stretches a loan: 12 h either side.
    let p = Period {
        quantity: 5,
        start: at(24),
        end: at(48),
    };
    assert_eq!(p.blocked(12), (at(12), at(60)));
}
