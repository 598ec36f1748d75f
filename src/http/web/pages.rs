//! The pages: home, association, mission (and the ActivityPub documents behind the same URLs);
//! and the helpers the other page modules share (the query string of a page, notices after a
//! form, refused fields, paths, the associations a coordinator manages).
//!
//! Mission cards are `cards`, logging in and out is `login`.

use super::{
    extract::{OrPage, Page, PageError},
    i18n, wants_json,
};
use crate::domain::Denial;
use crate::http::params::{Path, Query};
use crate::http::web::prelude::*;
use crate::i18n::Lang;
use crate::{
    domain::{
        account::User,
        actor::{Actor, ActorKind, ActorLabel},
        mission::Mission,
    },
    federation::{
        error::FedError,
        routes::{actor_response, mission_response},
    },
    service::{self, ServiceError},
    state::{AppState, Context},
};
use axum::http::{header, HeaderMap, StatusCode};

pub(super) use super::cards::mission_path;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/g/{name}", get(association))
        .route("/u/{name}", get(person))
        .route("/relay", get(relay))
        .route("/m/{uuid}", get(local_mission))
        .route("/missions/{id}", get(any_mission))
        .merge(super::login::router())
        .merge(super::associations::router())
}

/// What a page's query string may carry.
#[derive(Debug, Deserialize, Default)]
pub struct PageQuery {
    /// Login: the page to go back to afterwards.
    pub(super) next: Option<String>,
    /// Mission page: shown right after the mission was published.
    pub(super) published: Option<String>,
    /// After a form: what was done (`signed_up`, `slot_cancelled`, …), shown as a notice.
    pub(super) done: Option<String>,
    /// After a form: why it could not be done (`full`, `overlaps`, …), shown as an error.
    pub(super) refused: Option<String>,
    /// After a form: how many things were done (slots added).
    pub(super) n: Option<i64>,
}

/// The notice and the error a page shows after a form sent the browser back to it
/// (`?done=…`, `?refused=…`); only known keys are shown.
pub(super) fn flash(lang: Lang, q: &PageQuery) -> (Option<String>, Option<String>) {
    let notice = match q.done.as_deref() {
        Some("slots_added") => Some(i18n::slots_added(lang, q.n.unwrap_or(1))),
        Some(key) => i18n::lookup(lang, &format!("done_{key}")),
        None => None,
    };
    let error = q
        .refused
        .as_deref()
        .and_then(|key| i18n::lookup(lang, &format!("refused_{key}")));
    (notice, error)
}

/// What a form page needs to show refused fields: the message next to each field (by the
/// field's id), and the list at the top in the order of the form, each entry linking to its
/// field. `rename` maps the service's field names to the form's ids, `anchor` gives the id to
/// link to when it is not the field itself (the first box of a group).
pub(super) struct ShownErrors {
    pub(super) by_field: std::collections::BTreeMap<String, String>,
    pub(super) summary: Vec<minijinja::Value>,
    pub(super) title: String,
}

pub(super) fn shown_errors(
    lang: Lang,
    errors: &crate::domain::FieldErrors,
    order: &[&str],
    rename: impl Fn(&str) -> String,
    anchor: impl Fn(&str) -> String,
) -> ShownErrors {
    let rank = |f: &str| order.iter().position(|o| *o == f).unwrap_or(order.len());
    let mut fields: Vec<_> = errors.0.iter().map(|(f, m)| (rename(f), m)).collect();
    fields.sort_by_key(|(f, _)| rank(f));
    let mut by_field = std::collections::BTreeMap::new();
    let mut summary = Vec::new();
    for (f, m) in &fields {
        let message = i18n::field_error(lang, m);
        if by_field.contains_key(f) {
            continue; // two service fields on one form field: the first is enough
        }
        summary.push(context! {
            anchor => anchor(f), label => i18n::field_label(lang, f), message => message.clone(),
        });
        by_field.insert(f.clone(), message);
    }
    ShownErrors {
        title: i18n::form_errors(lang, by_field.len()),
        by_field,
        summary,
    }
}

/// `path` with `key=value` added to its query string.
pub(super) fn with_param(path: &str, key: &str, value: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}{key}={value}")
}

