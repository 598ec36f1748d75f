//! How a page picks its language, and the web's ways of using the catalogue of words
//! ([`crate::i18n`]): the templates' word maps and `tr()` function, counts (plurals), dates
//! written out ("mardi 24 novembre"), and the domain's field messages as sentences.
//!
//! The words themselves live in `locales/<lang>/*.ftl`. They are written for people who are
//! not at ease with computers: short sentences, no jargon ("site" rather than "nœud", no
//! "Markdown").

use crate::i18n as words;
pub use crate::i18n::{has, tr, tr_args, Lang};
use axum::http::HeaderMap;
use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use minijinja::{value::Kwargs, Value};

mod fields;
pub use fields::{field_error, field_label};
use std::sync::{PoisonError, RwLock};

/// One word in the page's language; the key when unknown.
pub fn word(lang: Lang, key: &str) -> String {
    tr(lang, key)
}

/// One word in the page's language, `None` when the key is unknown (for keys that come from a
/// query string).
pub fn lookup(lang: Lang, key: &str) -> Option<String> {
    words::lookup(lang, key)
}

/// The words of one area (`""` for the site's, `"eq-"`, `"hours-"`, `"search-"`, …) as a
/// template map (`t.key`, `e.key`, …), built once per language and area, on first use: the
/// catalogue is compiled in and never changes, so nothing invalidates a map. (A map built per
/// request, as `"search-"` and `"assoc-"` were, formats every message of the area with Fluent
/// for each home or association page.)
pub fn area(lang: Lang, prefix: &str) -> Value {
    type Maps = Vec<(Lang, String, Value)>;
    static MAPS: RwLock<Maps> = RwLock::new(Vec::new());
    let find = |maps: &Maps| {
        maps.iter()
            .find(|(l, p, _)| *l == lang && p == prefix)
            .map(|(_, _, v)| v.clone())
    };
    if let Some(v) = find(&MAPS.read().unwrap_or_else(PoisonError::into_inner)) {
        return v;
    }
    let mut maps = MAPS.write().unwrap_or_else(PoisonError::into_inner);
    if let Some(v) = find(&maps) {
        return v;
    }
    let map: std::collections::BTreeMap<String, String> =
        words::words(lang, prefix).into_iter().collect();
    let v = Value::from_serialize(map);
    maps.push((lang, prefix.to_string(), v.clone()));
    v
}

/// Every site word in one language, for the templates (`t.key`).
pub fn all(lang: Lang) -> Value {
    area(lang, "")
}

/// The templates' `tr("id", n=3, …)`: a message of the catalogue in the page's language (the
/// `lang` of the page's context), with its arguments; numbers choose the plural form.
pub fn template_tr(
    state: &minijinja::State,
    id: &str,
    kwargs: Kwargs,
) -> Result<String, minijinja::Error> {
    let lang = state
        .lookup("lang")
        .and_then(|l| l.as_str().and_then(Lang::parse))
        .unwrap_or_default();
    let mut args = Vec::new();
    for name in kwargs.args() {
        let v: Value = kwargs.get(name)?;
        let arg = match i64::try_from(v.clone()) {
            Ok(n) => words::Arg::from(n),
            Err(_) => words::Arg::from(v.to_string()),
        };
        args.push((name, arg));
    }
    kwargs.assert_all_used()?;
    if !words::has(id) {
        return Err(minijinja::Error::new(
            minijinja::ErrorKind::UndefinedError,
            format!("no message {id} in the catalogue"),
        ));
    }
    Ok(tr_args(lang, id, &args))
}

/// "3 places restantes sur 3", "1 place restante sur 4", "Complet", "Pas de limite de places".
pub fn places(lang: Lang, remaining: Option<i64>, capacity: Option<i64>) -> String {
    match (remaining, capacity) {
        (Some(r), Some(c)) => tr_args(
            lang,
            "places_left",
            &[("remaining", r.into()), ("capacity", c.into())],
        ),
        (Some(0), None) => tr_args(
            lang,
            "places_left",
            &[("remaining", 0.into()), ("capacity", 0.into())],
        ),
        _ => tr(lang, "places_unlimited"),
    }
}

/// "3 places prises sur 5", "1 place prise sur 2", "3 of 5 places taken".
pub fn taken(lang: Lang, taken: i64, capacity: i64) -> String {
    tr_args(
        lang,
        "places_taken",
        &[("taken", taken.into()), ("capacity", capacity.into())],
    )
}

/// "4 créneaux ajoutés.", "1 slot added."
pub fn slots_added(lang: Lang, n: i64) -> String {
    tr_args(lang, "slots_added", &[("n", n.into())])
}

/// Who will be told when a slot is cancelled: "2 personnes inscrites seront prévenues."
pub fn people_told(lang: Lang, n: i64) -> String {
    tr_args(lang, "people_told", &[("n", n.into())])
}

