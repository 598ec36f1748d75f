//! Dates for tests that run real `entraide` processes: the nodes read the system clock and
//! refuse past dates, so every date a test sends is counted from the real current date,
//! never written with a year.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Paris;

/// The day `n` days before today (UTC), as `YYYY-MM-DD`: a past day for hours a volunteer logs.
pub fn days_ago(n: i64) -> String {
    (Utc::now().date_naive() - Duration::days(n)).to_string()
}

/// Today in Paris (the test nodes' time zone): the day a node's pages call today.
pub fn today_in_paris() -> NaiveDate {
    Utc::now().with_timezone(&Paris).date_naive()
}

/// The first `weekday` at least `days` days after today (UTC).
pub fn first_after(days: i64, weekday: Weekday) -> NaiveDate {
    let mut day = Utc::now().date_naive() + Duration::days(days);
    while day.weekday() != weekday {
        day += Duration::days(1);
    }
    day
}

/// `hour`:00 UTC on the day `days` from today (UTC), as RFC 3339.
pub fn utc_day_at(days: i64, hour: u32) -> String {
    (Utc::now().date_naive() + Duration::days(days))
        .and_hms_opt(hour, 0, 0)
        .expect("a valid hour")
        .and_utc()
        .to_rfc3339()
}

/// The day of the tests' missions: the first Friday at least 60 days from now, far enough
/// for any "in N days" rule and always in the future while the suite runs.
pub fn mission_day() -> NaiveDate {
    first_after(60, Weekday::Fri)
}

/// `day` at `hour:minute` in Paris (the test nodes' time zone), as RFC 3339 with that day's
/// offset: `2030-06-14T09:00:00+02:00` in summer, `…+01:00` in winter.
pub fn paris(day: NaiveDate, hour: u32, minute: u32) -> String {
    let local = day
        .and_hms_opt(hour, minute, 0)
        .expect("a valid time of day");
    Paris
        .from_local_datetime(&local)
        .earliest()
        .expect("09:00 and the like exist in Paris every day")
        .to_rfc3339()
}

/// `days_after` the [`mission_day`] at `hour`:00 in Paris, RFC 3339.
pub fn mission_at(days_after: i64, hour: u32) -> String {
    paris(mission_day() + Duration::days(days_after), hour, 0)
}

/// `day` in the words of a French mission summary: `ven. 14 juin 2030`, `ven. 5 févr. 2027`.
pub fn french_day(day: NaiveDate) -> String {
    const WEEKDAYS: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];
    // The abbreviations French typography uses (and the summary line), written here apart from
    // the code under test on purpose.
    const MONTHS: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    format!(
        "{} {} {} {}",
        WEEKDAYS[day.weekday().num_days_from_monday() as usize],
        day.day(),
        MONTHS[day.month0() as usize],
        day.year()
    )
}

#[test]
fn dates_are_in_the_future_in_paris_time() {
    let day = mission_day();
    assert_eq!(day.weekday(), Weekday::Fri);
    assert!(day >= Utc::now().date_naive() + Duration::days(60));
    let start = chrono::DateTime::parse_from_rfc3339(&paris(day, 9, 0)).expect("RFC 3339");
    assert_eq!(start.with_timezone(&Paris).date_naive(), day);
    assert!(["+01:00", "+02:00"].contains(&start.offset().to_string().as_str()));
    let friday = NaiveDate::from_ymd_opt(2030, 6, 14).expect("a date");
    assert_eq!(french_day(friday), "ven. 14 juin 2030");
    assert_eq!(paris(friday, 9, 0), "2030-06-14T09:00:00+02:00");
    assert_eq!(
        paris(NaiveDate::from_ymd_opt(2031, 11, 28).expect("a date"), 9, 0),
        "2031-11-28T09:00:00+01:00"
    );
}
