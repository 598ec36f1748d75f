//! The pages: home, association, mission, login; and the helpers the other page modules share
//! (language and session of a request, mission cards, error pages, CSRF check).

use super::{i18n, message, render, wants_json, PageCtx};
use crate::i18n::Lang;
use crate::{
    domain::{
        actor::{Actor, ActorKind},
        mission::{JoinMode, Mission, MissionStatus},
        slot::Slot,
    },
    federation::routes::{actor_response, mission_response},
    http::auth::{csrf_token, MaybeUser, SESSION_COOKIE},
    service::{self, accounts::hash_secret, ServiceError},
    state::{AppState, Context},
    storage::MissionQuery,
};
use axum::{
    extract::{Form, Path, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use chrono::{DateTime, Utc};
use minijinja::context;
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/g/{name}", get(association))
        .route("/u/{name}", get(person))
        .route("/relay", get(relay))
        .route("/m/{uuid}", get(local_mission))
        .route("/missions/{id}", get(any_mission))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

/// What a page's query string may carry.
#[derive(Debug, Deserialize, Default)]
pub struct PageQuery {
    /// `fr` or `en`: switches the language and remembers it.
    pub(super) lang: Option<String>,
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

pub(super) fn page_ctx(
    state: &AppState,
    headers: &HeaderMap,
    q: &PageQuery,
    user: MaybeUser,
) -> PageCtx {
    let lang = i18n::pick(
        q.lang.as_deref(),
        headers,
        &state.config.instance.default_language,
    );
    let remember_lang = q.lang.as_deref() == Some(lang.code());
    let csrf = user.1.as_deref().map(csrf_token).unwrap_or_default();
    PageCtx {
        lang,
        remember_lang,
        user: user.0,
        csrf,
    }
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

/// Where to go after logging in: only a path on this site (never `//host` or a full URL).
pub(super) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/') && !n.starts_with("//") && !n.contains(['\\', '\r', '\n']) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// A mission as a card or a page shows it.
#[derive(Serialize)]
pub(super) struct MissionCard {
    pub(super) id: i64,
    pub(super) page: String,
    pub(super) url: String,
    pub(super) title: String,
    pub(super) when: String,
    pub(super) place_short: String,
    pub(super) place_line: String,
    pub(super) online: bool,
    pub(super) places: String,
    pub(super) full: bool,
    pub(super) category: String,
    pub(super) skills: Vec<String>,
    pub(super) signup: String,
    pub(super) association: String,
    pub(super) association_handle: String,
    pub(super) association_url: String,
    pub(super) local: bool,
    pub(super) cancelled: bool,
    pub(super) content_html: String,
    pub(super) contact: String,
    pub(super) good_to_know: Vec<String>,
    pub(super) commitment: String,
    pub(super) draft: bool,
}

/// The page of a mission on this site: its own path for ours, `/missions/{id}` for the others'.
pub(super) fn mission_path(state: &AppState, m: &Mission) -> String {
    if m.local {
        local_path(state, &m.url)
    } else {
        format!("/missions/{}", m.id)
    }
}

/// Places left as people should read them: over the slots still open when the mission has
/// slots (each slot has its own capacity), else the mission's own count. `(words, full)`.
pub(super) fn places_line(
    lang: Lang,
    m: &Mission,
    slots: &[Slot],
    now: DateTime<Utc>,
) -> (String, bool) {
    if slots.is_empty() {
        return (
            i18n::places(lang, m.remaining(), m.capacity),
            m.remaining() == Some(0),
        );
    }
    let open: Vec<&Slot> = slots
        .iter()
        .filter(|s| s.closed_reason(now).is_none())
        .collect();
    if open.is_empty() {
        return (i18n::word(lang, "no_open_slot"), true);
    }
    let remaining: i64 = open.iter().map(|s| s.remaining()).sum();
    let capacity: i64 = open.iter().map(|s| s.capacity).sum();
    (
        i18n::places(lang, Some(remaining), Some(capacity)),
        remaining == 0,
    )
}

pub(super) fn card(state: &AppState, lang: Lang, m: &Mission, owner: &Actor) -> MissionCard {
    let page = mission_path(state, m);
    let place_short = if m.online {
        i18n::word(lang, "remote")
    } else if m.place.locality.is_empty() {
        m.place.one_line()
    } else {
        m.place.locality.clone()
    };
    let signup = match m.join_mode {
        JoinMode::Free => i18n::word(lang, "signup_free"),
        JoinMode::Restricted => i18n::word(lang, "signup_restricted"),
    };
    MissionCard {
        id: m.id,
        page,
        url: m.url.clone(),
        title: m.title.clone(),
        when: i18n::long_span(m.start_time, m.end_time, state.config.timezone(), lang),
        place_short,
        place_line: m.place.one_line(),
        online: m.online,
        places: i18n::places(lang, m.remaining(), m.capacity),
        full: m.remaining() == Some(0),
        category: crate::i18n::category(lang, &m.category),
        skills: m.skills.clone(),
        signup,
        association: owner.label().to_string(),
        association_handle: owner.handle(),
        association_url: if owner.local {
            format!("/g/{}", owner.name)
        } else {
            owner.url.clone().unwrap_or_else(|| owner.ap_id.clone())
        },
        local: m.local,
        cancelled: m.status == MissionStatus::Cancelled,
        content_html: m.content_html.clone(),
        contact: m.contact.clone(),
        good_to_know: [
            (m.reduced_mobility, "reduced_mobility"),
            (m.open_to_minors, "open_to_minors"),
        ]
        .iter()
        .filter(|(yes, _)| *yes)
        .map(|(_, key)| i18n::word(lang, key))
        .collect(),
        commitment: match m.commitment_minutes {
            Some(minutes) if m.regular => i18n::commitment(lang, minutes, &m.commitment_period),
            _ => String::new(),
        },
        draft: m.status == MissionStatus::Draft,
    }
}

/// Cards for a list of missions, with the places counted over their slots.
pub(super) async fn cards(
    state: &AppState,
    lang: Lang,
    missions: Vec<Mission>,
) -> Result<Vec<MissionCard>, ServiceError> {
    let mut out = Vec::with_capacity(missions.len());
    let now = state.clock.now();
    let owners = service::missions::owners(state.store.as_ref(), &missions).await?;
    for m in missions {
        let Some(owner) = owners.get(&m.actor_id) else {
            continue;
        };
        let slots = state.store.list_slots(m.id).await?;
        let mut c = card(state, lang, &m, owner);
        (c.places, c.full) = places_line(lang, &m, &slots, now);
        out.push(c);
    }
    Ok(out)
}

pub(super) fn error_page(state: &AppState, page: &PageCtx, e: ServiceError) -> Response {
    let (status, heading, text) = super::extract::service_status(&e);
    if status.is_server_error() {
        tracing::error!(error = %e, "page failed");
    }
    message(state, page, status, heading, text)
}

/// The associations a user looks after, for "Mes associations": their memberships, or every
/// association for the node's administrators (who may manage them all).
async fn my_associations(
    state: &AppState,
    user: &crate::domain::account::User,
) -> Result<Vec<minijinja::Value>, ServiceError> {
    let mine: Vec<(Actor, bool)> = if user.is_admin {
        state
            .store
            .list_local_actors(ActorKind::Group.as_str())
            .await?
            .into_iter()
            .map(|a| (a, true))
            .collect()
    } else {
        state
            .store
            .memberships(user.id)
            .await?
            .into_iter()
            .map(|(a, r)| (a, r.can_manage_missions()))
            .collect()
    };
    Ok(mine
        .into_iter()
        .map(|(a, can_publish)| context! { name => a.name, display_name => a.label(), can_publish => can_publish })
        .collect())
}

async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    let result = async {
        let now = Some(state.clock.now());
        let local = state
            .store
            .list_missions(MissionQuery {
                local: Some(true),
                upcoming_after: now,
                limit: 30,
                ..Default::default()
            })
            .await?;
        let remote = state
            .store
            .list_missions(MissionQuery {
                local: Some(false),
                upcoming_after: now,
                limit: 30,
                ..Default::default()
            })
            .await?;
        let associations: Vec<_> = state
            .store
            .list_local_actors(ActorKind::Group.as_str())
            .await?
            .into_iter()
            .map(|a| context! { name => a.name, display_name => a.label(), handle => a.handle() })
            .collect();
        let mine = match &page.user {
            Some(u) => Some(my_associations(&state, u).await?),
            None => None,
        };
        Ok::<_, ServiceError>(context! {
            missions => cards(&state, page.lang, local).await?,
            remote => cards(&state, page.lang, remote).await?,
            associations => associations,
            mine => mine,
            show_association => true,
            node_description => state.config.instance.description,
        })
    }
    .await;
    match result {
        Ok(ctx) => render(&state, &page, "home.html", ctx, StatusCode::OK),
        Err(e) => error_page(&state, &page, e),
    }
}

async fn association(
    ctx: Context,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let state = ctx.app_data().clone();
    if wants_json(&headers) {
        return match state
            .store
            .find_local_actor(ActorKind::Group.as_str(), &name)
            .await
        {
            Ok(Some(a)) => actor_response(&ctx, a).await,
            Ok(None) => StatusCode::NOT_FOUND.into_response(),
            Err(e) => crate::federation::error::FedError::from(e).into_response(),
        };
    }
    let page = page_ctx(&state, &headers, &q, user);
    let result = async {
        let a = service::missions::association(state.store.as_ref(), &name).await?;
        let can_publish = match &page.user {
            Some(u) => service::accounts::role_in(state.store.as_ref(), u, &a).await?.is_some_and(|r| r.can_manage_missions()),
            None => false,
        };
        let missions = state
            .store
            .list_missions(MissionQuery { actor_id: Some(a.id), upcoming_after: Some(state.clock.now()), limit: 100, ..Default::default() })
            .await?;
        let followers = state.store.count_followers(a.id).await?;
        Ok::<_, ServiceError>(context! {
            a => context! { name => a.name, display_name => a.label(), handle => a.handle(), summary => a.summary,
                            summary_html => service::text::markdown_to_html(&a.summary) },
            followers => i18n::followers(page.lang, followers),
            can_publish => can_publish,
            missions => cards(&state, page.lang, missions).await?,
        })
    }
    .await;
    match result {
        Ok(c) => render(&state, &page, "association.html", c, StatusCode::OK),
        Err(e) => error_page(&state, &page, e),
    }
}

async fn person(ctx: Context, headers: HeaderMap, Path(name): Path<String>) -> Response {
    match ctx
        .store
        .find_local_actor(ActorKind::Person.as_str(), &name)
        .await
    {
        Ok(Some(a)) if wants_json(&headers) => actor_response(&ctx, a).await,
        // People's pages stay private for now: only their fediverse identity is public.
        Ok(Some(_)) => Redirect::to("/").into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => crate::federation::error::FedError::from(e).into_response(),
    }
}

async fn relay(ctx: Context, headers: HeaderMap) -> Response {
    match ctx
        .store
        .find_local_actor(ActorKind::Application.as_str(), "relay")
        .await
    {
        // The server actor is fetched unsigned (FEP-2677), whatever the Accept header says.
        Ok(Some(a)) if wants_json(&headers) || !headers.contains_key(header::ACCEPT) => {
            actor_response(&ctx, a).await
        }
        Ok(Some(_)) => Redirect::to("/").into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => crate::federation::error::FedError::from(e).into_response(),
    }
}

async fn local_mission(
    ctx: Context,
    headers: HeaderMap,
    Path(uuid): Path<String>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let state = ctx.app_data().clone();
    let ap_id = format!("{}/m/{}", state.config.base(), uuid);
    let found = state.store.find_mission_by_ap_id(&ap_id).await;
    if wants_json(&headers) {
        return match found {
            Ok(Some(m)) if m.local => mission_response(&ctx, &m).await,
            Ok(_) => StatusCode::NOT_FOUND.into_response(),
            Err(e) => crate::federation::error::FedError::from(e).into_response(),
        };
    }
    let page = page_ctx(&state, &headers, &q, user);
    match found {
        Ok(Some(m)) if m.local => super::signup::mission_page(&state, &page, m, &q).await,
        Ok(_) => message(
            &state,
            &page,
            StatusCode::NOT_FOUND,
            "not_found",
            "not_found_text",
        ),
        Err(e) => error_page(&state, &page, e.into()),
    }
}

async fn any_mission(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    match state.store.get_mission(id).await {
        Ok(m) if m.local => Redirect::to(&local_path(&state, &m.url)).into_response(),
        Ok(m) => super::signup::mission_page(&state, &page, m, &q).await,
        Err(e) => error_page(&state, &page, e.into()),
    }
}

async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    let next = safe_next(q.next.as_deref());
    render(
        &state,
        &page,
        "login.html",
        context! { failed => false, name => "", next => next },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct LoginForm {
    name: String,
    password: String,
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: MaybeUser,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    match service::accounts::authenticate(state.store.as_ref(), form.name.trim(), &form.password)
        .await
    {
        Ok(u) => {
            match service::accounts::open_session(state.store.as_ref(), &u, state.clock.now()).await
            {
                Ok(secret) => {
                    let secure = if state.config.server.public_url.scheme() == "https" {
                        "; Secure"
                    } else {
                        ""
                    };
                    let cookie = format!("{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", 30 * 86400);
                    let mut res = Redirect::to(&next).into_response();
                    if let Ok(v) = HeaderValue::from_str(&cookie) {
                        res.headers_mut().append(header::SET_COOKIE, v);
                    }
                    res
                }
                Err(e) => error_page(
                    &state,
                    &page_ctx(&state, &headers, &PageQuery::default(), user),
                    e,
                ),
            }
        }
        Err(ServiceError::BadCredentials) => {
            let page = page_ctx(&state, &headers, &PageQuery::default(), user);
            let ctx = context! { failed => true, name => form.name, next => next };
            render(&state, &page, "login.html", ctx, StatusCode::UNAUTHORIZED)
        }
        Err(e) => error_page(
            &state,
            &page_ctx(&state, &headers, &PageQuery::default(), user),
            e,
        ),
    }
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    pub(super) csrf: Option<String>,
}

/// Whether a form carries the token of the session that sends it (a form posted from another
/// site cannot know it).
pub(super) fn csrf_ok(session: Option<&str>, given: Option<&str>) -> bool {
    matches!((session, given), (Some(s), Some(g)) if !g.is_empty() && csrf_token(s) == g)
}

/// The page shown when a form's token is missing or wrong: nothing was done.
pub(super) fn csrf_refused(state: &AppState, page: &PageCtx) -> Response {
    message(
        state,
        page,
        StatusCode::FORBIDDEN,
        "csrf_failed",
        "csrf_failed_text",
    )
}

async fn logout(
    State(state): State<AppState>,
    user: MaybeUser,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Some(token) = &user.1 {
        if form.csrf.as_deref() == Some(csrf_token(token).as_str()) {
            if let Err(e) = state.store.delete_session(&hash_secret(token)).await {
                tracing::error!(error = %e, "cannot delete session");
            }
        }
    }
    let mut res = Redirect::to("/").into_response();
    let clear = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&clear) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// The login page, coming back to `path` afterwards.
pub(super) fn login_redirect(path: &str) -> Response {
    super::extract::login_redirect(path)
}

/// The association, if `user` may publish its missions.
pub(super) async fn managed_association(
    state: &AppState,
    user: &crate::domain::account::User,
    name: &str,
) -> Result<Actor, ServiceError> {
    let a = service::missions::association(state.store.as_ref(), name).await?;
    match service::accounts::role_in(state.store.as_ref(), user, &a).await? {
        Some(r) if r.can_manage_missions() => Ok(a),
        _ => Err(ServiceError::Forbidden("not a coordinator")),
    }
}

/// The association's own (not deleted) mission `id`, if `user` coordinates the association.
pub(super) async fn managed_mission(
    state: &AppState,
    user: &crate::domain::account::User,
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

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn login_only_sends_back_to_this_site() {
        assert_eq!(
            safe_next(Some("/g/epicerie/missions/new")),
            "/g/epicerie/missions/new"
        );
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
