//! The documents of volunteer hours for the accounts: an association's annual statement of
//! volunteer contributions in kind ("contributions volontaires en nature"), as PDF and as an
//! OpenDocument spreadsheet, and the list of its hours as a spreadsheet. French, like the
//! accounts they go with: their words come from the catalogue (`doc-` ids,
//! `locales/*/documents.ftl`) in [`LANG`]. Only validated hours count; the figures are those of
//! the report (exact decimals, rounded to the cent once).

use super::{
    hours::{self, Period, Totals},
    text::{decimal, duration},
    Result,
};
use crate::{
    config::Config,
    documents::{
        ods::{self, Cell, Sheet},
        pdf::{Align, Pdf},
        Document, ODS, PDF,
    },
    domain::{
        account::User,
        hours::{HoursEntry, HoursStatus, Tally},
        DomainError,
    },
    i18n::{self, Arg, Lang},
    storage::{ActorStore, HoursStore, MissionStore},
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// The language of the documents for the accounts: French, like the accounts they go with
/// (and the chart of accounts they name).
pub(super) const LANG: Lang = Lang::Fr;

/// The documents' words `doc-<key>` in [`LANG`].
pub(super) fn word(key: &str) -> String {
    i18n::tr(LANG, &format!("doc-{key}"))
}

/// The documents' words `doc-<key>` in [`LANG`], with their arguments (text already formatted).
pub(super) fn word_with(key: &str, args: &[(&str, &str)]) -> String {
    let args: Vec<(&str, Arg)> = args
        .iter()
        .map(|(name, value)| (*name, Arg::from(value.to_string())))
        .collect();
    i18n::tr_args(LANG, &format!("doc-{key}"), &args)
}

/// A day as the documents write it: 14/03/2026.
pub(super) fn date(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A mission category's label in the documents.
fn category(code: &str) -> String {
    i18n::category(LANG, code)
}

/// "1 234,50 €".
pub fn euros(d: Decimal) -> String {
    let s = d.round_dp(2).to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let (sign, digits) = match int.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", int),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{frac:0<2} €")
}

/// The statement's figures: the report of the year and its validated entries, oldest first.
struct Statement {
    year: i32,
    totals: Totals,
    entries: Vec<HoursEntry>,
    titles: std::collections::BTreeMap<i64, String>,
}

fn year_of(year: Option<&str>) -> Result<i32> {
    let y = year
        .map(str::trim)
        .filter(|y| !y.is_empty())
        .ok_or_else(|| {
            DomainError::field("year", crate::domain::FieldError::new("year_required"))
        })?;
    y.parse::<i32>()
        .ok()
        .filter(|y| (1900..=9999).contains(y))
        .ok_or_else(|| {
            DomainError::field("year", crate::domain::FieldError::new("year_like")).into()
        })
}

async fn statement<S: ActorStore + HoursStore + MissionStore + ?Sized>(
    store: &S,
    user: &User,
    association_name: &str,
    year: Option<&str>,
) -> Result<Statement> {
    let year = year_of(year)?;
    let period = Period {
        year: Some(year.to_string()),
        ..Period::default()
    };
    let totals = hours::totals(store, user, association_name, &period).await?;
    let validated = Period {
        status: Some("validated".into()),
        ..period
    };
    let (_, mut entries) =
        hours::list_association(store, user, association_name, &validated).await?;
    entries.reverse();
    let titles = totals.mission_titles.clone();
    Ok(Statement {
        year,
        totals,
        entries,
        titles,
    })
}

fn rates_lines(t: &Totals) -> Vec<(String, String)> {
    let s = &t.settings;
    // Rates keep all their decimals (0,324 €/km): they are not amounts.
    let rate = |d: Decimal| format!("{} €", decimal(LANG, d));
    let per_hour = |d: Decimal| word_with("per_hour", &[("amount", &rate(d))]);
    let mut out = vec![
        (word("hourly_rate_long"), per_hour(s.hourly_rate)),
        (
            word("mileage_rate"),
            word_with("per_km", &[("amount", &rate(s.mileage_rate))]),
        ),
    ];
    for (code, r) in &s.category_rates {
        out.push((category_rate(code), per_hour(*r)));
    }
    out
}

/// "Taux horaire « Solidarité, insertion »".
fn category_rate(code: &str) -> String {
    word_with("category_rate", &[("category", &category(code))])
}

/// A month of the report (`2025-03`) by its name: "mars".
fn month(key: &str) -> String {
    let i = key
        .get(5..7)
        .and_then(|x| x.parse::<usize>().ok())
        .unwrap_or(1);
    i18n::tr(LANG, &format!("month_{}", i.clamp(1, 12) - 1))
}

/// A mission's title, or "Hors mission".
fn mission_label(titles: &std::collections::BTreeMap<i64, String>, id: Option<i64>) -> String {
    match id {
        Some(id) => titles.get(&id).cloned().unwrap_or(format!("#{id}")),
        None => word("no_mission"),
    }
}

fn tally_row(label: String, t: &Tally) -> Vec<String> {
    vec![
        label,
        t.entries.to_string(),
        duration(t.minutes),
        decimal(LANG, t.distance_km),
        euros(t.value()),
    ]
}

/// The annual statement as a PDF.
pub async fn statement_pdf<S: ActorStore + HoursStore + MissionStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    association_name: &str,
    year: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Document> {
    let s = statement(store, user, association_name, year).await?;
    let a = &s.totals.association;
    let r = &s.totals.report;
    let o = &r.overall;
    let year = s.year.to_string();
    let title = word_with("stmt_title", &[("year", &year), ("association", a.label())]);
    let mut pdf = Pdf::new(&title)?;
    pdf.heading(1, &word("stmt_heading"));
    pdf.text(
        &word_with(
            "stmt_subtitle",
            &[("association", a.label()), ("year", &year)],
        ),
        13.0,
        true,
    );
    pdf.space(4.0);
    pdf.paragraph(&word_with(
        "stmt_intro",
        &[
            ("year", &year),
            ("site", &config.instance.name),
            ("date", &date(hours::today(config, now))),
        ],
    ));
    pdf.heading(2, &word("summary"));
    pdf.facts(&[
        (word("stmt_hours"), duration(o.minutes)),
        (word("stmt_entries"), o.entries.to_string()),
        (word("volunteers"), r.by_volunteer.len().to_string()),
        (
            word("km_travelled"),
            word_with("km", &[("km", &decimal(LANG, o.distance_km))]),
        ),
        (word("time_value"), euros(o.time_value())),
        (word("mileage_value"), euros(o.mileage_value())),
        (word("total_value"), euros(o.value())),
    ]);
    pdf.heading(2, &word("stmt_rates"));
    pdf.facts(&rates_lines(&s.totals));
    let head = [
        String::new(),
        word("col_actions"),
        word("col_hours"),
        word("col_km"),
        word("col_value"),
    ];
    let widths = [0.44, 0.12, 0.16, 0.12, 0.16];
    let align = [
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
    ];
    let table = |pdf: &mut Pdf, heading: &str, first: &str, rows: Vec<Vec<String>>| {
        pdf.heading(2, &word(heading));
        let first = word(first);
        let mut h: Vec<&str> = head.iter().map(String::as_str).collect();
        h[0] = &first;
        pdf.table(&h, &widths, &align, &rows);
    };
    table(
        &mut pdf,
        "by_category",
        "col_category",
        r.by_category
            .iter()
            .map(|(c, t)| tally_row(category(c), t))
            .collect(),
    );
    table(
        &mut pdf,
        "by_month",
        "col_month",
        r.by_month
            .iter()
            .map(|(m, t)| tally_row(month(m), t))
            .collect(),
    );
    table(
        &mut pdf,
        "by_volunteer",
        "col_volunteer",
        r.by_volunteer
            .iter()
            .map(|(v, t)| tally_row(i18n::volunteer_name(LANG, v), t))
            .collect(),
    );
    table(
        &mut pdf,
        "by_mission",
        "col_mission",
        r.by_mission
            .iter()
            .map(|(m, t)| tally_row(mission_label(&s.titles, *m), t))
            .collect(),
    );
    pdf.heading(2, &word("stmt_accounts"));
    pdf.paragraph(&word("stmt_accounts_text"));
    let bytes = pdf.finish()?;
    Ok(Document {
        filename: format!(
            "{}.pdf",
            word_with("stmt_file", &[("association", &a.name), ("year", &year)])
        ),
        content_type: PDF,
        bytes,
    })
}

fn tally_cells(label: Cell, t: &Tally) -> Vec<Cell> {
    vec![
        label,
        Cell::Number(t.entries.to_string()),
        Cell::Number(t.minutes.to_string()),
        Cell::Number(t.hours().to_string()),
        Cell::Number(t.distance_km.normalize().to_string()),
        Cell::Euros(t.time_value().to_string()),
        Cell::Euros(t.mileage_value().to_string()),
        Cell::Euros(t.value().to_string()),
    ]
}

fn tally_sheet(name: &str, first: &str, rows: Vec<Vec<Cell>>) -> Sheet {
    Sheet {
        name: word(name),
        header: [
            first,
            "col_actions",
            "col_minutes",
            "col_hours",
            "col_km",
            "col_time_value",
            "col_mileage_value",
            "col_total",
        ]
        .iter()
        .map(|key| word(key))
        .collect(),
        rows,
    }
}

/// The columns of a list of entries.
fn entry_header() -> Vec<String> {
    [
        "col_number",
        "col_date",
        "col_end",
        "col_volunteer",
        "col_category",
        "col_mission",
        "col_minutes",
        "col_hours",
        "col_km",
        "col_status",
        "col_value",
        "col_description",
    ]
    .iter()
    .map(|key| word(key))
    .collect()
}

fn entry_cells(
    e: &HoursEntry,
    settings: &crate::domain::hours::HoursSettings,
    titles: &std::collections::BTreeMap<i64, String>,
) -> Vec<Cell> {
    let mut one = Tally::default();
    one.add(&e.draft, settings);
    let d = &e.draft;
    let status = word(match e.status {
        HoursStatus::Pending => "status_pending",
        HoursStatus::Validated => "status_validated",
        HoursStatus::Refused => "status_refused",
    });
    vec![
        Cell::Number(e.id.to_string()),
        Cell::Date(d.start_date.to_string()),
        Cell::Date(d.end_date.to_string()),
        Cell::Text(i18n::volunteer_name(LANG, &e.volunteer_name())),
        Cell::Text(category(&d.category)),
        match d.mission_id {
            Some(id) => Cell::Text(titles.get(&id).cloned().unwrap_or(format!("#{id}"))),
            None => Cell::Empty,
        },
        Cell::Number(d.minutes.to_string()),
        Cell::Number(one.hours().to_string()),
        match d.distance_km {
            Some(k) => Cell::Number(k.normalize().to_string()),
            None => Cell::Empty,
        },
        Cell::Text(status),
        if e.status == HoursStatus::Validated {
            Cell::Euros(one.value().to_string())
        } else {
            Cell::Empty
        },
        Cell::Text(d.description.clone()),
    ]
}

/// The annual statement as a spreadsheet: a summary, then the same tables as the PDF, then
/// every validated action.
pub async fn statement_ods<S: ActorStore + HoursStore + MissionStore + ?Sized>(
    store: &S,
    user: &User,
    association_name: &str,
    year: Option<&str>,
) -> Result<Document> {
    let s = statement(store, user, association_name, year).await?;
    let a = &s.totals.association;
    let r = &s.totals.report;
    let o = &r.overall;
    let text = |t: &str| Cell::Text(t.to_string());
    let label = |key: &str| Cell::Text(word(key));
    let mut summary = vec![
        vec![label("col_association"), text(a.label())],
        vec![label("col_year"), Cell::Number(s.year.to_string())],
        vec![label("col_hours"), Cell::Number(o.hours().to_string())],
        vec![label("col_minutes"), Cell::Number(o.minutes.to_string())],
        vec![label("col_actions"), Cell::Number(o.entries.to_string())],
        vec![
            label("volunteers"),
            Cell::Number(r.by_volunteer.len().to_string()),
        ],
        vec![
            label("kilometres"),
            Cell::Number(o.distance_km.normalize().to_string()),
        ],
        vec![label("time_value"), Cell::Euros(o.time_value().to_string())],
        vec![
            label("mileage_value"),
            Cell::Euros(o.mileage_value().to_string()),
        ],
        vec![label("total_value"), Cell::Euros(o.value().to_string())],
        vec![
            label("hourly_rate"),
            Cell::Euros(s.totals.settings.hourly_rate.to_string()),
        ],
        vec![
            label("mileage_rate"),
            Cell::Euros(s.totals.settings.mileage_rate.to_string()),
        ],
    ];
    for (code, rate) in &s.totals.settings.category_rates {
        summary.push(vec![
            Cell::Text(category_rate(code)),
            Cell::Euros(rate.to_string()),
        ]);
    }
    let sheets = vec![
        Sheet {
            name: word("summary"),
            header: vec![word("col_heading"), word("col_value")],
            rows: summary,
        },
        tally_sheet(
            "by_category",
            "col_category",
            r.by_category
                .iter()
                .map(|(c, t)| tally_cells(Cell::Text(category(c)), t))
                .collect(),
        ),
        tally_sheet(
            "by_month",
            "col_month",
            r.by_month
                .iter()
                .map(|(m, t)| tally_cells(text(m), t))
                .collect(),
        ),
        tally_sheet(
            "by_volunteer",
            "col_volunteer",
            r.by_volunteer
                .iter()
                .map(|(v, t)| tally_cells(text(&i18n::volunteer_name(LANG, v)), t))
                .collect(),
        ),
        tally_sheet(
            "by_mission",
            "col_mission",
            r.by_mission
                .iter()
                .map(|(m, t)| tally_cells(Cell::Text(mission_label(&s.titles, *m)), t))
                .collect(),
        ),
        Sheet {
            name: word("stmt_entries_sheet"),
            header: entry_header(),
            rows: s
                .entries
                .iter()
                .map(|e| entry_cells(e, &s.totals.settings, &s.titles))
                .collect(),
        },
    ];
    let year = s.year.to_string();
    Ok(Document {
        filename: format!(
            "{}.ods",
            word_with("stmt_file", &[("association", &a.name), ("year", &year)])
        ),
        content_type: ODS,
        bytes: ods::spreadsheet(&word_with("stmt_sheet_title", &[("year", &year)]), &sheets)?,
    })
}

/// An association's hours over a period, as a spreadsheet (the columns of the CSV export, in
/// French, with typed cells).
pub async fn export_ods<S: ActorStore + HoursStore + MissionStore + ?Sized>(
    store: &S,
    user: &User,
    association_name: &str,
    period: &Period,
) -> Result<Document> {
    let (a, mut entries) = hours::list_association(store, user, association_name, period).await?;
    entries.reverse();
    let settings = hours::settings_of(store, a.id).await?;
    let titles = super::missions::titles(
        store,
        entries.iter().filter_map(|e| e.draft.mission_id).collect(),
    )
    .await?;
    let sheet = Sheet {
        name: word("hours_sheet"),
        header: entry_header(),
        rows: entries
            .iter()
            .map(|e| entry_cells(e, &settings, &titles))
            .collect(),
    };
    Ok(Document {
        filename: format!(
            "{}.ods",
            word_with("hours_file", &[("association", &a.name)])
        ),
        content_type: ODS,
        bytes: ods::spreadsheet(
            &word_with("hours_title", &[("association", a.label())]),
            &[sheet],
        )?,
    })
}

#[cfg(test)]
mod tests;
