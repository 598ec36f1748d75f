//! "SMS" (`/me/sms`): a person gives a mobile number, confirms it with the code received by
//! SMS, chooses which messages they want by SMS, and stops them (issue 16).

use super::pages::{flash, shown_errors, with_param, PageQuery};
use super::{CheckedForm, LoggedIn, Page, PageError};
use crate::http::params::Query;
use crate::http::web::prelude::*;
use crate::{
    domain::{account::User, DomainError, FieldErrors},
    service::{sms, ServiceError},
};

const BACK: &str = "/me/sms";

pub fn router() -> Router<crate::state::AppState> {
    Router::new()
        .route("/me/sms", get(phone_page))
        .route("/me/sms/number", post(save_number))
        .route("/me/sms/confirm", post(confirm))
        .route("/me/sms/choices", post(choices))
        .route("/me/sms/stop", post(stop))
}

#[derive(Debug, Default, Deserialize)]
struct PhoneForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    code: String,
    /// Checkboxes: present when ticked.
    messages: Option<String>,
    reminders: Option<String>,
}

async fn render(
    page: &Page,
    user: &User,
    typed: &str,
    errors: &FieldErrors,
    status: StatusCode,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let state = page.state();
    let phone = sms::phone(state.store.as_ref(), user)
        .await
        .map_err(|e| page.error(e))?;
    let shown = shown_errors(
        page.lang,
        errors,
        &["phone", "code"],
        |f| f.to_string(),
        |f| f.to_string(),
    );
    let stopped = phone.as_ref().and_then(|p| p.stopped_at).map(|at| {
        super::i18n::long_date(
            page.lang,
            at.with_timezone(&state.config.timezone()).date_naive(),
        )
    });
    let ctx = context! {
        enabled => state.config.sms.enabled,
        phone => phone, stopped => stopped,
        typed => typed, notice => notice,
        errors => shown.by_field, error_summary => shown.summary, errors_title => shown.title,
    };
    Ok(page.render_status("sms_phone.html", ctx, status))
}

/// `GET /me/sms`.
async fn phone_page(
    LoggedIn { page, user }: LoggedIn,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let (notice, error) = flash(page.lang, &q);
    render(
        &page,
        &user,
        "",
        &FieldErrors::new(),
        StatusCode::OK,
        error.or(notice),
    )
    .await
}

/// After a use case: back to the page with a notice, or the page again with what went wrong.
async fn answer(
    page: &Page,
    user: &User,
    typed: &str,
    result: Result<(), ServiceError>,
    done: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => {
            page.state().queued();
            Ok(Redirect::to(&with_param(BACK, "done", done)).into_response())
        }
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(page, user, typed, &errors, status, None).await
        }
        Err(ServiceError::Conflict(d)) | Err(ServiceError::Forbidden(d)) => {
            let words = crate::i18n::denials::sentence(page.lang, &d);
            render(
                page,
                user,
                typed,
                &FieldErrors::new(),
                StatusCode::CONFLICT,
                Some(words),
            )
            .await
        }
        Err(e) => Err(page.error(e)),
    }
}

/// `POST /me/sms/number`: a code goes to the number.
async fn save_number(
    CheckedForm(page, form): CheckedForm<PhoneForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    let done = sms::set_phone(
        state.store.as_ref(),
        &state.config.sms,
        &user,
        &form.phone,
        state.clock.now(),
    )
    .await
    .map(|_| ());
    answer(&page, &user, &form.phone, done, "sms_code_sent").await
}

/// `POST /me/sms/confirm`.
async fn confirm(CheckedForm(page, form): CheckedForm<PhoneForm>) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    let done = sms::confirm_phone(state.store.as_ref(), &user, &form.code, state.clock.now()).await;
    answer(&page, &user, "", done, "sms_confirmed").await
}

/// `POST /me/sms/choices`.
async fn choices(CheckedForm(page, form): CheckedForm<PhoneForm>) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    let done = sms::set_choices(
        state.store.as_ref(),
        &state.config.sms,
        &user,
        form.messages.is_some(),
        form.reminders.is_some(),
        state.clock.now(),
    )
    .await;
    answer(&page, &user, "", done, "sms_choices").await
}

/// `POST /me/sms/stop`.
async fn stop(CheckedForm(page, _): CheckedForm<PhoneForm>) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    let done = sms::stop(state.store.as_ref(), &user, state.clock.now()).await;
    answer(&page, &user, "", done, "sms_stopped").await
}
