//! Missions: create, list, read, update, delete; and the missions known from other nodes.

use super::ApiJson;
use crate::{
    domain::{
        actor::Actor,
        mission::{summary_line, Mission, MissionInput, MissionStatus},
    },
    http::{
        auth::{ApiUser, MaybeApiUser},
        error::{ApiError, ApiResult},
    },
    service::missions,
    state::AppState,
    storage::MissionQuery,
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    routing::get,
    Json, Router,
};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/associations", get(list_associations))
        .route("/api/v1/associations/{name}", get(get_association))
        .route(
            "/api/v1/associations/{name}/missions",
            get(list_association_missions).post(create_mission),
        )
        .route("/api/v1/missions", get(list_missions))
        .route(
            "/api/v1/missions/{id}",
            get(get_mission)
                .patch(update_mission)
                .delete(delete_mission),
        )
}

pub fn association_view(a: &Actor) -> Value {
    json!({
        "name": a.name, "handle": a.handle(), "display_name": a.label(), "summary": a.summary,
        "ap_id": a.ap_id, "local": a.local, "url": a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
    })
}

/// A mission as the API shows it.
pub fn mission_view(state: &AppState, m: &Mission, owner: &Actor) -> Value {
    let tz = state.config.timezone();
    json!({
        "id": m.id,
        "ap_id": m.ap_id,
        "url": m.url,
        "local": m.local,
        "association": association_view(owner),
        "title": m.title,
        "description": m.description,
        "content_html": m.content_html,
        "summary": if m.local { summary_line(m, tz, &state.config.instance.default_language) } else { m.remote_summary.clone() },
        "category": m.category,
        "skills": m.skills,
        "place": m.place,
        "online": m.online,
        "start_time": m.start_time,
        "end_time": m.end_time,
        "capacity": m.capacity,
        "participant_count": m.participant_count,
        "remaining": m.remaining(),
        "join_mode": m.join_mode,
        "status": m.effective_status(None, chrono::Utc::now()),
        "regular": m.regular,
        "commitment_minutes": m.commitment_minutes,
        "commitment_period": m.commitment_period,
        "reduced_mobility": m.reduced_mobility,
        "open_to_minors": m.open_to_minors,
        "contact": m.contact,
        "published": m.published,
        "updated": m.updated,
    })
}

async fn views(state: &AppState, missions: Vec<Mission>) -> ApiResult<Vec<Value>> {
    let owners = missions::owners(state.store.as_ref(), &missions).await?;
    Ok(missions
        .iter()
        .filter_map(|m| {
            owners
                .get(&m.actor_id)
                .map(|owner| mission_view(state, m, owner))
        })
        .collect())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// `local`, `remote` or `all` (default).
    origin: Option<String>,
    /// Include missions that are over.
    past: Option<bool>,
    limit: Option<i64>,
    offset: Option<i64>,
}

impl ListQuery {
    fn to_query(&self) -> ApiResult<MissionQuery> {
        let local = match self.origin.as_deref() {
            None | Some("all") => None,
            Some("local") => Some(true),
            Some("remote") => Some(false),
            Some(other) => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    format!("origin must be local, remote or all, not {other}"),
                ))
            }
        };
        Ok(MissionQuery {
            local,
            upcoming_after: (!self.past.unwrap_or(false)).then(Utc::now),
            limit: self.limit.unwrap_or(100).clamp(1, 500),
            offset: self.offset.unwrap_or(0).max(0),
            ..Default::default()
        })
    }
}

async fn list_associations(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let list = state.store.list_local_actors("Group").await?;
    Ok(Json(
        json!({"associations": list.iter().map(association_view).collect::<Vec<_>>()}),
    ))
}

async fn get_association(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    let a = missions::association(state.store.as_ref(), &name).await?;
    let mut v = association_view(&a);
    v["followers_count"] = json!(state.store.count_followers(a.id).await?);
    Ok(Json(v))
}

async fn list_association_missions(
    State(state): State<AppState>,
    MaybeApiUser(user): MaybeApiUser,
    Path(name): Path<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let a = missions::association(state.store.as_ref(), &name).await?;
    let mut query = q.to_query()?;
    query.actor_id = Some(a.id);
    // Coordinators also see their drafts.
    query.include_drafts = coordinates(&state, user.as_ref(), &a).await?;
    let list = state.store.list_missions(query).await?;
    Ok(Json(json!({"missions": views(&state, list).await?})))
}

async fn list_missions(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let list = state.store.list_missions(q.to_query()?).await?;
    Ok(Json(json!({"missions": views(&state, list).await?})))
}

async fn create_mission(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<MissionInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let m = missions::create(state.store.as_ref(), &state.config, &user, &name, input).await?;
    state.wake.notify_waiters();
    let owner = state.store.get_actor(m.actor_id).await?;
    Ok((StatusCode::CREATED, Json(mission_view(&state, &m, &owner))))
}

/// Whether this (maybe anonymous) user coordinates the association.
async fn coordinates(
    state: &AppState,
    user: Option<&crate::domain::account::User>,
    association: &Actor,
) -> ApiResult<bool> {
    Ok(match user {
        Some(u) => crate::service::accounts::role_in(state.store.as_ref(), u, association)
            .await?
            .is_some_and(|r| r.can_manage_missions()),
        None => false,
    })
}

async fn get_mission(
    State(state): State<AppState>,
    MaybeApiUser(user): MaybeApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let m = state.store.get_mission(id).await?;
    if m.deleted_at.is_some() {
        return Err(ApiError::new(
            StatusCode::GONE,
            "gone",
            "this mission was deleted",
        ));
    }
    let owner = state.store.get_actor(m.actor_id).await?;
    if m.status == MissionStatus::Draft && !coordinates(&state, user.as_ref(), &owner).await? {
        return Err(ApiError::not_found("mission"));
    }
    Ok(Json(mission_view(&state, &m, &owner)))
}

async fn update_mission(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<MissionInput>,
) -> ApiResult<Json<Value>> {
    let m = missions::update(state.store.as_ref(), &state.config, &user, id, input).await?;
    state.wake.notify_waiters();
    let owner = state.store.get_actor(m.actor_id).await?;
    Ok(Json(mission_view(&state, &m, &owner)))
}

async fn delete_mission(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    missions::delete(state.store.as_ref(), &user, id).await?;
    state.wake.notify_waiters();
    Ok(StatusCode::NO_CONTENT)
}
