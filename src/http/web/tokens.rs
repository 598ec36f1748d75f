//! "Mes accès" (`/me/tokens`): the API tokens of the person logged in (the apps they connected),
//! with the day each was made; a new one, shown once; and a button to revoke each.

use super::{i18n, CheckedForm, LoggedIn, OrPage, Page, PageError};
use crate::http::params::Path;
use crate::http::web::prelude::*;
use crate::{domain::account::User, service};

/// Where the page comes back to after logging in.
const BACK: &str = "/me/tokens";

pub fn router() -> Router<crate::state::AppState> {
    Router::new()
        .route("/me/tokens", get(my_tokens).post(new_token))
        .route("/me/tokens/{id}/revoke", post(revoke))
}

/// The page; `made` is a new token's secret, shown only right after it was made.
async fn tokens_page(
    page: &Page,
    user: &User,
    made: Option<String>,
) -> Result<Response, PageError> {
    let state = page.state();
    let tz = state.config.timezone();
    let list: Vec<_> = service::accounts::tokens(state.store.as_ref(), user)
        .await
        .or_page(page)?
        .into_iter()
        .map(|t| {
            let day = i18n::long_date(page.lang, t.created_at.with_timezone(&tz).date_naive());
            context! { id => t.id, label => t.label, made => day }
        })
        .collect();
    let ctx = context! { tokens => list, made => made };
    Ok(page.render("tokens.html", ctx))
}

/// `GET /me/tokens`.
async fn my_tokens(LoggedIn { page, user }: LoggedIn) -> Result<Response, PageError> {
    tokens_page(&page, &user, None).await
}

/// The form that makes a token: its label (what the app is; "api" when left empty).
#[derive(Debug, Deserialize)]
struct NewTokenForm {
    #[serde(default)]
    label: String,
}

/// `POST /me/tokens`: a new token, shown this once on the page.
async fn new_token(
    CheckedForm(page, form): CheckedForm<NewTokenForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    let label = match form.label.trim() {
        "" => "api",
        label => label,
    };
    let (_, secret) =
        service::accounts::issue_token(state.store.as_ref(), &user, label, state.clock.now())
            .await
            .or_page(&page)?;
    tokens_page(&page, &user, Some(secret)).await
}

/// The revoke button: nothing but its token.
#[derive(Debug, Deserialize)]
struct RevokeForm {}

/// `POST /me/tokens/{id}/revoke`: the token stops working at once; back to the list.
async fn revoke(
    Path(id): Path<i64>,
    CheckedForm(page, RevokeForm {}): CheckedForm<RevokeForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    service::accounts::revoke_token(page.state().store.as_ref(), &user, id)
        .await
        .or_page(&page)?;
    Ok(Redirect::to(BACK).into_response())
}