/// "lundi" … "dimanche" (0 = Monday), "Monday" … in English.
pub fn day_name(lang: Lang, day: u8) -> String {
    tr(lang, &format!("weekday_{}", day.min(6)))
}

/// "janvier" … "décembre" (0 = January), "January" … in English.
pub fn month_name(lang: Lang, month0: u32) -> String {
    tr(lang, &format!("month_{}", month0.min(11)))
}

/// "0 abonné", "2 abonnés", "1 follower".
pub fn followers(lang: Lang, n: i64) -> String {
    tr_args(lang, "followers", &[("n", n.into())])
}

/// The line above a form with errors: how many fields to fix.
pub fn form_errors(lang: Lang, n: usize) -> String {
    let n = i64::try_from(n).unwrap_or(i64::MAX);
    tr_args(lang, "form_errors", &[("n", n.into())])
}

/// A regular mission's commitment: "Régulière : 2 h 30 par semaine", "Regular: 45 min per month".
pub fn commitment(lang: Lang, minutes: i64, period: &str) -> String {
    let amount = crate::service::text::duration(minutes);
    tr_args(
        lang,
        "commitment_regular",
        &[
            ("amount", amount.into()),
            ("period", period.to_string().into()),
        ],
    )
}

/// A day written out: "mardi 1er décembre 2026", "Tuesday 1 December 2026".
pub fn long_date(lang: Lang, d: chrono::NaiveDate) -> String {
    tr_args(
        lang,
        "date_long",
        &[
            (
                "weekday",
                day_name(lang, d.weekday().num_days_from_monday() as u8).into(),
            ),
            ("day", i64::from(d.day()).into()),
            ("month", month_name(lang, d.month0()).into()),
            ("year", i64::from(d.year()).into()),
        ],
    )
}

pub use crate::i18n::time_of_day;

/// A mission's dates written out in full, for people rather than machines:
/// "mardi 24 novembre 2026, de 18 h à 20 h 30", "du samedi 1er août 2026 à 9 h au dimanche 2 août 2026 à 18 h",
/// "Tuesday 24 November 2026, 18:00 to 20:30".
pub fn long_span(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let (s, e) = (start.with_timezone(&tz), end.with_timezone(&tz));
    let day = |d: &DateTime<Tz>| long_date(lang, d.date_naive());
    let time = |d: &DateTime<Tz>| time_of_day(lang, d.hour(), d.minute());
    let id = if s.date_naive() == e.date_naive() {
        "span_same_day"
    } else {
        "span_days"
    };
    tr_args(
        lang,
        id,
        &[
            ("start_day", day(&s).into()),
            ("start_time", time(&s).into()),
            ("end_day", day(&e).into()),
            ("end_time", time(&e).into()),
        ],
    )
}

/// `?lang=` first, then the `lang` cookie, then the browser's preference, then the node's.
pub fn pick(query_lang: Option<&str>, headers: &HeaderMap, default: &str) -> Lang {
    if let Some(l) = query_lang.and_then(exact) {
        return l;
    }
    let cookie = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| exact(v));
    if let Some(l) = cookie {
        return l;
    }
    if let Some(accept) = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    {
        let mut tags = accept
            .split(',')
            .map(|part| part.split(';').next().unwrap_or(""));
        if let Some(l) = tags.find_map(Lang::parse) {
            return l;
        }
    }
    Lang::or_reference(default)
}

