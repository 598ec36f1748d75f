//! Shared equipment (issue 4): an association's resources, what is free when, and
//! reservations decided by the owner's node (here, or another node for its resources). Money is
//! a decimal string (`"150.00"`), never a float.

use super::{
    schema::{self, ErrorBody},
    schema_resources as wire, ApiJson,
};
use crate::{
    domain::resource::{Reservation, ResourceInput},
    http::{auth::ApiUser, error::ApiResult},
    service::{
        reservations::{self, Move, ReservationInput},
        resources::{self, SearchQuery},
    },
    state::AppState,
    storage::{ReserveOutcome, Store},
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/resources", get(search))
        .route(
            "/api/v1/associations/{name}/resources",
            get(list).post(create),
        )
        .route(
            "/api/v1/associations/{name}/reservations",
            get(association_reservations),
        )
        .route(
            "/api/v1/resources/{id}",
            get(one).patch(update).delete(remove),
        )
        .route("/api/v1/resources/{id}/availability", get(availability))
        .route(
            "/api/v1/resources/{id}/files",
            get(files)
                .post(upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::service::files::MAX_BYTES + 1024,
                )),
        )
        .route(
            "/api/v1/resources/{id}/files/{file}",
            axum::routing::delete(remove_file),
        )
        .route(
            "/api/v1/resources/{id}/reservations",
            get(resource_reservations).post(reserve),
        )
        .route("/api/v1/reservations/{id}", get(reservation))
        .route("/api/v1/reservations/{id}/agreement", get(agreement))
        .route(
            "/api/v1/reservations/{id}/agreement.pdf",
            get(agreement_pdf),
        )
        .route("/api/v1/reservations/{id}/{action}", post(act))
}

/// A reservation with the names people need (resource, both parties).
pub async fn reservation_view(
    store: &dyn Store,
    domain: &str,
    r: &Reservation,
    now: DateTime<Utc>,
) -> ApiResult<wire::Reservation> {
    let resource = store.get_resource(r.resource_id).await?;
    let owner = store.get_actor(resource.actor_id).await?;
    let borrower = match r.borrower_actor_id {
        Some(b) => Some(store.get_actor(b).await?),
        None => None,
    };
    let borrower = borrower.as_ref().map(|b| wire::address(b, domain));
    Ok(wire::reservation(
        r,
        resource,
        wire::address(&owner, domain),
        borrower,
        now,
    ))
}

async fn views(state: &AppState, list: &[Reservation]) -> ApiResult<wire::Reservations> {
    let mut out = Vec::with_capacity(list.len());
    for r in list {
        out.push(
            reservation_view(
                state.store.as_ref(),
                &state.config.domain(),
                r,
                state.clock.now(),
            )
            .await?,
        );
    }
    Ok(wire::Reservations { reservations: out })
}

