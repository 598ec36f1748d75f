//! Shared equipment (issue 4): an association's resources, what is free when, and
//! reservations decided by the owner's node (here, or another node for its resources). Money is
//! a decimal string (`"150.00"`), never a float.

use super::ApiJson;
use crate::{
    domain::{
        actor::Actor,
        resource::{Reservation, Resource, ResourceInput},
    },
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
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

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

fn money(d: Option<rust_decimal::Decimal>) -> Value {
    d.map(|d| Value::String(d.to_string()))
        .unwrap_or(Value::Null)
}

/// `name@host` of an association.
pub fn address(a: &Actor, domain: &str) -> String {
    if a.local {
        format!("{}@{}", a.name, domain)
    } else {
        format!("{}@{}", a.name, a.host)
    }
}

pub fn resource_view(r: &Resource, owner: &Actor, domain: &str) -> Value {
    let d = &r.draft;
    json!({
        "id": r.id, "ap_id": r.ap_id, "owner": owner.name, "owner_address": address(owner, domain),
        "owner_name": owner.label(), "local": owner.local, "name": d.name, "description": d.description,
        "category": d.category, "owner_kind": d.owner_kind, "place": d.place,
        "latitude": d.latitude, "longitude": d.longitude, "quantity": d.quantity,
        "replacement_value": money(d.replacement_value), "mode": d.mode, "price_per_day": money(d.price_per_day),
        "deposit": money(d.deposit), "conditions": d.conditions, "insurance_required": d.insurance_required,
        "min_notice_hours": d.min_notice_hours, "max_days": d.max_days, "turnaround_hours": d.turnaround_hours,
        "approval": d.approval, "borrowers": d.borrowers,
        "borrower_list": if owner.local { json!(d.borrower_list) } else { Value::Null },
        "agreement_template": d.agreement_template,
        "created_at": r.created_at, "updated_at": r.updated_at,
    })
}

/// A reservation with the names people need (resource, both parties).
pub async fn reservation_view(
    store: &dyn Store,
    domain: &str,
    r: &Reservation,
) -> ApiResult<Value> {
    let resource = store.get_resource(r.resource_id).await?;
    let owner = store.get_actor(resource.actor_id).await?;
    let borrower = match r.borrower_actor_id {
        Some(b) => Some(store.get_actor(b).await?),
        None => None,
    };
    let signature = |s: &Option<crate::domain::resource::Signature>| {
        s.as_ref()
            .map(|s| json!({"by": s.by, "at": s.at}))
            .unwrap_or(Value::Null)
    };
    Ok(json!({
        "id": r.id, "resource_id": r.resource_id, "resource": resource.draft.name,
        "resource_ap_id": resource.ap_id, "owner": address(&owner, domain),
        "borrower": borrower.as_ref().map(|b| address(b, domain)),
        "offer_id": r.offer_id, "agreement_id": r.agreement_id,
        "borrower_actor_id": r.borrower_actor_id, "quantity": r.quantity, "start": r.start, "end": r.end,
        "state": r.state, "shown_state": r.shown_state(Utc::now()), "overdue": r.is_overdue(Utc::now()),
        "reason": r.reason, "pickup_notes": r.pickup_notes, "return_notes": r.return_notes,
        "owner_signed": signature(&r.owner_signed), "borrower_signed": signature(&r.borrower_signed),
        "created_at": r.created_at, "updated_at": r.updated_at,
    }))
}

async fn views(state: &AppState, list: &[Reservation]) -> ApiResult<Vec<Value>> {
    let mut out = Vec::with_capacity(list.len());
    for r in list {
        out.push(reservation_view(state.store.as_ref(), &state.config.domain(), r).await?);
    }
    Ok(out)
}

async fn search(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> ApiResult<Json<Value>> {
    let found = resources::search(state.store.as_ref(), &q).await?;
    let domain = state.config.domain();
    Ok(Json(json!({
        "resources": found.iter().map(|f| {
            let mut v = resource_view(&f.resource, &f.owner, &domain);
            v["free"] = json!(f.free);
            v
        }).collect::<Vec<_>>()
    })))
}

async fn list(State(state): State<AppState>, Path(name): Path<String>) -> ApiResult<Json<Value>> {
    let (owner, list) = resources::of_association(state.store.as_ref(), &name).await?;
    let domain = state.config.domain();
    Ok(Json(json!({
        "resources": list.iter().map(|r| resource_view(r, &owner, &domain)).collect::<Vec<_>>()
    })))
}

async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    ApiJson(input): ApiJson<ResourceInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let r = resources::create(state.store.as_ref(), &state.config, &user, &name, input).await?;
    let owner = state.store.get_actor(r.actor_id).await?;
    state.wake.notify_waiters();
    Ok((
        StatusCode::CREATED,
        Json(resource_view(&r, &owner, &state.config.domain())),
    ))
}

async fn one(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<Json<Value>> {
    let (r, owner) = resources::offered(state.store.as_ref(), id).await?;
    Ok(Json(resource_view(&r, &owner, &state.config.domain())))
}

async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ResourceInput>,
) -> ApiResult<Json<Value>> {
    let r = resources::update(state.store.as_ref(), &user, id, input).await?;
    let owner = state.store.get_actor(r.actor_id).await?;
    state.wake.notify_waiters();
    Ok(Json(resource_view(&r, &owner, &state.config.domain())))
}

async fn remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    resources::delete(state.store.as_ref(), &user, id).await?;
    state.wake.notify_waiters();
    Ok(StatusCode::NO_CONTENT)
}

