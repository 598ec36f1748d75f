//! Missions: create, list, read, update, delete; and the missions known from other nodes.

use super::{
    cursor,
    schema::{self, ErrorBody},
    ApiJson,
};
use crate::http::params::{Path, Query};
use crate::{
    domain::{
        actor::Actor,
        mission::{Mission, MissionInput, MissionStatus},
    },
    http::{
        auth::{Caller, MaybeApiUser},
        error::{ApiError, ApiResult},
    },
    service::{
        accounts, actors,
        kept::{json_bytes, Weighed},
        missions::{self, MissionQuery},
        moderation::{self, Origin},
    },
    state::AppState,
};
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/associations", get(list_associations))
        .route(
            "/api/v1/associations/{name}",
            get(get_association).patch(super::associations::update_association),
        )
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

/// An association as the API shows it (without its follower count).
pub fn association_view(a: &Actor) -> schema::Association {
    schema::Association {
        name: a.name.clone(),
        handle: a.handle(),
        display_name: a.label().to_string(),
        summary: a.summary.clone(),
        ap_id: a.ap_id.clone(),
        local: a.local,
        url: a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
        followers_count: None,
    }
}

/// A mission as the API shows it.
pub fn mission_view(state: &AppState, m: &Mission, owner: &Actor) -> schema::Mission {
    let tz = state.config.timezone();
    schema::Mission {
        id: m.id,
        ap_id: m.ap_id.clone(),
        url: m.url.clone(),
        local: m.local,
        association: association_view(owner),
        title: m.title.clone(),
        description: m.description.clone(),
        content_html: m.content_html.clone(),
        summary: if m.local {
            crate::i18n::mission_summary(
                crate::i18n::Lang::or_reference(&state.config.instance.default_language),
                m,
                tz,
            )
        } else {
            m.remote_summary.clone()
        },
        category: m.category.clone(),
        skills: m.skills.clone(),
        place: m.place.clone(),
        online: m.online,
        start_time: m.start_time,
        end_time: m.end_time,
        capacity: m.capacity,
        participant_count: m.participant_count,
        remaining: m.remaining(),
        join_mode: m.join_mode,
        status: m.effective_status(None, state.clock.now()),
        regular: m.regular,
        commitment_minutes: m.commitment_minutes,
        commitment_period: m.commitment_period.clone(),
        reduced_mobility: m.reduced_mobility,
        open_to_minors: m.open_to_minors,
        contact: m.contact.clone(),
        published: m.published,
        updated: m.updated,
    }
}

/// A mission as the API shows it, with its association read from the store.
async fn owned_view(state: &AppState, m: &Mission) -> ApiResult<schema::Mission> {
    let owner = actors::get(state.store.as_ref(), m.actor_id).await?;
    Ok(mission_view(state, m, &owner))
}

/// The mission, or 410 when it was deleted.
pub(super) fn not_deleted(m: Mission) -> ApiResult<Mission> {
    match m.deleted_at {
        Some(_) => Err(ApiError::new(
            StatusCode::GONE,
            "gone",
            "this mission was deleted",
        )),
        None => Ok(m),
    }
}

async fn views(state: &AppState, missions: Vec<Mission>) -> ApiResult<Vec<schema::Mission>> {
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

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// `local`, `remote` or `all` (default).
    origin: Option<String>,
    /// Include missions that are over.
    past: Option<bool>,
    /// How many at most (100 unless said, 500 at most).
    limit: Option<i64>,
    /// Skip this many (kept for existing scripts; `cursor` stays cheap at any depth).
    offset: Option<i64>,
    /// Start after the last mission of a page: its `next`, passed back as it is.
    cursor: Option<String>,
}

impl ListQuery {
    fn to_query(&self, now: DateTime<Utc>) -> ApiResult<MissionQuery> {
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
        let after = match (&self.cursor, self.offset) {
            (Some(_), Some(_)) => return Err(cursor::not_with_offset()),
            (Some(c), None) => Some(cursor::decode_time(c)?),
            (None, _) => None,
        };
        Ok(MissionQuery {
            local,
            upcoming_after: (!self.past.unwrap_or(false)).then_some(now),
            limit: self.limit.unwrap_or(100).clamp(1, 500),
            offset: self.offset.unwrap_or(0).max(0),
            after,
            ..Default::default()
        })
    }
}

