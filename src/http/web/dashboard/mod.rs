//! The coordinators' dashboard of an association: missions (drafts included) with their slots
//! filling up, requests to accept or refuse, who comes to each slot and how to reach them,
//! signing up someone without an account, cancelling a slot (after a confirmation page),
//! adding slots (one, or a weekly rule), publishing a draft, and volunteers who may fit.
//!
//! Every rule is the services' (`service::dashboard`, `service::slots`, `service::missions`):
//! these pages gather what they need and say what came out.
//!
//! - [`board`]: the dashboard page itself, also shown again with a refused form;
//! - [`requests`]: the forms of the board (accept or refuse a request, sign up a guest, write to
//!   a slot's people) and publishing a draft;
//! - [`slots`]: the page that adds slots, and cancelling one;
//! - [`forms`]: reading what was typed in the slots form.

mod board;
mod forms;
mod requests;
mod slots;

use crate::http::web::prelude::*;
use crate::{domain::actor::Actor, http::web::pages::with_param, state::AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/g/{name}/dashboard", get(board::dashboard))
        .route(
            "/g/{name}/missions/{id}/slots",
            get(slots::slots_form).post(slots::add_slots),
        )
        .route("/g/{name}/missions/{id}/publish", post(requests::publish))
        .route("/participations/{id}/accept", post(requests::accept))
        .route("/participations/{id}/refuse", post(requests::refuse))
        .route("/slots/{id}/guests", post(requests::add_guest))
        .route("/slots/{id}/message", post(requests::message_slot))
        .route(
            "/slots/{id}/cancel",
            get(slots::cancel_page).post(slots::cancel),
        )
}

/// The dashboard of an association, where its forms come back to.
fn dashboard_path(name: &str) -> String {
    format!("/g/{name}/dashboard")
}

/// For an action on one slot or sign-up: the association, the dashboard to come back to, and the person acting
/// (a visitor is sent to log in first). `association` is the owner found from the object's id.
fn acting_on(
    page: &crate::http::web::Page,
    association: Result<Actor, crate::service::ServiceError>,
) -> Result<(Actor, String, crate::domain::account::User), crate::http::web::PageError> {
    use crate::http::web::OrPage;
    let a = association.or_page(page)?;
    let back = dashboard_path(&a.name);
    let user = page.user_or_login(&back)?;
    Ok((a, back, user))
}

/// The association's name and the name it shows, as every page of the dashboard names it.
fn association_ctx(a: &Actor) -> minijinja::Value {
    minijinja::context! { name => a.name, display_name => a.label() }
}

/// Back to `path` with `key=value` in its query string (what was done, or why not).
fn back_to(path: &str, key: &str, value: &str) -> Response {
    Redirect::to(&with_param(path, key, value)).into_response()
}
