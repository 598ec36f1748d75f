//! The territory's dashboard (issue 15): a node's yearly counts when it publishes them
//! (`GET /api/v1/statistics`), and an aggregator's sums over the nodes of its territory
//! (`GET /api/v1/territory`). Public, counts only.

use super::ErrorBody;
use crate::{
    domain::territory::{CommuneRef, Figures, Summary, YearFigures, YEARS},
    http::{
        error::{ApiError, ApiResult},
        params::Query,
    },
    service::statistics::{self, Named},
    state::AppState,
};
use axum::{extract::State, http::StatusCode, routing::get, Json, Router};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/statistics", get(node))
        .route("/api/v1/territory", get(territory))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year (2000 to 2100); this year by default.
    year: Option<i32>,
    /// Only this commune (its INSEE code, `29019`); `/api/v1/territory` only.
    commune: Option<String>,
}

/// One month in one commune of a node.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthRow {
    /// 1 (January) to 12.
    month: u32,
    /// The commune's INSEE code; empty: online, remote, or a place not found.
    insee: String,
    commune: String,
    #[serde(flatten)]
    figures: FiguresJson,
}

/// What is counted (see `docs/territory.md`).
#[derive(Debug, Serialize, ToSchema)]
pub struct FiguresJson {
    /// Local missions published (not drafts, not deleted), by publication month.
    missions_published: i64,
    /// Of those, filled: every open slot full, or the mission's capacity reached.
    missions_filled: i64,
    /// Distinct volunteers with an accepted participation in a slot starting then.
    volunteers: i64,
    /// Accepted loans of local equipment to another organisation, by start month.
    loans: i64,
    /// Their replacement value (value × quantity), euros, as a decimal text.
    loan_value: String,
    /// Validated volunteer minutes, by the month of their first day.
    minutes: i64,
    /// Their value at each association's hourly rates, euros, as a decimal text.
    hours_value: String,
}

impl From<&Figures> for FiguresJson {
    fn from(f: &Figures) -> Self {
        FiguresJson {
            missions_published: f.missions_published,
            missions_filled: f.missions_filled,
            volunteers: f.volunteers,
            loans: f.loans,
            loan_value: f.loan_value.to_string(),
            minutes: f.minutes,
            hours_value: f.hours_value.to_string(),
        }
    }
}

/// Distinct volunteers of the year in one commune.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommuneVolunteers {
    insee: String,
    commune: String,
    volunteers: i64,
}

/// A node's figures for a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct NodeStatistics {
    year: i32,
    /// One row per month and commune with something counted.
    months: Vec<MonthRow>,
    /// Each person once over the year, per commune.
    volunteers_by_commune: Vec<CommuneVolunteers>,
    /// Each person once over the year.
    volunteers_total: i64,
}

impl From<YearFigures> for NodeStatistics {
    fn from(y: YearFigures) -> Self {
        NodeStatistics {
            year: y.year,
            months: y
                .rows
                .iter()
                .map(|r| MonthRow {
                    month: r.month,
                    insee: r.commune.insee.clone(),
                    commune: r.commune.name.clone(),
                    figures: (&r.figures).into(),
                })
                .collect(),
            volunteers_by_commune: y
                .volunteers_by_commune
                .into_iter()
                .map(|(c, volunteers)| CommuneVolunteers {
                    insee: c.insee,
                    commune: c.name,
                    volunteers,
                })
                .collect(),
            volunteers_total: y.volunteers_total,
        }
    }
}

fn year_of(state: &AppState, asked: Option<i32>) -> Result<i32, ApiError> {
    let year = asked.unwrap_or_else(|| state.clock.today(state.config.timezone()).year());
    if !YEARS.contains(&year) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_year",
            format!("year must be {} to {}", YEARS.start(), YEARS.end()),
        ));
    }
    Ok(year)
}

