//! Shared equipment pages (issue 4): the resources an association lends, a resource with its
//! availability calendar and the request form, a search of what is free, the reservations of
//! an association and the lending agreement. A resource's URL is its ActivityPub id:
//! `Accept: application/activity+json` gets its `Page`.

use super::wants_json;
use crate::{
    federation::{error::FedError, resources::availability_collection, routes::ap_json},
    service::resources,
    state::{AppState, Context},
    storage::StoreError,
};
use activitypub_federation::config::Data;
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/r/{uuid}", get(by_ap_id))
        .route("/r/{uuid}/availability", get(availability_json))
        .route("/files/{id}", get(file))
}

/// One of our resources by its ActivityPub id: the `Page` (or a Tombstone with 410), or the
/// page for people.
async fn by_ap_id(ctx: Context, headers: HeaderMap, Path(uuid): Path<String>) -> Response {
    let state: &AppState = ctx.app_data();
    let ap_id = format!("{}/r/{}", state.config.base(), uuid);
    let found = match state.store.find_resource_by_ap_id(&ap_id).await {
        Ok(Some(r)) => r,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return FedError::from(e).into_response(),
    };
    if !wants_json(&headers) {
        return Redirect::to(&format!("/resources/{}", found.id)).into_response();
    }
    if let Some(deleted) = found.deleted_at {
        let mut res = ap_json(json!({
            "id": found.ap_id, "type": "Tombstone", "formerType": "Page", "deleted": deleted.to_rfc3339()
        }));
        *res.status_mut() = StatusCode::GONE;
        return res;
    }
    match crate::federation::resources::resource_document(&ctx, &found).await {
        Ok(v) => ap_json(v),
        Err(e) => e.into_response(),
    }
}

/// The busy periods of one of our resources (no borrower named).
async fn availability_json(ctx: Data<AppState>, Path(uuid): Path<String>) -> Response {
    let state: &AppState = ctx.app_data();
    let ap_id = format!("{}/r/{}", state.config.base(), uuid);
    let result = async {
        let r = state
            .store
            .find_resource_by_ap_id(&ap_id)
            .await?
            .filter(|r| r.deleted_at.is_none())
            .ok_or(StoreError::NotFound("resource"))?;
        let busy = resources::busy_periods(state.store.as_ref(), &r)
            .await
            .map_err(|e| FedError::Internal(e.to_string()))?;
        Ok::<_, FedError>(availability_collection(&r, &busy))
    }
    .await;
    match result {
        Ok(v) => ap_json(v),
        Err(e) => e.into_response(),
    }
}

/// A photo or a contract document of a resource: public, like the resource.
async fn file(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    match state.store.get_resource_file(id).await {
        Ok((f, bytes)) => {
            let disposition = if f.kind == "photo" {
                "inline".to_string()
            } else {
                format!(
                    "attachment; filename=\"{}\"",
                    f.name.replace(['"', '\\', '\r', '\n'], "_")
                )
            };
            (
                [
                    (header::CONTENT_TYPE, f.content_type),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
                    (
                        header::HeaderName::from_static("x-content-type-options"),
                        "nosniff".to_string(),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(StoreError::NotFound(_)) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => FedError::from(e).into_response(),
    }
}
