//! Documents of volunteer hours: an association's annual statement (PDF, spreadsheet), its
//! hours as a spreadsheet, my own hours as CSV, and attestations (ask, list, confirm, PDF).

use super::{
    schema::{self, ErrorBody},
    ApiJson,
};
use crate::http::params::{Path, Query};
use crate::{
    domain::actor::Actor,
    http::{
        auth::Caller,
        download::{download, download_stream},
        error::ApiResult,
    },
    service::{
        attestations::{self, Attestation, AttestationInput},
        hours::{self, Period},
        hours_statement,
    },
    state::AppState,
};
use axum::{
    http::StatusCode,
    response::Response,
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use utoipa::IntoParams;

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

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct YearQuery {
    /// The calendar year (required).
    year: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/hours/statement.pdf", tag = "hours",
    summary = "The year's statement of volunteer contributions in kind (validated hours, their value, per category, month, volunteer and mission), in French (coordinators)",
    params(("name" = String, Path, description = "the association's name"), YearQuery),
    responses(
        (status = 200, description = "the PDF", content_type = "application/pdf", body = schema::FileBytes),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation,
        (status = 422, description = "no year, or not a year", body = ErrorBody)),
    security(("bearer" = [])))]
async fn statement_pdf(
    me: Caller,
    Path(name): Path<String>,
    Query(q): Query<YearQuery>,
) -> ApiResult<Response> {
    let doc = hours_statement::statement_pdf(
        me.store(),
        &me.config,
        &me.user,
        &name,
        q.year.as_deref(),
        me.now(),
    )
    .await?;
    Ok(download(doc))
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/hours/statement.ods", tag = "hours",
    summary = "The same statement as an OpenDocument spreadsheet, one sheet per table plus every validated action (coordinators)",
    params(("name" = String, Path, description = "the association's name"), YearQuery),
    responses(
        (status = 200, description = "the spreadsheet", content_type = "application/vnd.oasis.opendocument.spreadsheet", body = schema::FileBytes),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation,
        (status = 422, description = "no year, or not a year", body = ErrorBody)),
    security(("bearer" = [])))]
async fn statement_ods(
    me: Caller,
    Path(name): Path<String>,
    Query(q): Query<YearQuery>,
) -> ApiResult<Response> {
    let doc =
        hours_statement::statement_ods(me.store(), &me.user, &name, q.year.as_deref()).await?;
    Ok(download(doc))
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/hours/export.ods", tag = "hours",
    summary = "The association's hours over a period as an OpenDocument spreadsheet (coordinators)",
    params(("name" = String, Path, description = "the association's name"), Period),
    responses(
        (status = 200, description = "the spreadsheet", content_type = "application/vnd.oasis.opendocument.spreadsheet", body = schema::FileBytes),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation,
        crate::http::api::schema::BadPeriod),
    security(("bearer" = [])))]
async fn export_ods(
    me: Caller,
    Path(name): Path<String>,
    Query(period): Query<Period>,
) -> ApiResult<Response> {
    let doc = hours_statement::export_ods(me.store(), &me.user, &name, &period).await?;
    Ok(download(doc))
}

#[utoipa::path(get, path = "/api/v1/me/hours/export.csv", tag = "hours",
    summary = "My hours as CSV, with the association of each",
    description = "Oldest first; sent as it is read (in chunks, without a Content-Length), so a year of hours never sits in memory at once.",
    params(Period),
    responses(
        (status = 200, description = "the CSV", content_type = "text/csv", body = String),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::BadPeriod),
    security(("bearer" = [])))]
async fn my_csv(me: Caller, Query(period): Query<Period>) -> ApiResult<Response> {
    let style = hours::CsvStyle::CODES;
    let pieces = hours::export_mine_csv_stream(me.store.clone(), &me.user, &period, style).await?;
    Ok(download_stream(
        "my-hours.csv",
        crate::documents::CSV,
        pieces,
    ))
}

