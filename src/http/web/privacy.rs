//! "Mes données" (`/me/data`): everything the node holds about the person logged in, as one
//! archive, and the deletion of their account (confirmed with the password); and the node's
//! privacy page (`/privacy`), what is kept, how long and who sees it.

use super::{i18n, CheckedForm, LoggedIn, OrPage, Page, PageError};
use crate::{
    http::{
        auth::{ClientAddress, SESSION_COOKIE},
        download::download,
    },
    service::privacy::{self, Refusal},
};
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::Response,
    routing::{get, post},
    Router,
};
use minijinja::context;
use serde::Deserialize;

/// Where the page comes back to after logging in.
const BACK: &str = "/me/data";

pub fn router() -> Router<crate::state::AppState> {
    Router::new()
        .route("/me/data", get(my_data))
        .route("/me/data/export", get(export))
        .route("/me/delete", post(delete))
        .route("/privacy", get(privacy_page))
}

/// `GET /me/data`.
async fn my_data(LoggedIn { page, .. }: LoggedIn) -> Result<Response, PageError> {
    Ok(page.render("my_data.html", context! {}))
}

/// `GET /me/data/export`: the archive (a download; the same as `GET /api/v1/me/export`).
async fn export(LoggedIn { page, user }: LoggedIn) -> Result<Response, PageError> {
    let state = page.state();
    let doc = privacy::export(
        state.store.as_ref(),
        &state.config,
        &user,
        page.lang.code(),
        state.clock.now(),
    )
    .await
    .or_page(&page)?;
    Ok(download(doc))
}

/// The deletion form: the password, to be sure it is the person.
#[derive(Debug, Deserialize)]
struct DeleteForm {
    #[serde(default)]
    password: String,
}

/// `POST /me/delete`: the account is deleted and the session ends, or the page comes back with
/// why not (a wrong password, the last coordinator of an association).
async fn delete(
    ClientAddress(address): ClientAddress,
    CheckedForm(page, form): CheckedForm<DeleteForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    let now = state.clock.now();
    let brakes = &state.login_throttle;
    if let Err(wait) = brakes.check(&user.name, address, now) {
        let minutes = (wait.num_seconds() + 59) / 60;
        let refused = i18n::tr_args(page.lang, "login_braked", &[("minutes", minutes.into())]);
        let ctx = context! { refused => refused };
        return Ok(page.render_status("my_data.html", ctx, StatusCode::TOO_MANY_REQUESTS));
    }
    let outcome = privacy::delete_account(state.store.as_ref(), &user, &form.password, now)
        .await
        .or_page(&page)?;
    let (refused, status) = match outcome {
        Ok(_) => {
            brakes.succeeded(&user.name);
            // Said on a logged-out page: the account and its session are gone.
            let mut gone = page.ctx().clone();
            gone.user = None;
            gone.csrf = String::new();
            let (heading, text) = ("account_deleted", "account_deleted_text");
            let mut res = super::message(state, &gone, StatusCode::OK, heading, text);
            let clear = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
            if let Ok(v) = HeaderValue::from_str(&clear) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            return Ok(res);
        }
        Err(Refusal::WrongPassword) => {
            brakes.failed(&user.name, address, now);
            (
                i18n::tr(page.lang, "delete_wrong_password"),
                StatusCode::FORBIDDEN,
            )
        }
        Err(Refusal::LastCoordinator(associations)) => {
            let names: Vec<&str> = associations.iter().map(|a| a.label()).collect();
            let n = i64::try_from(names.len()).unwrap_or(i64::MAX);
            let words = i18n::tr_args(
                page.lang,
                "delete_last_coordinator",
                &[("n", n.into()), ("list", names.join(", ").into())],
            );
            (words, StatusCode::CONFLICT)
        }
    };
    Ok(page.render_status("my_data.html", context! { refused => refused }, status))
}

/// `GET /privacy`: what the node keeps, for how long, who sees it (French and English). The
/// figures come from this node's settings.
async fn privacy_page(page: Page) -> Response {
    let config = &page.state().config;
    let ctx = context! {
        keep_history_days => config.federation.keep_history_days,
        session_days => crate::service::accounts::SESSION_DAYS,
        key_grace_hours => privacy::KEY_GRACE_HOURS,
        node => config.instance.name.clone(),
    };
    page.render("privacy.html", ctx)
}
