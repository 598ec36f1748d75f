//! Volunteer hours on the web (issue 5). For volunteers, "Mes heures": record an action in a few
//! taps (the last ones again in one tap), see where each stands, delete a pending one, download
//! one's own hours. For coordinators, the association's hours: validate or refuse, record for
//! someone (with or without an account), mark who came to a slot that is over (a presence
//! becomes hours), totals with charts, rates and moderation, exports.

use super::{
    charts::{self, Mark},
    i18n,
    pages::{managed_association, shown_errors, PageQuery},
    CheckedForm, LoggedIn, OrPage, Page, PageError,
};
use crate::http::params::{Path, Query};
use crate::http::web::prelude::*;
use crate::i18n::Lang;
use crate::{
    domain::{
        account::User,
        actor::Actor,
        hours::{HoursEntry, HoursInput, HoursStatus, SettingsInput, Tally, Volunteer},
        mission::CATEGORIES,
        DomainError, FieldError, FieldErrors,
    },
    service::{
        self,
        hours::{Attendance, AttendanceOutcome, Mark as AttendanceMark, Period},
        text::{decimal, duration},
        ServiceError,
    },
    state::AppState,
};
use chrono::Datelike;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub const TEMPLATES: [(&str, &str); 4] = [
    (
        "guide.html",
        include_str!("../../../../templates/guide.html"),
    ),
    (
        "hours_mine.html",
        include_str!("../../../../templates/hours_mine.html"),
    ),
    (
        "hours_association.html",
        include_str!("../../../../templates/hours_association.html"),
    ),
    (
        "hours_attendance.html",
        include_str!("../../../../templates/hours_attendance.html"),
    ),
];

mod association;
mod attendance;
mod files;
mod mine;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/guide/heures", get(guide))
        .merge(mine::router())
        .merge(association::router())
        .merge(attendance::router())
        .merge(files::router())
}

/// The French guide for volunteers and coordinators (`docs/guide/heures.md`), as a page. It
/// exists in French only, so the page says so (`lang="fr"`) whatever the visitor's language.
async fn guide(page: Page) -> Response {
    page.french_guide(include_str!("../../../../docs/guide/heures.md"))
}

/// The words of these pages (`h.key` in the templates), from the catalogue (`hours-` ids).
fn words(lang: Lang) -> minijinja::Value {
    i18n::area(lang, "hours-")
}

fn word(lang: Lang, key: &str) -> Option<String> {
    i18n::lookup(lang, &format!("hours-{key}"))
}

/// An amount in euros: "47,13 €", "€47.13".
fn euros(lang: Lang, d: Decimal) -> String {
    let s = d.round_dp(2).to_string();
    if lang == Lang::En {
        format!("€{s}")
    } else {
        format!("{} €", s.replace('.', ","))
    }
}

/// A day: "14/03/2026" in French, "2026-03-14" in English.
fn day(lang: Lang, d: chrono::NaiveDate) -> String {
    if lang == Lang::En {
        d.to_string()
    } else {
        d.format("%d/%m/%Y").to_string()
    }
}

fn span(lang: Lang, e: &HoursEntry) -> String {
    if e.draft.end_date == e.draft.start_date {
        day(lang, e.draft.start_date)
    } else {
        let (from, to) = (day(lang, e.draft.start_date), day(lang, e.draft.end_date));
        i18n::tr_args(
            lang,
            "hours-span",
            &[("from", from.into()), ("to", to.into())],
        )
    }
}

fn field_label(lang: Lang, field: &str) -> String {
    let key = match field {
        "date" => "date",
        "end_date" => "end_date",
        "minutes" | "hours_part" => "duration",
        "distance_km" => "distance",
        "category" => "category",
        "description" => "description",
        "association" => "association",
        "user" => "account_name",
        "guest_name" => "guest_name",
        "reason" => "refuse_reason",
        "hourly_rate" => "hourly_rate",
        "mileage_rate" => "mileage_rate",
        other => return i18n::field_label(lang, other),
    };
    word(lang, key).unwrap_or_else(|| key.to_string())
}

