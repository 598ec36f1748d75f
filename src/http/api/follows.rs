//! Following remote actors from this node, as a user or as an association one manages;
//! and the delivery queue's state, for operators and tests.

use super::ApiJson;
use crate::{
    domain::{actor::ActorKind, events::Outgoing},
    federation::{inbox::record_following, resolve::resolve_actor},
    http::{
        auth::ApiUser,
        error::{ApiError, ApiResult},
    },
    service::accounts::role_in,
    state::{AppState, Context},
};
use axum::{extract::State, http::StatusCode, routing::get, Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/follows",
            get(list_follows).post(follow).delete(unfollow),
        )
        .route("/api/v1/me", get(me))
        .route("/api/v1/admin/queue", get(queue))
}

#[derive(Debug, Deserialize)]
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
    match association {
        None => state
            .store
            .find_local_actor(ActorKind::Person.as_str(), &user.name)
            .await?
            .ok_or_else(|| ApiError::not_found("your actor")),
        Some(name) => {
            let a = crate::service::missions::association(state.store.as_ref(), name).await?;
            match role_in(state.store.as_ref(), user, &a).await? {
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

async fn follow(
    ctx: Context,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<FollowInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
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
        Json(
            json!({"follower": local.ap_id, "target": target.actor.ap_id, "handle": target.actor.handle(), "new": created}),
        ),
    ))
}

/// Stops following: the follow is removed here and an `Undo{Follow}` is sent.
async fn unfollow(
    ctx: Context,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<FollowInput>,
) -> ApiResult<Json<Value>> {
    let state = ctx.app_data().clone();
    let local = follower_actor(&state, &user, input.association.as_deref()).await?;
    let follows = state.store.list_following(local.id).await?;
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
    let event = Outgoing::FollowUndone {
        local_actor_id: local.id,
        target_ap_id: existing.target_ap_id.clone(),
        follow_ap_id: existing.follow_ap_id.clone(),
    };
    let removed = state
        .store
        .remove_following(local.id, &existing.target_ap_id, event)
        .await?;
    state.wake.notify_waiters();
    Ok(Json(
        json!({"follower": local.ap_id, "target": existing.target_ap_id, "removed": removed}),
    ))
}

async fn list_follows(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Value>> {
    let me = follower_actor(&state, &user, None).await?;
    let list = state.store.list_following(me.id).await?;
    Ok(Json(json!({"follows": list})))
}

async fn me(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<Value>> {
    let memberships = state.store.memberships(user.id).await?;
    Ok(Json(json!({
        "name": user.name, "email": user.email, "is_admin": user.is_admin,
        "associations": memberships.iter().map(|(a, r)| json!({"name": a.name, "role": r})).collect::<Vec<_>>(),
    })))
}

async fn queue(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<Value>> {
    if !user.is_admin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only the node's administrators see the queue",
        ));
    }
    Ok(Json(json!(state.store.queue_stats().await?)))
}
