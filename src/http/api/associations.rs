//! Associations coming in (issue 14) through the API: requests for a new association and
//! their answer by the node's administrators, an association's page changed by its
//! coordinators, invitations, missions' pictures.

use super::{schema::ErrorBody, ApiJson};
use crate::http::params::Path;
use crate::{
    domain::{
        association::{AssociationDetails, AssociationNames, AssociationRequest, Invitation},
        DomainError, FieldError,
    },
    http::{
        auth::Caller,
        error::{ApiError, ApiResult},
    },
    service::{associations, invitations, mission_pictures},
    state::AppState,
};
use axum::{
    extract::DefaultBodyLimit,
    http::StatusCode,
    routing::{delete, get, post, put},
    Json, Router,
};
use base64::{engine::general_purpose::STANDARD, Engine};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Room for a 10 MB image in base64, and the rest of the JSON.
const JSON_WITH_IMAGE: usize = crate::service::files::MAX_BYTES * 4 / 3 + 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/associations/requests",
            post(request).layer(DefaultBodyLimit::max(JSON_WITH_IMAGE)),
        )
        .route("/api/v1/admin/associations/requests", get(pending))
        .route(
            "/api/v1/admin/associations/requests/{id}/approve",
            post(approve),
        )
        .route(
            "/api/v1/admin/associations/requests/{id}/refuse",
            post(refuse),
        )
        .route(
            "/api/v1/associations/{name}/invitations",
            get(list_invitations).post(invite),
        )
        .route(
            "/api/v1/associations/{name}/invitations/{id}",
            delete(revoke_invitation),
        )
        .route(
            "/api/v1/invitations/{token}/accept",
            post(accept_invitation),
        )
        .route(
            "/api/v1/missions/{id}/picture",
            put(put_picture)
                .delete(delete_picture)
                .layer(DefaultBodyLimit::max(
                    crate::service::files::MAX_BYTES + 1024,
                )),
        )
}

/// A request for a new association, or the change of an association's page.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RequestInput {
    /// The address name (`/g/<name>`): 3 to 30 lowercase letters, digits, `-`, `_`, `.`.
    name: String,
    /// The name shown (at most 100 characters).
    display_name: String,
    /// What the association does (Markdown, at most 2000 characters).
    #[serde(default)]
    summary: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    /// `https://…`
    #[serde(default)]
    website: String,
    /// Fields of action: mission category codes (`solidarity`, `environment`, …).
    #[serde(default)]
    categories: Vec<String>,
    /// A JPEG or PNG, base64-encoded (at most 10 MB once decoded).
    #[serde(default)]
    logo: Option<String>,
}

fn decode_image(field: &str, b64: Option<&str>) -> ApiResult<Option<Vec<u8>>> {
    match b64.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => STANDARD.decode(s).map(Some).map_err(|_| {
            ApiError::from(crate::service::ServiceError::from(DomainError::field(
                field,
                FieldError::new("file_unreadable"),
            )))
        }),
    }
}

/// A request for a new association as the API shows it.
#[derive(Serialize, ToSchema)]
pub(super) struct RequestView {
    id: i64,
    /// The person who asked.
    user: String,
    name: String,
    display_name: String,
    summary: String,
    address: String,
    email: String,
    phone: String,
    website: String,
    categories: Vec<String>,
    has_logo: bool,
    /// `pending`, `approved` or `refused`.
    status: String,
    /// Why it was refused.
    reason: String,
    created_at: chrono::DateTime<chrono::Utc>,
}

fn request_view(r: &AssociationRequest, user: &str) -> RequestView {
    RequestView {
        id: r.id,
        user: user.to_string(),
        name: r.names.name.clone(),
        display_name: r.names.display_name.clone(),
        summary: r.names.summary.clone(),
        address: r.details.address.clone(),
        email: r.details.email.clone(),
        phone: r.details.phone.clone(),
        website: r.details.website.clone(),
        categories: r.details.categories.clone(),
        has_logo: r.has_logo,
        status: r.status.as_str().to_string(),
        reason: r.reason.clone(),
        created_at: r.created_at,
    }
}

#[derive(Serialize, ToSchema)]
pub(super) struct RequestList {
    requests: Vec<RequestView>,
}