/// The field messages of a refused form, in order, with the box at the top.
fn form_errors(
    lang: Lang,
    errors: &FieldErrors,
    prefix: &str,
) -> (BTreeMap<String, String>, Value) {
    let order = [
        "association",
        "user",
        "guest_name",
        "date",
        "end_date",
        "minutes",
        "distance_km",
        "category",
        "description",
        "hourly_rate",
        "mileage_rate",
    ];
    let shown = shown_errors(
        lang,
        errors,
        &order,
        |f| f.to_string(),
        |f| format!("{prefix}{f}"),
    );
    let summary: Vec<Value> = errors
        .0
        .keys()
        .map(|f| {
            context! {
                anchor => format!("{prefix}{f}"), label => field_label(lang, f),
                message => shown.by_field.get(f).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let boxed = context! { title => shown.title, summary => summary };
    (shown.by_field, boxed)
}

/// What the action form holds, as typed (French decimals allowed).
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
#[serde(default)]
struct EntryForm {
    association: String,
    user: String,
    guest_name: String,
    date: String,
    end_date: String,
    hours: String,
    minutes: String,
    distance_km: String,
    category: String,
    description: String,
}

impl EntryForm {
    /// The service's input; a duration that is not a number is refused here, by field.
    fn input(&self) -> Result<HoursInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let whole = |s: &str| -> Result<i64, ()> {
            let s = s.trim();
            if s.is_empty() {
                Ok(0)
            } else {
                s.parse::<i64>().map_err(|_| ())
            }
        };
        let minutes = match (whole(&self.hours), whole(&self.minutes)) {
            (Ok(h), Ok(m)) if (0..=744).contains(&h) && (0..60).contains(&m) => {
                (h * 60 + m > 0).then_some(h * 60 + m)
            }
            _ => {
                errors.add("minutes", FieldError::new("whole_hours"));
                None
            }
        };
        let opt = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        };
        let input = HoursInput {
            association: opt(&self.association),
            user: opt(&self.user),
            guest_name: opt(&self.guest_name),
            date: opt(&self.date).map(|d| iso_date(&d)),
            end_date: opt(&self.end_date).map(|d| iso_date(&d)),
            minutes,
            distance_km: opt(&self.distance_km)
                .map(|k| serde_json::Value::String(k.replace(',', ".").replace(' ', ""))),
            category: opt(&self.category),
            mission_id: None,
            description: opt(&self.description),
        };
        if errors.0.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

/// `14/03/2026` as `2026-03-14`; anything else as typed (date inputs send ISO dates).
pub(super) fn iso_date(s: &str) -> String {
    let parts: Vec<&str> = s.trim().split('/').collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 => format!("{y}-{:0>2}-{:0>2}", m, d),
        _ => s.trim().to_string(),
    }
}

fn category_options(lang: Lang) -> Vec<Value> {
    CATEGORIES
        .iter()
        .map(|c| context! { code => c.0, label => crate::i18n::category(lang, c.0) })
        .collect()
}

fn status_code(s: HoursStatus) -> &'static str {
    match s {
        HoursStatus::Pending => "st_pending",
        HoursStatus::Validated => "st_validated",
        HoursStatus::Refused => "st_refused",
    }
}

fn association_value(a: &Actor) -> String {
    if a.local {
        a.name.clone()
    } else {
        format!("{}@{}", a.name, a.host)
    }
}

fn entry_view(lang: Lang, e: &HoursEntry, a: Option<&Actor>) -> Value {
    let d = &e.draft;
    context! {
        id => e.id,
        when => span(lang, e),
        duration => duration(d.minutes),
        km => d.distance_km.map(|k| decimal(lang, k)),
        category => crate::i18n::category(lang, &d.category),
        description => d.description,
        status => status_code(e.status),
        reason => e.reason,
        volunteer => crate::i18n::volunteer_name(lang, &e.volunteer_name()),
        guest => matches!(e.volunteer, Volunteer::Guest { .. }),
        remote_volunteer => matches!(e.volunteer, Volunteer::Remote { .. }),
        association => a.map(|a| a.label().to_string()),
        elsewhere => a.is_some_and(|a| !a.local),
    }
}

/// Where a form sends the browser back, with a notice or an error key (in the query, before
/// the `#fragment` if there is one).
fn back_to(path: &str, key: &str, value: &str) -> Response {
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (p, format!("#{f}")),
        None => (path, String::new()),
    };
    Redirect::to(&format!(
        "{}{fragment}",
        super::pages::with_param(path, key, value)
    ))
    .into_response()
}

/// The notice or error a page shows after a form (`?done=…` / `?refused=…`), known keys only.
fn flash(lang: Lang, q: &PageQuery) -> (Option<String>, Option<String>) {
    let pick = |prefix: &str, v: &Option<String>| {
        v.as_deref()
            .filter(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            .and_then(|k| word(lang, &format!("{prefix}{k}")))
    };
    (pick("done_", &q.done), pick("refused_", &q.refused))
}

fn hours_path(a: &Actor) -> String {
    format!("/g/{}/hours", a.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_numbers_read_naturally() {
        assert_eq!(duration(150), "2 h 30");
        assert_eq!(duration(45), "45 min");
        assert_eq!(duration(180), "3 h");
        assert_eq!(decimal(Lang::Fr, Decimal::new(125, 1)), "12,5");
        assert_eq!(decimal(Lang::En, Decimal::new(125, 1)), "12.5");
        assert_eq!(euros(Lang::Fr, Decimal::new(4713, 2)), "47,13 €");
        assert_eq!(euros(Lang::En, Decimal::new(4713, 2)), "€47.13");
        assert_eq!(iso_date("4/3/2026"), "2026-03-04");
        assert_eq!(iso_date("2026-03-04"), "2026-03-04");
    }

    #[test]
    fn the_form_turns_hours_and_minutes_into_minutes() {
        let f = EntryForm {
            hours: "2".into(),
            minutes: "30".into(),
            distance_km: "12,5".into(),
            ..EntryForm::default()
        };
        let input = f.input().expect("a valid form");
        assert_eq!(input.minutes, Some(150));
        assert_eq!(input.distance_km, Some(serde_json::json!("12.5")));
        let bad = EntryForm {
            hours: "deux".into(),
            ..EntryForm::default()
        };
        assert!(bad
            .input()
            .expect_err("not a number")
            .0
            .contains_key("minutes"));
        let empty = EntryForm::default()
            .input()
            .expect("an empty form is for the service to refuse");
        assert_eq!(empty.minutes, None, "the service says a duration is needed");
    }

    #[test]
    fn the_service_messages_read_in_the_page_language() {
        assert_eq!(
            i18n::field_error(Lang::Fr, &FieldError::new("not_in_future")),
            "Cette date n'est pas encore arrivée : notez les heures une fois l'action faite."
        );
        assert_eq!(
            i18n::field_error(Lang::En, &FieldError::new("rate")),
            "Give a number, for example 11.88."
        );
        assert_eq!(
            i18n::field_error(Lang::Fr, &FieldError::new("km_too_many").num("max", 500)),
            "C'est beaucoup de kilomètres pour une action : vérifiez le nombre."
        );
    }

    #[test]
    fn templates_use_known_words() {
        super::super::word_check::check_templates(&TEMPLATES, "h.", |k| {
            word(Lang::Fr, k).is_some()
        });
    }
}
