//! The référents' pages: the requests as a list with their state (`/help/requests`), one
//! request with its contact, notes, proposals and the missions the matching ranks for it
//! (`/help/requests/{id}`); and the administrators' page giving and taking the role
//! (`/admin/referents`).

use super::super::pages::{flash, with_param, PageQuery};
use super::super::{cards::mission_path, i18n, CheckedForm, LoggedIn, OrPage, Page, PageError};
use crate::http::params::{Path, Query};
use crate::http::web::prelude::*;
use crate::{
    domain::{
        account::User,
        help::{Channel, HelpState},
        DomainError,
    },
    service::{
        help::{self, Proposal},
        ServiceError,
    },
    state::AppState,
};
use chrono::{DateTime, Utc};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/help/requests", get(list_page))
        .route("/help/requests/{id}", get(request_page))
        .route("/help/requests/{id}/state", post(set_state))
        .route("/help/requests/{id}/notes", post(add_note))
        .route("/help/requests/{id}/propose", post(propose))
        .route("/help/requests/{id}/delete", post(delete))
        .route(ADMIN, get(admin_page))
        .route("/admin/referents/add", post(add_referent))
        .route("/admin/referents/remove", post(remove_referent))
}

const ADMIN: &str = "/admin/referents";

fn when(page: &Page, t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&page.state().config.timezone());
    format!(
        "{} {}",
        i18n::long_date(page.lang, local.date_naive()),
        local.format("%H:%M")
    )
}

fn state_word(page: &Page, s: HelpState) -> String {
    i18n::word(page.lang, &format!("help-state_{}", s.code()))
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    state: String,
}

/// `GET /help/requests[?state=new]`.
async fn list_page(
    LoggedIn { page, user }: LoggedIn,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let state = page.state();
    let filter = HelpState::parse(&q.state);
    let listed = help::list(state.store(), &state.config, &user, filter)
        .await
        .or_page(&page)?;
    let rows: Vec<Value> = listed
        .into_iter()
        .map(|l| {
            let r = l.request;
            context! {
                id => r.id, name => r.name, at => when(&page, r.created_at),
                commune => r.wish.home_town,
                wishes => r.wishes.chars().take(120).collect::<String>(),
                state => state_word(&page, r.state), code => r.state.code(),
                referent => l.referent,
            }
        })
        .collect();
    let filters: Vec<Value> = HelpState::ALL
        .iter()
        .map(|s| context! { code => s.code(), label => state_word(&page, *s), current => Some(*s) == filter })
        .collect();
    Ok(page.render(
        "help_requests.html",
        context! { requests => rows, filters => filters, all => filter.is_none() },
    ))
}

/// What a request's page shows besides the request: a proposal just made (its links shown
/// once), a refused form's problem, a notice.
#[derive(Default)]
struct Shown {
    fresh: Option<Proposal>,
    problem: Option<String>,
    notice: Option<String>,
}

async fn render_request(
    page: &Page,
    user: &User,
    id: i64,
    shown: Shown,
) -> Result<Response, PageError> {
    let Shown {
        fresh,
        problem,
        notice,
    } = shown;
    let state = page.state();
    let lang = page.lang;
    let tz = state.config.timezone();
    let file = help::file(state.store(), &state.config, user, id, state.now())
        .await
        .or_page(page)?;
    let r = &file.request;
    let moves: Vec<Value> = HelpState::ALL
        .iter()
        .filter(|to| r.state.may_become(**to))
        .map(|to| context! { code => to.code(), label => i18n::word(lang, &format!("help-move_{}", to.code())) })
        .collect();
    let ranked: Vec<Value> = file
        .ranked
        .iter()
        .take(20)
        .map(|x| {
            let m = &x.mission;
            let when = match &x.slot {
                Some(s) => i18n::long_span(s.start_time, s.end_time, tz, lang),
                None => crate::i18n::mission_summary(lang, m, tz),
            };
            let why: Vec<String> = (x.fit.reasons.iter())
                .map(|reason| crate::i18n::match_reason(lang, reason, true))
                .collect();
            context! {
                id => m.id, title => m.title, page => mission_path(state, m), when => when,
                why => why.join(" · "), remote => !m.local,
            }
        })
        .collect();
    let proposals: Vec<Value> = (file.proposals.iter())
        .map(|p| {
            context! {
                at => when(page, p.proposal.created_at),
                title => p.mission.as_ref().map(|m| m.title.clone()),
                page => p.mission.as_ref().map(|m| mission_path(state, m)),
                opened => p.proposal.opened_at.map(|t| when(page, t)),
            }
        })
        .collect();
    let fresh = fresh.map(|f| {
        context! {
            emailed => f.emailed, texted => f.texted, not_texted => f.not_texted, phone => f.phone,
            links => f.links.iter().map(|l| context! { title => l.mission.title, link => l.link }).collect::<Vec<_>>(),
        }
    });
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(page.render_status(
        "help_request.html",
        context! {
            r => context! {
                id => r.id, name => r.name, wishes => r.wishes, when_note => r.when_note,
                commune => r.wish.home_town, email => r.email, phone => r.phone,
                by_phone => r.channel == Channel::Phone,
                channel => i18n::word(lang, &format!("help-channel_{}", r.channel.code())),
                state => state_word(page, r.state), code => r.state.code(),
                at => when(page, r.created_at), referent => file.referent,
                interests => r.wish.interests.iter().map(|c| crate::i18n::category(lang, c)).collect::<Vec<_>>(),
                week => r.wish.availability.iter().map(|a| format!("{} {}", i18n::day_name(lang, a.day), i18n::word(lang, a.part.code()))).collect::<Vec<_>>(),
            },
            moves => moves,
            notes => file.notes.iter().map(|(n, who)| context! { at => when(page, n.created_at), who => who, body => n.body }).collect::<Vec<_>>(),
            proposals => proposals,
            ranked => ranked,
            fresh => fresh,
            problem => problem,
            notice => notice,
        },
        status,
    ))
}

