//! The territory's dashboard in the store: a node's counts for a year, each kind in one
//! aggregate statement (`GROUP BY` month and place, whatever the number of rows), and, on an
//! aggregator, the figures fetched from each source, one copy per source and year.

use super::db::{query, query_as};
use super::{hours_rows::settings_from_row, Result, SqlStore};
use crate::domain::{hours::HoursSettings, territory::YearBounds};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Where a mission is, as stored (no commune code is stored: the service finds it).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MissionPlace {
    pub postal_code: String,
    pub locality: String,
    pub online: bool,
}

/// Missions published in a month at a place, and how many of them are filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionCount {
    pub month: i32,
    pub place: MissionPlace,
    pub published: i64,
    pub filled: i64,
}

/// Distinct volunteers at a place: in a month, or (`month` 0) over the whole year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolunteerCount {
    pub month: i32,
    pub place: MissionPlace,
    pub volunteers: i64,
}

/// Loans of local equipment to other organisations starting in a month, by the resource's
/// place and replacement value (a decimal text, or `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanCount {
    pub month: i32,
    pub place: String,
    pub replacement_value: Option<String>,
    pub loans: i64,
    pub quantity: i64,
}

/// Validated minutes of an association in a category, in a month, at its mission's place
/// (`None`: an action outside a mission).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesSum {
    pub month: i32,
    pub actor_id: i64,
    pub category: String,
    pub place: Option<MissionPlace>,
    pub minutes: i64,
}

/// Everything a node counts for a year, grouped, before places become communes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeCounts {
    pub missions: Vec<MissionCount>,
    pub volunteers: Vec<VolunteerCount>,
    pub volunteers_total: i64,
    pub loans: Vec<LoanCount>,
    pub minutes: Vec<MinutesSum>,
    /// The hours settings of the associations that have minutes here.
    pub settings: Vec<(i64, HoursSettings)>,
}

/// The figures an aggregator keeps of one source for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFigures {
    pub source_id: i64,
    pub year: i64,
    /// `None`: the source does not publish.
    pub body: Option<String>,
    pub fetched_at: DateTime<Utc>,
}

#[async_trait]
pub trait StatisticsStore: Send + Sync {
    /// This node's counts for the year the bounds draw (local data only).
    async fn node_counts(&self, bounds: &YearBounds) -> Result<NodeCounts>;
    /// Replaces what is kept of a source's figures for a year (`None`: it does not publish).
    async fn save_source_figures(
        &self,
        source_id: i64,
        year: i64,
        body: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Every source's figures kept for a year, by source id.
    async fn list_source_figures(&self, year: i64) -> Result<Vec<StoredFigures>>;
}

/// `CASE` giving the month (1 to 12) of `column` from the bounds bound as $2 … $12.
fn month_of(column: &str) -> String {
    let mut sql = String::from("CASE");
    for month in 1..12 {
        sql.push_str(&format!(" WHEN {column} < ${} THEN {month}", month + 1));
    }
    sql.push_str(" ELSE 12 END");
    sql
}

/// Binds the 13 bounds of a year as $1 … $13 ($1: its start, $13: the next year's).
fn bind_bounds<'q, R: super::db::Row>(
    mut q: super::db::QueryAs<'q, R>,
    bounds: &YearBounds,
) -> super::db::QueryAs<'q, R> {
    for start in bounds.starts {
        q = q.bind(start);
    }
    q
}

/// Filled: every open slot full, or, without slots, the mission's capacity reached.
const FILLED: &str = "CASE WHEN EXISTS (SELECT 1 FROM slot s WHERE s.mission_id = m.id \
    AND s.status = 'open') THEN (CASE WHEN NOT EXISTS (SELECT 1 FROM slot s WHERE \
    s.mission_id = m.id AND s.status = 'open' AND s.participant_count < s.capacity) THEN 1 \
    ELSE 0 END) WHEN m.capacity IS NOT NULL AND m.capacity > 0 AND m.participant_count >= \
    m.capacity THEN 1 ELSE 0 END";

