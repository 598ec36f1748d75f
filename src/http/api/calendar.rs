//! The private calendar address of the token's user: `GET` makes one the first time (it is
//! then shown once: only its hash is kept), `POST` makes a new one and the old one stops working.

use super::schema::CalendarToken;
use crate::{
    http::{auth::Caller, error::ApiResult},
    service::calendar,
    state::AppState,
};
use axum::{http::StatusCode, routing::get, Json, Router};

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
        crate::http::api::schema::NoToken),
    security(("bearer" = [])))]
async fn show(me: Caller) -> ApiResult<Json<CalendarToken>> {
    let store = me.store();
    let url = calendar::first_feed_url(store, &me.config, &me.user, me.now()).await?;
    let created_at = calendar::feed_created(store, &me.user).await?;
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
        crate::http::api::schema::NoToken),
    security(("bearer" = [])))]
async fn regenerate(me: Caller) -> ApiResult<(StatusCode, Json<CalendarToken>)> {
    let store = me.store();
    let url = calendar::new_feed_url(store, &me.config, &me.user, me.now()).await?;
    let created_at = calendar::feed_created(store, &me.user).await?;
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