fn file_view(state: &AppState, f: &crate::storage::ResourceFile) -> Value {
    json!({
        "id": f.id, "kind": f.kind, "name": f.name, "content_type": f.content_type, "size": f.size,
        "url": format!("{}/files/{}", state.config.base(), f.id), "created_at": f.created_at,
    })
}

async fn files(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<Json<Value>> {
    let (r, _) = resources::offered(state.store.as_ref(), id).await?;
    let list = state.store.list_resource_files(r.id).await?;
    Ok(Json(json!({
        "files": list.iter().map(|f| file_view(&state, f)).collect::<Vec<_>>()
    })))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UploadQuery {
    /// `photo` (JPEG or PNG) or `document` (PDF).
    kind: String,
    /// The file's name, as people will see it.
    name: String,
}

/// A photo or a document, sent as the request body (`Content-Type: image/jpeg`, `image/png`
/// or `application/pdf`).
async fn upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<UploadQuery>,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let f = crate::service::files::attach(state.store.as_ref(), &user, id, &q.kind, &q.name, &body)
        .await?;
    state.wake.notify_waiters();
    Ok((StatusCode::CREATED, Json(file_view(&state, &f))))
}

async fn remove_file(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, file)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    crate::service::files::remove(state.store.as_ref(), &user, id, file).await?;
    state.wake.notify_waiters();
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AvailabilityQuery {
    /// The first day, `YYYY-MM-DD` (today when left out).
    from: Option<NaiveDate>,
    /// How many days (31 when left out).
    days: Option<i64>,
}

async fn availability(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<AvailabilityQuery>,
) -> ApiResult<Json<Value>> {
    let (r, _) = resources::offered(state.store.as_ref(), id).await?;
    let from = q
        .from
        .unwrap_or_else(|| crate::service::hours::today(&state.config));
    let days = resources::availability(
        state.store.as_ref(),
        &state.config,
        &r,
        from,
        q.days.unwrap_or(31),
    )
    .await?;
    Ok(Json(
        json!({"resource_id": r.id, "quantity": r.draft.quantity, "days": days}),
    ))
}

async fn resource_reservations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(json!({"reservations": views(&state, &list).await?})))
}

async fn association_reservations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    let (_, list) = reservations::of_association(state.store.as_ref(), &user, &name).await?;
    Ok(Json(json!({"reservations": views(&state, &list).await?})))
}