/// `fr` or `en` exactly, as `?lang=` and the cookie carry them.
fn exact(code: &str) -> Option<Lang> {
    Lang::ALL.into_iter().find(|l| l.code() == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn language_choice() {
        let mut h = HeaderMap::new();
        assert_eq!(pick(None, &h, "fr"), Lang::Fr);
        h.insert(
            "accept-language",
            "en-GB,en;q=0.9,fr;q=0.5".parse().expect("header"),
        );
        assert_eq!(pick(None, &h, "fr"), Lang::En);
        h.insert("cookie", "lang=fr".parse().expect("header"));
        assert_eq!(pick(None, &h, "fr"), Lang::Fr);
        assert_eq!(pick(Some("en"), &h, "fr"), Lang::En);
        assert_eq!(pick(Some("de"), &h, "fr"), Lang::Fr);
    }

    #[test]
    fn words_come_from_the_catalogue() {
        assert_eq!(word(Lang::En, "login"), "Log in");
        assert_eq!(word(Lang::Fr, "login"), "Se connecter");
        let site = all(Lang::En);
        assert_eq!(
            site.get_attr("login")
                .ok()
                .and_then(|v| v.as_str().map(str::to_string)),
            Some("Log in".to_string())
        );
        let equipment = area(Lang::Fr, "eq-");
        assert_eq!(
            equipment
                .get_attr("quantity")
                .ok()
                .and_then(|v| v.as_str().map(str::to_string)),
            Some("Quantité".to_string())
        );
        // Every area is kept per language: asked again, in either order, each its own words.
        let title = |lang| {
            area(lang, "search-")
                .get_attr("title")
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
        };
        for _ in 0..2 {
            assert_eq!(
                title(Lang::Fr).as_deref(),
                Some("Chercher une mission, un événement ou du matériel")
            );
            assert_eq!(
                title(Lang::En).as_deref(),
                Some("Search missions, events and equipment")
            );
        }
    }

    #[test]
    fn places_are_counted_in_words() {
        assert_eq!(
            places(Lang::Fr, Some(3), Some(3)),
            "3 places restantes sur 3"
        );
        assert_eq!(places(Lang::Fr, Some(1), Some(4)), "1 place restante sur 4");
        assert_eq!(places(Lang::Fr, Some(0), Some(4)), "Complet");
        assert_eq!(places(Lang::Fr, None, None), "Pas de limite de places");
        assert_eq!(places(Lang::En, Some(2), Some(5)), "2 places left of 5");
        assert_eq!(places(Lang::En, Some(1), Some(5)), "1 place left of 5");
        assert_eq!(followers(Lang::Fr, 0), "0 abonné");
        assert_eq!(followers(Lang::Fr, 2), "2 abonnés");
        assert_eq!(followers(Lang::En, 1), "1 follower");
        assert_eq!(taken(Lang::Fr, 3, 5), "3 places prises sur 5");
        assert_eq!(taken(Lang::Fr, 1, 2), "1 place prise sur 2");
        assert_eq!(taken(Lang::En, 3, 5), "3 of 5 places taken");
        assert_eq!(slots_added(Lang::Fr, 4), "4 créneaux ajoutés.");
        assert_eq!(slots_added(Lang::En, 1), "1 slot added.");
        assert_eq!(day_name(Lang::Fr, 5), "samedi");
        // The domain's reasons, as coordinators read them about a volunteer.
        let profile = crate::domain::volunteer::Profile {
            skills: vec!["cuisine".into(), "accueil".into()],
            ..Default::default()
        };
        let skills = vec!["cuisine".to_string(), "accueil".to_string()];
        let offer = crate::domain::volunteer::Offer {
            skills: &skills,
            category: "other",
            online: true,
            position: None,
            start_time: chrono::TimeZone::with_ymd_and_hms(&Utc, 2030, 6, 1, 9, 0, 0).unwrap(),
        };
        let m = crate::domain::volunteer::score(&profile, &offer, chrono_tz::Europe::Paris)
            .expect("in reach");
        let words = |lang, theirs| {
            m.reasons
                .iter()
                .map(|r| crate::i18n::match_reason(lang, r, theirs))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            words(Lang::Fr, false),
            ["à distance", "vos compétences : cuisine, accueil"]
        );
        assert_eq!(
            words(Lang::Fr, true),
            ["à distance", "compétences : cuisine, accueil"]
        );
        assert_eq!(
            words(Lang::En, true),
            ["remote", "skills: cuisine, accueil"]
        );
        let one = crate::domain::volunteer::Reason::Skills(vec!["cuisine".into()]);
        assert_eq!(
            crate::i18n::match_reason(Lang::En, &one, false),
            "your skill: cuisine"
        );
        let saturday = crate::domain::volunteer::Reason::Available {
            day: 5,
            part: crate::domain::volunteer::DayPart::Morning,
        };
        assert_eq!(
            crate::i18n::match_reason(Lang::Fr, &saturday, false),
            "samedi matin"
        );
        assert_eq!(
            lookup(Lang::Fr, "done_signed_up").as_deref(),
            Some("Vous êtes inscrit·e. Merci ! L'association compte sur vous.")
        );
        assert_eq!(lookup(Lang::Fr, "done_nothing"), None);
        assert_eq!(
            commitment(Lang::Fr, 150, "week"),
            "Régulière : 2 h 30 par semaine"
        );
        assert_eq!(
            commitment(Lang::En, 45, "month"),
            "Regular: 45 min per month"
        );
        assert_eq!(
            form_errors(Lang::Fr, 2),
            "Le formulaire n'a pas été envoyé : 2 champs sont à corriger."
        );
    }

    #[test]
    fn dates_are_written_out() {
        let tz: Tz = "Europe/Paris".parse().expect("tz");
        let at = |d: u32, h: u32, m: u32| {
            tz.with_ymd_and_hms(2026, 12, d, h, m, 0)
                .single()
                .expect("date")
                .with_timezone(&Utc)
        };
        assert_eq!(
            long_span(at(1, 9, 0), at(1, 12, 30), tz, Lang::Fr),
            "mardi 1er décembre 2026, de 9 h à 12 h 30"
        );
        assert_eq!(
            long_span(at(1, 9, 0), at(1, 12, 30), tz, Lang::En),
            "Tuesday 1 December 2026, 09:00 to 12:30"
        );
        assert_eq!(
            long_span(at(5, 9, 0), at(6, 18, 0), tz, Lang::Fr),
            "du samedi 5 décembre 2026 à 9 h au dimanche 6 décembre 2026 à 18 h"
        );
    }
}
