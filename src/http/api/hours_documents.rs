//! Documents of volunteer hours: an association's annual statement (PDF, spreadsheet), its
//! hours as a spreadsheet, my own hours as CSV, and attestations (ask, list, confirm, PDF).

use super::ApiJson;
use crate::{
    documents::Document,
    domain::actor::Actor,
    http::{auth::ApiUser, download::download, error::ApiResult},
    service::{
        attestations::{self, AttestationInput},
        hours::{self, Period},
        hours_statement,
    },
    state::AppState,
    storage::Attestation,
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/associations/{name}/hours/statement.pdf",
            get(statement_pdf),
        )
        .route(
            "/api/v1/associations/{name}/hours/statement.ods",
            get(statement_ods),
        )
        .route(
            "/api/v1/associations/{name}/hours/export.ods",
            get(export_ods),
        )
        .route("/api/v1/me/hours/export.csv", get(my_csv))
        .route("/api/v1/me/attestations", get(my_attestations).post(ask))
        .route(
            "/api/v1/associations/{name}/attestations",
            get(association_attestations),
        )
        .route("/api/v1/attestations/{id}/confirm", post(confirm))
        .route("/api/v1/attestations/{id}/pdf", get(attestation_pdf))
}

#[derive(Debug, Default, Deserialize)]
struct YearQuery {
    year: Option<String>,
}

async fn statement_pdf(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    Query(q): Query<YearQuery>,
) -> ApiResult<Response> {
    let doc = hours_statement::statement_pdf(
        state.store.as_ref(),
        &state.config,
        &user,
        &name,
        q.year.as_deref(),
    )
    .await?;
    Ok(download(doc))
}

async fn statement_ods(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    Query(q): Query<YearQuery>,
) -> ApiResult<Response> {
    let doc = hours_statement::statement_ods(state.store.as_ref(), &user, &name, q.year.as_deref())
        .await?;
    Ok(download(doc))
}

async fn export_ods(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
    Query(period): Query<Period>,
) -> ApiResult<Response> {
    let doc = hours_statement::export_ods(state.store.as_ref(), &user, &name, &period).await?;
    Ok(download(doc))
}

async fn my_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(period): Query<Period>,
) -> ApiResult<Response> {
    let text = hours::export_mine_csv(state.store.as_ref(), &user, &period).await?;
    Ok(download(Document::csv("my-hours.csv".into(), text)))
}

pub fn attestation_view(a: &Attestation, association: &Actor, volunteer: Option<&str>) -> Value {
    json!({
        "id": a.id, "association": association.name, "volunteer": volunteer,
        "from": a.from, "to": a.to, "requested_at": a.requested_at,
        "confirmed": a.confirmed_at.is_some(), "confirmed_by": a.confirmed_by_name,
        "confirmed_at": a.confirmed_at, "pdf": format!("/api/v1/attestations/{}/pdf", a.id),
    })
}

async fn ask(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(input): ApiJson<AttestationInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (a, association) =
        attestations::request(state.store.as_ref(), &state.config, &user, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(attestation_view(&a, &association, Some(&user.name))),
    ))
}

async fn my_attestations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Value>> {
    let list = attestations::mine(state.store.as_ref(), &user).await?;
    Ok(Json(json!({
        "attestations": list.iter().map(|(a, asso)| attestation_view(a, asso, Some(&user.name))).collect::<Vec<_>>()
    })))
}

async fn association_attestations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    let (association, list) =
        attestations::of_association(state.store.as_ref(), &user, &name).await?;
    Ok(Json(json!({
        "attestations": list.iter().map(|(a, who)| attestation_view(a, &association, Some(who))).collect::<Vec<_>>()
    })))
}

async fn confirm(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let (a, association) = attestations::confirm(state.store.as_ref(), &user, id).await?;
    Ok(Json(attestation_view(&a, &association, None)))
}

async fn attestation_pdf(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let doc = attestations::pdf(state.store.as_ref(), &state.config, &user, id).await?;
    Ok(download(doc))
}

