//! The territory's dashboard (issue 15), as pure functions: a node's yearly figures per month
//! and per commune, the checks the aggregator makes on figures another server sends (untrusted:
//! every number bounded, rows capped), and the sums of the territory over every source.
//! Counts only: no name, no person, no mission is ever in these figures.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, str::FromStr};

/// Years a node answers for and the aggregator asks.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;
/// Most rows one node may send for a year (12 months × communes); more is refused.
pub const MAX_ROWS: usize = 12 * 1000;
/// Highest count accepted in one row (missions, volunteers, loans).
pub const MAX_COUNT: i64 = 1_000_000;
/// Highest number of minutes in one row (a million hours).
pub const MAX_MINUTES: i64 = 60_000_000;
/// Highest amount in euros accepted in one row.
pub const MAX_EUROS: i64 = 1_000_000_000;

/// A commune by its INSEE code and name; the empty code is the bucket of what has no commune
/// (online, remote, or a place the gazetteer does not know).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CommuneRef {
    pub insee: String,
    pub name: String,
}

impl CommuneRef {
    pub fn unknown() -> CommuneRef {
        CommuneRef::default()
    }
    pub fn is_unknown(&self) -> bool {
        self.insee.is_empty()
    }
}

/// What is counted, for one month and commune, or summed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// Local missions, not drafts nor deleted, by the month they were published.
    pub missions_published: i64,
    /// Of those, the ones filled (see [`crate::domain::territory`]'s documentation in
    /// `docs/territory.md`): every open slot full, or the mission's capacity reached.
    pub missions_filled: i64,
    /// Distinct volunteers with an accepted participation in a slot starting that month.
    pub volunteers: i64,
    /// Accepted loans of local equipment to another organisation, by their start month.
    pub loans: i64,
    /// Σ replacement value × quantity of those loans, in euros.
    pub loan_value: Decimal,
    /// Validated volunteer minutes, by the month of their first day.
    pub minutes: i64,
    /// Their value at each association's hourly rates (time only, no mileage), in euros.
    pub hours_value: Decimal,
}

impl Figures {
    pub fn add(&mut self, o: &Figures) {
        self.missions_published += o.missions_published;
        self.missions_filled += o.missions_filled;
        self.volunteers += o.volunteers;
        self.loans += o.loans;
        self.loan_value += o.loan_value;
        self.minutes += o.minutes;
        self.hours_value += o.hours_value;
    }

    /// Hours, to the hundredth.
    pub fn hours(&self) -> Decimal {
        super::hours::cents(Decimal::from(self.minutes) / Decimal::from(60))
    }

    fn is_empty(&self) -> bool {
        *self == Figures::default()
    }
}

/// One month (1 to 12) in one commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub month: u32,
    pub commune: CommuneRef,
    pub figures: Figures,
}

/// A node's figures for a year. `volunteers_by_commune` and `volunteers_total` count each
/// person once over the whole year (the monthly rows count them once a month).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearFigures {
    pub year: i32,
    pub rows: Vec<Row>,
    pub volunteers_by_commune: Vec<(CommuneRef, i64)>,
    pub volunteers_total: i64,
}

/// The instants a year's months begin at in the node's time zone: 13 of them (the last is the
/// next year's first), for the statements that count per month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearBounds {
    pub year: i32,
    pub starts: [DateTime<Utc>; 13],
}

impl YearBounds {
    pub fn new(year: i32, tz: Tz) -> Option<YearBounds> {
        if !YEARS.contains(&year) {
            return None;
        }
        let mut starts = [DateTime::<Utc>::MIN_UTC; 13];
        for (i, start) in starts.iter_mut().enumerate() {
            let (y, m) = if i == 12 {
                (year + 1, 1)
            } else {
                (year, i as u32 + 1)
            };
            let day = NaiveDate::from_ymd_opt(y, m, 1)?.and_hms_opt(0, 0, 0)?;
            *start = tz.from_local_datetime(&day).earliest()?.with_timezone(&Utc);
        }
        Some(YearBounds { year, starts })
    }
}

/// Adds figures to their (month, commune) row, keeping rows in order.
#[derive(Debug, Default)]
pub struct Builder {
    rows: BTreeMap<(u32, CommuneRef), Figures>,
    volunteers: BTreeMap<CommuneRef, i64>,
}