#[utoipa::path(get, path = "/api/v1/resources", tag = "resources",
    summary = "Search the equipment of this node and of the nodes it follows, with at least `quantity` free over the period asked (those free first)",
    params(SearchQuery),
    responses(
        (status = 200, description = "the resources found, each with `free` over the period", body = wire::Resources),
        (status = 422, description = "a period that ends before it starts, a bad category…", body = ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> ApiResult<Json<wire::Resources>> {
    let found = resources::search(state.store.as_ref(), &q, state.clock.now()).await?;
    let domain = state.config.domain();
    Ok(Json(wire::Resources {
        resources: (found.iter())
            .map(|f| wire::Resource {
                free: Some(f.free),
                ..wire::resource(&f.resource, &f.owner, &domain)
            })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/resources", tag = "resources",
    operation_id = "list_resources",
    summary = "The equipment an association lends",
    params(("name" = String, Path, description = "the association's name")),
    responses(
        (status = 200, description = "its resources", body = wire::Resources),
        (status = 404, description = "no such association", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> ApiResult<Json<wire::Resources>> {
    let (owner, list) = resources::of_association(state.store.as_ref(), &name).await?;
    let domain = state.config.domain();
    Ok(Json(wire::Resources {
        resources: list
            .iter()
            .map(|r| wire::resource(r, &owner, &domain))
            .collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/associations/{name}/resources", tag = "resources",
    summary = "Add a resource (one item or a pool) with its terms (coordinators); published to followers as a Page",
    params(("name" = String, Path, description = "the association's name")),
    request_body = ResourceInput,
    responses(
        (status = 201, description = "added", body = wire::Resource),
        (status = 401, description = "no valid token", body = ErrorBody),
        (status = 403, description = "not a coordinator", body = ErrorBody),
        (status = 404, description = "no such association", body = ErrorBody),
        (status = 422, description = "a message per invalid field", body = ErrorBody)),
    security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<ResourceInput>,
) -> ApiResult<(StatusCode, Json<wire::Resource>)> {
    let r = resources::create(
        state.store.as_ref(),
        &state.config,
        &user,
        &name,
        input,
        state.clock.now(),
    )
    .await?;
    let owner = state.store.get_actor(r.actor_id).await?;
    state.wake.notify_waiters();
    Ok((
        StatusCode::CREATED,
        Json(wire::resource(&r, &owner, &state.config.domain())),
    ))
}

#[utoipa::path(get, path = "/api/v1/resources/{id}", tag = "resources",
    summary = "A resource (this node's or another's)",
    params(("id" = i64, Path, description = "the resource's id")),
    responses(
        (status = 200, description = "the resource", body = wire::Resource),
        (status = 404, description = "no such resource", body = ErrorBody)))]
async fn one(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<wire::Resource>> {
    let (r, owner) = resources::offered(state.store.as_ref(), id).await?;
    Ok(Json(wire::resource(&r, &owner, &state.config.domain())))
}

#[utoipa::path(patch, path = "/api/v1/resources/{id}", tag = "resources",
    operation_id = "update_resource",
    summary = "Change a resource (the fields given; its owner's coordinators)",
    params(("id" = i64, Path, description = "the resource's id")),
    request_body = ResourceInput,
    responses(
        (status = 200, description = "changed", body = wire::Resource),
        (status = 401, description = "no valid token", body = ErrorBody),
        (status = 403, description = "not the owner's coordinator, or another node's resource", body = ErrorBody),
        (status = 404, description = "no such resource", body = ErrorBody),
        (status = 422, description = "a message per invalid field", body = ErrorBody)),
    security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ResourceInput>,
) -> ApiResult<Json<wire::Resource>> {
    let r = resources::update(state.store.as_ref(), &user, id, input, state.clock.now()).await?;
    let owner = state.store.get_actor(r.actor_id).await?;
    state.wake.notify_waiters();
    Ok(Json(wire::resource(&r, &owner, &state.config.domain())))
}

#[utoipa::path(delete, path = "/api/v1/resources/{id}", tag = "resources",
    summary = "Remove a resource: its requests and loans to come are cancelled; it answers 410 to other nodes",
    params(("id" = i64, Path, description = "the resource's id")),
    responses(
        (status = 204, description = "removed"),
        (status = 401, description = "no valid token", body = ErrorBody),
        (status = 403, description = "not the owner's coordinator", body = ErrorBody),
        (status = 404, description = "no such resource", body = ErrorBody)),
    security(("bearer" = [])))]
async fn remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    resources::delete(state.store.as_ref(), &user, id, state.clock.now()).await?;
    state.wake.notify_waiters();
    Ok(StatusCode::NO_CONTENT)
}

fn file_view(state: &AppState, f: &crate::storage::ResourceFile) -> schema::ResourceFile {
    schema::ResourceFile {
        id: f.id,
        kind: f.kind.clone(),
        name: f.name.clone(),
        content_type: f.content_type.clone(),
        size: f.size,
        url: format!("{}/files/{}", state.config.base(), f.id),
        created_at: f.created_at,
    }
}

#[utoipa::path(get, path = "/api/v1/resources/{id}/files", tag = "resources",
    summary = "The photos and documents of a resource",
    params(("id" = i64, Path, description = "the resource's id")),
    responses(
        (status = 200, description = "its files", body = schema::ResourceFiles),
        (status = 404, description = "no such resource", body = ErrorBody)))]
async fn files(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<schema::ResourceFiles>> {
    let (r, _) = resources::offered(state.store.as_ref(), id).await?;
    let list = state.store.list_resource_files(r.id).await?;
    Ok(Json(schema::ResourceFiles {
        files: list.iter().map(|f| file_view(&state, f)).collect(),
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct UploadQuery {
    /// `photo` (JPEG or PNG) or `document` (PDF).
    kind: String,
    /// The file's name, as people will see it.
    name: String,
}

/// A photo or a document, sent as the request body (`Content-Type: image/jpeg`, `image/png`
/// or `application/pdf`).
#[utoipa::path(post, path = "/api/v1/resources/{id}/files", tag = "resources",
    summary = "Attach a photo or a PDF document, sent as the body (the owner's coordinators)",
    description = "A photo (JPEG or PNG) is resized to 1600 pixels and re-encoded without its metadata; 10 MB at most, 8 files of each kind.",
    params(("id" = i64, Path, description = "the resource's id"), UploadQuery),
    request_body(content(
        (schema::FileBytes = "image/jpeg"),
        (schema::FileBytes = "image/png"),
        (schema::FileBytes = "application/pdf"))),
    responses(
        (status = 201, description = "attached", body = schema::ResourceFile),
        (status = 401, description = "no valid token", body = ErrorBody),
        (status = 403, description = "not the owner's coordinator", body = ErrorBody),
        (status = 404, description = "no such resource", body = ErrorBody),
        (status = 413, description = "more than 10 MB", body = ErrorBody),
        (status = 422, description = "not a photo or a PDF, too many files", body = ErrorBody)),
    security(("bearer" = [])))]
async fn upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<UploadQuery>,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<schema::ResourceFile>)> {
    let f = crate::service::files::attach(
        state.store.as_ref(),
        &user,
        id,
        &q.kind,
        &q.name,
        &body,
        state.clock.now(),
    )
    .await?;
    state.wake.notify_waiters();
    Ok((StatusCode::CREATED, Json(file_view(&state, &f))))
}

#[utoipa::path(delete, path = "/api/v1/resources/{id}/files/{file}", tag = "resources",
    summary = "Remove a photo or a document (the owner's coordinators)",
    params(
        ("id" = i64, Path, description = "the resource's id"),
        ("file" = i64, Path, description = "the file's id")),
    responses(
        (status = 204, description = "removed"),
        (status = 401, description = "no valid token", body = ErrorBody),
        (status = 403, description = "not the owner's coordinator", body = ErrorBody),
        (status = 404, description = "no such resource or file", body = ErrorBody)),
    security(("bearer" = [])))]
async fn remove_file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, file)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    crate::service::files::remove(state.store.as_ref(), &user, id, file, state.clock.now()).await?;
    state.wake.notify_waiters();
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct AvailabilityQuery {
    /// The first day, `YYYY-MM-DD` (today when left out).
    from: Option<NaiveDate>,
    /// How many days (31 when left out).
    days: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/resources/{id}/availability", tag = "resources",
    summary = "Day by day, how many of the pool are free all day long (turnaround buffers included)",
    params(("id" = i64, Path, description = "the resource's id"), AvailabilityQuery),
    responses(
        (status = 200, description = "free per day", body = wire::ResourceAvailability),
        (status = 404, description = "no such resource", body = ErrorBody),
        (status = 422, description = "too many days", body = ErrorBody)))]
async fn availability(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<AvailabilityQuery>,
) -> ApiResult<Json<wire::ResourceAvailability>> {
    let (r, _) = resources::offered(state.store.as_ref(), id).await?;
    let from = q
        .from
        .unwrap_or_else(|| state.clock.today(state.config.timezone()));
    let days = resources::availability(
        state.store.as_ref(),
        &state.config,
        &r,
        from,
        q.days.unwrap_or(31),
        state.clock.now(),
    )
    .await?;
    Ok(Json(wire::ResourceAvailability {
        resource_id: r.id,
        quantity: r.draft.quantity,
        days,
    }))
}

#[utoipa::path(get, path = "/api/v1/resources/{id}/reservations", tag = "reservations",
    summary = "All the reservations of one of this node's resources (the owner's coordinators)",
    params(("id" = i64, Path, description = "the resource's id")),
    responses(
        (status = 200, description = "its reservations", body = wire::Reservations),
        (status = 401, description = "no valid token", body = ErrorBody),
        (status = 403, description = "not the owner's coordinator", body = ErrorBody),
        (status = 404, description = "no such resource", body = ErrorBody)),
    security(("bearer" = [])))]