pub fn openapi(doc: &mut Value) {
    let err = |d: &str| json!({"description": d, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let file = |d: &str, media: &str| json!({"description": d, "content": {media: {"schema": {"type": "string", "format": "binary"}}}});
    let bearer = json!([{"bearer": []}]);
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}});
    let name =
        json!({"name": "name", "in": "path", "required": true, "schema": {"type": "string"}});
    let year = json!({"name": "year", "in": "query", "required": true, "schema": {"type": "integer"}, "description": "the calendar year"});
    let period = json!([
        {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
        {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
        {"name": "year", "in": "query", "schema": {"type": "integer"}},
        {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["pending", "validated", "refused"]}}
    ]);
    let att = json!({"type": "object", "properties": {
        "id": {"type": "integer"}, "association": {"type": "string"}, "volunteer": {"type": ["string", "null"]},
        "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
        "requested_at": {"type": "string", "format": "date-time"}, "confirmed": {"type": "boolean"},
        "confirmed_by": {"type": ["string", "null"]}, "confirmed_at": {"type": ["string", "null"], "format": "date-time"},
        "pdf": {"type": "string", "description": "where to download its PDF"}}});
    let list =
        json!({"type": "object", "properties": {"attestations": {"type": "array", "items": att}}});
    let ok = |d: &str, schema: &Value| json!({"description": d, "content": {"application/json": {"schema": schema}}});
    let with = |extra: Vec<Value>| {
        let mut v = vec![name.clone()];
        v.extend(extra);
        Value::Array(v)
    };
    let pdf = "application/pdf";
    let ods = "application/vnd.oasis.opendocument.spreadsheet";
    let paths = json!({
        "/api/v1/associations/{name}/hours/statement.pdf": {"get": {
            "summary": "The year's statement of volunteer contributions in kind (validated hours, their value, per category, month, volunteer and mission), in French (coordinators)",
            "security": bearer, "parameters": with(vec![year.clone()]),
            "responses": {"200": file("the PDF", pdf), "401": err("no valid token"), "403": err("not a coordinator"),
                          "404": err("no such association"), "422": err("no year, or not a year")}}},
        "/api/v1/associations/{name}/hours/statement.ods": {"get": {
            "summary": "The same statement as an OpenDocument spreadsheet, one sheet per table plus every validated action (coordinators)",
            "security": bearer, "parameters": with(vec![year]),
            "responses": {"200": file("the spreadsheet", ods), "401": err("no valid token"), "403": err("not a coordinator"),
                          "404": err("no such association"), "422": err("no year, or not a year")}}},
        "/api/v1/associations/{name}/hours/export.ods": {"get": {
            "summary": "The association's hours over a period as an OpenDocument spreadsheet (coordinators)",
            "security": bearer, "parameters": with(period.as_array().cloned().unwrap_or_default()),
            "responses": {"200": file("the spreadsheet", ods), "401": err("no valid token"), "403": err("not a coordinator"),
                          "404": err("no such association"), "422": err("bad period")}}},
        "/api/v1/me/hours/export.csv": {"get": {
            "summary": "My hours as CSV, with the association of each", "security": bearer, "parameters": period,
            "responses": {"200": file("the CSV", "text/csv"), "401": err("no valid token"), "422": err("bad period")}}},
        "/api/v1/me/attestations": {
            "get": {"summary": "My attestations, newest first", "security": bearer,
                    "responses": {"200": ok("my attestations", &list), "401": err("no valid token")}},
            "post": {"summary": "Ask an association of this node for an attestation of my validated hours over a period",
                     "security": bearer,
                     "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false,
                         "required": ["association", "from", "to"], "properties": {"association": {"type": "string"},
                         "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"}}}}}},
                     "responses": {"201": ok("asked", &att), "401": err("no valid token"), "404": err("no such association"),
                                   "422": err("a message per invalid field, or no validated hours in the period")}}},
        "/api/v1/associations/{name}/attestations": {"get": {
            "summary": "The attestations volunteers asked the association for (coordinators)", "security": bearer, "parameters": [name],
            "responses": {"200": ok("attestations", &list), "401": err("no valid token"), "403": err("not a coordinator"), "404": err("no such association")}}},
        "/api/v1/attestations/{id}/confirm": {"post": {
            "summary": "Confirm an attestation; who and when are recorded and printed on it (coordinators)", "security": bearer, "parameters": [id],
            "responses": {"200": ok("confirmed", &att), "401": err("no valid token"), "403": err("not a coordinator"),
                          "404": err("no such attestation"), "409": err("already confirmed")}}},
        "/api/v1/attestations/{id}/pdf": {"get": {
            "summary": "The attestation as a PDF (its volunteer or the association's coordinators); it says whether the association confirmed it",
            "security": bearer, "parameters": [id],
            "responses": {"200": file("the PDF", pdf), "401": err("no valid token"), "404": err("no such attestation")}}},
    });
    if let (Some(all), Some(new)) = (doc["paths"].as_object_mut(), paths.as_object()) {
        for (k, v) in new {
            all.insert(k.clone(), v.clone());
        }
    }
}
