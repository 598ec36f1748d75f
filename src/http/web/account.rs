//! "Mon compte" (`/me/account`): the full name, the display name, the language, the address and
//! the password of the person logged in; sending the confirmation link again. And the
//! administrators' page of accounts waiting for a decision (`/admin/accounts`).

use super::pages::{shown_errors, with_param, PageQuery};
use super::{i18n, CheckedForm, LoggedIn, OrPage, Page, PageError};
use crate::http::web::prelude::*;
use crate::{
    domain::{account::AccountState, account::User, DomainError, FieldErrors},
    service::{
        accounts::hash_secret,
        registration::{self, ProfileChange},
        ServiceError,
    },
};

const BACK: &str = "/me/account";

pub fn router() -> Router<crate::state::AppState> {
    Router::new()
        .route("/me/account", get(account_page))
        .route("/me/account/profile", post(save_profile))
        .route("/me/account/password", post(save_password))
        .route("/me/account/email", post(save_email))
        .route("/me/account/resend", post(resend))
        .route("/admin/accounts", get(admin_page))
        .route("/admin/accounts/{id}/approve", post(approve))
        .route("/admin/accounts/{id}/refuse", post(refuse))
}

/// What the forms show (never a password).
#[derive(Debug, Default, Deserialize, Serialize)]
struct AccountForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    new_email: String,
    #[serde(default, skip_serializing)]
    email_password: String,
    #[serde(default, skip_serializing)]
    current_password: String,
    #[serde(default, skip_serializing)]
    new_password: String,
}

async fn account_form(
    page: &Page,
    user: &User,
    values: Option<AccountForm>,
    errors: &FieldErrors,
    status: StatusCode,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let state = page.state();
    let values = match values {
        Some(v) => v,
        None => AccountForm {
            full_name: user.full_name.clone(),
            display_name: registration::display_name(state.store.as_ref(), user)
                .await
                .or_page(page)?,
            language: user.language.clone(),
            ..Default::default()
        },
    };
    let order = [
        "full_name",
        "display_name",
        "language",
        "new_email",
        "email_password",
        "current_password",
        "new_password",
    ];
    let shown = shown_errors(
        page.lang,
        errors,
        &order,
        |f| f.to_string(),
        |f| f.to_string(),
    );
    let ctx = context! {
        values => values, notice => notice, no_mail => !state.config.smtp.enabled,
        errors => shown.by_field, error_summary => shown.summary, errors_title => shown.title,
    };
    Ok(page.render_status("account.html", ctx, status))
}

/// `GET /me/account`.
async fn account_page(
    LoggedIn { page, user }: LoggedIn,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let (notice, error) = super::pages::flash(page.lang, &q);
    let notice = error.or(notice);
    account_form(
        &page,
        &user,
        None,
        &FieldErrors::new(),
        StatusCode::OK,
        notice,
    )
    .await
}

/// A refused form: the page again with the errors, the names of the service's fields mapped to
/// the form's.
async fn refused(
    page: &Page,
    user: &User,
    form: AccountForm,
    e: ServiceError,
    rename: &[(&str, &str)],
) -> Result<Response, PageError> {
    match e {
        ServiceError::Domain(DomainError::Invalid(errors)) => {
            let mut shown = FieldErrors::new();
            for (field, error) in errors.0 {
                let field = rename
                    .iter()
                    .find(|(from, _)| *from == field)
                    .map_or(field.as_str(), |(_, to)| to);
                shown.add(field, error);
            }
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            account_form(page, user, Some(form), &shown, status, None).await
        }
        e => Err(page.error(e)),
    }
}

/// `POST /me/account/profile`.
async fn save_profile(
    CheckedForm(page, form): CheckedForm<AccountForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let change = ProfileChange {
        full_name: form.full_name.clone(),
        display_name: form.display_name.clone(),
        language: form.language.clone(),
    };
    let state = page.state();
    match registration::update_profile(state.store.as_ref(), &user, change, state.clock.now()).await
    {
        Ok(_) => {
            state.wake.notify_waiters();
            Ok(Redirect::to(&with_param(BACK, "done", "account_saved")).into_response())
        }
        Err(e) => refused(&page, &user, form, e, &[]).await,
    }
}

