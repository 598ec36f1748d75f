//! The periods a calendar page shows, read from the address (`?month=2030-06`,
//! `?week=2030-06-10`) and written out for people ("juin 2030", "Semaine du 10 au 16 juin
//! 2030"), and the instant a local day starts.

use super::i18n;
use crate::i18n::Lang;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

pub(super) fn day_name(lang: Lang, d: NaiveDate) -> String {
    i18n::day_name(lang, d.weekday().num_days_from_monday() as u8)
}

fn month_name(lang: Lang, d: NaiveDate) -> String {
    i18n::month_name(lang, d.month0())
}

/// "samedi 1er juin 2030", "Saturday 1 June 2030".
pub(super) fn long_date(lang: Lang, d: NaiveDate) -> String {
    i18n::long_date(lang, d)
}

/// "juin 2030", "June 2030".
pub(super) fn month_label(lang: Lang, first: NaiveDate) -> String {
    format!("{} {}", month_name(lang, first), first.year())
}

/// "Semaine du 10 au 16 juin 2030", "Week from 10 to 16 June 2030" (months and years as needed).
pub(super) fn week_label(lang: Lang, monday: NaiveDate) -> String {
    let sunday = monday + Duration::days(6);
    let start = if monday.year() != sunday.year() {
        format!(
            "{} {} {}",
            monday.day(),
            month_name(lang, monday),
            monday.year()
        )
    } else if monday.month() != sunday.month() {
        format!("{} {}", monday.day(), month_name(lang, monday))
    } else {
        monday.day().to_string()
    };
    let end = format!(
        "{} {} {}",
        sunday.day(),
        month_name(lang, sunday),
        sunday.year()
    );
    i18n::tr_args(
        lang,
        "cal-week",
        &[("start", start.into()), ("end", end.into())],
    )
}

/// `2030-06` as the first day of that month.
pub(super) fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 || !(y.chars().chain(m.chars())).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let month: u32 = m.parse().ok()?;
    if !(1900..=9998).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// `2030-06-12` as the Monday of its week.
pub(super) fn parse_week(s: &str) -> Option<NaiveDate> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()?;
    if !(1900..=9998).contains(&d.year()) {
        return None;
    }
    Some(monday_of(d))
}

pub(super) fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// The instant a local day starts (the first valid time, should midnight not exist).
pub(super) fn day_start(tz: Tz, d: NaiveDate) -> DateTime<Utc> {
    (0..24)
        .find_map(|h| {
            let t = NaiveTime::from_hms_opt(h, 0, 0)?;
            tz.from_local_datetime(&d.and_time(t)).earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_read_strictly() {
        assert_eq!(parse_month("2030-06"), NaiveDate::from_ymd_opt(2030, 6, 1));
        for bad in [
            "2030-13",
            "2030-6",
            "30-06",
            "juin",
            "2030-06-01",
            "",
            "+203-06",
            "0000-01",
        ] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
        // Any day gives the Monday of its week.
        assert_eq!(
            parse_week("2030-06-14"),
            NaiveDate::from_ymd_opt(2030, 6, 10)
        );
        assert_eq!(
            parse_week("2030-06-10"),
            NaiveDate::from_ymd_opt(2030, 6, 10)
        );
        assert_eq!(parse_week("2030-02-30"), None);
        assert_eq!(parse_week("demain"), None);
    }

    #[test]
    fn dates_in_words() {
        let d = |m, day| NaiveDate::from_ymd_opt(2030, m, day).expect("date");
        assert_eq!(long_date(Lang::Fr, d(6, 1)), "samedi 1er juin 2030");
        assert_eq!(long_date(Lang::En, d(6, 1)), "Saturday 1 June 2030");
        assert_eq!(
            week_label(Lang::Fr, d(6, 10)),
            "Semaine du 10 au 16 juin 2030"
        );
        assert_eq!(
            week_label(Lang::Fr, d(6, 24)),
            "Semaine du 24 au 30 juin 2030"
        );
        assert_eq!(
            week_label(Lang::Fr, d(7, 29)),
            "Semaine du 29 juillet au 4 août 2030"
        );
        assert_eq!(
            week_label(Lang::En, d(7, 29)),
            "Week from 29 July to 4 August 2030"
        );
        assert_eq!(
            week_label(
                Lang::Fr,
                NaiveDate::from_ymd_opt(2029, 12, 31).expect("date")
            ),
            "Semaine du 31 décembre 2029 au 6 janvier 2030"
        );
    }
}