/// `GET /help/requests/{id}`.
async fn request_page(
    LoggedIn { page, user }: LoggedIn,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let (notice, _) = flash(page.lang, &q);
    render_request(
        &page,
        &user,
        id,
        Shown {
            notice,
            ..Default::default()
        },
    )
    .await
}

fn back(id: i64, done: &str) -> Response {
    Redirect::to(&with_param(&format!("/help/requests/{id}"), "done", done)).into_response()
}

/// The request's page again, saying why a form was refused (its first field error's words),
/// or the error's own page.
async fn refused(
    page: &Page,
    user: &User,
    id: i64,
    e: ServiceError,
) -> Result<Response, PageError> {
    let problem = match e {
        ServiceError::Domain(DomainError::Invalid(errors)) => (errors.0.values().next())
            .map(|f| i18n::field_error(page.lang, f))
            .unwrap_or_default(),
        e => return Err(page.error(e)),
    };
    let shown = Shown {
        problem: Some(problem),
        ..Default::default()
    };
    render_request(page, user, id, shown).await
}

#[derive(Debug, Deserialize)]
struct StateForm {
    #[serde(default)]
    to: String,
}

/// `POST /help/requests/{id}/state`: take, place, close, reopen.
async fn set_state(
    Path(id): Path<i64>,
    CheckedForm(page, form): CheckedForm<StateForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/help/requests/{id}"))?;
    let state = page.state();
    let Some(to) = HelpState::parse(&form.to) else {
        return Err(page.not_found());
    };
    help::set_state(state.store(), &state.config, &user, id, to, state.now())
        .await
        .or_page(&page)?;
    Ok(back(id, &format!("help_{}", to.code())))
}

#[derive(Debug, Deserialize)]
struct NoteForm {
    #[serde(default)]
    body: String,
}

/// `POST /help/requests/{id}/notes`.
async fn add_note(
    Path(id): Path<i64>,
    CheckedForm(page, form): CheckedForm<NoteForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/help/requests/{id}"))?;
    let state = page.state();
    match help::note(
        state.store(),
        &state.config,
        &user,
        id,
        &form.body,
        state.now(),
    )
    .await
    {
        Ok(_) => Ok(back(id, "help_noted")),
        Err(e) => refused(&page, &user, id, e).await,
    }
}

/// `POST /help/requests/{id}/propose` (`missions`, repeated): the page again, with the
/// one-click links to read out on the phone or to copy, shown this once.
async fn propose(
    Path(id): Path<i64>,
    CheckedForm(page, pairs): CheckedForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/help/requests/{id}"))?;
    let state = page.state();
    let missions: Vec<i64> = (pairs.iter())
        .filter(|(k, _)| k == "missions")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    match help::propose(
        state.store(),
        &state.config,
        &user,
        id,
        missions,
        state.now(),
    )
    .await
    {
        Ok(done) => {
            state.wake.notify_waiters();
            let shown = Shown {
                fresh: Some(done),
                ..Default::default()
            };
            render_request(&page, &user, id, shown).await
        }
        Err(e) => refused(&page, &user, id, e).await,
    }
}

/// `POST /help/requests/{id}/delete`: the person asked for their request to be erased.
async fn delete(
    Path(id): Path<i64>,
    CheckedForm(page, NoFields {}): CheckedForm<NoFields>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(&format!("/help/requests/{id}"))?;
    let state = page.state();
    help::delete(state.store(), &state.config, &user, id)
        .await
        .or_page(&page)?;
    Ok(Redirect::to("/help/requests?done=help_deleted").into_response())
}

/// The administrators' page: the référents, a form to name one, a button to take it back.
async fn admin_render(
    page: &Page,
    user: &User,
    notice: Option<String>,
    problem: Option<String>,
) -> Result<Response, PageError> {
    let state = page.state();
    let list = help::referents(state.store(), Some(user))
        .await
        .or_page(page)?;
    let rows: Vec<Value> = list
        .into_iter()
        .map(|(u, at)| context! { name => u.name, shown => u.shown_name(), at => when(page, at) })
        .collect();
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(page.render_status(
        "admin_referents.html",
        context! { referents => rows, notice => notice, problem => problem },
        status,
    ))
}

/// `GET /admin/referents`.
async fn admin_page(
    LoggedIn { page, user }: LoggedIn,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let (notice, _) = flash(page.lang, &q);
    admin_render(&page, &user, notice, None).await
}

#[derive(Debug, Deserialize)]
struct NameForm {
    #[serde(default)]
    name: String,
}

/// `POST /admin/referents/add`.
async fn add_referent(
    CheckedForm(page, form): CheckedForm<NameForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(ADMIN)?;
    let state = page.state();
    match help::add_referent(state.store(), Some(&user), &form.name, state.now()).await {
        Ok(_) => Ok(Redirect::to(&with_param(ADMIN, "done", "referent_added")).into_response()),
        Err(ServiceError::NotFound(_)) => {
            let problem = i18n::word(page.lang, "help-no_such_user");
            admin_render(&page, &user, None, Some(problem)).await
        }
        Err(e) => Err(page.error(e)),
    }
}

/// `POST /admin/referents/remove`.
async fn remove_referent(
    CheckedForm(page, form): CheckedForm<NameForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(ADMIN)?;
    let state = page.state();
    help::remove_referent(state.store(), Some(&user), &form.name)
        .await
        .or_page(&page)?;
    Ok(Redirect::to(&with_param(ADMIN, "done", "referent_removed")).into_response())
}
