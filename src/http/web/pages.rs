//! The pages: home, association, mission, login, and the form to publish a mission.

use super::{i18n, message, render, wants_json, PageCtx};
use crate::{
    domain::{
        actor::{Actor, ActorKind},
        mission::{
            category_label, JoinMode, Mission, MissionDraft, MissionInput, MissionStatus,
            CATEGORIES,
        },
        DomainError, FieldErrors,
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
use chrono::Utc;
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/g/{name}", get(association))
        .route(
            "/g/{name}/missions/new",
            get(new_mission).post(create_mission),
        )
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
    lang: Option<String>,
    /// Login: the page to go back to afterwards.
    next: Option<String>,
    /// Mission page: shown right after the mission was published.
    published: Option<String>,
}

fn page_ctx(state: &AppState, headers: &HeaderMap, q: &PageQuery, user: MaybeUser) -> PageCtx {
    let lang = i18n::pick(
        q.lang.as_deref(),
        headers,
        &state.config.instance.default_language,
    );
    let remember_lang = q.lang.as_deref() == Some(lang.as_str());
    let csrf = user.1.as_deref().map(csrf_token).unwrap_or_default();
    PageCtx {
        lang,
        remember_lang,
        user: user.0,
        csrf,
    }
}

/// A path on this site (`/m/…`) for one of our own URLs, so links work whatever host name the
/// visitor used; other URLs are kept whole.
fn local_path(state: &AppState, url: &str) -> String {
    match url.strip_prefix(&state.config.base()) {
        Some("") => "/".to_string(),
        Some(path) if path.starts_with('/') => path.to_string(),
        _ => url.to_string(),
    }
}

/// Where to go after logging in: only a path on this site (never `//host` or a full URL).
fn safe_next(next: Option<&str>) -> String {
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
struct MissionCard {
    page: String,
    url: String,
    title: String,
    when: String,
    place_short: String,
    place_line: String,
    online: bool,
    places: String,
    full: bool,
    category: String,
    skills: Vec<String>,
    signup: String,
    association: String,
    association_handle: String,
    association_url: String,
    local: bool,
    cancelled: bool,
    content_html: String,
    contact: String,
    good_to_know: Vec<String>,
    commitment: String,
}

fn card(state: &AppState, lang: &str, m: &Mission, owner: &Actor) -> MissionCard {
    let page = if m.local {
        local_path(state, &m.url)
    } else {
        format!("/missions/{}", m.id)
    };
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
        page,
        url: m.url.clone(),
        title: m.title.clone(),
        when: i18n::long_span(m.start_time, m.end_time, state.config.timezone(), lang),
        place_short,
        place_line: m.place.one_line(),
        online: m.online,
        places: i18n::places(lang, m.remaining(), m.capacity),
        full: m.remaining() == Some(0),
        category: category_label(&m.category, lang).to_string(),
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
    }
}

async fn cards(
    state: &AppState,
    lang: &str,
    missions: Vec<Mission>,
) -> Result<Vec<MissionCard>, ServiceError> {
    let mut out = Vec::with_capacity(missions.len());
    for m in missions {
        let owner = state.store.get_actor(m.actor_id).await?;
        out.push(card(state, lang, &m, &owner));
    }
    Ok(out)
}

fn error_page(state: &AppState, page: &PageCtx, e: ServiceError) -> Response {
    match e {
        ServiceError::NotFound(_) => message(
            state,
            page,
            StatusCode::NOT_FOUND,
            "not_found",
            "not_found_text",
        ),
        ServiceError::Forbidden(_) | ServiceError::Domain(DomainError::Forbidden(_)) => message(
            state,
            page,
            StatusCode::FORBIDDEN,
            "forbidden",
            "forbidden_text",
        ),
        other => {
            tracing::error!(error = %other, "page failed");
            message(
                state,
                page,
                StatusCode::SERVICE_UNAVAILABLE,
                "error",
                "error_text",
            )
        }
    }
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
        let now = Some(Utc::now());
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
            missions => cards(&state, &page.lang, local).await?,
            remote => cards(&state, &page.lang, remote).await?,
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
            .list_missions(MissionQuery { actor_id: Some(a.id), upcoming_after: Some(Utc::now()), limit: 100, ..Default::default() })
            .await?;
        let followers = state.store.count_followers(a.id).await?;
        Ok::<_, ServiceError>(context! {
            a => context! { name => a.name, display_name => a.label(), handle => a.handle(), summary => a.summary,
                            summary_html => service::text::markdown_to_html(&a.summary) },
            followers => i18n::followers(&page.lang, followers),
            can_publish => can_publish,
            missions => cards(&state, &page.lang, missions).await?,
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

async fn show_mission(
    state: &AppState,
    page: &PageCtx,
    m: Mission,
    just_published: bool,
) -> Response {
    if m.deleted_at.is_some() {
        return message(state, page, StatusCode::GONE, "not_found", "gone");
    }
    match state.store.get_actor(m.actor_id).await {
        Ok(owner) => {
            let c = card(state, &page.lang, &m, &owner);
            let ctx = context! { m => c, just_published => just_published && page.user.is_some() };
            render(state, page, "mission.html", ctx, StatusCode::OK)
        }
        Err(e) => error_page(state, page, e.into()),
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
        Ok(Some(m)) if m.local => show_mission(&state, &page, m, q.published.is_some()).await,
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
        Ok(m) => show_mission(&state, &page, m, false).await,
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
            match service::accounts::open_session(state.store.as_ref(), &u).await {
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
struct CsrfForm {
    csrf: Option<String>,
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

fn category_options(lang: &str) -> Vec<minijinja::Value> {
    CATEGORIES
        .iter()
        .map(|c| context! { code => c.0, label => if lang == "en" { c.2 } else { c.1 } })
        .collect()
}

/// The login page, coming back to `path` afterwards.
fn login_redirect(path: &str) -> Response {
    const NEXT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.');
    let next = percent_encoding::utf8_percent_encode(path, NEXT);
    Redirect::to(&format!("/login?next={next}")).into_response()
}

/// The association, if `user` may publish its missions.
async fn managed_association(
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

/// The form's page, empty or with the values and errors of a refused submission.
fn form_page(
    state: &AppState,
    page: &PageCtx,
    a: &Actor,
    values: serde_json::Value,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    // The list at the top follows the order of the form; each entry links to its field.
    let order = [
        "title",
        "description",
        "category",
        "start_time",
        "end_time",
        "place_name",
        "street_address",
        "postal_code",
        "locality",
        "capacity",
        "skills",
        "join_mode",
        "contact",
    ];
    let rank = |f: &str| order.iter().position(|o| *o == f).unwrap_or(order.len());
    let mut fields: Vec<(&String, &String)> = errors.0.iter().collect();
    fields.sort_by_key(|(f, _)| rank(f));
    let messages: BTreeMap<&str, String> = fields
        .iter()
        .map(|(f, m)| (f.as_str(), i18n::field_error(&page.lang, m)))
        .collect();
    let summary: Vec<minijinja::Value> = fields
        .iter()
        .map(|(f, m)| {
            let anchor = if f.as_str() == "join_mode" { "join_free" } else { f.as_str() };
            context! { anchor => anchor, label => i18n::field_label(&page.lang, f), message => i18n::field_error(&page.lang, m) }
        })
        .collect();
    let ctx = context! {
        a => context! { name => a.name, display_name => a.label() },
        values => values,
        errors => messages,
        error_summary => summary,
        errors_title => i18n::form_errors(&page.lang, fields.len()),
        categories => category_options(&page.lang),
    };
    render(state, page, "mission_form.html", ctx, status)
}

async fn new_mission(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<PageQuery>,
    user: MaybeUser,
) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    let Some(u) = page.user.clone() else {
        return login_redirect(&format!("/g/{name}/missions/new"));
    };
    match managed_association(&state, &u, &name).await {
        Ok(a) => {
            let values = serde_json::json!({ "category": "other", "join_mode": "free" });
            form_page(
                &state,
                &page,
                &a,
                values,
                &FieldErrors::new(),
                StatusCode::OK,
            )
        }
        Err(e) => error_page(&state, &page, e),
    }
}

/// The form's fields, as text (numbers and dates are checked by the domain).
#[derive(Debug, Deserialize, Serialize, Default)]
struct MissionForm {
    #[serde(skip_serializing)]
    csrf: Option<String>,
    title: Option<String>,
    description: Option<String>,
    category: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
    online: Option<String>,
    place_name: Option<String>,
    street_address: Option<String>,
    postal_code: Option<String>,
    locality: Option<String>,
    capacity: Option<String>,
    skills: Option<String>,
    join_mode: Option<String>,
    contact: Option<String>,
    reduced_mobility: Option<String>,
    open_to_minors: Option<String>,
}

impl MissionForm {
    /// The domain's input, and the errors of fields that are not even text it could check
    /// (a capacity that is not a number).
    fn to_input(&self) -> (MissionInput, FieldErrors) {
        let mut errors = FieldErrors::new();
        let capacity = match self
            .capacity
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => s
                .parse::<i64>()
                .map_err(|_| errors.add("capacity", "must be a whole number"))
                .ok(),
        };
        // An empty field is a missing one ("is required", not "too short").
        let filled = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        let time = |v: &Option<String>| filled(v).map(|s| french_date_time(&s).unwrap_or(s));
        let input = MissionInput {
            title: filled(&self.title),
            description: self.description.clone(),
            category: self.category.clone(),
            skills: self.skills.as_ref().map(|s| {
                s.split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            }),
            place_name: self.place_name.clone(),
            street_address: self.street_address.clone(),
            postal_code: self.postal_code.clone(),
            locality: self.locality.clone(),
            online: Some(self.online.is_some()),
            start_time: time(&self.start_time),
            end_time: time(&self.end_time),
            capacity,
            join_mode: self.join_mode.clone(),
            contact: self.contact.clone(),
            reduced_mobility: Some(self.reduced_mobility.is_some()),
            open_to_minors: Some(self.open_to_minors.is_some()),
            ..Default::default()
        };
        (input, errors)
    }
}

/// "14/06/2026 09:00", "14/06/2026 à 9h30" (what people type where a browser shows a plain text
/// field instead of a date picker) as "2026-06-14T09:00"; `None` for anything else.
fn french_date_time(s: &str) -> Option<String> {
    let numbers: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let (day, month, year, hour, minute) = match numbers[..] {
        [d, m, y, h, min] => (d, m, y, h, min),
        [d, m, y, h] => (d, m, y, h, 0),
        _ => return None,
    };
    let valid = s.contains('/')
        && (1..=31).contains(&day)
        && (1..=12).contains(&month)
        && (1000..=9999).contains(&year)
        && hour < 24
        && minute < 60;
    valid.then(|| format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}"))
}

async fn create_mission(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(name): Path<String>,
    user: MaybeUser,
    Form(form): Form<MissionForm>,
) -> Response {
    let session = user.1.clone();
    let page = page_ctx(&state, &headers, &PageQuery::default(), user);
    let Some(u) = page.user.clone() else {
        return login_redirect(&format!("/g/{name}/missions/new"));
    };
    // The token is bound to the session: a form posted from another site cannot carry it.
    if session.as_deref().map(csrf_token) != form.csrf {
        return message(
            &state,
            &page,
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "csrf_failed_text",
        );
    }
    let a = match managed_association(&state, &u, &name).await {
        Ok(a) => a,
        Err(e) => return error_page(&state, &page, e),
    };
    let (input, mut unreadable) = form.to_input();
    let outcome = if unreadable.0.is_empty() {
        service::missions::create(state.store.as_ref(), &state.config, &u, &name, input).await
    } else {
        // Nothing is saved, but the other fields are checked too so that every mistake is
        // shown at once.
        if let Err(DomainError::Invalid(more)) =
            MissionDraft::create(input, state.config.timezone(), Utc::now())
        {
            for (field, message) in more.0 {
                unreadable.add(&field, message);
            }
        }
        Err(ServiceError::Domain(DomainError::Invalid(unreadable)))
    };
    match outcome {
        Ok(m) => {
            state.wake.notify_waiters();
            Redirect::to(&format!("{}?published=1", local_path(&state, &m.url))).into_response()
        }
        Err(ServiceError::Domain(DomainError::Invalid(fields))) => {
            let mut values = serde_json::to_value(&form).unwrap_or_default();
            for (key, checked) in [
                ("online", &form.online),
                ("reduced_mobility", &form.reduced_mobility),
                ("open_to_minors", &form.open_to_minors),
            ] {
                values[key] = serde_json::json!(checked.is_some());
            }
            form_page(
                &state,
                &page,
                &a,
                values,
                &fields,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => error_page(&state, &page, e),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn french_dates_typed_by_hand_are_understood() {
        use super::french_date_time;
        assert_eq!(
            french_date_time("14/06/2026 09:00").as_deref(),
            Some("2026-06-14T09:00")
        );
        assert_eq!(
            french_date_time("4/6/2026 à 9h30").as_deref(),
            Some("2026-06-04T09:30")
        );
        assert_eq!(
            french_date_time("14/06/2026 9h").as_deref(),
            Some("2026-06-14T09:00")
        );
        assert_eq!(french_date_time("2026-06-14T09:00"), None);
        assert_eq!(french_date_time("32/06/2026 09:00"), None);
        assert_eq!(french_date_time("demain"), None);
    }

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
