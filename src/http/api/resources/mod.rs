//! Shared equipment (issue 4): an association's resources, their photos and documents, and
//! what is free when; the reservations, decided by the owner's node (here, or another node for
//! its resources), are in [`reservations`]. Money is a decimal string (`"150.00"`), never a
//! float.

use super::{
    cursor,
    schema::{self, ErrorBody},
    schema_resources as wire, ApiJson,
};
use crate::http::params::{Path, Query};
use crate::{
    domain::resource::{Resource, ResourceInput},
    http::{auth::Caller, error::ApiResult},
    service::{
        actors,
        files::{self as resource_files, ResourceFile},
        resources::{self, ResourcePage, SearchQuery},
    },
    state::AppState,
};
use axum::{
    extract::State,
    http::StatusCode,
    routing::{get, post},
    Json, Router,
};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

pub(super) mod reservations;

use reservations::{
    act, agreement, agreement_pdf, association_reservations, reservation, reserve,
    resource_reservations,
};

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
                    resource_files::MAX_BYTES + 1024,
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

/// Which page of the search.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
struct SearchPageQuery {
    /// How many at most (50 unless said, 200 at most).
    limit: Option<i64>,
    /// Start after the last resource examined by a page: its `next`, passed back as it is.
    cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/resources", tag = "resources",
    summary = "Search the equipment of this node and of the nodes it follows, with at least `quantity` free over the period asked, by name",
    description = "In pages, by name then id: `limit` (50 unless said, 200 at most), then `cursor` = the `next` of the page before. `next` is given while some resources were not examined yet: a page may hold fewer than `limit` (even none) when few resources match, and the walk goes on from it. A walk meets each resource once.",
    params(SearchQuery, SearchPageQuery),
    responses(
        (status = 200, description = "the resources found, each with `free` over the period", body = wire::Resources),
        (status = 400, description = "a cursor that is not one", body = ErrorBody),
        (status = 422, description = "a period that ends before it starts, a bad category…", body = ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
    Query(page): Query<SearchPageQuery>,
) -> ApiResult<Json<wire::Resources>> {
    let after = cursor::after(page.cursor.as_deref(), None, cursor::decode_text)?;
    let limit = page.limit.unwrap_or(resources::SEARCH_PAGE);
    let kept = crate::http::web::kept_pages::equipment(&state, &q, after, limit).await?;
    let searched = &kept.value;
    let domain = state.config.domain();
    Ok(Json(wire::Resources {
        next: (searched.next.as_ref()).map(|(name, id)| cursor::encode_text(name, *id)),
        resources: (searched.found.iter())
            .map(|f| wire::Resource {
                free: Some(f.free),
                ..wire::resource(&f.resource, &f.owner, &domain)
            })
            .collect(),
    }))
}

/// Which page of an association's resources (by name, then id).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// How many at most (2000 unless said, 2000 at most).
    limit: Option<i64>,
    /// Skip this many (kept for existing scripts; `cursor` stays cheap at any depth).
    offset: Option<i64>,
    /// Start after the last resource of a page: its `next`, passed back as it is.
    cursor: Option<String>,
}

/// Resources of an association read at most at once (the former whole list's bound).
const RESOURCES_LIMIT: i64 = 2000;

#[utoipa::path(get, path = "/api/v1/associations/{name}/resources", tag = "resources",
    operation_id = "list_resources",
    summary = "The equipment an association lends, by name",
    description = "In pages: `limit`, then `cursor` = the `next` of the page before (given when a page is full), cheap at any depth, and an item added meanwhile is seen once or not at all, never twice.",
    params(("name" = String, Path, description = "the association's name"), ListQuery),
    responses(
        (status = 200, description = "its resources", body = wire::Resources),
        (status = 400, description = "bad parameter (a cursor that is not one, a cursor with an offset)", body = ErrorBody),
        crate::http::api::schema::NoSuchAssociation))]