async fn resource_reservations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<wire::Reservations>> {
    let (r, owner) = resources::get(state.store.as_ref(), id).await?;
    if !owner.local
        || !crate::service::hours::is_coordinator(state.store.as_ref(), &user, &owner).await?
    {
        return Err(crate::service::ServiceError::Forbidden(
            "only the owner's coordinators see all the reservations of a resource",
        )
        .into());
    }
    let list = state.store.list_reservations(r.id).await?;
    Ok(Json(views(&state, &list).await?))
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/reservations", tag = "reservations",
    summary = "An association's reservations, as owner of the equipment and as borrower (coordinators)",
    params(("name" = String, Path, description = "the association's name")),
    responses(
        (status = 200, description = "its reservations, by pickup", body = wire::Reservations),
        (status = 401, description = "no valid token", body = ErrorBody),
        (status = 403, description = "not a coordinator", body = ErrorBody),
        (status = 404, description = "no such association", body = ErrorBody)),
    security(("bearer" = [])))]
async fn association_reservations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
) -> ApiResult<Json<wire::Reservations>> {
    let (_, list) = reservations::of_association(state.store.as_ref(), &user, &name).await?;
    Ok(Json(views(&state, &list).await?))
}

#[utoipa::path(post, path = "/api/v1/resources/{id}/reservations", tag = "reservations",
    summary = "Ask for a quantity over a period for an association of this node you coordinate",
    description = "This node's resources are decided at once (accepted, refused with the reason, or waiting for the owner's coordinators); another node's wait for its answer (an Offer is sent). The same offer_id twice answers the first reservation (200).",
    params(("id" = i64, Path, description = "the resource's id")),
    request_body = ReservationInput,
    responses(
        (status = 201, description = "recorded", body = wire::Reservation),
        (status = 200, description = "this offer id was recorded before", body = wire::Reservation),
        (status = 401, description = "no valid token", body = ErrorBody),
        (status = 403, description = "not a coordinator of the borrower", body = ErrorBody),
        (status = 404, description = "no such resource", body = ErrorBody),
        (status = 422, description = "return before pickup, more than the pool, shorter than the notice, longer than allowed, a borrower the owner does not lend to…", body = ErrorBody)),
    security(("bearer" = [])))]
