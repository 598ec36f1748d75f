//! Files of volunteer hours on the web: the association's annual statement (PDF, spreadsheet)
//! and its hours (spreadsheet, CSV) for coordinators, one's own hours as CSV; attestations asked
//! by volunteers on "Mes heures" and confirmed by coordinators on the association's page.

use super::*;
use crate::i18n::Lang;
use crate::{
    documents::Document,
    http::download::download,
    service::{
        attestations::{self, AttestationInput},
        hours_statement,
    },
    storage::Attestation,
};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/me/hours.csv", get(my_csv))
        .route("/g/{name}/hours.csv", get(hours_csv))
        .route("/g/{name}/hours.ods", get(hours_ods))
        .route("/g/{name}/hours/statement.pdf", get(statement_pdf))
        .route("/g/{name}/hours/statement.ods", get(statement_ods))
        .route("/me/attestations", post(ask))
        .route("/attestations/{id}/confirm", post(confirm))
        .route("/attestations/{id}/pdf", get(pdf))
}

/// One attestation as the pages list it.
pub(super) fn view(
    lang: Lang,
    tz: chrono_tz::Tz,
    a: &Attestation,
    association: &Actor,
    volunteer: &str,
) -> Value {
    let confirmed = a.confirmed_at.map(|at| {
        let at = at.with_timezone(&tz);
        if lang == Lang::En {
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
    let period = if lang == Lang::En {
        format!("{} to {}", day(lang, a.from), day(lang, a.to))
    } else {
        format!("du {} au {}", day(lang, a.from), day(lang, a.to))
    };
    context! {
        id => a.id, association => association.label(), volunteer => volunteer, period => period,
        confirmed => confirmed, pdf => format!("/attestations/{}/pdf", a.id),
    }
}

/// A file for the signed-in user, or why not: the login page, a 422 page for a bad period or
/// year, the error page otherwise.
async fn send(
    state: &AppState,
    headers: &HeaderMap,
    user: MaybeUser,
    back: &str,
    make: impl AsyncFnOnce(&User) -> Result<Document, ServiceError>,
) -> Response {
    let page = page_ctx(state, headers, &PageQuery::default(), user);
    let Some(u) = page.user.clone() else {
        return login_redirect(back);
    };
    match make(&u).await {
        Ok(d) => download(d),
        Err(e @ ServiceError::Domain(_)) => {
            tracing::debug!(error = %e, "document refused");
            super::super::message(
                state,
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                "error",
                "error_text",
            )
        }
        Err(e) => error_page(state, &page, e),
    }
}

async fn my_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(period): Query<Period>,
    user: MaybeUser,
) -> Response {
    send(&state, &headers, user, "/me/hours", async |u: &User| {
        let text = service::hours::export_mine_csv(state.store.as_ref(), u, &period).await?;
        Ok(Document::csv("mes-heures.csv".into(), text))
    })
    .await
}

async fn hours_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(period): Query<Period>,
    user: MaybeUser,
) -> Response {
    let back = format!("/g/{name}/hours");
    send(&state, &headers, user, &back, async |u: &User| {
        let text = service::hours::export_csv(state.store.as_ref(), u, &name, &period).await?;
        Ok(Document::csv(format!("heures-{name}.csv"), text))
    })
    .await
}

async fn hours_ods(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(period): Query<Period>,
    user: MaybeUser,
) -> Response {
    let back = format!("/g/{name}/hours");
    send(&state, &headers, user, &back, async |u: &User| {
        hours_statement::export_ods(state.store.as_ref(), u, &name, &period).await
    })
    .await
}

/// The annual statement takes the year from the same query as the exports (`?year=2025`).
async fn statement_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(period): Query<Period>,
    user: MaybeUser,
) -> Response {
    let back = format!("/g/{name}/hours");
    send(&state, &headers, user, &back, async |u: &User| {
        let year = period.year.as_deref();
        hours_statement::statement_pdf(
            state.store.as_ref(),
            &state.config,
            u,
            &name,
            year,
            state.clock.now(),
        )
        .await
    })
    .await
}

async fn statement_ods(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(period): Query<Period>,
    user: MaybeUser,
) -> Response {
    let back = format!("/g/{name}/hours");
    send(&state, &headers, user, &back, async |u: &User| {
        let year = period.year.as_deref();
        hours_statement::statement_ods(state.store.as_ref(), u, &name, year).await
    })
    .await
}

async fn pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
) -> Response {
    send(&state, &headers, user, "/me/hours", async |u: &User| {
        attestations::pdf(
            state.store.as_ref(),
            &state.config,
            u,
            id,
            state.clock.now(),
        )
        .await
    })
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AskForm {
    csrf: Option<String>,
    association: String,
    from: String,
    to: String,
}

async fn ask(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: MaybeUser,
    Form(form): Form<AskForm>,
) -> Response {
    let (page, u) = match checked(&state, &headers, user, form.csrf.as_deref(), "/me/hours") {
        Ok(x) => x,
        Err(r) => return r,
    };
    let input = AttestationInput {
        association: Some(form.association.clone()),
        from: Some(iso_date(&form.from)),
        to: Some(iso_date(&form.to)),
    };
    match attestations::request(
        state.store.as_ref(),
        &state.config,
        &u,
        input,
        state.clock.now(),
    )
    .await
    {
        Ok(_) => back_to("/me/hours#h-attestations", "done", "attestation_asked"),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let key = if errors
                .0
                .values()
                .any(|m| m.to_string().starts_with("no validated hours"))
            {
                "attestation_empty"
            } else {
                "attestation_period"
            };
            back_to("/me/hours#h-attestations", "refused", key)
        }
        Err(e) => error_page(&state, &page, e),
    }
}

async fn confirm(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    user: MaybeUser,
    Form(form): Form<CsrfOnly>,
) -> Response {
    let (page, u) = match checked(&state, &headers, user, form.csrf.as_deref(), "/me/hours") {
        Ok(x) => x,
        Err(r) => return r,
    };
    match attestations::confirm(state.store.as_ref(), &u, id, state.clock.now()).await {
        Ok((_, a)) => back_to(&hours_path(&a), "done", "attestation_confirmed"),
        Err(ServiceError::Conflict(_)) => {
            // Confirmed already: back to its association's page, which says so.
            let actor = match state.store.get_attestation(id).await {
                Ok(a) => state.store.get_actor(a.actor_id).await,
                Err(e) => Err(e),
            };
            match actor {
                Ok(actor) => back_to(&hours_path(&actor), "refused", "already"),
                Err(e) => error_page(&state, &page, e.into()),
            }
        }
        Err(e) => error_page(&state, &page, e),
    }
}
