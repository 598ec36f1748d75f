//! A person's data through the API: the export (`GET /api/v1/me/export`, a zip archive) and
//! the deletion of one's account (`DELETE /api/v1/me`, confirmed with the password).

use super::{schema::ErrorBody, ApiJson};
use crate::{
    http::{
        auth::{ApiUser, ClientAddress},
        download::download,
        error::{ApiError, ApiResult},
    },
    service::privacy::{self, Refusal},
    state::AppState,
};
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/me/export", get(export))
}

#[utoipa::path(get, path = "/api/v1/me/export", tag = "me",
    operation_id = "export_my_data",
    summary = "Everything the node holds about me, as a zip archive",
    description = "`data.json` (account, profile, memberships and roles, sign-ups with their slots and missions, hours, attestations, reservations of my own account, the emails recorded for me, my API tokens' labels and dates, my followers; never a password hash nor a token) and `documents/` (each attestation as PDF, my hours as CSV).",
    responses(
        (status = 200, description = "the archive", content_type = "application/zip", body = Vec<u8>),
        crate::http::api::schema::NoToken),
    security(("bearer" = [])))]
async fn export(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Response> {
    let doc = privacy::export(
        state.store.as_ref(),
        &state.config,
        &user,
        "en",
        state.clock.now(),
    )
    .await?;
    Ok(download(doc))
}

/// The confirmation of a deletion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct DeleteInput {
    /// The account's password.
    password: String,
}

/// What the deletion did.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct Deleted {
    deleted: bool,
    /// Sign-ups to slots to come withdrawn (their places freed).
    withdrawn: usize,
    /// Validated hours entries kept in the associations' totals for a former volunteer.
    hours_kept: i64,
    /// Hours entries removed (waiting, refused, or copies of hours sent elsewhere).
    hours_removed: i64,
}

/// The refusal of a deletion for the last coordinator, in the API's English.
pub(super) fn last_coordinator_message(names: &[String]) -> String {
    format!(
        "you are the last coordinator of {}: name another coordinator there first (or ask the \
         node's administrator), then delete your account",
        names.join(", ")
    )
}

#[utoipa::path(delete, path = "/api/v1/me", tag = "me",
    operation_id = "delete_my_account",
    summary = "Delete my account",
    description = "Confirmed with the password. Erases the email, password, sessions, tokens, calendar address, profile, memberships, attestations, notices and the fediverse profile; withdraws sign-ups to slots to come (places freed, other servers told with `Leave`); validated hours stay in the associations' totals for an anonymous former volunteer, other hours go; followers and the servers I dealt with get `Delete{Person}`. The name stays reserved. Refused (409) for the last coordinator of an association. Braked as logins are.",
    request_body = DeleteInput,
    responses(
        (status = 200, description = "deleted", body = Deleted),
        crate::http::api::schema::NoToken,
        (status = 403, description = "wrong password: nothing was deleted", body = ErrorBody),
        (status = 409, description = "the last coordinator of an association: name another first", body = ErrorBody),
        (status = 429, description = "too many wrong passwords; see Retry-After", body = ErrorBody)),
    security(("bearer" = [])))]
pub(super) async fn delete_me(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ClientAddress(address): ClientAddress,
    ApiJson(input): ApiJson<DeleteInput>,
) -> Response {
    let now = state.clock.now();
    let brakes = &state.login_throttle;
    if let Err(wait) = brakes.check(&user.name, address, now) {
        return ApiError::too_many(wait, "wrong passwords").into_response();
    }
    match privacy::delete_account(state.store.as_ref(), &user, &input.password, now).await {
        Ok(Ok(done)) => {
            brakes.succeeded(&user.name);
            Json(Deleted {
                deleted: true,
                withdrawn: done.withdrawn.len(),
                hours_kept: done.hours_kept,
                hours_removed: done.hours_removed,
            })
            .into_response()
        }
        Ok(Err(Refusal::WrongPassword)) => {
            brakes.failed(&user.name, address, now);
            ApiError::new(
                StatusCode::FORBIDDEN,
                "wrong_password",
                "this is not the account's password: nothing was deleted",
            )
            .into_response()
        }
        Ok(Err(Refusal::LastCoordinator(associations))) => {
            let names: Vec<String> = associations.iter().map(|a| a.name.clone()).collect();
            ApiError::new(
                StatusCode::CONFLICT,
                "last_coordinator",
                last_coordinator_message(&names),
            )
            .into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}
