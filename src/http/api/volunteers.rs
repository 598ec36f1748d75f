//! A volunteer's profile and the missions ranked for them; volunteers suggested for a mission.

use super::ApiJson;
use crate::{
    domain::volunteer::Profile,
    http::{api::missions::mission_view, api::slots::slot_view, auth::ApiUser, error::ApiResult},
    service::volunteers,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    routing::get,
    Json, Router,
};
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me/profile", get(get_profile).put(put_profile))
        .route("/api/v1/me/matches", get(my_matches))
        .route("/api/v1/missions/{id}/suggestions", get(suggestions))
}

async fn get_profile(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Profile>> {
    Ok(Json(
        volunteers::profile(state.store.as_ref(), &user).await?,
    ))
}

async fn put_profile(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(profile): ApiJson<Profile>,
) -> ApiResult<Json<Profile>> {
    Ok(Json(
        volunteers::save_profile(state.store.as_ref(), &user, profile).await?,
    ))
}

async fn my_matches(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Value>> {
    let lang = state.config.instance.default_language.clone();
    let ranked = volunteers::matches(state.store.as_ref(), &state.config, &user, &lang).await?;
    let mut items = Vec::with_capacity(ranked.len());
    for r in ranked {
        let owner = state.store.get_actor(r.mission.actor_id).await?;
        items.push(json!({
            "mission": mission_view(&state, &r.mission, &owner),
            "slot": r.slot.as_ref().map(slot_view),
            "score": r.fit.score,
            "reasons": r.fit.reasons,
            "why": r.fit.reasons.join(" · "),
        }));
    }
    Ok(Json(json!({"matches": items})))
}

async fn suggestions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let lang = state.config.instance.default_language.clone();
    let list =
        volunteers::suggestions(state.store.as_ref(), &state.config, &user, id, &lang).await?;
    Ok(Json(json!({"suggestions": list})))
}
