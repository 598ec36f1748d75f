//! Coming in without anyone's help: the registration form (`/register`), the page a
//! confirmation link opens (a button confirms: mail scanners that open links must not use
//! them up), and a new password by email (`/password/forgot`, `/password/reset`).

use super::associations::encode_path;
use super::login::safe_next;
use super::pages::{shown_errors, PageQuery};
use super::{i18n, CheckedForm, OrPage, Page, PageError};
use crate::{
    domain::{DomainError, FieldErrors},
    http::auth::ClientAddress,
    service::{
        registration::{self, Registered, Registration},
        ServiceError,
    },
    state::AppState,
};
use axum::{
    extract::Query,
    http::{header, HeaderValue, StatusCode},
    response::Response,
    routing::get,
    Router,
};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/register", get(register_page).post(register))
        .route("/register/confirm", get(confirm_page).post(confirm))
        .route("/password/forgot", get(forgot_page).post(forgot))
        .route("/password/reset", get(reset_page).post(reset))
        .route("/guide/compte", get(guide))
}

/// The French guide for volunteers (`docs/guide/compte.md`), as a page in French whatever the
/// visitor's language.
async fn guide(page: Page) -> Response {
    page.french_guide(include_str!("../../../docs/guide/compte.md"))
}

/// What a refused form shows again (never a password).
#[derive(Debug, Default, Deserialize, Serialize)]
struct RegisterForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    email: String,
    #[serde(default, skip_serializing)]
    password: String,
    #[serde(default)]
    full_name: String,
    /// Where to go once logged in (an invitation's page), kept from `/register?next=`.
    #[serde(default)]
    next: String,
}

/// A form's errors as the templates show them.
fn errors_ctx(page: &Page, errors: &FieldErrors, order: &[&str]) -> Value {
    let shown = shown_errors(
        page.lang,
        errors,
        order,
        |f| f.to_string(),
        |f| f.to_string(),
    );
    context! {
        errors => shown.by_field, error_summary => shown.summary, errors_title => shown.title,
    }
}

/// "Too many tries: wait N minutes", as a 429 page with `Retry-After`.
fn braked_words(page: &Page, wait: chrono::Duration) -> String {
    let minutes = (wait.num_seconds() + 59) / 60;
    i18n::tr_args(page.lang, "acc_braked", &[("minutes", minutes.into())])
}

fn with_retry(mut res: Response, wait: chrono::Duration) -> Response {
    res.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(wait.num_seconds().max(1)),
    );
    res
}

fn register_form(page: &Page, values: &RegisterForm, extra: Value, status: StatusCode) -> Response {
    let state = page.state();
    let mode = state.config.accounts.registration;
    let ctx = context! {
        closed => mode.new_account_state().is_none(),
        approval => mode == crate::domain::account::RegistrationMode::Approval,
        no_mail => !state.config.smtp.enabled,
        values => values,
        next_q => encode_path(&values.next),
        ..extra
    };
    page.render_status("register.html", ctx, status)
}

/// `GET /register`: the form, or why there is none.
async fn register_page(page: Page, Query(q): Query<PageQuery>) -> Response {
    let values = RegisterForm {
        next: next_or_empty(q.next.as_deref()),
        ..Default::default()
    };
    register_form(&page, &values, context! {}, StatusCode::OK)
}

/// A page of this site to come back to (never another site's), or nothing.
fn next_or_empty(next: Option<&str>) -> String {
    match safe_next(next) {
        n if n == "/" => String::new(),
        n => n,
    }
}