/// A page of missions with the cursor of the next one.
async fn page(
    state: &AppState,
    list: Vec<Mission>,
    limit: i64,
) -> ApiResult<Json<schema::MissionList>> {
    let next = cursor::next(&list, limit, |m| cursor::encode_time(m.start_time, m.id));
    Ok(Json(schema::MissionList {
        missions: views(state, list).await?,
        next,
    }))
}

#[utoipa::path(get, path = "/api/v1/associations", tag = "associations",
    summary = "List the associations of this node",
    responses((status = 200, description = "associations", body = schema::AssociationList)))]
async fn list_associations(
    State(state): State<AppState>,
) -> ApiResult<Json<schema::AssociationList>> {
    let list = actors::local_associations(state.store.as_ref()).await?;
    Ok(Json(schema::AssociationList {
        associations: list.iter().map(association_view).collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/associations/{name}", tag = "associations",
    summary = "One association",
    params(("name" = String, Path, description = "the association's name")),
    responses(
        (status = 200, description = "the association", body = schema::Association),
        crate::http::api::schema::NoSuchAssociation))]
async fn get_association(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<schema::Association>> {
    let a = missions::association(state.store.as_ref(), &name).await?;
    let mut v = association_view(&a);
    v.followers_count = Some(actors::followers_count(state.store.as_ref(), a.id).await?);
    Ok(Json(v))
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/missions", tag = "missions",
    summary = "Upcoming missions of an association (its coordinators also see its drafts)",
    params(("name" = String, Path, description = "the association's name"), ListQuery),
    responses(
        (status = 200, description = "missions", body = schema::MissionList),
        (status = 400, description = "bad parameter", body = ErrorBody),
        crate::http::api::schema::BadOptionalToken,
        crate::http::api::schema::NoSuchAssociation))]
async fn list_association_missions(
    State(state): State<AppState>,
    MaybeApiUser(user): MaybeApiUser,
    Path(name): Path<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<schema::MissionList>> {
    let a = missions::association(state.store.as_ref(), &name).await?;
    let mut query = q.to_query(state.clock.now())?;
    query.actor_id = Some(a.id);
    // Coordinators also see their drafts.
    query.include_drafts = coordinates(&state, user.as_ref(), &a).await?;
    let limit = query.limit;
    let list = missions::list(state.store.as_ref(), query).await?;
    page(&state, list, limit).await
}

#[utoipa::path(get, path = "/api/v1/missions", tag = "missions",
    summary = "Upcoming missions, ours and from the nodes we follow",
    params(ListQuery),
    responses(
        (status = 200, description = "missions", body = schema::MissionList),
        (status = 400, description = "bad parameter", body = ErrorBody)))]
async fn list_missions(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Response> {
    let now = state.clock.now();
    let query = q.to_query(now)?;
    let key = ListKey {
        local: query.local,
        past: query.upcoming_after.is_none(),
        limit: query.limit,
        offset: query.offset,
        after: query.after,
    };
    let store = state.store.as_ref();
    let kept = (state.kept.api_missions)
        .get_or_read(store, now, key, || async {
            let limit = query.limit;
            let list = missions::list(store, query).await?;
            // The cursor comes from the page read, before silenced missions are left out.
            let next = cursor::next(&list, limit, |m| cursor::encode_time(m.start_time, m.id));
            // Time alone changes a mission's status when it ends, and the list of those not
            // yet over then.
            let until = (list.iter().map(|m| m.end_time))
                .filter(|end| *end >= now)
                .min();
            let owners = missions::owners(store, &list).await?;
            let missions: Vec<_> = (list.iter())
                .filter_map(|m| {
                    let view = mission_view(&state, m, owners.get(&m.actor_id)?);
                    Some((view, Origin::of(m)))
                })
                .collect();
            let weight = json_bytes(&missions);
            Ok((Weighed::of(KeptList { missions, next }, weight), until))
        })
        .await?;
    let page = schema::MissionListOf {
        missions: moderation::shown(&state.moderation, &kept.value.missions).collect(),
        next: kept.value.next.as_deref(),
    };
    Ok(Json(page).into_response())
}

/// Which page of `/api/v1/missions` (the time it is read at aside).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListKey {
    local: Option<bool>,
    past: bool,
    limit: i64,
    offset: i64,
    after: Option<(DateTime<Utc>, i64)>,
}

/// A page of `/api/v1/missions` as kept between requests (`service::kept`): each mission's
/// view with where it comes from (silences apply to each request).
pub struct KeptList {
    missions: Vec<(schema::Mission, Origin)>,
    next: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/associations/{name}/missions", tag = "missions",
    summary = "Publish a mission (coordinators)",
    params(("name" = String, Path, description = "the association's name")),
    request_body = MissionInput,
    responses(
        (status = 201, description = "the mission, announced to followers", body = schema::Mission),
        crate::http::api::schema::NotJson,
        crate::http::api::schema::NoToken,
        (status = 403, description = "not a coordinator of this association", body = ErrorBody),
        crate::http::api::schema::NoSuchAssociation,
        (status = 422, description = "invalid fields, one message per field", body = ErrorBody)),
    security(("bearer" = [])))]
