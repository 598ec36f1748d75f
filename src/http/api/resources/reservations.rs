//! Reservations of shared equipment (issue 4): a coordinator asks for a quantity over a period
//! for their association; the owner's node decides (this one for its resources, another node
//! for its own); the parties move it on (accept, refuse, pickup, return, cancel) and sign the
//! lending agreement, also given as a PDF.

use super::super::{
    cursor,
    schema::{self, ErrorBody},
    schema_resources as wire, ApiJson,
};
use crate::http::params::{Path, Query};
use crate::{
    domain::resource::Reservation,
    http::{auth::Caller, error::ApiResult},
    service::{
        agreement as agreements,
        reservations::{self, Described, ReservationInput, ReserveOutcome},
        ServiceError,
    },
    state::AppState,
};
use axum::{http::StatusCode, Json};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// A reservation as the API shows it, with the names people need (resource, both parties).
fn view(d: Described, domain: &str, now: DateTime<Utc>) -> wire::Reservation {
    let borrower = d.borrower.as_ref().map(|b| wire::address(b, domain));
    wire::reservation(
        &d.reservation,
        d.resource,
        wire::address(&d.owner, domain),
        borrower,
        now,
    )
}

/// Reservations as the API shows them, a page of at most `limit` with the cursor of the next;
/// their resources and parties are read once for the whole page.
async fn views(
    state: &AppState,
    list: Vec<Reservation>,
    limit: i64,
) -> ApiResult<wire::Reservations> {
    let domain = state.config.domain();
    let now = state.clock.now();
    let next = cursor::next(&list, limit, |r| cursor::encode_time(r.start, r.id));
    let described = reservations::described(state.store.as_ref(), list).await?;
    Ok(wire::Reservations {
        reservations: (described.into_iter())
            .map(|d| view(d, &domain, now))
            .collect(),
        next,
    })
}

/// Reservations read at most at once (the former whole list's bound).
const RESERVATIONS_LIMIT: i64 = 5000;

/// Which page of a list of reservations (by pickup, then id).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct PageQuery {
    /// How many at most (5,000 unless said, 5,000 at most).
    limit: Option<i64>,
    /// Start after the last reservation of a page: its `next`, passed back as it is.
    cursor: Option<String>,
}

/// Where a page starts (after a pickup and an id), and its size.
type PagePlace = (Option<(DateTime<Utc>, i64)>, i64);

impl PageQuery {
    /// Where the page starts, and its size.
    fn read(&self) -> ApiResult<PagePlace> {
        let after = cursor::after(self.cursor.as_deref(), None, cursor::decode_time)?;
        let limit = (self.limit.unwrap_or(RESERVATIONS_LIMIT)).clamp(1, RESERVATIONS_LIMIT);
        Ok((after, limit))
    }
}

/// One reservation as the API shows it.
async fn one_view(state: &AppState, r: Reservation) -> ApiResult<wire::Reservation> {
    let described = reservations::described(state.store.as_ref(), vec![r]).await?;
    let d = (described.into_iter().next()).ok_or(ServiceError::NotFound("reservation"))?;
    Ok(view(d, &state.config.domain(), state.clock.now()))
}

#[utoipa::path(get, path = "/api/v1/resources/{id}/reservations", tag = "reservations",
    summary = "All the reservations of one of this node's resources, by pickup (the owner's coordinators)",
    description = "In pages: `limit`, then `cursor` = the `next` of the page before (given when a page is full), cheap at any depth; a reservation added meanwhile is seen once or not at all, never twice.",
    params(("id" = i64, Path, description = "the resource's id"), PageQuery),
    responses(
        (status = 200, description = "its reservations", body = wire::Reservations),
        (status = 400, description = "bad parameter (a cursor that is not one)", body = ErrorBody),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not the owner's coordinator", body = ErrorBody),
        crate::http::api::schema::NoSuchResource),
    security(("bearer" = [])))]
pub(super) async fn resource_reservations(
    me: Caller,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<wire::Reservations>> {
    let (after, limit) = q.read()?;
    let list = reservations::of_resource(me.store(), &me.user, id, after, limit).await?;
    Ok(Json(views(&me, list, limit).await?))
}

#[utoipa::path(get, path = "/api/v1/associations/{name}/reservations", tag = "reservations",
    summary = "An association's reservations, as owner of the equipment and as borrower (coordinators)",
    description = "In pages, as a resource's reservations.",
    params(("name" = String, Path, description = "the association's name"), PageQuery),
    responses(
        (status = 200, description = "its reservations, by pickup", body = wire::Reservations),
        (status = 400, description = "bad parameter (a cursor that is not one)", body = ErrorBody),
        crate::http::api::schema::NoToken,
        crate::http::api::schema::NotCoordinator,
        crate::http::api::schema::NoSuchAssociation),
    security(("bearer" = [])))]
