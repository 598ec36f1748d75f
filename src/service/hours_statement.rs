//! The documents of volunteer hours for the accounts: an association's annual statement of
//! volunteer contributions in kind ("contributions volontaires en nature"), as PDF and as an
//! OpenDocument spreadsheet, and the list of its hours as a spreadsheet. French, like the
//! accounts they go with. Only validated hours count; the figures are those of the report
//! (exact decimals, rounded to the cent once).

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
    storage::Store,
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

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
        .ok_or_else(|| DomainError::field("year", "give the year, like 2025"))?;
    y.parse::<i32>()
        .ok()
        .filter(|y| (1900..=9999).contains(y))
        .ok_or_else(|| DomainError::field("year", "must be a year like 2025").into())
}

async fn statement(
    store: &dyn Store,
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
    let rate = |d: Decimal| format!("{} €", decimal(crate::i18n::Lang::Fr, d));
    let mut out = vec![
        (
            "Taux horaire de valorisation".to_string(),
            format!("{} / heure", rate(s.hourly_rate)),
        ),
        (
            "Indemnité kilométrique".to_string(),
            format!("{} / km", rate(s.mileage_rate)),
        ),
    ];
    for (code, r) in &s.category_rates {
        out.push((
            format!(
                "Taux horaire « {} »",
                crate::i18n::category(crate::i18n::Lang::Fr, code)
            ),
            format!("{} / heure", rate(*r)),
        ));
    }
    out
}

fn tally_row(label: String, t: &Tally) -> Vec<String> {
    vec![
        label,
        t.entries.to_string(),
        duration(t.minutes),
        decimal(crate::i18n::Lang::Fr, t.distance_km),
        euros(t.value()),
    ]
}

