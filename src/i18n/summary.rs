//! Short dates and a mission's summary line, for the places where space is short: the
//! `summary` of federated missions and slots (what Mastodon shows under the title), the
//! API's `summary`, emails, calendar feeds and fediverse replies. The domain gives the facts
//! (dates, place, counts, status); the words come from the catalogue (`date_short`,
//! `span_short_*`, `summary_*`).

use super::{tr, tr_args, Lang};
use crate::domain::mission::{Mission, MissionStatus};
use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;

/// A day, short: "sam. 14 juin 2026", "Sat 14 Jun 2026".
fn short_date(lang: Lang, d: &DateTime<Tz>) -> String {
    let weekday = d.weekday().num_days_from_monday();
    tr_args(
        lang,
        "date_short",
        &[
            (
                "weekday",
                tr(lang, &format!("weekday_short_{weekday}")).into(),
            ),
            ("day", d.day().to_string().into()),
            (
                "month",
                tr(lang, &format!("month_short_{}", d.month0())).into(),
            ),
            ("year", d.year().to_string().into()),
        ],
    )
}

/// A time of day, the one way each language writes it (the catalogue's `time_of_day`): "9 h",
/// "12 h 30"; "09:00".
pub fn time_of_day(lang: Lang, hour: u32, minute: u32) -> String {
    tr_args(
        lang,
        "time_of_day",
        &[
            ("hour", i64::from(hour).into()),
            ("hh", format!("{hour:02}").into()),
            ("minute", i64::from(minute).into()),
            ("mm", format!("{minute:02}").into()),
        ],
    )
}

/// The hours of a day's slot, the one way each language writes a range of times: "9 h – 12 h",
/// "09:00–12:00" (the catalogue's `time_range`, with [`time_of_day`]).
pub fn time_range(lang: Lang, start: DateTime<Tz>, end: DateTime<Tz>) -> String {
    tr_args(
        lang,
        "time_range",
        &[
            (
                "start",
                time_of_day(lang, start.hour(), start.minute()).into(),
            ),
            ("end", time_of_day(lang, end.hour(), end.minute()).into()),
        ],
    )
}

