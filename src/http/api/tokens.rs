//! API tokens without the command line: an app logs in with a name (or email) and password and
//! gets a token; people list their tokens and revoke them. Failed logins are braked per account
//! name as typed and per client address (the peer's: behind a reverse proxy, the proxy's, at a
//! limit high enough for the people it serves).

use super::{schema::ErrorBody, ApiJson};
use crate::http::auth::ClientAddress;
use crate::http::params::Path;
use crate::{
    domain::account::ApiToken,
    http::{
        auth::{ApiUser, Caller},
        error::{ApiError, ApiResult},
    },
    service::accounts,
    state::AppState,
};
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{delete, get, post},
    Json, Router,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/token", post(log_in))
        .route("/api/v1/me/tokens", get(list))
        .route("/api/v1/me/tokens/{id}", delete(revoke))
}

/// The label a token gets when the app names none.
const DEFAULT_LABEL: &str = "api";

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct LoginInput {
    /// The account's name, or its email (letters' case does not matter in an email).
    username: String,
    password: String,
    /// What the token is for, to recognise it in the list later (at most 100 characters).
    label: Option<String>,
}

/// A token just created: the secret is shown this once.
#[derive(Serialize, ToSchema)]
struct NewToken {
    /// Send it as `Authorization: Bearer <token>`.
    token: String,
    /// The token's id, to revoke it.
    id: i64,
    label: String,
    created_at: DateTime<Utc>,
}

/// One of my tokens (never its secret).
#[derive(Serialize, ToSchema)]
struct TokenView {
    id: i64,
    label: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
struct TokenList {
    /// Oldest first.
    tokens: Vec<TokenView>,
}

fn view(t: &ApiToken) -> TokenView {
    TokenView {
        id: t.id,
        label: t.label.clone(),
        created_at: t.created_at,
    }
}

fn too_many(wait: chrono::Duration) -> Response {
    ApiError::too_many(wait, "failed logins").into_response()
}

#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth",
    operation_id = "create_token",
    summary = "Log in with a name (or email) and password: a new API token",
    description = "The token is shown once; list and revoke tokens under `/api/v1/me/tokens`. After 10 failed attempts for one account name, or 50 from one client address, within 15 minutes, the answer is 429 with `Retry-After` until the oldest of them is 15 minutes old.",
    request_body = LoginInput,
    responses(
        (status = 201, description = "the new token", body = NewToken),
        (status = 401, description = "wrong name or password", body = ErrorBody),
        (status = 422, description = "missing fields, or a label too long", body = ErrorBody),
        (status = 429, description = "too many failed attempts for this account or from this address; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds to wait")))))]
async fn log_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(input): ApiJson<LoginInput>,
) -> Response {
    let brakes = &state.login_throttle;
    let now = state.clock.now();
    if let Err(wait) = brakes.check(&input.username, address, now) {
        return too_many(wait);
    }
    let user =
        match accounts::authenticate_login(state.store.as_ref(), &input.username, &input.password)
            .await
        {
            Ok(user) => user,
            Err(crate::service::ServiceError::BadCredentials) => {
                brakes.failed(&input.username, address, now);
                return ApiError::from(crate::service::ServiceError::BadCredentials)
                    .into_response();
            }
            Err(e) => return ApiError::from(e).into_response(),
        };
    brakes.succeeded(&input.username);
    let label = input.label.as_deref().unwrap_or(DEFAULT_LABEL);
    match accounts::issue_token(state.store.as_ref(), &user, label, state.clock.now()).await {
        Ok((token, secret)) => (
            StatusCode::CREATED,
            Json(NewToken {
                token: secret,
                id: token.id,
                label: token.label,
                created_at: token.created_at,
            }),
        )
            .into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "me",
    operation_id = "list_tokens",
    summary = "My API tokens (never their secrets)",
    responses(
        (status = 200, description = "my tokens, oldest first", body = TokenList),
        crate::http::api::schema::NoToken),
    security(("bearer" = [])))]
async fn list(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<TokenList>> {
    let tokens = accounts::tokens(state.store.as_ref(), &user).await?;
    Ok(Json(TokenList {
        tokens: tokens.iter().map(view).collect(),
    }))
}

#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "me",
    operation_id = "revoke_token",
    summary = "Revoke one of my API tokens (it stops working at once)",
    params(("id" = i64, Path, description = "the token's id")),
    responses(
        (status = 204, description = "revoked"),
        crate::http::api::schema::NoToken,
        (status = 404, description = "no such token of mine", body = ErrorBody)),
    security(("bearer" = [])))]
async fn revoke(me: Caller, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    accounts::revoke_token(me.store(), &me.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