pub(super) async fn association_reservations(
    me: Caller,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<wire::Reservations>> {
    let (after, limit) = q.read()?;
    let list = reservations::page_of_association(me.store(), &me.user, &name, after, limit).await?;
    Ok(Json(views(&me, list, limit).await?))
}

#[utoipa::path(post, path = "/api/v1/resources/{id}/reservations", tag = "reservations",
    summary = "Ask for a quantity over a period for an association of this node you coordinate",
    description = "This node's resources are decided at once (accepted, refused with the reason, or waiting for the owner's coordinators); another node's wait for its answer (an Offer is sent). The same offer_id twice answers the first reservation (200).",
    params(("id" = i64, Path, description = "the resource's id")),
    request_body = ReservationInput,
    responses(
        (status = 201, description = "recorded", body = wire::Reservation),
        (status = 200, description = "this offer id was recorded before", body = wire::Reservation),
        crate::http::api::schema::NoToken,
        (status = 403, description = "not a coordinator of the borrower", body = ErrorBody),
        crate::http::api::schema::NoSuchResource,
        (status = 422, description = "return before pickup, more than the pool, shorter than the notice, longer than allowed, a borrower the owner does not lend to…", body = ErrorBody)),
    security(("bearer" = [])))]
pub(super) async fn reserve(
    me: Caller,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ReservationInput>,
) -> ApiResult<(StatusCode, Json<wire::Reservation>)> {
    let (outcome, _) =
        reservations::request(me.store(), &me.config, &me.user, id, input, me.now()).await?;
    me.queued();
    Ok(match outcome {
        ReserveOutcome::Recorded(r) => (StatusCode::CREATED, Json(one_view(&me, r).await?)),
        ReserveOutcome::Existing(r) => (StatusCode::OK, Json(one_view(&me, r).await?)),
    })
}

#[utoipa::path(get, path = "/api/v1/reservations/{id}", tag = "reservations",
    summary = "A reservation (its owner's or its borrower's coordinators)",
    params(("id" = i64, Path, description = "the reservation's id")),
    responses(
        (status = 200, description = "the reservation, with `shown_state` overdue when not returned in time", body = wire::Reservation),
        crate::http::api::schema::NoToken,
        (status = 404, description = "no such reservation", body = ErrorBody)),
    security(("bearer" = [])))]
pub(super) async fn reservation(
    me: Caller,
    Path(id): Path<i64>,
) -> ApiResult<Json<wire::Reservation>> {
    // The parties come with what the view needs: nothing more to read.
    let p = reservations::parties(me.store(), &me.user, id).await?;
    let d = Described {
        reservation: p.reservation,
        resource: p.resource,
        owner: p.owner,
        borrower: p.borrower,
    };
    Ok(Json(view(d, &me.config.domain(), me.now())))
}

#[utoipa::path(get, path = "/api/v1/reservations/{id}/agreement", tag = "reservations",
    summary = "The lending agreement of an accepted reservation (its parties)",
    params(("id" = i64, Path, description = "the reservation's id")),
    responses(
        (status = 200, description = "parties, facts, text, signatures", body = wire::Agreement),
        crate::http::api::schema::NoToken,
        (status = 404, description = "no such reservation", body = ErrorBody),
        (status = 409, description = "not accepted", body = ErrorBody)),
    security(("bearer" = [])))]
pub(super) async fn agreement(me: Caller, Path(id): Path<i64>) -> ApiResult<Json<wire::Agreement>> {
    let a = agreements::agreement(me.store(), &me.config, &me.user, id).await?;
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
        crate::http::api::schema::NoToken,
        (status = 404, description = "no such reservation", body = ErrorBody),
        (status = 409, description = "not accepted", body = ErrorBody)),
    security(("bearer" = [])))]
pub(super) async fn agreement_pdf(
    me: Caller,
    Path(id): Path<i64>,
) -> ApiResult<axum::response::Response> {
    let a = agreements::agreement(me.store(), &me.config, &me.user, id).await?;
    Ok(crate::http::download::download(agreements::pdf(&a)?))
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
        crate::http::api::schema::NoToken,
        (status = 403, description = "not allowed", body = ErrorBody),
        (status = 404, description = "no such reservation or action", body = ErrorBody),
        (status = 409, description = "not possible in its state, or the pool is taken", body = ErrorBody),
        (status = 422, description = "a refusal without a reason", body = ErrorBody)),
    security(("bearer" = [])))]
pub(super) async fn act(
    me: Caller,
    Path((id, action)): Path<(i64, String)>,
    body: axum::body::Bytes,
) -> ApiResult<Json<wire::Reservation>> {
    // The body is optional: `{"reason": "…"}`, `{"notes": "…"}` or `{"side": "…"}`.
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        Body::default()
    } else {
        serde_json::from_slice::<Body>(&body).map_err(|_| {
            ServiceError::from(crate::domain::DomainError::field(
                "reason",
                crate::domain::FieldError::new("move_body").text(
                    "forms",
                    r#"{"reason": "…"}, {"notes": "…"}, {"side": "owner"}"#,
                ),
            ))
        })?
    };
    let store = me.store();
    let action_with = reservations::Action {
        reason: body.reason,
        notes: body.notes,
        side: body.side,
    };
    let r = reservations::act(
        store,
        &me.config,
        &me.user,
        id,
        &action,
        action_with,
        me.now(),
    )
    .await?;
    me.queued();
    Ok(Json(one_view(&me, r).await?))
}