/// A path on this site (`/m/…`) for one of our own URLs, so links work whatever host name the
/// visitor used; other URLs are kept whole.
pub(super) fn local_path(state: &AppState, url: &str) -> String {
    match url.strip_prefix(&state.config.base()) {
        Some("") => "/".to_string(),
        Some(path) if path.starts_with('/') => path.to_string(),
        _ => url.to_string(),
    }
}

/// The associations a user looks after, for "Mes associations": their memberships, or, for
/// the node's administrators (who may manage them all), the first associations by name
/// (`first`, those the home page lists).
async fn my_associations(
    state: &AppState,
    user: &User,
    first: &[ActorLabel],
) -> Result<Vec<Value>, ServiceError> {
    let item = |name: &str, display_name: &str, can_publish: bool| {
        context! { name => name, display_name => display_name, can_publish => can_publish }
    };
    if user.is_admin {
        return Ok(first
            .iter()
            .map(|a| item(&a.name, a.label(), true))
            .collect());
    }
    Ok(
        service::accounts::memberships(state.store.as_ref(), user.id)
            .await?
            .into_iter()
            .map(|(a, r)| item(&a.name, a.label(), r.can_manage_missions()))
            .collect(),
    )
}

/// Associations the home page names (the directory, `/associations`, has them all).
const HOME_ASSOCIATIONS: i64 = 24;

/// The home page: upcoming missions here and on the servers we follow, this node's
/// associations and, for a logged-in user, their own.
async fn home(page: Page) -> Result<Response, PageError> {
    let ctx = home_ctx(&page).await.or_page(&page)?;
    Ok(page.render("home.html", ctx))
}

async fn home_ctx(page: &Page) -> Result<Value, ServiceError> {
    let state = page.state();
    let store = state.store.as_ref();
    let cards = &super::kept_pages::home(state, page.lang).await?.value;
    let (first, association_count) =
        service::actors::association_directory(store, None, HOME_ASSOCIATIONS).await?;
    let mine = match &page.user {
        Some(u) => Some(my_associations(state, u, &first).await?),
        None => None,
    };
    let referent = match &page.user {
        Some(u) => service::help::is_referent(store, &state.config, u).await?,
        None => false,
    };
    let associations: Vec<Value> = first
        .iter()
        .map(|a| context! { name => a.name, display_name => a.label() })
        .collect();
    Ok(context! {
        missions => cards.local(),
        remote => cards.remote(state),
        more_associations => association_count > associations.len() as i64,
        associations => associations,
        mine => mine,
        help_on => state.config.help.enabled,
        referent => referent,
        show_association => true,
        s => super::i18n::area(page.lang, "search-"),
        o => super::search::options(page.state(), page.lang),
        node_description => state.config.instance.description_in(page.lang)
            .map(str::to_string)
            .unwrap_or_else(|| crate::http::web::i18n::word(page.lang, "tagline")),
    })
}

/// An association's page (its actor for ActivityPub clients): who it is, how many follow
/// it, its upcoming missions.
async fn association(
    ctx: Context,
    headers: HeaderMap,
    Path(name): Path<String>,
    page: Page,
) -> Result<Response, PageError> {
    if wants_json(&headers) {
        return Ok(
            match service::actors::local(ctx.store.as_ref(), ActorKind::Group, &name).await {
                Ok(Some(a)) => actor_response(&ctx, a).await,
                Ok(None) => StatusCode::NOT_FOUND.into_response(),
                Err(e) => FedError::from(e).into_response(),
            },
        );
    }
    let c = association_ctx(&page, &name).await.or_page(&page)?;
    Ok(page.render("association.html", c))
}