async fn reserve(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ReservationInput>,
) -> ApiResult<(StatusCode, Json<wire::Reservation>)> {
    let (outcome, _) = reservations::request(
        state.store.as_ref(),
        &state.config,
        &user,
        id,
        input,
        state.clock.now(),
    )
    .await?;
    state.wake.notify_waiters();
    let domain = state.config.domain();
    Ok(match outcome {
        ReserveOutcome::Recorded(r) => (
            StatusCode::CREATED,
            Json(reservation_view(state.store.as_ref(), &domain, &r, state.clock.now()).await?),
        ),
        ReserveOutcome::Existing(r) => (
            StatusCode::OK,
            Json(reservation_view(state.store.as_ref(), &domain, &r, state.clock.now()).await?),
        ),
    })
}

#[utoipa::path(get, path = "/api/v1/reservations/{id}", tag = "reservations",
    summary = "A reservation (its owner's or its borrower's coordinators)",
    params(("id" = i64, Path, description = "the reservation's id")),
    responses(
        (status = 200, description = "the reservation, with `shown_state` overdue when not returned in time", body = wire::Reservation),
        (status = 401, description = "no valid token", body = ErrorBody),
        (status = 404, description = "no such reservation", body = ErrorBody)),
    security(("bearer" = [])))]
async fn reservation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<wire::Reservation>> {
    let p = reservations::parties(state.store.as_ref(), &user, id).await?;
    Ok(Json(
        reservation_view(
            state.store.as_ref(),
            &state.config.domain(),
            &p.reservation,
            state.clock.now(),
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/reservations/{id}/agreement", tag = "reservations",
    summary = "The lending agreement of an accepted reservation (its parties)",
    params(("id" = i64, Path, description = "the reservation's id")),
    responses(
        (status = 200, description = "parties, facts, text, signatures", body = wire::Agreement),
        (status = 401, description = "no valid token", body = ErrorBody),
        (status = 404, description = "no such reservation", body = ErrorBody),
        (status = 409, description = "not accepted", body = ErrorBody)),
    security(("bearer" = [])))]
async fn agreement(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<wire::Agreement>> {
    let a = crate::service::agreement::agreement(state.store.as_ref(), &state.config, &user, id)
        .await?;
    Ok(Json(wire::Agreement {
        reservation_id: a.reservation_id,
        reference: a.reference,
        owner: wire::AgreementParty {
            name: a.owner,
            address: a.owner_address,
            signed: a.owner_signed,
        },
        borrower: wire::AgreementParty {
            name: a.borrower,
            address: a.borrower_address,
            signed: a.borrower_signed,
        },
        facts: (a.facts.into_iter())
            .map(|(label, value)| wire::AgreementFact { label, value })
            .collect(),
        text: a.paragraphs,
    }))
}

#[utoipa::path(get, path = "/api/v1/reservations/{id}/agreement.pdf", tag = "reservations",
    summary = "The lending agreement as a PDF (its parties)",
    params(("id" = i64, Path, description = "the reservation's id")),
    responses(
        (status = 200, description = "the lending agreement as a PDF", content_type = "application/pdf", body = schema::FileBytes),
        (status = 401, description = "no valid token", body = ErrorBody),
        (status = 404, description = "no such reservation", body = ErrorBody),
        (status = 409, description = "not accepted", body = ErrorBody)),
    security(("bearer" = [])))]
async fn agreement_pdf(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<axum::response::Response> {
    let a = crate::service::agreement::agreement(state.store.as_ref(), &state.config, &user, id)
        .await?;
    Ok(crate::http::download::download(
        crate::service::agreement::pdf(&a)?,
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
#[schema(as = ReservationStep)]
struct Body {
    /// Why (a refusal, a cancellation), or the condition notes (pickup, return).
    #[schema(max_length = 2000)]
    reason: String,
    #[schema(max_length = 2000)]
    notes: String,
    /// Who signs the agreement when you coordinate both parties: `owner` or `borrower`.
    side: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/reservations/{id}/{action}", tag = "reservations",
    summary = "Move a reservation on",
    description = "Accept or refuse (with a reason) a waiting request, pickup and return with condition notes (the owner's coordinators); cancel before the pickup (either party); sign: accept the lending agreement online for your side.",
    params(
        ("id" = i64, Path, description = "the reservation's id"),
        ("action" = String, Path, description = "accept, refuse, cancel, pickup, return or sign")),
    request_body(content = Option<Body>, description = "may be left out"),
    responses(
        (status = 200, description = "moved", body = wire::Reservation),
        (status = 401, description = "no valid token", body = ErrorBody),
        (status = 403, description = "not allowed", body = ErrorBody),
        (status = 404, description = "no such reservation or action", body = ErrorBody),
        (status = 409, description = "not possible in its state, or the pool is taken", body = ErrorBody),
        (status = 422, description = "a refusal without a reason", body = ErrorBody)),
    security(("bearer" = [])))]
async fn act(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, action)): Path<(i64, String)>,
    body: axum::body::Bytes,
) -> ApiResult<Json<wire::Reservation>> {
    // The body is optional: `{"reason": "…"}`, `{"notes": "…"}` or `{"side": "…"}`.
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        Body::default()
    } else {
        serde_json::from_slice::<Body>(&body).map_err(|_| {
            crate::service::ServiceError::from(crate::domain::DomainError::field(
                "reason",
                "send {\"reason\": \"…\"}, {\"notes\": \"…\"}, {\"side\": \"owner\"} or nothing",
            ))
        })?
    };
    let store = state.store.as_ref();
    let r = if action == "sign" {
        reservations::sign(store, &user, id, body.side.as_deref(), state.clock.now()).await?
    } else {
        let step = match action.as_str() {
            "accept" => Move::Accept,
            "refuse" => Move::Refuse,
            "cancel" => Move::Cancel,
            "pickup" => Move::PickUp,
            "return" => Move::Return,
            _ => return Err(crate::service::ServiceError::NotFound("action").into()),
        };
        let text = if body.notes.is_empty() {
            body.reason
        } else {
            body.notes
        };
        reservations::move_on(
            store,
            &state.config,
            &user,
            id,
            step,
            &text,
            state.clock.now(),
        )
        .await?
    };
    state.wake.notify_waiters();
    Ok(Json(
        reservation_view(store, &state.config.domain(), &r, state.clock.now()).await?,
    ))
}
