//! Totals of validated entries: counts, time, distance and their value in euros, computed
//! from exact sums and rounded once to the cent.

use super::{HoursDraft, HoursEntry, HoursSettings, HoursStatus};
use chrono::Datelike;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;

/// Rounds money to the cent, half away from zero.
pub fn cents(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// Sums of some entries. The value is computed once from exact sums, then rounded to the cent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub entries: i64,
    pub minutes: i64,
    pub distance_km: Decimal,
    /// Σ minutes × hourly rate (exact; divided by 60 at the end).
    minute_cost: Decimal,
    /// Σ km × mileage rate (exact).
    km_cost: Decimal,
}

impl Tally {
    pub fn add(&mut self, entry: &HoursDraft, settings: &HoursSettings) {
        self.entries += 1;
        self.minutes += entry.minutes;
        self.minute_cost += Decimal::from(entry.minutes) * settings.rate_for(&entry.category);
        if let Some(km) = entry.distance_km {
            self.distance_km += km;
            self.km_cost += km * settings.mileage_rate;
        }
    }

    /// Hours, rounded to the hundredth.
    pub fn hours(&self) -> Decimal {
        cents(Decimal::from(self.minutes) / Decimal::from(60))
    }

    /// The value of the time alone, in euros, to the cent.
    pub fn time_value(&self) -> Decimal {
        cents(self.minute_cost / Decimal::from(60))
    }

    /// The value of the distance alone, in euros, to the cent.
    pub fn mileage_value(&self) -> Decimal {
        cents(self.km_cost)
    }

    /// Time and distance, in euros, to the cent (rounded once, from the exact sums).
    pub fn value(&self) -> Decimal {
        cents(self.minute_cost / Decimal::from(60) + self.km_cost)
    }
}

/// Totals of validated entries, overall and grouped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub overall: Tally,
    /// Keyed by volunteer name.
    pub by_volunteer: BTreeMap<String, Tally>,
    pub by_category: BTreeMap<String, Tally>,
    /// Keyed by mission id; `None` for actions outside a mission.
    pub by_mission: BTreeMap<Option<i64>, Tally>,
    /// Keyed by `YYYY-MM` of the first day.
    pub by_month: BTreeMap<String, Tally>,
    /// Keyed by `YYYY`.
    pub by_year: BTreeMap<i32, Tally>,
}

impl Report {
    /// Counts the validated entries only.
    pub fn of(entries: &[HoursEntry], settings: &HoursSettings) -> Report {
        let mut r = Report::default();
        for e in entries
            .iter()
            .filter(|e| e.status == HoursStatus::Validated)
        {
            let d = &e.draft;
            r.overall.add(d, settings);
            r.by_volunteer
                .entry(e.volunteer_name())
                .or_default()
                .add(d, settings);
            r.by_category
                .entry(d.category.clone())
                .or_default()
                .add(d, settings);
            r.by_mission
                .entry(d.mission_id)
                .or_default()
                .add(d, settings);
            r.by_month
                .entry(format!(
                    "{:04}-{:02}",
                    d.start_date.year(),
                    d.start_date.month()
                ))
                .or_default()
                .add(d, settings);
            r.by_year
                .entry(d.start_date.year())
                .or_default()
                .add(d, settings);
        }
        r
    }
}