async fn reserve(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ReservationInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (outcome, _) =
        reservations::request(state.store.as_ref(), &state.config, &user, id, input).await?;
    state.wake.notify_waiters();
    let domain = state.config.domain();
    Ok(match outcome {
        ReserveOutcome::Recorded(r) => (
            StatusCode::CREATED,
            Json(reservation_view(state.store.as_ref(), &domain, &r).await?),
        ),
        ReserveOutcome::Existing(r) => (
            StatusCode::OK,
            Json(reservation_view(state.store.as_ref(), &domain, &r).await?),
        ),
    })
}

async fn reservation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let p = reservations::parties(state.store.as_ref(), &user, id).await?;
    Ok(Json(
        reservation_view(state.store.as_ref(), &state.config.domain(), &p.reservation).await?,
    ))
}

async fn agreement(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let a = crate::service::agreement::agreement(state.store.as_ref(), &state.config, &user, id)
        .await?;
    Ok(Json(json!({
        "reservation_id": a.reservation_id, "reference": a.reference,
        "owner": {"name": a.owner, "address": a.owner_address, "signed": a.owner_signed},
        "borrower": {"name": a.borrower, "address": a.borrower_address, "signed": a.borrower_signed},
        "facts": a.facts.iter().map(|(k, v)| json!({"label": k, "value": v})).collect::<Vec<_>>(),
        "text": a.paragraphs,
    })))
}