#[utoipa::path(post, path = "/api/v1/associations/requests", tag = "associations",
    operation_id = "request_association",
    summary = "Ask the node for a new association",
    description = "The node's administrators approve or refuse it; the answer comes by email. A name already taken (or asked for) is a field error on `name`.",
    request_body = RequestInput,
    responses(
        (status = 201, description = "the request, waiting", body = RequestView),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn request(
    me: Caller,
    ApiJson(input): ApiJson<RequestInput>,
) -> ApiResult<(StatusCode, Json<RequestView>)> {
    let logo = decode_image("logo", input.logo.as_deref())?;
    let r = associations::request(
        me.store(),
        &me.user,
        AssociationNames {
            name: input.name,
            display_name: input.display_name,
            summary: input.summary,
        },
        AssociationDetails {
            address: input.address,
            email: input.email,
            phone: input.phone,
            website: input.website,
            categories: input.categories,
        },
        logo.as_deref(),
        me.now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(request_view(&r, &me.user.name))))
}

#[utoipa::path(get, path = "/api/v1/admin/associations/requests", tag = "admin",
    operation_id = "list_association_requests",
    summary = "The requests for new associations waiting for an answer (the node's administrators)",
    responses(
        (status = 200, description = "oldest first", body = RequestList),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator),
    security(("bearer" = [])))]
