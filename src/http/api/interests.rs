//! Replies to a mission kept as interest (people on Mastodon who answered its post and
//! mentioned the association), for its coordinators.

use super::schema;
use crate::http::params::Path;
use crate::{
    http::{auth::Caller, error::ApiResult},
    service::fediverse,
    state::AppState,
};
use axum::{routing::get, Json, Router};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/missions/{id}/interests", get(list))
}

#[utoipa::path(get, path = "/api/v1/missions/{id}/interests", tag = "missions",
    operation_id = "list_interests",
    summary = "Replies from the fediverse that mention the association, kept as interest (coordinators)",
    params(("id" = i64, Path, description = "the mission's id")),
    responses(
        (status = 200, description = "interest, oldest first", body = schema::MissionInterests),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchLocalMission),
    security(("bearer" = [])))]
async fn list(me: Caller, Path(id): Path<i64>) -> ApiResult<Json<schema::MissionInterests>> {
    let (mission, interests) = fediverse::interests(me.store(), &me.user, id).await?;
    let interests = interests
        .iter()
        .map(|(i, author)| schema::Interest {
            id: i.id,
            actor_ap_id: i.actor_ap_id.clone(),
            handle: author.as_ref().map(|a| a.handle()),
            name: author.as_ref().map(|a| a.label().to_string()),
            note_ap_id: i.note_ap_id.clone(),
            content: i.content.clone(),
            created_at: i.created_at,
        })
        .collect();
    Ok(Json(schema::MissionInterests {
        mission_id: mission.id,
        interests,
    }))
}
