//! The aggregator's sources, for the node's administrators: list them with their freshness,
//! add one (a node or a Mobilizon instance by its address, a group by its handle), remove one.

use super::{schema::ErrorBody, ApiJson};
use crate::http::params::Path;
use crate::{
    federation::aggregator::{add_source, AddFailure},
    http::{
        auth::Caller,
        error::{ApiError, ApiResult},
    },
    service::sources::{self, SourceView},
    state::{AppState, Context},
};
use axum::{
    http::StatusCode,
    routing::{delete, get},
    Json, Router,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/admin/sources", get(list).post(add))
        .route("/api/v1/admin/sources/{id}", delete(remove))
}

/// One source and how fresh it is.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SourceJson {
    id: i64,
    /// What was typed to add it.
    input: String,
    /// The actor followed: a relay or a group.
    actor: String,
    /// `entraide`, `mobilizon`, `group` or `other`.
    kind: String,
    host: String,
    /// The collection its backfill and reconciliations walk.
    collection: String,
    added_at: DateTime<Utc>,
    /// The last activity received from it.
    last_activity_at: Option<DateTime<Utc>>,
    /// The last walk that went to its end.
    last_reconciled_at: Option<DateTime<Utc>>,
    last_attempt_at: Option<DateTime<Utc>>,
    /// Failed walks since the last success.
    error_count: i64,
    last_error: String,
    /// The items it brought that are still here.
    items: i64,
    /// Nothing heard from it for longer than `aggregator.silent_after_seconds`.
    silent: bool,
}

impl From<SourceView> for SourceJson {
    fn from(v: SourceView) -> Self {
        let s = v.source;
        SourceJson {
            id: s.id,
            input: s.input,
            actor: s.actor_ap_id,
            kind: s.kind.as_str().into(),
            host: s.host,
            collection: s.collection,
            added_at: s.added_at,
            last_activity_at: s.last_activity_at,
            last_reconciled_at: s.last_success_at,
            last_attempt_at: s.last_attempt_at,
            error_count: s.error_count,
            last_error: s.last_error,
            items: v.items,
            silent: v.silent,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SourceList {
    /// Oldest first.
    sources: Vec<SourceJson>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceInput {
    /// `https://host` (an Entraide node or a Mobilizon instance) or `@group@host`.
    target: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SourceRemoved {
    id: i64,
    actor: String,
}

impl From<AddFailure> for ApiError {
    fn from(e: AddFailure) -> Self {
        match e {
            AddFailure::Refused(e) => e.into(),
            AddFailure::Unresolved(e) => e.into(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/admin/sources", tag = "admin",
    operation_id = "list_sources",
    summary = "The aggregator's sources and their freshness (administrators)",
    responses(
        (status = 200, description = "the sources, oldest first", body = SourceList),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not an administrator, or not an aggregator", body = ErrorBody)),
    security(("bearer" = [])))]
async fn list(caller: Caller) -> ApiResult<Json<SourceList>> {
    let views = sources::list(
        caller.store(),
        &caller.config,
        Some(&caller.user),
        caller.now(),
    )
    .await?;
    Ok(Json(SourceList {
        sources: views.into_iter().map(SourceJson::from).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/admin/sources", tag = "admin",
    operation_id = "add_source",
    summary = "Follow a source: a node, a Mobilizon instance or a group (administrators)",
    request_body = SourceInput,
    responses(
        (status = 201, description = "followed; its backfill follows", body = SourceJson),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not an administrator, not an aggregator, or a host not allowed", body = ErrorBody),
        (status = 409, description = "already a source", body = ErrorBody),
        (status = 422, description = "nothing found at this address", body = ErrorBody),
        (status = 502, description = "the server did not answer", body = ErrorBody)),
    security(("bearer" = [])))]
async fn add(
    ctx: Context,
    caller: Caller,
    ApiJson(input): ApiJson<SourceInput>,
) -> ApiResult<(StatusCode, Json<SourceJson>)> {
    let source = add_source(&ctx, Some(&caller.user), &input.target).await?;
    let view = SourceView {
        source,
        silent: false,
        items: 0,
    };
    Ok((StatusCode::CREATED, Json(view.into())))
}

#[utoipa::path(delete, path = "/api/v1/admin/sources/{id}", tag = "admin",
    operation_id = "remove_source",
    summary = "Stop following a source (administrators)",
    params(("id" = i64, Path, description = "the source's number")),
    responses(
        (status = 200, description = "no longer followed", body = SourceRemoved),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not an administrator, or not an aggregator", body = ErrorBody),
        (status = 404, description = "no such source", body = ErrorBody)),
    security(("bearer" = [])))]
async fn remove(caller: Caller, Path(id): Path<String>) -> ApiResult<Json<SourceRemoved>> {
    let store = caller.store();
    sources::may_manage(&caller.config, Some(&caller.user))?;
    let source = sources::find(store, &id).await?;
    sources::remove(
        store,
        &caller.config,
        Some(&caller.user),
        &source,
        caller.now(),
    )
    .await?;
    Ok(Json(SourceRemoved {
        id: source.id,
        actor: source.actor_ap_id,
    }))
}