impl Builder {
    /// The row of a month (1 to 12; anything else is ignored) and commune.
    pub fn at(&mut self, month: i32, commune: CommuneRef) -> Option<&mut Figures> {
        let month = u32::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
        Some(self.rows.entry((month, commune)).or_default())
    }

    /// Distinct volunteers of the year in a commune.
    pub fn volunteers(&mut self, commune: CommuneRef, n: i64) {
        *self.volunteers.entry(commune).or_default() += n;
    }

    pub fn build(self, year: i32, volunteers_total: i64) -> YearFigures {
        YearFigures {
            year,
            rows: self
                .rows
                .into_iter()
                .filter(|(_, f)| !f.is_empty())
                .map(|((month, commune), figures)| Row {
                    month,
                    commune,
                    figures,
                })
                .collect(),
            volunteers_by_commune: self.volunteers.into_iter().collect(),
            volunteers_total,
        }
    }
}

/// Why figures sent by another server were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not the figures' shape (fields missing, not numbers).
    Shape,
    /// Another year than the one asked.
    Year,
    TooManyRows,
    /// A month outside 1 to 12.
    Month,
    /// A count below zero or absurdly high, or filled missions above published ones.
    Count,
    /// An amount not a decimal, below zero or absurdly high.
    Amount,
    /// An INSEE code or a name that is not one.
    Commune,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Shape => "not the shape of statistics",
            Refusal::Year => "another year than the one asked",
            Refusal::TooManyRows => "too many rows",
            Refusal::Month => "a month outside 1 to 12",
            Refusal::Count => "a count below zero or too high",
            Refusal::Amount => "an amount that is not a sum in euros",
            Refusal::Commune => "a commune code or name that is not one",
        }
    }
}

/// The wire shape (`GET /api/v1/statistics`) as received, before its checks.
#[derive(Debug, Deserialize)]
struct WireYear {
    year: i64,
    months: Vec<WireRow>,
    volunteers_by_commune: Vec<WireVolunteers>,
    volunteers_total: i64,
}

#[derive(Debug, Deserialize)]
struct WireRow {
    month: i64,
    insee: String,
    commune: String,
    missions_published: i64,
    missions_filled: i64,
    volunteers: i64,
    loans: i64,
    loan_value: String,
    minutes: i64,
    hours_value: String,
}

#[derive(Debug, Deserialize)]
struct WireVolunteers {
    insee: String,
    commune: String,
    volunteers: i64,
}

fn count(n: i64, max: i64) -> Result<i64, Refusal> {
    if (0..=max).contains(&n) {
        Ok(n)
    } else {
        Err(Refusal::Count)
    }
}

fn euros(text: &str) -> Result<Decimal, Refusal> {
    let d = Decimal::from_str(text.trim()).map_err(|_| Refusal::Amount)?;
    if d.is_sign_negative() || d > Decimal::from(MAX_EUROS) || d.scale() > 2 {
        return Err(Refusal::Amount);
    }
    Ok(d)
}

fn commune(insee: &str, name: &str) -> Result<CommuneRef, Refusal> {
    let code_ok = insee.is_empty()
        || (insee.len() == 5
            && insee
                .chars()
                .all(|c| c.is_ascii_digit() || c == 'A' || c == 'B'));
    let name_ok = name.chars().count() <= 100 && !name.chars().any(char::is_control);
    if !code_ok || !name_ok || (insee.is_empty() && !name.is_empty()) {
        return Err(Refusal::Commune);
    }
    Ok(CommuneRef {
        insee: insee.into(),
        name: name.into(),
    })
}

