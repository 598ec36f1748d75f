//! "Mon agenda" (`/me/calendar`): the page that makes a volunteer's private calendar address,
//! shown once when made, with the same secret's feeds of the reservations of the associations
//! they coordinate.

use super::{period::long_date, words};
use crate::http::web::{i18n, CheckedForm, LoggedIn, OrPage, Page, PageError};
use crate::{domain::account::User, service};
use axum::response::Response;
use minijinja::context;
use serde::Deserialize;

/// Where the page comes back to after logging in.
const BACK: &str = "/me/calendar";

/// `webcal://…` for an `https://…` address, which calendar software opens as a subscription.
fn webcal(url: &str) -> Option<String> {
    url.split_once("://")
        .map(|(_, rest)| format!("webcal://{rest}"))
}

/// The page; `address` is shown only when just made.
async fn token_page(
    page: &Page,
    user: &User,
    address: Option<String>,
) -> Result<Response, PageError> {
    let state = page.state();
    let created = service::calendar::feed_created(state.store.as_ref(), user)
        .await
        .or_page(page)?;
    let tz = state.config.timezone();
    let has_text = created.map(|c| {
        let date = long_date(page.lang, c.with_timezone(&tz).date_naive());
        i18n::tr_args(page.lang, "cal-address_made", &[("date", date.into())])
    });
    // The same secret reads the reservations of the associations the user coordinates.
    let mut equipment = Vec::new();
    if let Some(a) = &address {
        let coordinated = service::reservations::coordinated(state.store.as_ref(), user)
            .await
            .or_page(page)?;
        for asso in coordinated {
            let url = format!(
                "{}/reservations/{}.ics",
                a.trim_end_matches(".ics"),
                asso.name
            );
            let subscribe = webcal(&url);
            equipment
                .push(context! { association => asso.label(), url => url, webcal => subscribe });
        }
    }
    let ctx = context! {
        cal => words(page.lang), webcal => address.as_deref().and_then(webcal), address => address,
        has_text => has_text, equipment => equipment,
    };
    Ok(page.render("calendar_token.html", ctx))
}

/// `GET /me/calendar`.
pub(super) async fn my_calendar(LoggedIn { page, user }: LoggedIn) -> Result<Response, PageError> {
    token_page(&page, &user, None).await
}

/// The form that makes a new address: nothing but its token.
#[derive(Debug, Deserialize)]
pub(super) struct NewAddressForm {}

/// `POST /me/calendar`: a new address (the old one stops working), shown this once.
pub(super) async fn new_address(
    CheckedForm(page, NewAddressForm {}): CheckedForm<NewAddressForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    let url = service::calendar::new_feed_url(
        state.store.as_ref(),
        &state.config,
        &user,
        state.clock.now(),
    )
    .await
    .or_page(&page)?;
    token_page(&page, &user, Some(url)).await
}