async fn list(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<wire::Resources>> {
    let limit = q.limit.unwrap_or(RESOURCES_LIMIT).clamp(1, RESOURCES_LIMIT);
    let page = ResourcePage {
        actor_id: 0,
        after: cursor::after(q.cursor.as_deref(), q.offset, cursor::decode_text)?,
        limit,
        offset: q.offset.unwrap_or(0).max(0),
    };
    let (owner, list) = resources::page_of_association(state.store.as_ref(), &name, page).await?;
    let domain = state.config.domain();
    Ok(Json(wire::Resources {
        next: cursor::next(&list, limit, |r| cursor::encode_text(&r.draft.name, r.id)),
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
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation,
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn create(
    me: Caller,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<ResourceInput>,
) -> ApiResult<(StatusCode, Json<wire::Resource>)> {
    let r = resources::create(
        me.store(),
        &me.config,
        &me.places,
        &me.user,
        &name,
        input,
        me.now(),
    )
    .await?;
    me.queued();
    Ok((StatusCode::CREATED, Json(owned_view(&me, &r).await?)))
}

/// A resource as the API shows it, with its owner read from the store.
async fn owned_view(state: &AppState, r: &Resource) -> ApiResult<wire::Resource> {
    let owner = actors::get(state.store.as_ref(), r.actor_id).await?;
    Ok(wire::resource(r, &owner, &state.config.domain()))
}

#[utoipa::path(get, path = "/api/v1/resources/{id}", tag = "resources",
    summary = "A resource (this node's or another's)",
    params(("id" = i64, Path, description = "the resource's id")),
    responses(
        (status = 200, description = "the resource", body = wire::Resource),
        crate::http::api::schema::NoSuchResource))]
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
        crate::http::api::schema::NoToken,
        (status = 403, description = "not the owner's coordinator, or another node's resource", body = ErrorBody),
        crate::http::api::schema::NoSuchResource,
        crate::http::api::schema::InvalidFields),
    security(("bearer" = [])))]
async fn update(
    me: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ResourceInput>,
) -> ApiResult<Json<wire::Resource>> {
    let r = resources::update(me.store(), &me.places, &me.user, id, input, me.now()).await?;
    me.queued();
    Ok(Json(owned_view(&me, &r).await?))
}

#[utoipa::path(delete, path = "/api/v1/resources/{id}", tag = "resources",
    summary = "Remove a resource: its requests and loans to come are cancelled; it answers 410 to other nodes",
    params(("id" = i64, Path, description = "the resource's id")),
    responses(
        (status = 204, description = "removed"),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not the owner's coordinator", body = ErrorBody),
        crate::http::api::schema::NoSuchResource),
    security(("bearer" = [])))]
async fn remove(me: Caller, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    resources::delete(me.store(), &me.user, id, me.now()).await?;
    me.queued();
    Ok(StatusCode::NO_CONTENT)
}

fn file_view(state: &AppState, f: &ResourceFile) -> schema::ResourceFile {
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
        crate::http::api::schema::NoSuchResource))]
async fn files(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> ApiResult<Json<schema::ResourceFiles>> {
    let list = resource_files::of_offered(state.store.as_ref(), id).await?;
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
        crate::http::api::schema::NoToken,
        (status = 403, description = "not the owner's coordinator", body = ErrorBody),
        crate::http::api::schema::NoSuchResource,
        (status = 413, description = "more than 10 MB", body = ErrorBody),
        (status = 422, description = "not a photo or a PDF, too many files", body = ErrorBody)),
    security(("bearer" = [])))]
async fn upload(
    me: Caller,
    Path(id): Path<i64>,
    Query(q): Query<UploadQuery>,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<schema::ResourceFile>)> {
    let f =
        resource_files::attach(me.store(), &me.user, id, &q.kind, &q.name, &body, me.now()).await?;
    me.queued();
    Ok((StatusCode::CREATED, Json(file_view(&me, &f))))
}

#[utoipa::path(delete, path = "/api/v1/resources/{id}/files/{file}", tag = "resources",
    summary = "Remove a photo or a document (the owner's coordinators)",
    params(
        ("id" = i64, Path, description = "the resource's id"),
        ("file" = i64, Path, description = "the file's id")),
    responses(
        (status = 204, description = "removed"),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not the owner's coordinator", body = ErrorBody),
        (status = 404, description = "no such resource or file", body = ErrorBody)),
    security(("bearer" = [])))]
async fn remove_file(me: Caller, Path((id, file)): Path<(i64, i64)>) -> ApiResult<StatusCode> {
    resource_files::remove(me.store(), &me.user, id, file, me.now()).await?;
    me.queued();
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
        crate::http::api::schema::NoSuchResource,
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
