//! "Aidez-moi à trouver" (issue 16): the form anyone fills in to be accompanied in finding a
//! mission (`/help`, linked from the home page), where a proposal's one-click link leads
//! (`/help/go/{token}`), the référents' pages (`referents.rs`) and the French guide.

mod referents;

use super::pages::shown_errors;
use super::volunteer::{week_and_interests, Values};
use super::{cards::mission_path, CheckedForm, OrPage, Page, PageError};
use crate::http::params::Path;
use crate::http::web::prelude::*;
use crate::{
    domain::{help::HelpDraft, DomainError, FieldErrors},
    http::auth::ClientAddress,
    service::{help, ServiceError},
    state::AppState,
};
use axum::http::{header, HeaderValue, StatusCode};

pub(crate) const TEMPLATES: [(&str, &str); 6] = [
    (
        "help_form.html",
        include_str!("../../../../templates/help_form.html"),
    ),
    (
        "help_requests.html",
        include_str!("../../../../templates/help_requests.html"),
    ),
    (
        "help_request.html",
        include_str!("../../../../templates/help_request.html"),
    ),
    (
        "admin_referents.html",
        include_str!("../../../../templates/admin_referents.html"),
    ),
    (
        "wish_week.html",
        include_str!("../../../../templates/wish_week.html"),
    ),
    (
        "wish_interests.html",
        include_str!("../../../../templates/wish_interests.html"),
    ),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/help", get(help_page).post(ask))
        .route("/help/go/{token}", get(go))
        .route("/guide/referents", get(guide))
        .merge(referents::router())
}

/// The French guide for référents (`docs/guide/referents.md`).
async fn guide(page: Page) -> Response {
    page.french_guide(include_str!("../../../../docs/guide/referents.md"))
}

/// The form's own fields, as typed (the week and the fields of action are [`Values`]).
#[derive(Debug, Default, Serialize)]
struct Typed {
    name: String,
    wishes: String,
    when_note: String,
    email: String,
    phone: String,
    channel: String,
    consent: bool,
}

impl Typed {
    fn read(pairs: &[(String, String)]) -> Typed {
        let mut t = Typed::default();
        for (k, v) in pairs {
            match k.as_str() {
                "help_name" => t.name = v.clone(),
                "help_wishes" => t.wishes = v.clone(),
                "help_when_note" => t.when_note = v.clone(),
                "help_email" => t.email = v.clone(),
                "help_phone" => t.phone = v.clone(),
                "help_channel" => t.channel = v.clone(),
                "help_consent" => t.consent = true,
                _ => {}
            }
        }
        t
    }
}

/// The form's fields in the page's order (those of the request are `help_…` on the page).
const ORDER: [&str; 10] = [
    "help_name",
    "help_wishes",
    "interests",
    "availability",
    "help_when_note",
    "home_town",
    "help_email",
    "help_phone",
    "help_channel",
    "help_consent",
];

/// The page's name of a field of the request.
fn on_page(field: &str) -> String {
    match field {
        "name" | "wishes" | "when_note" | "email" | "phone" | "channel" | "consent" => {
            format!("help_{field}")
        }
        other => other.to_string(),
    }
}

fn form(
    page: &Page,
    typed: &Typed,
    wish: &Values,
    errors: &FieldErrors,
    extra: minijinja::Value,
    status: StatusCode,
) -> Result<Response, PageError> {
    if !page.state().config.help.enabled {
        return Err(page.not_found());
    }
    let shown = shown_errors(page.lang, errors, &ORDER, on_page, |f| match f {
        "availability" => "availability-0-morning".to_string(),
        "interests" => format!("interest-{}", crate::domain::mission::CATEGORIES[0].0),
        "help_channel" => "help_channel-email".to_string(),
        other => other.to_string(),
    });
    let ctx = context! {
        values => context! { ..minijinja::Value::from_serialize(typed), ..minijinja::Value::from_serialize(wish) },
        errors => shown.by_field,
        error_summary => shown.summary,
        errors_title => shown.title,
        retention_months => page.state().config.help.retention_months,
        sms => page.state().config.sms.enabled,
    };
    let ctx = context! { ..ctx, ..week_and_interests(page.lang, wish), ..extra };
    Ok(page.render_status("help_form.html", ctx, status))
}

/// `GET /help`.
async fn help_page(page: Page) -> Result<Response, PageError> {
    let typed = Typed {
        email: (page.user.as_ref())
            .and_then(|u| u.email.clone())
            .unwrap_or_default(),
        ..Default::default()
    };
    form(
        &page,
        &typed,
        &Values::default(),
        &FieldErrors::new(),
        context! {},
        StatusCode::OK,
    )
}

/// `POST /help`: braked per address and per contact like a registration; every mistake shows
/// at once; then a page that says what comes next.
async fn ask(
    ClientAddress(address): ClientAddress,
    CheckedForm(page, pairs): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let state = page.state();
    let now = state.now();
    let typed = Typed::read(&pairs);
    let wish = Values::read(&pairs);
    if !state.config.help.enabled {
        return Err(page.not_found());
    }
    let contact = if typed.email.trim().is_empty() {
        typed.phone.trim()
    } else {
        typed.email.trim()
    };
    if let Err(wait) = state.account_throttle.help_request(address, contact, now) {
        let minutes = (wait.num_seconds() + 59) / 60;
        let braked = super::i18n::tr_args(page.lang, "acc_braked", &[("minutes", minutes.into())]);
        let mut res = form(
            &page,
            &typed,
            &wish,
            &FieldErrors::new(),
            context! { braked => braked },
            StatusCode::TOO_MANY_REQUESTS,
        )?;
        res.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(wait.num_seconds().max(1)),
        );
        return Ok(res);
    }
    let (profile, mut unreadable) = wish.to_profile();
    let draft = HelpDraft {
        name: typed.name.clone(),
        wishes: typed.wishes.clone(),
        when_note: typed.when_note.clone(),
        wish: profile,
        email: typed.email.clone(),
        phone: typed.phone.clone(),
        channel: typed.channel.clone(),
        consent: typed.consent,
        language: page.lang.to_string(),
    };
    let outcome = if unreadable.is_empty() {
        help::ask(
            state.store(),
            &state.config,
            &state.places,
            page.user.as_ref(),
            draft,
            now,
        )
        .await
    } else {
        if let Err(DomainError::Invalid(more)) = draft.check() {
            for (field, e) in more.0 {
                unreadable.add(&field, e);
            }
        }
        Err(ServiceError::Domain(DomainError::Invalid(unreadable)))
    };
    match outcome {
        Ok(_) => Ok(super::message(
            state,
            page.ctx(),
            StatusCode::OK,
            "help-thanks_title",
            "help-thanks",
        )),
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => form(
            &page,
            &typed,
            &wish,
            &errors,
            context! {},
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => Err(page.error(e)),
    }
}

/// `GET /help/go/{token}`: a proposal's link leads to its mission's page, at the slot chosen
/// for the person, where one button signs them up; without an account, to registration,
/// which comes back there.
async fn go(page: Page, Path(token): Path<String>) -> Result<Response, PageError> {
    let state = page.state();
    let (proposal, mission) = help::open(state.store(), &token, state.now())
        .await
        .or_page(&page)?;
    let mut path = mission_path(state, &mission);
    if let Some(slot) = proposal.slot_id {
        path = format!("{path}#slot-{slot}");
    }
    let to = if page.user.is_some() {
        path
    } else {
        format!("/register?next={}", super::associations::encode_path(&path))
    };
    Ok(Redirect::to(&to).into_response())
}