/// The annual statement as a PDF.
pub async fn statement_pdf(
    store: &dyn Store,
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
    let title = format!(
        "Contributions volontaires en nature {} — {}",
        s.year,
        a.label()
    );
    let mut pdf = Pdf::new(&title)?;
    pdf.heading(1, "Contributions volontaires en nature");
    pdf.text(&format!("{} — exercice {}", a.label(), s.year), 13.0, true);
    pdf.space(4.0);
    pdf.paragraph(&format!(
        "Bénévolat du 1er janvier au 31 décembre {}, d'après les heures validées par l'association \
         sur {}. Document établi le {}.",
        s.year,
        config.instance.name,
        hours::today(config, now).format("%d/%m/%Y")
    ));
    pdf.heading(2, "Synthèse");
    pdf.facts(&[
        ("Heures de bénévolat".into(), duration(o.minutes)),
        ("Actions enregistrées".into(), o.entries.to_string()),
        ("Bénévoles".into(), r.by_volunteer.len().to_string()),
        (
            "Kilomètres parcourus".into(),
            format!("{} km", decimal(crate::i18n::Lang::Fr, o.distance_km)),
        ),
        ("Valeur du temps donné".into(), euros(o.time_value())),
        ("Frais kilométriques".into(), euros(o.mileage_value())),
        ("Total des contributions".into(), euros(o.value())),
    ]);
    pdf.heading(2, "Taux appliqués");
    pdf.facts(&rates_lines(&s.totals));
    let head = ["", "Actions", "Heures", "Km", "Valeur"];
    let widths = [0.44, 0.12, 0.16, 0.12, 0.16];
    let align = [
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
    ];
    let table = |pdf: &mut Pdf, first: &str, rows: Vec<Vec<String>>| {
        let mut h = head;
        h[0] = first;
        pdf.table(&h, &widths, &align, &rows);
    };
    pdf.heading(2, "Par domaine");
    table(
        &mut pdf,
        "Domaine",
        r.by_category
            .iter()
            .map(|(c, t)| tally_row(crate::i18n::category(crate::i18n::Lang::Fr, c), t))
            .collect(),
    );
    pdf.heading(2, "Par mois");
    table(
        &mut pdf,
        "Mois",
        r.by_month
            .iter()
            .map(|(m, t)| {
                let i = m
                    .get(5..7)
                    .and_then(|x| x.parse::<usize>().ok())
                    .unwrap_or(1);
                tally_row(MONTHS[(i.clamp(1, 12)) - 1].to_string(), t)
            })
            .collect(),
    );
    pdf.heading(2, "Par bénévole");
    table(
        &mut pdf,
        "Bénévole",
        r.by_volunteer
            .iter()
            .map(|(v, t)| tally_row(v.clone(), t))
            .collect(),
    );
    pdf.heading(2, "Par mission");
    table(
        &mut pdf,
        "Mission",
        r.by_mission
            .iter()
            .map(|(m, t)| {
                let label = match m {
                    Some(id) => s.titles.get(id).cloned().unwrap_or(format!("#{id}")),
                    None => "Hors mission".to_string(),
                };
                tally_row(label, t)
            })
            .collect(),
    );
    pdf.heading(2, "Présentation dans les comptes");
    pdf.paragraph(
        "Ces montants se présentent au pied du compte de résultat et dans l'annexe, en \
         contributions volontaires en nature : en ressources au compte 870 « Bénévolat », en \
         emplois au compte 864 « Personnel bénévole » (plan comptable des associations, \
         règlement ANC n° 2018-06). Le taux horaire et l'indemnité kilométrique sont ceux que \
         l'association a choisis ; faites-les valider par votre expert-comptable ou votre \
         commissaire aux comptes.",
    );
    let bytes = pdf.finish()?;
    Ok(Document {
        filename: format!("contributions-benevoles-{}-{}.pdf", a.name, s.year),
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
        name: name.into(),
        header: [
            first,
            "Actions",
            "Minutes",
            "Heures",
            "Km",
            "Valeur du temps",
            "Frais km",
            "Total",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows,
    }
}

const ENTRY_HEADER: [&str; 12] = [
    "N°",
    "Date",
    "Fin",
    "Bénévole",
    "Domaine",
    "Mission",
    "Minutes",
    "Heures",
    "Km",
    "État",
    "Valeur",
    "Description",
];

fn entry_cells(
    e: &HoursEntry,
    settings: &crate::domain::hours::HoursSettings,
    titles: &std::collections::BTreeMap<i64, String>,
) -> Vec<Cell> {
    let mut one = Tally::default();
    one.add(&e.draft, settings);
    let d = &e.draft;
    let status = match e.status {
        HoursStatus::Pending => "en attente",
        HoursStatus::Validated => "validée",
        HoursStatus::Refused => "refusée",
    };
    vec![
        Cell::Number(e.id.to_string()),
        Cell::Date(d.start_date.to_string()),
        Cell::Date(d.end_date.to_string()),
        Cell::Text(e.volunteer_name()),
        Cell::Text(crate::i18n::category(crate::i18n::Lang::Fr, &d.category)),
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
        Cell::Text(status.into()),
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
pub async fn statement_ods(
    store: &dyn Store,
    user: &User,
    association_name: &str,
    year: Option<&str>,
) -> Result<Document> {
    let s = statement(store, user, association_name, year).await?;
    let a = &s.totals.association;
    let r = &s.totals.report;
    let o = &r.overall;
    let text = |t: &str| Cell::Text(t.to_string());
    let mut summary = vec![
        vec![text("Association"), text(a.label())],
        vec![text("Exercice"), Cell::Number(s.year.to_string())],
        vec![text("Heures"), Cell::Number(o.hours().to_string())],
        vec![text("Minutes"), Cell::Number(o.minutes.to_string())],
        vec![text("Actions"), Cell::Number(o.entries.to_string())],
        vec![
            text("Bénévoles"),
            Cell::Number(r.by_volunteer.len().to_string()),
        ],
        vec![
            text("Kilomètres"),
            Cell::Number(o.distance_km.normalize().to_string()),
        ],
        vec![
            text("Valeur du temps donné"),
            Cell::Euros(o.time_value().to_string()),
        ],
        vec![
            text("Frais kilométriques"),
            Cell::Euros(o.mileage_value().to_string()),
        ],
        vec![
            text("Total des contributions"),
            Cell::Euros(o.value().to_string()),
        ],
        vec![
            text("Taux horaire"),
            Cell::Euros(s.totals.settings.hourly_rate.to_string()),
        ],
        vec![
            text("Indemnité kilométrique"),
            Cell::Euros(s.totals.settings.mileage_rate.to_string()),
        ],
    ];
    for (code, rate) in &s.totals.settings.category_rates {
        summary.push(vec![
            Cell::Text(format!(
                "Taux horaire « {} »",
                crate::i18n::category(crate::i18n::Lang::Fr, code)
            )),
            Cell::Euros(rate.to_string()),
        ]);
    }
    let sheets = vec![
        Sheet {
            name: "Synthèse".into(),
            header: vec!["Rubrique".into(), "Valeur".into()],
            rows: summary,
        },
        tally_sheet(
            "Par domaine",
            "Domaine",
            r.by_category
                .iter()
                .map(|(c, t)| {
                    tally_cells(text(&crate::i18n::category(crate::i18n::Lang::Fr, c)), t)
                })
                .collect(),
        ),
        tally_sheet(
            "Par mois",
            "Mois",
            r.by_month
                .iter()
                .map(|(m, t)| tally_cells(text(m), t))
                .collect(),
        ),
        tally_sheet(
            "Par bénévole",
            "Bénévole",
            r.by_volunteer
                .iter()
                .map(|(v, t)| tally_cells(text(v), t))
                .collect(),
        ),
        tally_sheet(
            "Par mission",
            "Mission",
            r.by_mission
                .iter()
                .map(|(m, t)| {
                    let label = match m {
                        Some(id) => s.titles.get(id).cloned().unwrap_or(format!("#{id}")),
                        None => "Hors mission".into(),
                    };
                    tally_cells(Cell::Text(label), t)
                })
                .collect(),
        ),
        Sheet {
            name: "Actions".into(),
            header: ENTRY_HEADER.iter().map(|h| h.to_string()).collect(),
            rows: s
                .entries
                .iter()
                .map(|e| entry_cells(e, &s.totals.settings, &s.titles))
                .collect(),
        },
    ];
    Ok(Document {
        filename: format!("contributions-benevoles-{}-{}.ods", a.name, s.year),
        content_type: ODS,
        bytes: ods::spreadsheet(
            &format!("Contributions volontaires en nature {}", s.year),
            &sheets,
        )?,
    })
}

/// An association's hours over a period, as a spreadsheet (the columns of the CSV export, in
/// French, with typed cells).
pub async fn export_ods(
    store: &dyn Store,
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
        name: "Heures".into(),
        header: ENTRY_HEADER.iter().map(|h| h.to_string()).collect(),
        rows: entries
            .iter()
            .map(|e| entry_cells(e, &settings, &titles))
            .collect(),
    };
    Ok(Document {
        filename: format!("heures-{}.ods", a.name),
        content_type: ODS,
        bytes: ods::spreadsheet(&format!("Heures de bénévolat — {}", a.label()), &[sheet])?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn amounts_read_the_french_way() {
        let d = |s: &str| Decimal::from_str(s).expect("a decimal");
        assert_eq!(euros(d("1234.5")), "1\u{a0}234,50 €");
        assert_eq!(euros(d("47.13")), "47,13 €");
        assert_eq!(euros(d("0")), "0,00 €");
        assert_eq!(euros(d("1234567.891")), "1\u{a0}234\u{a0}567,89 €");
        assert_eq!(duration(9150), "152 h 30");
        assert!(year_of(None).is_err());
        assert!(year_of(Some("deux mille")).is_err());
        assert_eq!(year_of(Some("2025")).ok(), Some(2025));
    }
}