async fn create_mission(
    me: Caller,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<MissionInput>,
) -> ApiResult<(StatusCode, Json<schema::Mission>)> {
    let m = missions::create(
        me.store(),
        &me.config,
        &me.places,
        &me.user,
        &name,
        input,
        me.now(),
    )
    .await?;
    me.queued();
    Ok((StatusCode::CREATED, Json(owned_view(&me, &m).await?)))
}

/// Whether this (maybe anonymous) user coordinates the association.
async fn coordinates(
    state: &AppState,
    user: Option<&crate::domain::account::User>,
    association: &Actor,
) -> ApiResult<bool> {
    Ok(match user {
        Some(u) => accounts::role_in(state.store.as_ref(), u, association)
            .await?
            .is_some_and(|r| r.can_manage_missions()),
        None => false,
    })
}

#[utoipa::path(get, path = "/api/v1/missions/{id}", tag = "missions",
    summary = "One mission",
    params(("id" = i64, Path, description = "the mission's id")),
    responses(
        (status = 200, description = "the mission", body = schema::Mission),
        crate::http::api::schema::BadOptionalToken,
        (status = 404, description = "no such mission", body = ErrorBody),
        (status = 410, description = "deleted", body = ErrorBody)))]
async fn get_mission(
    State(state): State<AppState>,
    MaybeApiUser(user): MaybeApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<schema::Mission>> {
    let m = not_deleted(missions::get(state.store.as_ref(), id).await?)?;
    let owner = actors::get(state.store.as_ref(), m.actor_id).await?;
    if m.status == MissionStatus::Draft && !coordinates(&state, user.as_ref(), &owner).await? {
        return Err(ApiError::not_found("mission"));
    }
    Ok(Json(mission_view(&state, &m, &owner)))
}

#[utoipa::path(patch, path = "/api/v1/missions/{id}", tag = "missions",
    summary = "Change a mission (coordinators); sends an Update",
    params(("id" = i64, Path, description = "the mission's id")),
    request_body = MissionInput,
    responses(
        (status = 200, description = "the mission", body = schema::Mission),
        crate::http::api::schema::NotJson,
        crate::http::api::schema::NoToken,
        (status = 403, description = "not allowed", body = ErrorBody),
        crate::http::api::schema::NoSuchLocalMission,
        (status = 422, description = "invalid fields", body = ErrorBody)),
    security(("bearer" = [])))]
async fn update_mission(
    me: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<MissionInput>,
) -> ApiResult<Json<schema::Mission>> {
    let m = missions::update(
        me.store(),
        &me.config,
        &me.places,
        &me.user,
        id,
        input,
        me.now(),
    )
    .await?;
    me.queued();
    Ok(Json(owned_view(&me, &m).await?))
}

#[utoipa::path(delete, path = "/api/v1/missions/{id}", tag = "missions",
    summary = "Delete a mission (coordinators); sends a Delete, then its URL answers 410",
    params(("id" = i64, Path, description = "the mission's id")),
    responses(
        (status = 204, description = "deleted"),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchLocalMission),
    security(("bearer" = [])))]
async fn delete_mission(me: Caller, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    missions::delete(me.store(), &me.user, id, me.now()).await?;
    me.queued();
    Ok(StatusCode::NO_CONTENT)
}