/// Accepted participations of local missions' open slots starting from $1 and before `end`.
fn taking_part(end: &str) -> String {
    format!(
        "FROM participation p JOIN slot s ON s.id = p.slot_id \
         JOIN mission m ON m.id = s.mission_id WHERE m.local AND m.deleted_at IS NULL \
         AND p.status = 'accepted' AND s.status = 'open' AND s.start_time >= $1 \
         AND s.start_time < {end}"
    )
}

/// Who a participation is, without saying it: an account, a remote actor or a guest.
const WHO: &str = "COALESCE(CAST(p.user_id AS TEXT), p.actor_ap_id, p.guest_contact, \
    p.guest_name, CAST(p.id AS TEXT))";

type PlaceRow = (String, String, bool);

fn place((postal_code, locality, online): PlaceRow) -> MissionPlace {
    MissionPlace {
        postal_code,
        locality,
        online,
    }
}

impl SqlStore {
    async fn mission_counts(&self, b: &YearBounds) -> Result<Vec<MissionCount>> {
        let sql = format!(
            "SELECT month, postal_code, locality, online, COUNT(*), \
             CAST(SUM(filled) AS BIGINT) FROM (SELECT {} AS month, m.postal_code, m.locality, \
             m.online, {FILLED} AS filled FROM mission m WHERE m.local AND m.deleted_at IS NULL \
             AND m.status <> 'draft' AND m.published >= $1 AND m.published < $13) AS counted \
             GROUP BY month, postal_code, locality, online",
            month_of("m.published")
        );
        let q = query_as::<(i32, String, String, bool, i64, i64)>(&sql);
        Ok(bind_bounds(q, b)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(month, pc, loc, online, published, filled)| MissionCount {
                month,
                place: place((pc, loc, online)),
                published,
                filled,
            })
            .collect())
    }

    async fn volunteer_counts(&self, b: &YearBounds) -> Result<(Vec<VolunteerCount>, i64)> {
        let monthly = format!(
            "SELECT month, postal_code, locality, online, COUNT(DISTINCT who) FROM (SELECT {} \
             AS month, m.postal_code, m.locality, m.online, {WHO} AS who {}) AS p \
             GROUP BY month, postal_code, locality, online",
            month_of("s.start_time"),
            taking_part("$13")
        );
        let q = query_as::<(i32, String, String, bool, i64)>(&monthly);
        let mut rows = bind_bounds(q, b).fetch_all(&self.pool).await?;
        // The year: each person once per place, and once in all.
        let yearly = format!(
            "SELECT 0, m.postal_code, m.locality, m.online, COUNT(DISTINCT {WHO}) {} \
             GROUP BY m.postal_code, m.locality, m.online",
            taking_part("$2")
        );
        rows.extend(
            query_as::<(i32, String, String, bool, i64)>(&yearly)
                .bind(b.starts[0])
                .bind(b.starts[12])
                .fetch_all(&self.pool)
                .await?,
        );
        let total = format!("SELECT COUNT(DISTINCT {WHO}) {}", taking_part("$2"));
        let (total,) = query_as::<(i64,)>(&total)
            .bind(b.starts[0])
            .bind(b.starts[12])
            .fetch_one(&self.pool)
            .await?;
        let counts = rows
            .into_iter()
            .map(|(month, pc, loc, online, volunteers)| VolunteerCount {
                month,
                place: place((pc, loc, online)),
                volunteers,
            })
            .collect();
        Ok((counts, total))
    }

    async fn loan_counts(&self, b: &YearBounds) -> Result<Vec<LoanCount>> {
        let sql = format!(
            "SELECT month, place, replacement_value, COUNT(*), CAST(SUM(quantity) AS BIGINT) \
             FROM (SELECT {} AS month, res.place, res.replacement_value, r.quantity \
             FROM reservation r JOIN resource res ON res.id = r.resource_id \
             JOIN actor a ON a.id = res.actor_id WHERE a.local \
             AND r.state IN ('accepted', 'picked_up', 'returned') \
             AND r.borrower_actor_id IS NOT NULL AND r.borrower_actor_id <> res.actor_id \
             AND r.start_time >= $1 AND r.start_time < $13) AS lent \
             GROUP BY month, place, replacement_value",
            month_of("r.start_time")
        );
        let q = query_as::<(i32, String, Option<String>, i64, i64)>(&sql);
        Ok(bind_bounds(q, b)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(
                |(month, place, replacement_value, loans, quantity)| LoanCount {
                    month,
                    place,
                    replacement_value,
                    loans,
                    quantity,
                },
            )
            .collect())
    }

    async fn minute_sums(&self, b: &YearBounds) -> Result<Vec<MinutesSum>> {
        // Entries carry dates (`YYYY-MM-DD`), counted in the month of their first day.
        type SumRow = (
            i32,
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<bool>,
            i64,
        );
        let rows = query_as::<SumRow>(
            "SELECT CAST(substr(e.start_date, 6, 2) AS INTEGER) AS month, e.actor_id, \
             e.category, m.postal_code, m.locality, m.online, CAST(SUM(e.minutes) AS BIGINT) \
             FROM hours_entry e JOIN actor a ON a.id = e.actor_id \
             LEFT JOIN mission m ON m.id = e.mission_id \
             WHERE a.local AND e.status = 'validated' AND e.start_date >= $1 \
             AND e.start_date < $2 \
             GROUP BY CAST(substr(e.start_date, 6, 2) AS INTEGER), e.actor_id, e.category, \
             m.postal_code, m.locality, m.online",
        )
        .bind(format!("{:04}-01-01", b.year))
        .bind(format!("{:04}-01-01", b.year + 1))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(month, actor_id, category, pc, loc, online, minutes)| {
                let place = match (pc, loc, online) {
                    (Some(pc), Some(loc), Some(online)) => Some(place((pc, loc, online))),
                    _ => None,
                };
                MinutesSum {
                    month,
                    actor_id,
                    category,
                    place,
                    minutes,
                }
            })
            .collect())
    }

    async fn local_hours_settings(&self) -> Result<Vec<(i64, HoursSettings)>> {
        let rows = query_as::<(i64, bool, String, String, String)>(
            "SELECT h.actor_id, h.moderation, h.hourly_rate, h.category_rates, h.mileage_rate \
             FROM hours_settings h JOIN actor a ON a.id = h.actor_id WHERE a.local",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, m, h, c, k)| Ok((id, settings_from_row(id, (m, h, c, k))?)))
            .collect()
    }
}