/// Checks figures another server sent for `year`: every field present and bounded, at most
/// [`MAX_ROWS`] rows; the first fault refuses the whole document (nothing half-taken).
pub fn check_remote(doc: &serde_json::Value, year: i32) -> Result<YearFigures, Refusal> {
    let wire: WireYear = serde_json::from_value(doc.clone()).map_err(|_| Refusal::Shape)?;
    if wire.year != i64::from(year) {
        return Err(Refusal::Year);
    }
    if wire.months.len() > MAX_ROWS || wire.volunteers_by_commune.len() > MAX_ROWS {
        return Err(Refusal::TooManyRows);
    }
    let mut rows = Vec::with_capacity(wire.months.len());
    for r in wire.months {
        let month = u32::try_from(r.month)
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or(Refusal::Month)?;
        let figures = Figures {
            missions_published: count(r.missions_published, MAX_COUNT)?,
            missions_filled: count(r.missions_filled, r.missions_published)?,
            volunteers: count(r.volunteers, MAX_COUNT)?,
            loans: count(r.loans, MAX_COUNT)?,
            loan_value: euros(&r.loan_value)?,
            minutes: count(r.minutes, MAX_MINUTES)?,
            hours_value: euros(&r.hours_value)?,
        };
        rows.push(Row {
            month,
            commune: commune(&r.insee, &r.commune)?,
            figures,
        });
    }
    let mut volunteers_by_commune = Vec::with_capacity(wire.volunteers_by_commune.len());
    for v in wire.volunteers_by_commune {
        volunteers_by_commune.push((
            commune(&v.insee, &v.commune)?,
            count(v.volunteers, MAX_COUNT)?,
        ));
    }
    Ok(YearFigures {
        year,
        rows,
        volunteers_by_commune,
        volunteers_total: count(wire.volunteers_total, MAX_COUNT)?,
    })
}

/// One commune's line of the territory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneLine {
    pub commune: CommuneRef,
    pub figures: Figures,
}

/// The territory's sums for a year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub year: i32,
    /// Index 0 is January. `volunteers` there: distinct within each node and month, summed.
    pub by_month: [Figures; 12],
    /// Largest volunteer hours first, then by name; the unknown bucket last.
    /// `volunteers`: distinct within each node over the year, summed.
    pub by_commune: Vec<CommuneLine>,
    /// The whole year (`volunteers`: each node's distinct volunteers of the year, summed).
    pub total: Figures,
}