/// `POST /register`.
async fn register(
    ClientAddress(address): ClientAddress,
    CheckedForm(page, form): CheckedForm<RegisterForm>,
) -> Result<Response, PageError> {
    let state = page.state();
    let now = state.clock.now();
    registration::open(&state.config).map_err(|closed| page.error(closed))?;
    if let Err(wait) = state.account_throttle.register(address, &form.email, now) {
        let extra = context! { braked => braked_words(&page, wait) };
        let res = register_form(&page, &form, extra, StatusCode::TOO_MANY_REQUESTS);
        return Ok(with_retry(res, wait));
    }
    let input = Registration {
        username: form.username.clone(),
        email: form.email.clone(),
        password: form.password.clone(),
        full_name: form.full_name.clone(),
        language: page.lang.to_string(),
    };
    match registration::register(state.store.as_ref(), &state.config, input, now).await {
        Ok(Registered::CheckMailbox { awaiting_approval }) => {
            state.wake.notify_waiters();
            let text = match (awaiting_approval, state.config.smtp.enabled) {
                (_, false) => "register_sent_no_mail",
                (true, true) => "register_sent_approval",
                (false, true) => "register_sent_text",
            };
            let next = next_or_empty(Some(&form.next));
            if next.is_empty() {
                return Ok(page.message(StatusCode::OK, "register_sent", text));
            }
            // Sent from an invitation: log in, then back to it.
            let ctx = context! {
                heading => i18n::word(page.lang, "register_sent"),
                text => i18n::word(page.lang, text),
                login_next => encode_path(&next),
            };
            Ok(page.render("message.html", ctx))
        }
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let order = ["username", "full_name", "email", "password"];
            let extra = errors_ctx(&page, &errors, &order);
            Ok(register_form(
                &page,
                &form,
                extra,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(page.error(e)),
    }
}

#[derive(Debug, Default, Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// `GET /register/confirm?token=…`: a button that confirms (the link alone changes nothing).
async fn confirm_page(page: Page, Query(q): Query<TokenQuery>) -> Response {
    page.render("confirm.html", context! { token => q.token })
}

/// `POST /register/confirm`: the address is confirmed; then log in (or go on).
async fn confirm(CheckedForm(page, form): CheckedForm<TokenQuery>) -> Result<Response, PageError> {
    let state = page.state();
    registration::confirm_email(state.store.as_ref(), &form.token, state.clock.now())
        .await
        .or_page(&page)?;
    Ok(page.message(StatusCode::OK, "confirmed", "confirmed_text"))
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct ForgotForm {
    #[serde(default)]
    email: String,
}

fn forgot_form(page: &Page, values: &ForgotForm, extra: Value, status: StatusCode) -> Response {
    let ctx = context! {
        no_mail => !page.state().config.smtp.enabled, values => values, token => "", ..extra
    };
    page.render_status("password.html", ctx, status)
}

/// `GET /password/forgot`.
async fn forgot_page(page: Page) -> Response {
    forgot_form(&page, &ForgotForm::default(), context! {}, StatusCode::OK)
}

/// `POST /password/forgot`: the same answer whether an account has the address or not.
async fn forgot(
    ClientAddress(address): ClientAddress,
    CheckedForm(page, form): CheckedForm<ForgotForm>,
) -> Result<Response, PageError> {
    let state = page.state();
    let now = state.clock.now();
    if let Err(wait) = state.account_throttle.reset(address, &form.email, now) {
        let extra = context! { braked => braked_words(&page, wait) };
        let res = forgot_form(&page, &form, extra, StatusCode::TOO_MANY_REQUESTS);
        return Ok(with_retry(res, wait));
    }
    match registration::request_reset(state.store.as_ref(), &state.config, &form.email, now).await {
        Ok(()) => {
            state.wake.notify_waiters();
            Ok(page.message(StatusCode::OK, "forgot_sent", "forgot_sent_text"))
        }
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let extra = errors_ctx(&page, &errors, &["email"]);
            Ok(forgot_form(
                &page,
                &form,
                extra,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(page.error(e)),
    }
}

/// `GET /password/reset?token=…`: the new password's form.
async fn reset_page(page: Page, Query(q): Query<TokenQuery>) -> Response {
    if q.token.trim().is_empty() {
        return page.message(StatusCode::GONE, "link_invalid", "link_invalid_text");
    }
    page.render("password.html", context! { token => q.token })
}

#[derive(Debug, Deserialize)]
struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

/// `POST /password/reset`: the new password; every session of the account ends.
async fn reset(CheckedForm(page, form): CheckedForm<ResetForm>) -> Result<Response, PageError> {
    let state = page.state();
    let now = state.clock.now();
    match registration::reset_password(state.store.as_ref(), &form.token, &form.password, now).await
    {
        Ok(_) => Ok(page.message(StatusCode::OK, "reset_done", "reset_done_text")),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let extra = errors_ctx(&page, &errors, &["password"]);
            let ctx = context! { token => form.token, ..extra };
            Ok(page.render_status("password.html", ctx, StatusCode::UNPROCESSABLE_ENTITY))
        }
        Err(e) => Err(page.error(e)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_registration_form_never_shows_the_password_again() {
        let form = super::RegisterForm {
            username: "anne".into(),
            password: "secret password".into(),
            ..Default::default()
        };
        let shown = serde_json::to_string(&form).unwrap_or_default();
        assert!(
            shown.contains("anne") && !shown.contains("secret"),
            "{shown}"
        );
    }
}