async fn association_ctx(page: &Page, name: &str) -> Result<Value, ServiceError> {
    let state = page.state();
    let store = state.store.as_ref();
    let a = service::missions::association(store, name).await?;
    let can_publish = match &page.user {
        Some(u) => service::accounts::role_in(store, u, &a)
            .await?
            .is_some_and(|r| r.can_manage_missions()),
        None => false,
    };
    let missions = super::kept_pages::association(state, a.id, page.lang).await?;
    let followers = service::actors::followers_count(store, a.id).await?;
    let profile = service::associations::profile(store, &a).await?;
    let d = &profile.details;
    let fields: Vec<String> = (d.categories.iter())
        .map(|c| crate::i18n::category(page.lang, c))
        .collect();
    let logo =
        (profile.logo_updated_at).map(|at| format!("/g/{}/logo.jpg?v={}", a.name, at.timestamp()));
    Ok(context! {
        a => context! { name => a.name, display_name => a.label(), handle => a.handle(), summary => a.summary,
                        summary_html => service::text::markdown_to_html(&a.summary) },
        details => context! { address => d.address, email => d.email, phone => d.phone,
                              website => d.website, fields => fields, logo => logo },
        w => super::i18n::area(page.lang, "assoc-"),
        followers => i18n::followers(page.lang, followers),
        can_publish => can_publish,
        missions => missions,
    })
}

async fn person(ctx: Context, headers: HeaderMap, Path(name): Path<String>) -> Response {
    match service::actors::local(ctx.store.as_ref(), ActorKind::Person, &name).await {
        Ok(Some(a)) if wants_json(&headers) => actor_response(&ctx, a).await,
        // People's pages stay private for now: only their fediverse identity is public.
        Ok(Some(_)) => Redirect::to("/").into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => FedError::from(e).into_response(),
    }
}

async fn relay(ctx: Context, headers: HeaderMap) -> Response {
    match service::actors::local(ctx.store.as_ref(), ActorKind::Application, "relay").await {
        // The server actor is fetched unsigned (FEP-2677), whatever the Accept header says.
        Ok(Some(a)) if wants_json(&headers) || !headers.contains_key(header::ACCEPT) => {
            actor_response(&ctx, a).await
        }
        Ok(Some(_)) => Redirect::to("/").into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => FedError::from(e).into_response(),
    }
}

/// One of our missions at its own URL: its page, or its ActivityPub object.
async fn local_mission(
    ctx: Context,
    headers: HeaderMap,
    Path(uuid): Path<String>,
    page: Page,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let ap_id = format!("{}/m/{}", ctx.config.base(), uuid);
    let found = service::missions::by_ap_id(ctx.store.as_ref(), &ap_id).await;
    if wants_json(&headers) {
        return Ok(match found {
            Ok(Some(m)) if m.local => mission_response(&ctx, &m).await,
            Ok(_) => StatusCode::NOT_FOUND.into_response(),
            Err(e) => FedError::from(e).into_response(),
        });
    }
    match found.or_page(&page)? {
        Some(m) if m.local => super::signup::mission_page(&page, m, &q).await,
        _ => Err(page.not_found()),
    }
}

/// Any mission by its number here: ours go to their own URL, the others' pages are here.
async fn any_mission(
    Path(id): Path<i64>,
    page: Page,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let store = page.state().store.as_ref();
    let m = service::missions::seen_by(store, page.user.as_ref(), id)
        .await
        .or_page(&page)?;
    if m.local {
        return Ok(Redirect::to(&local_path(page.state(), &m.url)).into_response());
    }
    super::signup::mission_page(&page, m, &q).await
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    pub(super) csrf: Option<String>,
}

/// The association, if `user` may publish its missions.
pub(super) async fn managed_association(
    state: &AppState,
    user: &User,
    name: &str,
) -> Result<Actor, ServiceError> {
    let a = service::missions::association(state.store.as_ref(), name).await?;
    match service::accounts::role_in(state.store.as_ref(), user, &a).await? {
        Some(r) if r.can_manage_missions() => Ok(a),
        _ => Err(ServiceError::Forbidden(Denial::new("not_coordinator"))),
    }
}

/// The association's own (not deleted) mission `id`, if `user` coordinates the association.
pub(super) async fn managed_mission(
    state: &AppState,
    user: &User,
    name: &str,
    id: i64,
) -> Result<(Actor, Mission), ServiceError> {
    let a = managed_association(state, user, name).await?;
    let (m, owner) = service::missions::local_mission(state.store.as_ref(), id).await?;
    if owner.id != a.id {
        return Err(ServiceError::NotFound("mission"));
    }
    Ok((a, m))
}