#[utoipa::path(get, path = "/api/v1/statistics", tag = "territory",
    operation_id = "node_statistics",
    summary = "This node's yearly counts per month and commune, when it publishes them",
    params(YearQuery),
    responses(
        (status = 200, description = "the year's figures (counts only)", body = NodeStatistics),
        (status = 400, description = "a year outside 2000 to 2100", body = ErrorBody),
        (status = 404, description = "this node does not publish its statistics", body = ErrorBody)))]
pub(crate) async fn node(
    State(state): State<AppState>,
    Query(q): Query<YearQuery>,
) -> ApiResult<Json<NodeStatistics>> {
    let year = year_of(&state, q.year)?;
    match statistics::of_node(state.store.as_ref(), &state.config, year).await? {
        Some(figures) => Ok(Json(figures.into())),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_published",
            "this node does not publish its statistics ([statistics] publish = false)",
        )),
    }
}

/// One commune's line of the territory.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommuneLine {
    insee: String,
    commune: String,
    /// `volunteers`: each node's distinct volunteers of the year there, summed.
    #[serde(flatten)]
    figures: FiguresJson,
}

/// A node whose figures the territory counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceNamed {
    host: String,
    /// `published`, `not_published` (it answered so) or `not_fetched` (not yet).
    state: String,
    fetched_at: Option<DateTime<Utc>>,
}

impl From<Named> for SourceNamed {
    fn from(n: Named) -> Self {
        let state = match (n.publishes, n.fetched_at) {
            (false, _) => "not_published",
            (true, None) => "not_fetched",
            (true, Some(_)) => "published",
        };
        SourceNamed {
            host: n.host,
            state: state.into(),
            fetched_at: n.fetched_at,
        }
    }
}

/// The territory's sums for a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct TerritoryJson {
    year: i32,
    /// The commune asked, if any.
    commune: Option<String>,
    /// The whole year (`volunteers`: each node's distinct volunteers, summed).
    total: FiguresJson,
    /// Twelve entries, January first (`volunteers`: per node and month, summed).
    months: Vec<FiguresJson>,
    /// Most volunteer hours first; the bucket without commune (`insee` empty) last.
    communes: Vec<CommuneLine>,
    /// The nodes counted, and those that do not publish.
    sources: Vec<SourceNamed>,
}

fn commune_line(c: &CommuneRef, f: &Figures) -> CommuneLine {
    CommuneLine {
        insee: c.insee.clone(),
        commune: c.name.clone(),
        figures: f.into(),
    }
}

#[utoipa::path(get, path = "/api/v1/territory", tag = "territory",
    operation_id = "territory",
    summary = "The territory's sums for a year, per month and per commune, with the nodes counted",
    params(YearQuery),
    responses(
        (status = 200, description = "the sums and their sources", body = TerritoryJson),
        (status = 400, description = "a year outside 2000 to 2100", body = ErrorBody),
        (status = 404, description = "this node is not an aggregator", body = ErrorBody)))]
pub(crate) async fn territory(
    State(state): State<AppState>,
    Query(q): Query<YearQuery>,
) -> ApiResult<Json<TerritoryJson>> {
    if !state.config.aggregator.enabled {
        return Err(ApiError::not_found("territory"));
    }
    let year = year_of(&state, q.year)?;
    let commune = q.commune.filter(|c| !c.trim().is_empty());
    let view = statistics::territory(
        state.store.as_ref(),
        &state.config,
        year,
        commune.as_deref(),
        state.clock.now(),
    )
    .await?;
    let Summary {
        total,
        by_month,
        by_commune,
        ..
    } = &view.summary;
    Ok(Json(TerritoryJson {
        year,
        commune,
        total: total.into(),
        months: by_month.iter().map(FiguresJson::from).collect(),
        communes: by_commune
            .iter()
            .map(|l| commune_line(&l.commune, &l.figures))
            .collect(),
        sources: view.sources.into_iter().map(SourceNamed::from).collect(),
    }))
}