#[async_trait]
impl StatisticsStore for SqlStore {
    async fn node_counts(&self, bounds: &YearBounds) -> Result<NodeCounts> {
        let (volunteers, volunteers_total) = self.volunteer_counts(bounds).await?;
        let minutes = self.minute_sums(bounds).await?;
        let mut settings = self.local_hours_settings().await?;
        settings.retain(|(id, _)| minutes.iter().any(|m| m.actor_id == *id));
        Ok(NodeCounts {
            missions: self.mission_counts(bounds).await?,
            volunteers,
            volunteers_total,
            loans: self.loan_counts(bounds).await?,
            minutes,
            settings,
        })
    }

    async fn save_source_figures(
        &self,
        source_id: i64,
        year: i64,
        body: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        query(
            "INSERT INTO territory_statistics (source_id, year, published, body, fetched_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source_id, year) DO UPDATE SET \
             published = excluded.published, body = excluded.body, \
             fetched_at = excluded.fetched_at",
        )
        .bind(source_id)
        .bind(year)
        .bind(body.is_some())
        .bind(body.unwrap_or_default())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn list_source_figures(&self, year: i64) -> Result<Vec<StoredFigures>> {
        Ok(query_as::<(i64, i64, bool, String, DateTime<Utc>)>(
            "SELECT source_id, year, published, body, fetched_at FROM territory_statistics \
             WHERE year = $1 ORDER BY source_id",
        )
        .bind(year)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(
            |(source_id, year, published, body, fetched_at)| StoredFigures {
                source_id,
                year,
                body: published.then_some(body),
                fetched_at,
            },
        )
        .collect())
    }
}