/// An attestation as the API shows it.
pub fn attestation_view(
    a: &Attestation,
    association: &Actor,
    volunteer: Option<&str>,
) -> schema::Attestation {
    schema::Attestation {
        id: a.id,
        association: association.name.clone(),
        volunteer: volunteer.map(str::to_string),
        from: a.from,
        to: a.to,
        requested_at: a.requested_at,
        confirmed: a.confirmed_at.is_some(),
        confirmed_by: a.confirmed_by_name.clone(),
        confirmed_at: a.confirmed_at,
        pdf: format!("/api/v1/attestations/{}/pdf", a.id),
    }
}

#[utoipa::path(post, path = "/api/v1/me/attestations", tag = "attestations",
    summary = "Ask an association of this node for an attestation of my validated hours over a period",
    request_body = AttestationInput,
    responses(
        (status = 201, description = "asked", body = schema::Attestation),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NoSuchAssociation,
        (status = 422, description = "a message per invalid field, or no validated hours in the period", body = ErrorBody)),
    security(("bearer" = [])))]
async fn ask(
    me: Caller,
    ApiJson(input): ApiJson<AttestationInput>,
) -> ApiResult<(StatusCode, Json<schema::Attestation>)> {
    let (a, association) =
        attestations::request(me.store(), &me.config, &me.user, input, me.now()).await?;
    Ok((
        StatusCode::CREATED,
        Json(attestation_view(&a, &association, Some(&me.user.name))),
    ))
}

#[utoipa::path(get, path = "/api/v1/me/attestations", tag = "attestations",
    summary = "My attestations, newest first",
    responses(
        (status = 200, description = "my attestations", body = schema::Attestations),
        crate::http::api::schema::NoToken),
    security(("bearer" = [])))]
async fn my_attestations(me: Caller) -> ApiResult<Json<schema::Attestations>> {
    let list = attestations::mine(me.store(), &me.user).await?;
    Ok(Json(schema::Attestations {
        attestations: (list.iter())
            .map(|(a, asso)| attestation_view(a, asso, Some(&me.user.name)))
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/attestations", tag = "attestations",
    summary = "The attestations volunteers asked the association for (coordinators)",
    params(("name" = String, Path, description = "the association's name")),
    responses(
        (status = 200, description = "attestations", body = schema::Attestations),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation),
    security(("bearer" = [])))]
async fn association_attestations(
    me: Caller,
    Path(name): Path<String>,
) -> ApiResult<Json<schema::Attestations>> {
    let (association, list) = attestations::of_association(me.store(), &me.user, &name).await?;
    Ok(Json(schema::Attestations {
        attestations: (list.iter())
            .map(|(a, who)| attestation_view(a, &association, Some(who)))
            .collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/attestations/{id}/confirm", tag = "attestations",
    summary = "Confirm an attestation; who and when are recorded and printed on it (coordinators)",
    params(("id" = i64, Path, description = "the attestation's id")),
    responses(
        (status = 200, description = "confirmed", body = schema::Attestation),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        (status = 404, description = "no such attestation", body = ErrorBody),
        (status = 409, description = "already confirmed", body = ErrorBody)),
    security(("bearer" = [])))]
async fn confirm(me: Caller, Path(id): Path<i64>) -> ApiResult<Json<schema::Attestation>> {
    let (a, association) = attestations::confirm(me.store(), &me.user, id, me.now()).await?;
    Ok(Json(attestation_view(&a, &association, None)))
}

#[utoipa::path(get, path = "/api/v1/attestations/{id}/pdf", tag = "attestations",
    summary = "The attestation as a PDF (its volunteer or the association's coordinators); it says whether the association confirmed it",
    params(("id" = i64, Path, description = "the attestation's id")),
    responses(
        (status = 200, description = "the PDF", content_type = "application/pdf", body = schema::FileBytes),
        crate::http::api::schema::NoToken,
        (status = 404, description = "no such attestation", body = ErrorBody)),
    security(("bearer" = [])))]
async fn attestation_pdf(me: Caller, Path(id): Path<i64>) -> ApiResult<Response> {
    let doc = attestations::pdf(me.store(), &me.config, &me.user, id, me.now()).await?;
    Ok(download(doc))
}
