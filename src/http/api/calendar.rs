//! The private calendar address of the token's user: `GET` makes one the first time (it is
//! then shown once: only its hash is kept), `POST` makes a new one and the old one stops working.

use super::schema::{CalendarToken, ErrorBody};
use crate::{
    http::{auth::ApiUser, error::ApiResult},
    service::calendar,
    state::AppState,
};
use axum::{extract::State, http::StatusCode, routing::get, Json, Router};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/me/calendar-token", get(show).post(regenerate))
}

const SHOWN_ONCE: &str =
    "Keep this address private: anyone who has it sees your slots. It is shown \
    only now; POST to this path for a new one (the old one then stops working).";
const ALREADY: &str =
    "You already have a private calendar address; it was shown when it was made. \
    POST to this path for a new one (the old one then stops working).";

#[utoipa::path(get, path = "/api/v1/me/calendar-token", tag = "me",
    summary = "My private calendar address: made and shown the first time only (only its hash is kept)",
    responses(
        (status = 200, description = "the address when just made, otherwise feed_url is null", body = CalendarToken),
        (status = 401, description = "no valid token", body = ErrorBody)),
    security(("bearer" = [])))]
async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<CalendarToken>> {
    let store = state.store.as_ref();
    let url = calendar::first_feed_url(store, &state.config, &user, state.clock.now()).await?;
    let created_at = calendar::feed_created(store, &user).await?;
    let message = if url.is_some() { SHOWN_ONCE } else { ALREADY };
    Ok(Json(CalendarToken {
        new: url.is_some(),
        feed_url: url,
        created_at,
        message: message.to_string(),
    }))
}

#[utoipa::path(post, path = "/api/v1/me/calendar-token", tag = "me",
    summary = "A new private calendar address; the old one stops working",
    responses(
        (status = 201, description = "the new address", body = CalendarToken),
        (status = 401, description = "no valid token", body = ErrorBody)),
    security(("bearer" = [])))]
async fn regenerate(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<(StatusCode, Json<CalendarToken>)> {
    let store = state.store.as_ref();
    let url = calendar::new_feed_url(store, &state.config, &user, state.clock.now()).await?;
    let created_at = calendar::feed_created(store, &user).await?;
    Ok((
        StatusCode::CREATED,
        Json(CalendarToken {
            feed_url: Some(url),
            created_at,
            new: true,
            message: SHOWN_ONCE.to_string(),
        }),
    ))
}