/// `POST /me/account/password`: this session stays open, the others end.
async fn save_password(
    CheckedForm(page, form): CheckedForm<AccountForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let keep = page.session().map(hash_secret);
    let store = page.state().store.as_ref();
    let done = registration::change_password(
        store,
        &user,
        &form.current_password,
        &form.new_password,
        keep.as_deref(),
    )
    .await;
    match done {
        Ok(()) => Ok(Redirect::to(&with_param(BACK, "done", "password_changed")).into_response()),
        Err(e) => refused(&page, &user, form, e, &[("password", "new_password")]).await,
    }
}

/// `POST /me/account/email`: a link goes to the new address, the old one is told.
async fn save_email(
    CheckedForm(page, form): CheckedForm<AccountForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    let now = state.clock.now();
    if let Err(wait) = state.account_throttle.account_email(user.id, now) {
        let minutes = (wait.num_seconds() + 59) / 60;
        let words = i18n::tr_args(page.lang, "acc_braked", &[("minutes", minutes.into())]);
        let status = StatusCode::TOO_MANY_REQUESTS;
        return account_form(
            &page,
            &user,
            Some(form),
            &FieldErrors::new(),
            status,
            Some(words),
        )
        .await;
    }
    let done = registration::change_email(
        state.store.as_ref(),
        &state.config,
        &user,
        &form.email_password,
        &form.new_email,
        now,
    )
    .await;
    match done {
        Ok(()) => {
            state.account_throttle.account_email_sent(user.id, now);
            state.wake.notify_waiters();
            Ok(Redirect::to(&with_param(BACK, "done", "email_link_sent")).into_response())
        }
        Err(e) => {
            let rename = [
                ("email", "new_email"),
                ("current_password", "email_password"),
            ];
            refused(&page, &user, form, e, &rename).await
        }
    }
}

/// `POST /me/account/resend`: the confirmation link again.
async fn resend(
    CheckedForm(page, NoFields {}): CheckedForm<NoFields>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    let now = state.clock.now();
    if state.account_throttle.account_email(user.id, now).is_err() {
        return Ok(Redirect::to(&with_param(BACK, "done", "resend_braked")).into_response());
    }
    let sent = registration::resend_confirmation(state.store.as_ref(), &state.config, &user, now)
        .await
        .or_page(&page)?;
    if sent {
        state.account_throttle.account_email_sent(user.id, now);
    }
    state.wake.notify_waiters();
    Ok(Redirect::to(&with_param(BACK, "done", "confirmation_sent")).into_response())
}

/// `GET /admin/accounts`: the accounts waiting for an administrator.
async fn admin_page(
    LoggedIn { page, user }: LoggedIn,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let state = page.state();
    let tz = state.config.timezone();
    let waiting =
        registration::accounts_in_state(state.store.as_ref(), &user, AccountState::Pending)
            .await
            .or_page(&page)?;
    let accounts: Vec<_> = waiting
        .into_iter()
        .map(|a| {
            let since = i18n::long_date(page.lang, a.created_at.with_timezone(&tz).date_naive());
            context! {
                id => a.id, name => a.name, full_name => a.full_name,
                email => a.email.unwrap_or_default(), since => since,
            }
        })
        .collect();
    let (notice, _) = super::pages::flash(page.lang, &q);
    Ok(page.render(
        "admin_accounts.html",
        context! { accounts => accounts, notice => notice },
    ))
}

async fn decide(page: Page, id: i64, approve: bool) -> Result<Response, PageError> {
    let back = "/admin/accounts";
    let user = page.user_or_login(back)?;
    let state = page.state();
    let now = state.clock.now();
    let store = state.store.as_ref();
    registration::decide(store, &state.config, &user, id, approve, now)
        .await
        .or_page(&page)?;
    state.wake.notify_waiters();
    let done = if approve {
        "account_approved"
    } else {
        "account_refused"
    };
    Ok(Redirect::to(&with_param(back, "done", done)).into_response())
}

/// `POST /admin/accounts/{id}/approve`.
async fn approve(
    Path(id): Path<i64>,
    CheckedForm(page, NoFields {}): CheckedForm<NoFields>,
) -> Result<Response, PageError> {
    decide(page, id, true).await
}

/// `POST /admin/accounts/{id}/refuse`.
async fn refuse(
    Path(id): Path<i64>,
    CheckedForm(page, NoFields {}): CheckedForm<NoFields>,
) -> Result<Response, PageError> {
    decide(page, id, false).await
}
