//! "Le territoire en chiffres" (`/territory`, issue 15): on an aggregator, the sums of the
//! nodes of its territory for a year: the headline figures, volunteer hours per month
//! (columns) and per commune (bars, the first ones, and the table of all), and the nodes
//! named with the date their figures were fetched. Every chart has its table; no JavaScript.

use super::{
    charts::{self, Mark},
    equipment::euros,
    extract::{Page, PageError},
    i18n::{self, Lang},
    OrPage,
};
use crate::{
    domain::territory::{Figures, YEARS},
    service::{statistics, text::decimal},
    state::AppState,
};
use axum::{extract::RawQuery, response::Response, routing::get, Router};
use chrono::{DateTime, Datelike, Utc};
use minijinja::{context, Value};

pub(crate) const TEMPLATES: [(&str, &str); 1] = [(
    "territory.html",
    include_str!("../../../templates/territory.html"),
)];

pub fn router() -> Router<AppState> {
    Router::new().route("/territory", get(territory_page))
}

/// Communes drawn in the bar chart (the table lists them all).
const TOP_COMMUNES: usize = 10;

fn hours(lang: Lang, f: &Figures) -> String {
    decimal(lang, f.hours())
}

fn figures(lang: Lang, f: &Figures) -> Value {
    context! {
        missions_published => f.missions_published, missions_filled => f.missions_filled,
        volunteers => f.volunteers, loans => f.loans, loan_value => euros(lang, f.loan_value),
        hours => hours(lang, f), hours_value => euros(lang, f.hours_value),
    }
}

/// `year` and `commune` from the query; a year that cannot be one is this year.
fn read_query(raw: Option<&str>, this_year: i32) -> (i32, Option<String>) {
    let mut year = this_year;
    let mut commune = None;
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "year" => {
                year = v
                    .trim()
                    .parse()
                    .ok()
                    .filter(|y| YEARS.contains(y))
                    .unwrap_or(this_year)
            }
            "commune" => {
                let c = v.trim();
                let valid = c.len() == 5 && c.chars().all(|c| c.is_ascii_alphanumeric());
                commune = valid.then(|| c.to_string());
            }
            _ => {}
        }
    }
    (year, commune)
}

/// `GET /territory`.
async fn territory_page(page: Page, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    let state = page.state();
    if !state.config.aggregator.enabled {
        return Err(page.not_found());
    }
    let lang = page.lang;
    let tz = state.config.timezone();
    let this_year = state.clock.today(tz).year();
    let (year, commune) = read_query(raw.as_deref(), this_year);
    let view = statistics::territory(
        state.store(),
        &state.config,
        year,
        commune.as_deref(),
        state.now(),
    )
    .await
    .or_page(&page)?;
    let s = &view.summary;
    let month_marks: Vec<Mark> = s
        .by_month
        .iter()
        .enumerate()
        .map(|(i, f)| Mark {
            label: i18n::month_name(lang, i as u32).chars().take(3).collect(),
            value: f.hours(),
            shown: hours(lang, f),
        })
        .collect();
    let months: Vec<Value> = s
        .by_month
        .iter()
        .enumerate()
        .map(|(i, f)| context! { name => i18n::month_name(lang, i as u32), f => figures(lang, f) })
        .collect();
    let unknown = i18n::word(lang, "territory_no_commune");
    let name_of = |c: &crate::domain::territory::CommuneRef| {
        if c.is_unknown() {
            unknown.clone()
        } else {
            c.name.clone()
        }
    };
    let commune_marks: Vec<Mark> = s
        .by_commune
        .iter()
        .filter(|l| l.figures.minutes > 0)
        .take(TOP_COMMUNES)
        .map(|l| Mark {
            label: name_of(&l.commune),
            value: l.figures.hours(),
            shown: hours(lang, &l.figures),
        })
        .collect();
    let communes: Vec<Value> = s
        .by_commune
        .iter()
        .map(|l| context! { name => name_of(&l.commune), insee => l.commune.insee, f => figures(lang, &l.figures) })
        .collect();
    let when = |t: DateTime<Utc>| i18n::long_date(lang, t.with_timezone(&tz).date_naive());
    let sources: Vec<Value> = view
        .sources
        .iter()
        .map(|n| {
            let shown = match (n.publishes, n.fetched_at) {
                (false, _) => i18n::word(lang, "territory_not_publishing"),
                (true, None) => i18n::word(lang, "territory_not_fetched"),
                (true, Some(t)) => i18n::tr_args(
                    lang,
                    "territory_fetched_on",
                    &[("date", when(t).into())],
                ),
            };
            context! { host => n.host, state => shown, counted => n.publishes && n.fetched_at.is_some() }
        })
        .collect();
    let commune_name = commune.as_ref().map(|insee| {
        s.by_commune
            .iter()
            .find(|l| &l.commune.insee == insee)
            .map_or_else(|| insee.clone(), |l| l.commune.name.clone())
    });
    let years: Vec<i32> = ((this_year - 5)..=this_year).rev().collect();
    let title = |k: &str| i18n::tr_args(lang, k, &[("year", year.to_string().into())]);
    Ok(page.render(
        "territory.html",
        context! {
            year => year, years => years, commune => commune, commune_name => commune_name,
            total => figures(lang, &s.total),
            months_chart => charts::columns(&title("territory_chart_months"), &month_marks),
            communes_chart => (!commune_marks.is_empty())
                .then(|| charts::bars(&title("territory_chart_communes"), &commune_marks)),
            months => months, communes => communes, sources => sources,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_is_read_leniently() {
        assert_eq!(read_query(None, 2030), (2030, None));
        assert_eq!(
            read_query(Some("year=2029&commune=29019"), 2030),
            (2029, Some("29019".into()))
        );
        assert_eq!(
            read_query(Some("year=1&commune=%3Cb%3E"), 2030),
            (2030, None)
        );
    }

    /// Every `t.key` of the page has words in French and in English.
    #[test]
    fn the_page_uses_known_words() {
        super::super::word_check::check_site_words(&TEMPLATES);
    }
}
