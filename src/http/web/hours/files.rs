//! Files of volunteer hours on the web: the association's annual statement (PDF, spreadsheet)
//! and its hours (spreadsheet, CSV) for coordinators, one's own hours as CSV; attestations asked
//! by volunteers on "Mes heures" and confirmed by coordinators on the association's page.

use super::*;
use crate::i18n::Lang;
use crate::{
    documents::Document,
    http::download::download_stream,
    service::{
        attestations::{self, Attestation, AttestationInput},
        hours_statement,
    },
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
        let date = day(lang, at.with_timezone(&tz).date_naive());
        let by = a.confirmed_by_name.clone().unwrap_or_default();
        i18n::tr_args(
            lang,
            "hours-attestation_confirmed",
            &[("date", date.into()), ("by", by.into())],
        )
    });
    let (from, to) = (day(lang, a.from), day(lang, a.to));
    let period = i18n::tr_args(
        lang,
        "hours-attestation_period",
        &[("from", from.into()), ("to", to.into())],
    );
    context! {
        id => a.id, association => association.label(), volunteer => volunteer, period => period,
        confirmed => confirmed, pdf => format!("/attestations/{}/pdf", a.id),
    }
}

/// A file for the signed-in user, or why not: the login page (coming back to `back`), a 400
/// page saying what is wrong with the period or year asked, the error page otherwise.
async fn send<T: IntoResponse>(
    page: Page,
    back: &str,
    make: impl AsyncFnOnce(&AppState, &User) -> Result<T, ServiceError>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(back)?;
    match make(page.state(), &user).await {
        Ok(d) => Ok(d.into_response()),
        Err(ServiceError::Domain(crate::domain::DomainError::Invalid(fields))) => {
            // The query asked for a year or a period that cannot be: say which, in words.
            let lang = page.lang;
            let text: Vec<String> = fields
                .0
                .values()
                .map(|e| crate::http::web::i18n::field_error(lang, e))
                .collect();
            let ctx = minijinja::context! {
                heading => crate::http::web::i18n::word(lang, "hours-period_refused"),
                text => text.join(" "),
            };
            Ok(page.render_status("message.html", ctx, StatusCode::BAD_REQUEST))
        }
        Err(e @ ServiceError::Domain(_)) => {
            tracing::debug!(error = %e, "document refused");
            Err(page.refuse(StatusCode::UNPROCESSABLE_ENTITY, "error", "error_text"))
        }
        Err(e) => Err(page.error(e)),
    }
}

async fn my_csv(Query(period): Query<Period>, page: Page) -> Result<Response, PageError> {
    let style = service::hours::CsvStyle::for_reader(page.lang);
    send(page, "/me/hours", async |state: &AppState, u: &User| {
        let text = service::hours::export_mine_csv(state.store.as_ref(), u, &period, style).await?;
        Ok(Document::csv("mes-heures.csv".into(), text))
    })
    .await
}

async fn hours_csv(
    Path(name): Path<String>,
    Query(period): Query<Period>,
    page: Page,
) -> Result<Response, PageError> {
    let back = format!("/g/{name}/hours");
    let style = service::hours::CsvStyle::for_reader(page.lang);
    send(page, &back, async |state: &AppState, u: &User| {
        let store = state.store.clone();
        let pieces = service::hours::export_csv_stream(store, u, &name, &period, style).await?;
        let file = format!("heures-{name}.csv");
        Ok(download_stream(&file, crate::documents::CSV, pieces))
    })
    .await
}

async fn hours_ods(
    Path(name): Path<String>,
    Query(period): Query<Period>,
    page: Page,
) -> Result<Response, PageError> {
    let back = format!("/g/{name}/hours");
    send(page, &back, async |state: &AppState, u: &User| {
        hours_statement::export_ods(state.store.as_ref(), u, &name, &period).await
    })
    .await
}

/// The annual statement takes the year from the same query as the exports (`?year=2025`).
async fn statement_pdf(
    Path(name): Path<String>,
    Query(period): Query<Period>,
    page: Page,
) -> Result<Response, PageError> {
    let back = format!("/g/{name}/hours");
    send(page, &back, async |state: &AppState, u: &User| {
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
    Path(name): Path<String>,
    Query(period): Query<Period>,
    page: Page,
) -> Result<Response, PageError> {
    let back = format!("/g/{name}/hours");
    send(page, &back, async |state: &AppState, u: &User| {
        let year = period.year.as_deref();
        hours_statement::statement_ods(state.store.as_ref(), u, &name, year).await
    })
    .await
}

async fn pdf(Path(id): Path<i64>, page: Page) -> Result<Response, PageError> {
    send(page, "/me/hours", async |state: &AppState, u: &User| {
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
    association: String,
    from: String,
    to: String,
}

async fn ask(CheckedForm(page, form): CheckedForm<AskForm>) -> Result<Response, PageError> {
    let user = page.user_or_login("/me/hours")?;
    let input = AttestationInput {
        association: Some(form.association.clone()),
        from: Some(iso_date(&form.from)),
        to: Some(iso_date(&form.to)),
    };
    let state = page.state();
    match attestations::request(
        state.store.as_ref(),
        &state.config,
        &user,
        input,
        state.clock.now(),
    )
    .await
    {
        Ok(_) => Ok(back_to(
            "/me/hours#h-attestations",
            "done",
            "attestation_asked",
        )),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let key = if errors.0.values().any(|m| m.code == "no_validated_hours") {
                "attestation_empty"
            } else {
                "attestation_period"
            };
            Ok(back_to("/me/hours#h-attestations", "refused", key))
        }
        Err(e) => Err(page.error(e)),
    }
}

async fn confirm(
    Path(id): Path<i64>,
    CheckedForm(page, _): CheckedForm<NoFields>,
) -> Result<Response, PageError> {
    let user = page.user_or_login("/me/hours")?;
    let store = page.state().store.as_ref();
    match attestations::confirm(store, &user, id, page.state().clock.now()).await {
        Ok((_, a)) => Ok(back_to(&hours_path(&a), "done", "attestation_confirmed")),
        Err(ServiceError::Conflict(_)) => {
            // Confirmed already: back to its association's page, which says so.
            let (_, a) = attestations::get(store, &user, id).await.or_page(&page)?;
            Ok(back_to(&hours_path(&a), "refused", "already"))
        }
        Err(e) => Err(page.error(e)),
    }
}