/// Sums the figures of every source (one commune only when `only` is given). A person who
/// volunteers through two nodes counts twice: nodes share no identities.
pub fn summarize(year: i32, sources: &[YearFigures], only: Option<&str>) -> Summary {
    let mut s = Summary {
        year,
        ..Summary::default()
    };
    let mut communes: BTreeMap<CommuneRef, Figures> = BTreeMap::new();
    let wanted = |c: &CommuneRef| only.is_none_or(|insee| c.insee == insee);
    for node in sources.iter().filter(|n| n.year == year) {
        for r in node.rows.iter().filter(|r| wanted(&r.commune)) {
            let Some(month) = s.by_month.get_mut(r.month as usize - 1) else {
                continue;
            };
            month.add(&r.figures);
            let mut f = r.figures.clone();
            f.volunteers = 0; // the year's distinct volunteers come below
            communes.entry(r.commune.clone()).or_default().add(&f);
        }
        for (c, n) in node.volunteers_by_commune.iter().filter(|(c, _)| wanted(c)) {
            communes.entry(c.clone()).or_default().volunteers += n;
        }
        if only.is_none() {
            s.total.volunteers += node.volunteers_total;
        }
    }
    for line in communes.values() {
        let volunteers = s.total.volunteers;
        s.total.add(line);
        if only.is_none() {
            s.total.volunteers = volunteers;
        }
    }
    s.by_commune = communes
        .into_iter()
        .map(|(commune, figures)| CommuneLine { commune, figures })
        .collect();
    s.by_commune.sort_by(|a, b| {
        (a.commune.is_unknown(), std::cmp::Reverse(a.figures.minutes))
            .cmp(&(b.commune.is_unknown(), std::cmp::Reverse(b.figures.minutes)))
            .then_with(|| a.commune.name.cmp(&b.commune.name))
    });
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn brest() -> CommuneRef {
        CommuneRef {
            insee: "29019".into(),
            name: "Brest".into(),
        }
    }

    fn wire_row(month: i64, minutes: i64, value: &str) -> serde_json::Value {
        json!({"month": month, "insee": "29019", "commune": "Brest", "missions_published": 3,
            "missions_filled": 1, "volunteers": 4, "loans": 1, "loan_value": "450.00",
            "minutes": minutes, "hours_value": value})
    }

    fn doc(rows: Vec<serde_json::Value>) -> serde_json::Value {
        json!({"year": 2030, "months": rows, "volunteers_total": 5,
            "volunteers_by_commune": [{"insee": "29019", "commune": "Brest", "volunteers": 5}]})
    }

    #[test]
    fn good_figures_are_taken() {
        let y = check_remote(&doc(vec![wire_row(3, 90, "18.00")]), 2030).unwrap();
        assert_eq!(y.rows.len(), 1);
        assert_eq!(y.rows[0].month, 3);
        assert_eq!(y.rows[0].figures.hours_value, Decimal::new(1800, 2));
        assert_eq!(y.volunteers_by_commune, vec![(brest(), 5)]);
    }

    #[test]
    fn bad_figures_are_refused_whole() {
        let refused = |d: serde_json::Value| check_remote(&d, 2030).unwrap_err();
        assert_eq!(refused(json!({"year": 2030})), Refusal::Shape);
        assert_eq!(refused(json!([1, 2])), Refusal::Shape);
        assert_eq!(check_remote(&doc(vec![]), 2029).unwrap_err(), Refusal::Year);
        assert_eq!(refused(doc(vec![wire_row(13, 1, "1")])), Refusal::Month);
        assert_eq!(refused(doc(vec![wire_row(0, 1, "1")])), Refusal::Month);
        assert_eq!(refused(doc(vec![wire_row(1, -5, "1")])), Refusal::Count);
        assert_eq!(
            refused(doc(vec![wire_row(1, MAX_MINUTES + 1, "1")])),
            Refusal::Count
        );
        assert_eq!(refused(doc(vec![wire_row(1, 1, "-3")])), Refusal::Amount);
        assert_eq!(refused(doc(vec![wire_row(1, 1, "1e99")])), Refusal::Amount);
        assert_eq!(refused(doc(vec![wire_row(1, 1, "1.001")])), Refusal::Amount);
        let mut filled = wire_row(1, 1, "1");
        filled["missions_filled"] = json!(9);
        assert_eq!(refused(doc(vec![filled])), Refusal::Count);
        let mut code = wire_row(1, 1, "1");
        code["insee"] = json!("<script>");
        assert_eq!(refused(doc(vec![code])), Refusal::Commune);
        let many = vec![wire_row(1, 1, "1"); MAX_ROWS + 1];
        assert_eq!(refused(doc(many)), Refusal::TooManyRows);
    }

    #[test]
    fn months_begin_in_the_node_time_zone() {
        let b = YearBounds::new(2030, chrono_tz::Europe::Paris).unwrap();
        assert_eq!(b.starts[0].to_rfc3339(), "2029-12-31T23:00:00+00:00");
        assert_eq!(b.starts[6].to_rfc3339(), "2030-06-30T22:00:00+00:00");
        assert_eq!(b.starts[12].to_rfc3339(), "2030-12-31T23:00:00+00:00");
        assert!(YearBounds::new(1900, chrono_tz::UTC).is_none());
    }

    #[test]
    fn the_territory_sums_every_source() {
        let mut a = Builder::default();
        let f = a.at(3, brest()).unwrap();
        f.minutes = 120;
        f.hours_value = Decimal::new(3000, 2);
        f.volunteers = 2;
        f.missions_published = 1;
        a.at(4, CommuneRef::unknown()).unwrap().loans = 1;
        assert!(a.at(13, brest()).is_none());
        a.volunteers(brest(), 2);
        let a = a.build(2030, 2);
        let mut b = Builder::default();
        let f = b.at(3, brest()).unwrap();
        f.minutes = 60;
        f.volunteers = 1;
        b.volunteers(brest(), 3);
        let b = b.build(2030, 3);
        let s = summarize(2030, &[a.clone(), b.clone()], None);
        assert_eq!(s.by_month[2].minutes, 180);
        assert_eq!(s.by_month[2].volunteers, 3);
        assert_eq!(s.by_month[3].loans, 1);
        assert_eq!(s.total.minutes, 180);
        assert_eq!(s.total.volunteers, 5);
        assert_eq!(s.total.hours(), Decimal::new(300, 2));
        assert_eq!(s.by_commune[0].commune, brest());
        assert_eq!(s.by_commune[0].figures.volunteers, 5);
        assert!(s.by_commune[1].commune.is_unknown());
        let only = summarize(2030, &[a, b], Some("29019"));
        assert_eq!(only.total.loans, 0);
        assert_eq!(only.total.volunteers, 5);
        assert_eq!(only.by_commune.len(), 1);
        assert_eq!(summarize(2031, &[], None).total, Figures::default());
    }
}