async fn agreement_pdf(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<axum::response::Response> {
    let a = crate::service::agreement::agreement(state.store.as_ref(), &state.config, &user, id)
        .await?;
    Ok(crate::http::download::download(
        crate::service::agreement::pdf(&a),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Body {
    /// Why (a refusal, a cancellation), or the condition notes (pickup, return).
    reason: String,
    notes: String,
    /// Who signs the agreement when you coordinate both parties: `owner` or `borrower`.
    side: Option<String>,
}

async fn act(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, action)): Path<(i64, String)>,
    body: axum::body::Bytes,
) -> ApiResult<Json<Value>> {
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
        reservations::sign(store, &user, id, body.side.as_deref()).await?
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
        reservations::move_on(store, &state.config, &user, id, step, &text).await?
    };
    state.wake.notify_waiters();
    Ok(Json(
        reservation_view(store, &state.config.domain(), &r).await?,
    ))
}

pub fn openapi(doc: &mut Value) {
    let err = |d: &str| json!({"description": d, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let ok = |d: &str| json!({"description": d, "content": {"application/json": {"schema": {"type": "object"}}}});
    let bearer = json!([{"bearer": []}]);
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let name =
        json!({"name": "name", "in": "path", "required": true, "schema": {"type": "string"}});
    let action = json!({"name": "action", "in": "path", "required": true,
        "schema": {"type": "string", "enum": ["accept", "refuse", "cancel", "pickup", "return", "sign"]}});
    let resource_input = json!({"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "properties": {
        "name": {"type": "string", "maxLength": 120}, "description": {"type": "string"}, "category": {"type": "string"},
        "owner_kind": {"type": "string", "enum": ["association", "cooperative", "craftsman", "company", "local_authority"]},
        "place": {"type": "string"}, "latitude": {"type": "number"}, "longitude": {"type": "number"},
        "quantity": {"type": "integer", "minimum": 1}, "replacement_value": {"type": ["string", "number"]},
        "mode": {"type": "string", "enum": ["free_loan", "rental", "exchange"]}, "price_per_day": {"type": ["string", "number"]},
        "deposit": {"type": ["string", "number"]}, "conditions": {"type": "string"}, "insurance_required": {"type": "boolean"},
        "min_notice_hours": {"type": "integer"}, "max_days": {"type": "integer"}, "turnaround_hours": {"type": "integer"},
        "approval": {"type": "string", "enum": ["automatic", "manual"]},
        "borrowers": {"type": "string", "enum": ["everyone", "followed", "list"]},
        "borrower_list": {"type": "array", "items": {"type": "string", "description": "name@host"}},
        "agreement_template": {"type": "string", "description": "the lending agreement's text with {owner}, {borrower}, {resource}, {quantity}, {start}, {end}, {place}, {deposit}, {price}, {replacement_value}, {conditions}"}}}}}});
    let csv_or_json = |d: &str| json!({"description": d, "content": {"application/json": {"schema": {"type": "object"}}}});
    let pdf = json!({"description": "the lending agreement as a PDF", "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}});
    let q = |n: &str, t: &str, d: &str| json!({"name": n, "in": "query", "required": false, "schema": {"type": "string", "format": t}, "description": d});
    let paths = json!({
        "/api/v1/resources": {"get": {
            "summary": "Search the equipment of this node and of the nodes it follows, with at least `quantity` free over the period asked (those free first)",
            "parameters": [q("q", "", "words of the name, description or place"), q("category", "", "furniture, tent, stage, sound_light, vehicle, room, kitchen, other"),
                           q("start", "date-time", "pickup"), q("end", "date-time", "return"), q("quantity", "", "how many at least (1)")],
            "responses": {"200": ok("the resources found, each with `free` over the period"), "422": err("a period that ends before it starts, a bad category…")}}},
        "/api/v1/associations/{name}/resources": {
            "get": {"summary": "The equipment an association lends", "parameters": [name],
                    "responses": {"200": ok("its resources"), "404": err("no such association")}},
            "post": {"summary": "Add a resource (one item or a pool) with its terms (coordinators); published to followers as a Page", "security": bearer,
                     "parameters": [name], "requestBody": resource_input,
                     "responses": {"201": ok("added"), "401": err("no valid token"), "403": err("not a coordinator"),
                                   "404": err("no such association"), "422": err("a message per invalid field")}}},
        "/api/v1/associations/{name}/reservations": {"get": {
            "summary": "An association's reservations, as owner of the equipment and as borrower (coordinators)", "security": bearer,
            "parameters": [name], "responses": {"200": csv_or_json("its reservations, by pickup"), "401": err("no valid token"), "403": err("not a coordinator"), "404": err("no such association")}}},
        "/api/v1/resources/{id}": {
            "get": {"summary": "A resource (this node's or another's)", "parameters": [id], "responses": {"200": ok("the resource"), "404": err("no such resource")}},
            "patch": {"summary": "Change a resource (the fields given; its owner's coordinators)", "security": bearer,
                      "parameters": [id], "requestBody": resource_input,
                      "responses": {"200": ok("changed"), "401": err("no valid token"), "403": err("not the owner's coordinator, or another node's resource"),
                                    "404": err("no such resource"), "422": err("a message per invalid field")}},
            "delete": {"summary": "Remove a resource: its requests and loans to come are cancelled; it answers 410 to other nodes", "security": bearer,
                       "parameters": [id], "responses": {"204": {"description": "removed"}, "401": err("no valid token"), "403": err("not the owner's coordinator"), "404": err("no such resource")}}},
        "/api/v1/resources/{id}/availability": {"get": {
            "summary": "Day by day, how many of the pool are free all day long (turnaround buffers included)",
            "parameters": [id, q("from", "date", "first day (today)"), {"name": "days", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 92}}],
            "responses": {"200": ok("{days: [{date, free, total}]}"), "404": err("no such resource"), "422": err("too many days")}}},
        "/api/v1/resources/{id}/reservations": {
            "get": {"summary": "All the reservations of one of this node's resources (the owner's coordinators)", "security": bearer, "parameters": [id],
                    "responses": {"200": ok("its reservations"), "401": err("no valid token"), "403": err("not the owner's coordinator"), "404": err("no such resource")}},
            "post": {
            "summary": "Ask for a quantity over a period for an association of this node you coordinate. This node's resources are decided at once (accepted, refused with the reason, or waiting for the owner's coordinators); another node's wait for its answer (an Offer is sent). The same offer_id twice answers the first reservation (200).",
            "security": bearer, "parameters": [id],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false,
                "required": ["borrower", "start", "end"], "properties": {"borrower": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1},
                "start": {"type": "string", "format": "date-time"}, "end": {"type": "string", "format": "date-time"}, "offer_id": {"type": "string"}}}}}},
            "responses": {"201": ok("recorded"), "200": ok("this offer id was recorded before"), "401": err("no valid token"),
                          "403": err("not a coordinator of the borrower"), "404": err("no such resource"),
                          "422": err("return before pickup, more than the pool, shorter than the notice, longer than allowed, a borrower the owner does not lend to…")}}},
        "/api/v1/reservations/{id}": {"get": {"summary": "A reservation (its owner's or its borrower's coordinators)", "security": bearer,
            "parameters": [id], "responses": {"200": ok("the reservation, with `shown_state` overdue when not returned in time"), "401": err("no valid token"), "404": err("no such reservation")}}},
        "/api/v1/reservations/{id}/agreement": {"get": {"summary": "The lending agreement of an accepted reservation (its parties)", "security": bearer,
            "parameters": [id], "responses": {"200": ok("parties, facts, text, signatures"), "401": err("no valid token"), "404": err("no such reservation"), "409": err("not accepted")}}},
        "/api/v1/reservations/{id}/agreement.pdf": {"get": {"summary": "The lending agreement as a PDF (its parties)", "security": bearer,
            "parameters": [id], "responses": {"200": pdf, "401": err("no valid token"), "404": err("no such reservation"), "409": err("not accepted")}}},
        "/api/v1/resources/{id}/files": {
            "get": {"summary": "The photos and documents of a resource", "parameters": [id], "responses": {"200": ok("{files: [{id, kind, name, content_type, size, url}]}"), "404": err("no such resource")}},
            "post": {"summary": "Attach a photo (JPEG or PNG: resized to 1600 pixels and re-encoded without its metadata) or a PDF document, sent as the body (10 MB at most, 8 of each kind); the owner's coordinators",
                     "security": bearer, "parameters": [id, {"name": "kind", "in": "query", "required": true, "schema": {"type": "string", "enum": ["photo", "document"]}}, {"name": "name", "in": "query", "required": false, "schema": {"type": "string"}}],
                     "requestBody": {"required": true, "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}, "image/png": {"schema": {"type": "string", "format": "binary"}}, "application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
                     "responses": {"201": ok("attached"), "401": err("no valid token"), "403": err("not the owner's coordinator"), "404": err("no such resource"), "413": err("more than 10 MB"), "422": err("not a photo or a PDF, too many files")}}},
        "/api/v1/resources/{id}/files/{file}": {"delete": {"summary": "Remove a photo or a document (the owner's coordinators)", "security": bearer,
            "parameters": [id, {"name": "file", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"204": {"description": "removed"}, "401": err("no valid token"), "403": err("not the owner's coordinator"), "404": err("no such resource or file")}}},
        "/feeds/{secret}/reservations/{association}.ics": {"get": {
            "summary": "Private iCalendar feed of an association's reservations (lent and borrowed; asked: TENTATIVE, accepted: CONFIRMED, refused or cancelled: CANCELLED), read with the secret of a coordinator's private calendar address (GET /api/v1/me/calendar-token)",
            "parameters": [{"name": "secret", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "association", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "the feed", "content": {"text/calendar": {"schema": {"type": "string"}}}}, "404": {"description": "unknown secret, or not a coordinator of the association"}}}},
        "/api/v1/reservations/{id}/{action}": {"post": {
            "summary": "Move a reservation on: accept or refuse (with a reason) a waiting request, pickup and return with condition notes (the owner's coordinators); cancel before the pickup (either party); sign: accept the lending agreement online for your side",
            "security": bearer, "parameters": [id, action],
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "properties": {
                "reason": {"type": "string", "maxLength": 2000}, "notes": {"type": "string", "maxLength": 2000}, "side": {"type": "string", "enum": ["owner", "borrower"]}}}}}},
            "responses": {"200": ok("moved"), "401": err("no valid token"), "403": err("not allowed"), "404": err("no such reservation or action"),
                          "409": err("not possible in its state, or the pool is taken"), "422": err("a refusal without a reason")}}},
    });
    if let (Some(all), Some(new)) = (doc["paths"].as_object_mut(), paths.as_object()) {
        for (k, v) in new {
            all.insert(k.clone(), v.clone());
        }
    }
}