/// A time span, short: "sam. 14 juin 2026, de 9 h à 12 h" ("Sat 14 Jun 2026, 09:00–12:00"),
/// or across days "du sam. 14 juin 2026 à 9 h au dim. 15 juin 2026 à 18 h"; times written as
/// [`time_of_day`] writes them, as in the long spans of the pages.
pub fn short_span(lang: Lang, start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> String {
    let (s, e) = (start.with_timezone(&tz), end.with_timezone(&tz));
    let hm = |d: &DateTime<Tz>| time_of_day(lang, d.hour(), d.minute());
    let id = if s.date_naive() == e.date_naive() {
        "span_short_same_day"
    } else {
        "span_short_days"
    };
    tr_args(
        lang,
        id,
        &[
            ("start_day", short_date(lang, &s).into()),
            ("start_time", hm(&s).into()),
            ("end_day", short_date(lang, &e).into()),
            ("end_time", hm(&e).into()),
        ],
    )
}

/// The line Mastodon shows under a mission's title: "date · place · places left", with
/// "ANNULÉE – " before it when the mission is cancelled.
pub fn mission_summary(lang: Lang, m: &Mission, tz: Tz) -> String {
    let date = short_span(lang, m.start_time, m.end_time, tz);
    let place = if m.online {
        tr(lang, "summary_remote")
    } else if !m.place.locality.is_empty() {
        m.place.locality.clone()
    } else {
        m.place.one_line()
    };
    let places = match (m.remaining(), m.capacity) {
        (Some(remaining), Some(capacity)) => tr_args(
            lang,
            "summary_places",
            &[
                ("remaining", remaining.into()),
                ("capacity", capacity.into()),
            ],
        ),
        _ => tr(lang, "summary_unlimited"),
    };
    let line = tr_args(
        lang,
        "summary_line",
        &[
            ("date", date.into()),
            ("place", place.into()),
            ("places", places.into()),
        ],
    );
    if m.status == MissionStatus::Cancelled {
        tr_args(lang, "summary_cancelled", &[("line", line.into())])
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mission::Place;
    use chrono::TimeZone;
    use chrono_tz::Europe::Paris;

    fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Paris
            .with_ymd_and_hms(2026, 6, d, h, m, 0)
            .single()
            .expect("date")
            .with_timezone(&Utc)
    }

    fn mission() -> Mission {
        Mission {
            title: "Distribution alimentaire".into(),
            place: Place {
                locality: "Brest".into(),
                ..Place::default()
            },
            capacity: Some(8),
            participant_count: 5,
            url: String::new(),
            published: at(1, 10, 0),
            updated: at(1, 10, 0),
            ..crate::domain::examples::mission(at(13, 9, 0), at(13, 12, 0))
        }
    }

    #[test]
    fn times_are_written_one_way_per_language() {
        let (s, e) = (
            at(13, 9, 0).with_timezone(&Paris),
            at(13, 12, 30).with_timezone(&Paris),
        );
        assert_eq!(time_range(Lang::Fr, s, e), "9 h – 12 h 30");
        assert_eq!(time_range(Lang::En, s, e), "09:00–12:30");
        // The short span writes its times as the pages' long spans do.
        assert!(
            short_span(Lang::Fr, at(13, 9, 0), at(13, 12, 30), Paris).ends_with("de 9 h à 12 h 30")
        );
    }

    #[test]
    fn spans_are_short() {
        assert_eq!(
            short_span(Lang::Fr, at(13, 9, 0), at(13, 12, 0), Paris),
            "sam. 13 juin 2026, de 9 h à 12 h"
        );
        assert_eq!(
            short_span(Lang::En, at(13, 9, 5), at(14, 18, 0), Paris),
            "Sat 13 Jun 2026, 09:05 – Sun 14 Jun 2026, 18:00"
        );
        assert_eq!(
            short_span(Lang::Fr, at(1, 9, 0), at(2, 18, 0), Paris),
            "du lun. 1 juin 2026 à 9 h au mar. 2 juin 2026 à 18 h"
        );
    }

    #[test]
    fn summary_line_says_date_place_and_places_left() {
        let m = mission();
        assert_eq!(
            mission_summary(Lang::Fr, &m, Paris),
            "sam. 13 juin 2026, de 9 h à 12 h · Brest · 3 places restantes sur 8"
        );
        assert_eq!(
            mission_summary(Lang::En, &m, Paris),
            "Sat 13 Jun 2026, 09:00–12:00 · Brest · 3 places left of 8"
        );
        let mut one = m.clone();
        one.participant_count = 7;
        one.online = true;
        assert_eq!(
            mission_summary(Lang::Fr, &one, Paris),
            "sam. 13 juin 2026, de 9 h à 12 h · à distance · 1 place restante sur 8"
        );
        assert!(mission_summary(Lang::En, &one, Paris).ends_with(" · remote · 1 place left of 8"));
        let mut open = m.clone();
        open.capacity = None;
        assert!(mission_summary(Lang::Fr, &open, Paris).ends_with(" · places illimitées"));
        assert!(mission_summary(Lang::En, &open, Paris).ends_with(" · open to all"));
        let mut full = m.clone();
        full.participant_count = 8;
        full.status = MissionStatus::Cancelled;
        assert!(mission_summary(Lang::Fr, &full, Paris).starts_with("ANNULÉE – "));
        assert!(mission_summary(Lang::Fr, &full, Paris).ends_with("complet"));
        assert!(mission_summary(Lang::En, &full, Paris).starts_with("CANCELLED – Sat"));
        assert!(mission_summary(Lang::En, &full, Paris).ends_with(" · full"));
    }
}
