//! Following remote actors from this node, as a user or as an association one manages;
//! and the delivery queue's state, for operators and tests.

use super::{
    schema::{self, ErrorBody},
    ApiJson,
};
use crate::{
    federation::{inbox::record_following, resolve::resolve_actor},
    http::{
        auth::ApiUser,
        error::{ApiError, ApiResult},
    },
    service::{accounts, actors, missions, queue},
    state::{AppState, Context},
};
use axum::{extract::State, http::StatusCode, routing::get, Json, Router};
use serde::Deserialize;
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/follows",
            get(list_follows).post(follow).delete(unfollow),
        )
        .route("/api/v1/admin/queue", get(queue))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct FollowInput {
    /// `@name@host`, an actor URL, or a server URL (its relay).
    target: String,
    /// Follow as this association (one you coordinate) instead of as yourself.
    association: Option<String>,
}

async fn follower_actor(
    state: &AppState,
    user: &crate::domain::account::User,
    association: Option<&str>,
) -> ApiResult<crate::domain::actor::Actor> {
    let store = state.store.as_ref();
    match association {
        None => Ok(actors::person(store, &user.name).await?),
        Some(name) => {
            let a = missions::association(store, name).await?;
            match accounts::role_in(store, user, &a).await? {
                Some(r) if r.can_manage_missions() => Ok(a),
                _ => Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "only coordinators may follow on behalf of an association",
                )),
            }
        }
    }
}

#[utoipa::path(post, path = "/api/v1/follows", tag = "follows",
    summary = "Follow a remote association, person or node",
    request_body = FollowInput,
    responses(
        (status = 202, description = "Follow sent", body = schema::FollowDone),
        (status = 200, description = "already following", body = schema::FollowDone),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not a coordinator of the association", body = ErrorBody),
        crate::http::api::schema::NoSuchAssociation,
        (status = 422, description = "cannot resolve the target", body = ErrorBody),
        (status = 502, description = "the remote server failed", body = ErrorBody)),
    security(("bearer" = [])))]
async fn follow(
    ctx: Context,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<FollowInput>,
) -> ApiResult<(StatusCode, Json<schema::FollowDone>)> {
    let state = ctx.app_data().clone();
    let local = follower_actor(&state, &user, input.association.as_deref()).await?;
    let target = resolve_actor(&ctx, &input.target).await?;
    if target.actor.local {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "local_actor",
            "this actor is on this server already",
        ));
    }
    let created = record_following(&ctx, local.id, &target).await?;
    state.wake.notify_waiters();
    let status = if created {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(schema::FollowDone {
            follower: local.ap_id,
            handle: target.actor.handle(),
            target: target.actor.ap_id,
            new: created,
        }),
    ))
}

/// Stops following: the follow is removed here and an `Undo{Follow}` is sent.
#[utoipa::path(delete, path = "/api/v1/follows", tag = "follows",
    summary = "Stop following (sends Undo{Follow})",
    request_body = FollowInput,
    responses(
        (status = 200, description = "follow removed", body = schema::FollowRemoved),
        crate::http::api::schema::NoToken,
        (status = 404, description = "not following this target", body = ErrorBody),
        (status = 422, description = "cannot resolve the target", body = ErrorBody)),
    security(("bearer" = [])))]
async fn unfollow(
    ctx: Context,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<FollowInput>,
) -> ApiResult<Json<schema::FollowRemoved>> {
    let state = ctx.app_data().clone();
    let local = follower_actor(&state, &user, input.association.as_deref()).await?;
    let follows = actors::following(state.store.as_ref(), local.id).await?;
    // The target as stored (an actor id), or resolved from a handle or a server URL.
    let existing = match follows
        .iter()
        .find(|f| f.target_ap_id == input.target.trim())
    {
        Some(f) => f.clone(),
        None => {
            let target = resolve_actor(&ctx, &input.target).await?;
            follows
                .into_iter()
                .find(|f| f.target_ap_id == target.actor.ap_id)
                .ok_or_else(|| ApiError::not_found("follow"))?
        }
    };
    let removed =
        actors::unfollow(state.store.as_ref(), &local, &existing, state.clock.now()).await?;
    state.wake.notify_waiters();
    Ok(Json(schema::FollowRemoved {
        follower: local.ap_id,
        target: existing.target_ap_id,
        removed,
    }))
}

#[utoipa::path(get, path = "/api/v1/follows", tag = "follows",
    summary = "Whom I follow",
    responses(
        (status = 200, description = "follows", body = schema::FollowList),
        crate::http::api::schema::NoToken),
    security(("bearer" = [])))]
async fn list_follows(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<schema::FollowList>> {
    let me = follower_actor(&state, &user, None).await?;
    let list = actors::following(state.store.as_ref(), me.id).await?;
    Ok(Json(schema::FollowList { follows: list }))
}

#[utoipa::path(get, path = "/api/v1/admin/queue", tag = "admin",
    summary = "Delivery queue counts (administrators)",
    responses(
        (status = 200, description = "counts", body = queue::QueueStats),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator),
    security(("bearer" = [])))]
async fn queue(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<queue::QueueStats>> {
    if !user.is_admin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only the node's administrators see the queue",
        ));
    }
    Ok(Json(queue::stats(state.store.as_ref()).await?))
}
