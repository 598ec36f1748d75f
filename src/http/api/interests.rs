//! Replies to a mission kept as interest (people on Mastodon who answered its post and
//! mentioned the association), for its coordinators.

use crate::{
    http::{auth::ApiUser, error::ApiResult},
    service::fediverse,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    routing::get,
    Json, Router,
};
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/missions/{id}/interests", get(list))
}

async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let (mission, interests) = fediverse::interests(state.store.as_ref(), &user, id).await?;
    let items: Vec<Value> = interests
        .iter()
        .map(|(i, author)| {
            json!({
                "id": i.id,
                "actor_ap_id": i.actor_ap_id,
                "handle": author.as_ref().map(|a| a.handle()),
                "name": author.as_ref().map(|a| a.label().to_string()),
                "note_ap_id": i.note_ap_id,
                "content": i.content,
                "created_at": i.created_at,
            })
        })
        .collect();
    Ok(Json(json!({"mission_id": mission.id, "interests": items})))
}