async fn pending(me: Caller) -> ApiResult<Json<RequestList>> {
    let list = associations::requests(me.store(), &me.user, true).await?;
    let users = crate::service::accounts::users(me.store(), list.iter().map(|r| r.user_id)).await?;
    Ok(Json(RequestList {
        requests: list
            .iter()
            .map(|r| {
                let name = users.get(&r.user_id).map(|u| u.name.as_str()).unwrap_or("");
                request_view(r, name)
            })
            .collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/admin/associations/requests/{id}/approve", tag = "admin",
    operation_id = "approve_association_request",
    summary = "Approve a request: the association is created, its author is its coordinator and gets an email",
    params(("id" = i64, Path, description = "the request's id")),
    responses(
        (status = 200, description = "the association created", body = super::schema::Association),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator,
        crate::http::api::schema::NoSuchRequest,
        (status = 409, description = "already answered, or the name was taken since", body = ErrorBody)),
    security(("bearer" = [])))]
async fn approve(me: Caller, Path(id): Path<i64>) -> ApiResult<Json<super::schema::Association>> {
    let (_, actor) = associations::approve(
        me.store(),
        &me.config.base(),
        &me.config.domain(),
        &me.user,
        id,
        me.now(),
    )
    .await?;
    me.queued();
    Ok(Json(super::missions::association_view(&actor)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RefuseInput {
    /// Why (told to the person who asked; at most 1000 characters).
    reason: String,
}

#[utoipa::path(post, path = "/api/v1/admin/associations/requests/{id}/refuse", tag = "admin",
    operation_id = "refuse_association_request",
    summary = "Refuse a request, saying why (the author gets an email)",
    params(("id" = i64, Path, description = "the request's id")),
    request_body = RefuseInput,
    responses(
        (status = 200, description = "the request, refused", body = RequestView),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotAdministrator,
        crate::http::api::schema::NoSuchRequest,
        (status = 409, description = "already answered", body = ErrorBody),
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn refuse(
    me: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<RefuseInput>,
) -> ApiResult<Json<RequestView>> {
    let r = associations::refuse(me.store(), &me.user, id, &input.reason, me.now()).await?;
    me.queued();
    let user = crate::service::accounts::user(me.store(), r.user_id).await?;
    Ok(Json(request_view(&r, &user.name)))
}

/// A change of an association's page: what is left out stays.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct UpdateInput {
    display_name: Option<String>,
    summary: Option<String>,
    address: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    website: Option<String>,
    categories: Option<Vec<String>>,
    /// A new logo: JPEG or PNG, base64-encoded.
    logo: Option<String>,
    /// `true` removes the logo.
    #[serde(default)]
    remove_logo: bool,
}

#[utoipa::path(patch, path = "/api/v1/associations/{name}", tag = "associations",
    summary = "Change an association's page (its coordinators); followers get Update{Group}",
    params(("name" = String, Path, description = "the association's name")),
    request_body = UpdateInput,
    responses(
        (status = 200, description = "the association", body = super::schema::Association),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation,
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
pub(super) async fn update_association(
    me: Caller,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<UpdateInput>,
) -> ApiResult<Json<super::schema::Association>> {
    let logo = decode_image("logo", input.logo.as_deref())?;
    let a = associations::update(
        me.store(),
        &me.user,
        &name,
        associations::AssociationChange {
            display_name: input.display_name,
            summary: input.summary,
            address: input.address,
            email: input.email,
            phone: input.phone,
            website: input.website,
            categories: input.categories,
            logo,
            remove_logo: input.remove_logo,
        },
        me.now(),
    )
    .await?;
    me.queued();
    Ok(Json(super::missions::association_view(&a)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct InviteInput {
    email: String,
    /// `member` or `coordinator`.
    role: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct InvitationView {
    id: i64,
    email: String,
    role: String,
    /// `open` or `expired`.
    state: String,
    created_at: chrono::DateTime<chrono::Utc>,
    expires_at: chrono::DateTime<chrono::Utc>,
}

fn invitation_view(i: &Invitation, state: &str) -> InvitationView {
    InvitationView {
        id: i.id,
        email: i.email.clone(),
        role: i.role.as_str().to_string(),
        state: state.to_string(),
        created_at: i.created_at,
        expires_at: i.expires_at,
    }
}

#[derive(Serialize, ToSchema)]
pub(super) struct InvitationList {
    invitations: Vec<InvitationView>,
}

#[utoipa::path(post, path = "/api/v1/associations/{name}/invitations", tag = "associations",
    operation_id = "invite_to_association",
    summary = "Invite someone by email (its coordinators): the link works once, for 7 days",
    params(("name" = String, Path, description = "the association's name")),
    request_body = InviteInput,
    responses(
        (status = 201, description = "the invitation (its link goes by email only)", body = InvitationView),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation,
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn invite(
    me: Caller,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<InviteInput>,
) -> ApiResult<(StatusCode, Json<InvitationView>)> {
    let (inv, _) = invitations::invite(
        me.store(),
        &me.user,
        &name,
        &input.email,
        &input.role,
        me.now(),
    )
    .await?;
    me.queued();
    Ok((StatusCode::CREATED, Json(invitation_view(&inv, "open"))))
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/invitations", tag = "associations",
    summary = "The invitations not used nor withdrawn (its coordinators)",
    params(("name" = String, Path, description = "the association's name")),
    responses(
        (status = 200, description = "newest first", body = InvitationList),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation),
    security(("bearer" = [])))]
async fn list_invitations(me: Caller, Path(name): Path<String>) -> ApiResult<Json<InvitationList>> {
    let list = invitations::pending(me.store(), &me.user, &name, me.now()).await?;
    Ok(Json(InvitationList {
        invitations: list
            .iter()
            .map(|(i, s)| {
                let state = serde_json::to_value(s)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                invitation_view(i, &state)
            })
            .collect(),
    }))
}

#[utoipa::path(delete, path = "/api/v1/associations/{name}/invitations/{id}", tag = "associations",
    summary = "Withdraw an invitation not used yet (its coordinators)",
    params(
        ("name" = String, Path, description = "the association's name"),
        ("id" = i64, Path, description = "the invitation's id")),
    responses(
        (status = 204, description = "withdrawn: its link no longer works"),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        (status = 404, description = "no such invitation waiting", body = ErrorBody)),
    security(("bearer" = [])))]
async fn revoke_invitation(
    me: Caller,
    Path((name, id)): Path<(String, i64)>,
) -> ApiResult<StatusCode> {
    invitations::revoke(me.store(), &me.user, &name, id, me.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "associations",
    summary = "Accept an invitation: the role is mine (the account's email must be the invited one)",
    params(("token" = String, Path, description = "the secret of the email's link")),
    responses(
        (status = 200, description = "the association joined", body = super::schema::Association),
        crate::http::api::schema::NoToken,
        (status = 404, description = "no such invitation", body = ErrorBody),
        (status = 409, description = "used, withdrawn, expired, or sent to another address", body = ErrorBody)),
    security(("bearer" = [])))]
async fn accept_invitation(
    me: Caller,
    Path(token): Path<String>,
) -> ApiResult<Json<super::schema::Association>> {
    let (_, a) = invitations::accept(me.store(), &me.user, &token, me.now()).await?;
    Ok(Json(super::missions::association_view(&a)))
}

#[utoipa::path(put, path = "/api/v1/missions/{id}/picture", tag = "missions",
    summary = "Set the mission's picture (its coordinators): JPEG or PNG, at most 10 MB, stored without its metadata",
    params(("id" = i64, Path, description = "the mission's id")),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "the image's bytes"),
    responses(
        (status = 204, description = "set; followers get the updated Event with its image"),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        (status = 404, description = "no such mission", body = ErrorBody),
        (status = 413, description = "more than 10 MB", body = ErrorBody),
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn put_picture(
    me: Caller,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> ApiResult<StatusCode> {
    mission_pictures::set(me.store(), &me.user, id, &body, me.now()).await?;
    me.queued();
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/missions/{id}/picture", tag = "missions",
    summary = "Remove the mission's picture (its coordinators)",
    params(("id" = i64, Path, description = "the mission's id")),
    responses(
        (status = 204, description = "removed"),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        (status = 404, description = "no such mission or no picture", body = ErrorBody)),
    security(("bearer" = [])))]
async fn delete_picture(me: Caller, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    mission_pictures::remove(me.store(), &me.user, id, me.now()).await?;
    me.queued();
    Ok(StatusCode::NO_CONTENT)
}
