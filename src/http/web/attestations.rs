//! Documents of volunteer hours on the web: the association's annual statement (PDF,
//! spreadsheet) and its hours as a spreadsheet for coordinators; attestations asked by
//! volunteers on "Mes heures", confirmed by coordinators on the association's hours page.

use super::{
    pages::{csrf_ok, csrf_refused, error_page, login_redirect, page_ctx, with_param, PageQuery},
    PageCtx,
};
use crate::{
    domain::{account::User, actor::Actor, DomainError},
    http::{api::hours_documents::download, auth::MaybeUser},
    service::{
        attestations::{self, AttestationInput},
        hours::Period,
        hours_statement::{self, Document},
        ServiceError,
    },
    state::AppState,
    storage::Attestation,
};
use axum::{
    extract::{Form, Path, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use chrono::NaiveDate;
use minijinja::{context, Value};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/g/{name}/hours/statement.pdf", get(statement_pdf))
        .route("/g/{name}/hours/statement.ods", get(statement_ods))
        .route("/g/{name}/hours.ods", get(hours_ods))
        .route("/me/attestations", post(ask))
        .route("/attestations/{id}/confirm", post(confirm))
        .route("/attestations/{id}/pdf", get(pdf))
}

fn day(lang: &str, d: NaiveDate) -> String {
    if lang == "en" {
        d.to_string()
    } else {
        d.format("%d/%m/%Y").to_string()
    }
}

/// One attestation as the pages list it.
pub fn view(
    lang: &str,
    tz: chrono_tz::Tz,
    a: &Attestation,
    association: &Actor,
    volunteer: &str,
) -> Value {
    let confirmed = a.confirmed_at.map(|at| {
        let at = at.with_timezone(&tz);
        if lang == "en" {
            format!(
                "Confirmed on {} by {}",
                at.format("%Y-%m-%d"),
                a.confirmed_by_name.as_deref().unwrap_or("")
            )
        } else {
            format!(
                "Confirmée le {} par {}",
                at.format("%d/%m/%Y"),
                a.confirmed_by_name.as_deref().unwrap_or("")
            )
        }
    });
    let period = if lang == "en" {
        format!("{} to {}", day(lang, a.from), day(lang, a.to))
    } else {
        format!("du {} au {}", day(lang, a.from), day(lang, a.to))
    };
    context! {
        id => a.id, association => association.label(), volunteer => volunteer, period => period,
        confirmed => confirmed, pdf => format!("/attestations/{}/pdf", a.id),
    }
}

/// The logged-in user, or the response that sends them to the login page.
#[allow(clippy::result_large_err)]
fn user_of(
    state: &AppState,
    headers: &HeaderMap,
    user: MaybeUser,
    back: &str,
) -> Result<(PageCtx, User), Response> {
    let page = page_ctx(state, headers, &PageQuery::default(), user);
    match page.user.clone() {
        Some(u) => Ok((page, u)),
        None => Err(login_redirect(back)),
    }
}

fn send(state: &AppState, page: &PageCtx, doc: Result<Document, ServiceError>) -> Response {
    match doc {
        Ok(d) => download(d),
        Err(e @ ServiceError::Domain(_)) => {
            tracing::debug!(error = %e, "document refused");
            super::message(
                state,
                page,
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "error",
                "error_text",
            )
        }
        Err(e) => error_page(state, page, e),
    }
}

#[derive(Debug, Default, Deserialize)]
struct YearQuery {
    year: Option<String>,
}

async fn statement_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<YearQuery>,
    user: MaybeUser,
) -> Response {
    let (page, u) = match user_of(&state, &headers, user, &format!("/g/{name}/hours")) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let doc = hours_statement::statement_pdf(
        state.store.as_ref(),
        &state.config,
        &u,
        &name,
        q.year.as_deref(),
    )
    .await;
    send(&state, &page, doc)
}

async fn statement_ods(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<YearQuery>,
    user: MaybeUser,
) -> Response {
    let (page, u) = match user_of(&state, &headers, user, &format!("/g/{name}/hours")) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let doc =
        hours_statement::statement_ods(state.store.as_ref(), &u, &name, q.year.as_deref()).await;
    send(&state, &page, doc)
}

async fn hours_ods(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(period): Query<Period>,
    user: MaybeUser,
) -> Response {
    let (page, u) = match user_of(&state, &headers, user, &format!("/g/{name}/hours")) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let doc = hours_statement::export_ods(state.store.as_ref(), &u, &name, &period).await;
    send(&state, &page, doc)
}

async fn pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
) -> Response {
    let (page, u) = match user_of(&state, &headers, user, "/me/hours") {
        Ok(x) => x,
        Err(r) => return r,
    };
    let doc = attestations::pdf(state.store.as_ref(), &state.config, &u, id).await;
    send(&state, &page, doc)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AskForm {
    csrf: Option<String>,
    association: String,
    from: String,
    to: String,
}

/// `path` with `key=value` in its query, before its `#fragment` if it has one.
fn back(path: &str, key: &str, value: &str) -> Response {
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (p, format!("#{f}")),
        None => (path, String::new()),
    };
    Redirect::to(&format!("{}{fragment}", with_param(path, key, value))).into_response()
}

async fn ask(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: MaybeUser,
    Form(form): Form<AskForm>,
) -> Response {
    let session = user.1.clone();
    let (page, u) = match user_of(&state, &headers, user, "/me/hours") {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !csrf_ok(session.as_deref(), form.csrf.as_deref()) {
        return csrf_refused(&state, &page);
    }
    let input = AttestationInput {
        association: Some(form.association.clone()),
        from: Some(super::hours::iso_date(&form.from)),
        to: Some(super::hours::iso_date(&form.to)),
    };
    match attestations::request(state.store.as_ref(), &state.config, &u, input).await {
        Ok(_) => back("/me/hours#h-attestations", "done", "attestation_asked"),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let key = if errors
                .0
                .values()
                .any(|m| m.starts_with("no validated hours"))
            {
                "attestation_empty"
            } else {
                "attestation_period"
            };
            back("/me/hours#h-attestations", "refused", key)
        }
        Err(e) => error_page(&state, &page, e),
    }
}

#[derive(Debug, Default, Deserialize)]
struct CsrfOnly {
    csrf: Option<String>,
}

async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let session = user.1.clone();
    let (page, u) = match user_of(&state, &headers, user, "/me/hours") {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !csrf_ok(session.as_deref(), form.csrf.as_deref()) {
        return csrf_refused(&state, &page);
    }
    match attestations::confirm(state.store.as_ref(), &u, id).await {
        Ok((_, a)) => back(
            &format!("/g/{}/hours", a.name),
            "done",
            "attestation_confirmed",
        ),
        Err(ServiceError::Conflict(_)) => match state.store.get_attestation(id).await {
            Ok(a) => match state.store.get_actor(a.actor_id).await {
                Ok(actor) => back(&format!("/g/{}/hours", actor.name), "refused", "already"),
                Err(e) => error_page(&state, &page, e.into()),
            },
            Err(e) => error_page(&state, &page, e.into()),
        },
        Err(e) => error_page(&state, &page, e),
    }
}
