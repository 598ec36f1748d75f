//! The private calendar address of the token's user: `GET` makes one the first time (it is
//! then shown once: only its hash is kept), `POST` makes a new one and the old one stops working.

use crate::{
    http::{auth::ApiUser, error::ApiResult},
    service::calendar,
    state::AppState,
};
use axum::{extract::State, http::StatusCode, routing::get, Json, Router};
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/me/calendar-token", get(show).post(regenerate))
}

const SHOWN_ONCE: &str =
    "Keep this address private: anyone who has it sees your slots. It is shown \
    only now; POST to this path for a new one (the old one then stops working).";
const ALREADY: &str =
    "You already have a private calendar address; it was shown when it was made. \
    POST to this path for a new one (the old one then stops working).";

async fn show(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<Value>> {
    let store = state.store.as_ref();
    let url = calendar::first_feed_url(store, &state.config, &user).await?;
    let created_at = calendar::feed_created(store, &user).await?;
    let message = if url.is_some() { SHOWN_ONCE } else { ALREADY };
    Ok(Json(json!({
        "feed_url": url, "created_at": created_at, "new": url.is_some(), "message": message,
    })))
}

async fn regenerate(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let store = state.store.as_ref();
    let url = calendar::new_feed_url(store, &state.config, &user).await?;
    let created_at = calendar::feed_created(store, &user).await?;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({"feed_url": url, "created_at": created_at, "new": true, "message": SHOWN_ONCE}),
        ),
    ))
}
