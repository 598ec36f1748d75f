//! The territory's dashboard (issue 15): a node's yearly counts when it publishes them
//! (`[statistics] publish`), and, on an aggregator, the territory's sums over its sources'
//! figures and its own. Places become communes here, through the gazetteer.

use super::Result;
use crate::{
    config::Config,
    domain::{
        aggregator::SourceKind,
        hours::HoursSettings,
        territory::{self, Builder, CommuneRef, Summary, YearBounds, YearFigures},
    },
    places::{Commune, Gazetteer, Kind},
    storage::{MissionPlace, NodeCounts, SourceStore, StatisticsStore},
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::{collections::HashMap, str::FromStr};

/// The commune of a text (`"29200 Brest"`, `"Plouzané"`), a former commune counted in the
/// commune it belongs to now; the unknown bucket when the gazetteer does not know it.
fn commune_of(gazetteer: &Gazetteer, text: &str, prefer: &[String]) -> CommuneRef {
    let found: Option<&Commune> = gazetteer.resolve(text, prefer).best;
    let found = match found {
        Some(c) if c.kind == Kind::Former => gazetteer.by_insee(c.parent).or(Some(c)),
        other => other,
    };
    found.map_or_else(CommuneRef::unknown, |c| CommuneRef {
        insee: c.insee.to_string(),
        name: c.name.to_string(),
    })
}

/// Communes of places, each place looked up once.
struct Places<'a> {
    gazetteer: &'a Gazetteer,
    prefer: &'a [String],
    known: HashMap<String, CommuneRef>,
}

impl Places<'_> {
    fn of_text(&mut self, text: &str) -> CommuneRef {
        if text.trim().is_empty() {
            return CommuneRef::unknown();
        }
        if let Some(c) = self.known.get(text) {
            return c.clone();
        }
        let c = commune_of(self.gazetteer, text, self.prefer);
        self.known.insert(text.to_string(), c.clone());
        c
    }

    fn of_mission(&mut self, place: Option<&MissionPlace>) -> CommuneRef {
        match place {
            Some(p) if !p.online => self.of_text(&format!("{} {}", p.postal_code, p.locality)),
            _ => CommuneRef::unknown(),
        }
    }
}

/// Turns the store's grouped counts into the year's figures: places become communes, loans
/// are valued at their replacement value, minutes at each association's rate for their
/// category (time only).
pub fn figures_of(counts: &NodeCounts, year: i32, prefer: &[String]) -> YearFigures {
    let mut places = Places {
        gazetteer: Gazetteer::france(),
        prefer,
        known: HashMap::new(),
    };
    let mut b = Builder::default();
    for m in &counts.missions {
        let commune = places.of_mission(Some(&m.place));
        if let Some(f) = b.at(m.month, commune) {
            f.missions_published += m.published;
            f.missions_filled += m.filled;
        }
    }
    for v in &counts.volunteers {
        let commune = places.of_mission(Some(&v.place));
        if v.month == 0 {
            b.volunteers(commune, v.volunteers);
        } else if let Some(f) = b.at(v.month, commune) {
            f.volunteers += v.volunteers;
        }
    }
    for l in &counts.loans {
        let commune = places.of_text(&l.place);
        let unit = l
            .replacement_value
            .as_deref()
            .and_then(|v| Decimal::from_str(v).ok())
            .unwrap_or_default();
        if let Some(f) = b.at(l.month, commune) {
            f.loans += l.loans;
            f.loan_value += unit * Decimal::from(l.quantity);
        }
    }
    let default = HoursSettings::default();
    for m in &counts.minutes {
        let settings = counts
            .settings
            .iter()
            .find(|(id, _)| *id == m.actor_id)
            .map_or(&default, |(_, s)| s);
        let exact = Decimal::from(m.minutes) * settings.rate_for(&m.category);
        let commune = places.of_mission(m.place.as_ref());
        if let Some(f) = b.at(m.month, commune) {
            f.minutes += m.minutes;
            f.hours_value += exact / Decimal::from(60);
        }
    }
    let mut figures = b.build(year, counts.volunteers_total);
    for r in &mut figures.rows {
        r.figures.hours_value = crate::domain::hours::cents(r.figures.hours_value);
        r.figures.loan_value = crate::domain::hours::cents(r.figures.loan_value);
    }
    figures
}

/// This node's figures for a year, or `None` when it does not publish them. `Err` only from
/// the store; a year outside [`territory::YEARS`] is `Ok(None)` too.
pub async fn of_node<S: StatisticsStore + ?Sized>(
    store: &S,
    config: &Config,
    year: i32,
) -> Result<Option<YearFigures>> {
    if !config.statistics.publish {
        return Ok(None);
    }
    let Some(bounds) = YearBounds::new(year, config.timezone()) else {
        return Ok(None);
    };
    let counts = store.node_counts(&bounds).await?;
    Ok(Some(figures_of(&counts, year, &config.places.departements)))
}

/// This node's host (and port, when one is given), as sources' hosts are written.
fn own_host(config: &Config) -> String {
    let url = &config.server.public_url;
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// A node whose figures the territory counts (or would).
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub host: String,
    /// When its figures were fetched (`now` for this node's own); `None`: not yet.
    pub fetched_at: Option<DateTime<Utc>>,
    /// It answered that it does not publish.
    pub publishes: bool,
}

/// The territory for a year: the sums, and each Entraide source named.
#[derive(Debug, Clone, PartialEq)]
pub struct TerritoryView {
    pub summary: Summary,
    pub sources: Vec<Named>,
}

/// The territory's sums for a year (one commune when `commune` is an INSEE code), from the
/// figures kept of each Entraide source and this node's own when it publishes.
pub async fn territory<S>(
    store: &S,
    config: &Config,
    year: i32,
    commune: Option<&str>,
    now: DateTime<Utc>,
) -> Result<TerritoryView>
where
    S: StatisticsStore + SourceStore + ?Sized,
{
    let mut figures = Vec::new();
    let mut sources = Vec::new();
    if let Some(own) = of_node(store, config, year).await? {
        figures.push(own);
        sources.push(Named {
            host: own_host(config),
            fetched_at: Some(now),
            publishes: true,
        });
    }
    let kept = store.list_source_figures(i64::from(year)).await?;
    for source in store.list_sources().await? {
        if source.kind != SourceKind::Entraide {
            continue;
        }
        let stored = kept.iter().find(|k| k.source_id == source.id);
        let parsed = stored
            .and_then(|k| k.body.as_deref())
            .and_then(|body| serde_json::from_str::<YearFigures>(body).ok());
        sources.push(Named {
            host: source.host.clone(),
            fetched_at: stored.map(|k| k.fetched_at),
            publishes: stored.is_none_or(|k| k.body.is_some()),
        });
        figures.extend(parsed);
    }
    let only = commune.map(str::trim).filter(|c| !c.is_empty());
    Ok(TerritoryView {
        summary: territory::summarize(year, &figures, only),
        sources,
    })
}
