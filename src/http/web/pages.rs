//! The pages: home, association, mission, login, and the form to publish a mission.

use super::{i18n, message, render, wants_json, PageCtx};
use crate::{
    domain::{
        actor::{Actor, ActorKind},
        mission::{category_label, format_span, Mission, MissionInput, CATEGORIES},
        DomainError,
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
        .route("/g/{name}/missions/new", get(new_mission).post(create_mission))
        .route("/u/{name}", get(person))
        .route("/relay", get(relay))
        .route("/m/{uuid}", get(local_mission))
        .route("/missions/{id}", get(any_mission))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

#[derive(Debug, Deserialize, Default)]
pub struct LangQuery {
    lang: Option<String>,
}

fn page_ctx(state: &AppState, headers: &HeaderMap, q: &LangQuery, user: MaybeUser) -> PageCtx {
    let lang = i18n::pick(q.lang.as_deref(), headers, &state.config.instance.default_language);
    let csrf = user.1.as_deref().map(csrf_token).unwrap_or_default();
    PageCtx { lang, user: user.0, csrf }
}

/// A mission as a card or a page shows it.
#[derive(Serialize)]
struct MissionCard {
    page: String,
    url: String,
    title: String,
    when: String,
    r#where: String,
    place_line: String,
    online: bool,
    places: String,
    category: String,
    skills: Vec<String>,
    association: String,
    association_handle: String,
    association_url: String,
    local: bool,
    cancelled: bool,
    content_html: String,
}

fn card(state: &AppState, lang: &str, m: &Mission, owner: &Actor) -> MissionCard {
    let places = match (m.remaining(), m.capacity) {
        (Some(0), _) => i18n::word(lang, "full"),
        (Some(r), Some(c)) => format!("{r} {} {c}", i18n::word(lang, "left_of")),
        _ => i18n::word(lang, "unlimited"),
    };
    let page = if m.local { m.url.clone() } else { format!("/missions/{}", m.id) };
    MissionCard {
        page,
        url: m.url.clone(),
        title: m.title.clone(),
        when: format_span(m.start_time, m.end_time, state.config.timezone(), lang),
        r#where: if m.online { i18n::word(lang, "remote") } else { m.place.locality.clone() },
        place_line: m.place.one_line(),
        online: m.online,
        places,
        category: category_label(&m.category, lang).to_string(),
        skills: m.skills.clone(),
        association: owner.label().to_string(),
        association_handle: owner.handle(),
        association_url: if owner.local { owner.ap_id.clone() } else { owner.url.clone().unwrap_or_else(|| owner.ap_id.clone()) },
        local: m.local,
        cancelled: m.status == crate::domain::mission::MissionStatus::Cancelled,
        content_html: m.content_html.clone(),
    }
}

async fn cards(state: &AppState, lang: &str, missions: Vec<Mission>) -> Result<Vec<MissionCard>, ServiceError> {
    let mut out = Vec::with_capacity(missions.len());
    for m in missions {
        let owner = state.store.get_actor(m.actor_id).await?;
        out.push(card(state, lang, &m, &owner));
    }
    Ok(out)
}

fn error_page(state: &AppState, page: &PageCtx, e: ServiceError) -> Response {
    match e {
        ServiceError::NotFound(_) => message(state, page, StatusCode::NOT_FOUND, "not_found", "not_found_text"),
        ServiceError::Forbidden(_) | ServiceError::Domain(DomainError::Forbidden(_)) => {
            message(state, page, StatusCode::FORBIDDEN, "forbidden", "forbidden_text")
        }
        other => {
            tracing::error!(error = %other, "page failed");
            message(state, page, StatusCode::SERVICE_UNAVAILABLE, "error", "error_text")
        }
    }
}

async fn home(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<LangQuery>, user: MaybeUser) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    let result = async {
        let now = Some(Utc::now());
        let local = state.store.list_missions(MissionQuery { local: Some(true), upcoming_after: now, limit: 30, ..Default::default() }).await?;
        let remote = state.store.list_missions(MissionQuery { local: Some(false), upcoming_after: now, limit: 30, ..Default::default() }).await?;
        let associations: Vec<_> = state
            .store
            .list_local_actors(ActorKind::Group.as_str())
            .await?
            .into_iter()
            .map(|a| context! { name => a.name, display_name => a.label(), handle => a.handle() })
            .collect();
        Ok::<_, ServiceError>(context! {
            missions => cards(&state, &page.lang, local).await?,
            remote => cards(&state, &page.lang, remote).await?,
            associations => associations,
            node_description => state.config.instance.description,
        })
    }
    .await;
    match result {
        Ok(ctx) => render(&state, &page, "home.html", ctx, StatusCode::OK),
        Err(e) => error_page(&state, &page, e),
    }
}

async fn association(ctx: Context, headers: HeaderMap, Path(name): Path<String>, Query(q): Query<LangQuery>, user: MaybeUser) -> Response {
    let state = ctx.app_data().clone();
    if wants_json(&headers) {
        return match state.store.find_local_actor(ActorKind::Group.as_str(), &name).await {
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
        Ok::<_, ServiceError>(context! {
            a => context! { name => a.name, display_name => a.label(), handle => a.handle(), summary => a.summary,
                            summary_html => service::text::markdown_to_html(&a.summary) },
            followers => state.store.count_followers(a.id).await?,
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
    match ctx.store.find_local_actor(ActorKind::Person.as_str(), &name).await {
        Ok(Some(a)) if wants_json(&headers) => actor_response(&ctx, a).await,
        // People's pages stay private for now: only their fediverse identity is public.
        Ok(Some(_)) => Redirect::to("/").into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => crate::federation::error::FedError::from(e).into_response(),
    }
}

async fn relay(ctx: Context, headers: HeaderMap) -> Response {
    match ctx.store.find_local_actor(ActorKind::Application.as_str(), "relay").await {
        // The server actor is fetched unsigned (FEP-2677), whatever the Accept header says.
        Ok(Some(a)) if wants_json(&headers) || !headers.contains_key(header::ACCEPT) => actor_response(&ctx, a).await,
        Ok(Some(_)) => Redirect::to("/").into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => crate::federation::error::FedError::from(e).into_response(),
    }
}

async fn show_mission(state: &AppState, page: &PageCtx, m: Mission) -> Response {
    if m.deleted_at.is_some() {
        return message(state, page, StatusCode::GONE, "not_found", "gone");
    }
    match state.store.get_actor(m.actor_id).await {
        Ok(owner) => {
            let c = card(state, &page.lang, &m, &owner);
            render(state, page, "mission.html", context! { m => c }, StatusCode::OK)
        }
        Err(e) => error_page(state, page, e.into()),
    }
}

async fn local_mission(ctx: Context, headers: HeaderMap, Path(uuid): Path<String>, Query(q): Query<LangQuery>, user: MaybeUser) -> Response {
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
        Ok(Some(m)) if m.local => show_mission(&state, &page, m).await,
        Ok(_) => message(&state, &page, StatusCode::NOT_FOUND, "not_found", "not_found_text"),
        Err(e) => error_page(&state, &page, e.into()),
    }
}

async fn any_mission(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>, Query(q): Query<LangQuery>, user: MaybeUser) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    match state.store.get_mission(id).await {
        Ok(m) if m.local => Redirect::to(&m.url).into_response(),
        Ok(m) => show_mission(&state, &page, m).await,
        Err(e) => error_page(&state, &page, e.into()),
    }
}

async fn login_page(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<LangQuery>, user: MaybeUser) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    render(&state, &page, "login.html", context! { failed => false, name => "" }, StatusCode::OK)
}

#[derive(Deserialize)]
struct LoginForm {
    name: String,
    password: String,
}

async fn login(State(state): State<AppState>, headers: HeaderMap, user: MaybeUser, Form(form): Form<LoginForm>) -> Response {
    match service::accounts::authenticate(state.store.as_ref(), form.name.trim(), &form.password).await {
        Ok(u) => match service::accounts::open_session(state.store.as_ref(), &u).await {
            Ok(secret) => {
                let secure = if state.config.server.public_url.scheme() == "https" { "; Secure" } else { "" };
                let cookie = format!("{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", 30 * 86400);
                let mut res = Redirect::to("/").into_response();
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    res.headers_mut().append(header::SET_COOKIE, v);
                }
                res
            }
            Err(e) => error_page(&state, &page_ctx(&state, &headers, &LangQuery::default(), user), e),
        },
        Err(ServiceError::BadCredentials) => {
            let page = page_ctx(&state, &headers, &LangQuery::default(), user);
            render(&state, &page, "login.html", context! { failed => true, name => form.name }, StatusCode::UNAUTHORIZED)
        }
        Err(e) => error_page(&state, &page_ctx(&state, &headers, &LangQuery::default(), user), e),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn logout(State(state): State<AppState>, user: MaybeUser, Form(form): Form<CsrfForm>) -> Response {
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
    CATEGORIES.iter().map(|c| context! { code => c.0, label => if lang == "en" { c.2 } else { c.1 } }).collect()
}

async fn new_mission(State(state): State<AppState>, headers: HeaderMap, Path(name): Path<String>, Query(q): Query<LangQuery>, user: MaybeUser) -> Response {
    let page = page_ctx(&state, &headers, &q, user);
    let Some(u) = page.user.clone() else { return Redirect::to("/login").into_response() };
    let result = async {
        let a = service::missions::association(state.store.as_ref(), &name).await?;
        match service::accounts::role_in(state.store.as_ref(), &u, &a).await? {
            Some(r) if r.can_manage_missions() => Ok(a),
            _ => Err(ServiceError::Forbidden("not a coordinator")),
        }
    }
    .await;
    match result {
        Ok(a) => {
            let values: BTreeMap<&str, String> = BTreeMap::from([("category", "other".to_string())]);
            let ctx = context! { a => context! { name => a.name, display_name => a.label() }, values => values,
                                 errors => BTreeMap::<String, String>::new(), categories => category_options(&page.lang) };
            render(&state, &page, "mission_form.html", ctx, StatusCode::OK)
        }
        Err(e) => error_page(&state, &page, e),
    }
}

/// The form's fields, as text (numbers and dates are checked by the domain).
#[derive(Debug, Deserialize, Serialize, Default)]
struct MissionForm {
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
}

impl MissionForm {
    fn to_input(&self, lang: &str) -> Result<MissionInput, (String, String)> {
        let capacity = match self.capacity.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(s.parse::<i64>().map_err(|_| {
                ("capacity".to_string(), if lang == "en" { "must be a whole number".into() } else { "doit être un nombre entier".to_string() })
            })?),
        };
        Ok(MissionInput {
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category.clone(),
            skills: self.skills.as_ref().map(|s| s.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()),
            place_name: self.place_name.clone(),
            street_address: self.street_address.clone(),
            postal_code: self.postal_code.clone(),
            locality: self.locality.clone(),
            online: Some(self.online.is_some()),
            start_time: self.start_time.clone(),
            end_time: self.end_time.clone(),
            capacity,
            join_mode: self.join_mode.clone(),
            ..Default::default()
        })
    }
}

/// Field messages of the domain, in the page's language.
fn translate(lang: &str, message: &str) -> String {
    if lang == "en" {
        return message.to_string();
    }
    let fr = [
        ("is required", "est obligatoire"),
        ("must be at least 3 characters long", "doit faire au moins 3 caractères"),
        ("must be after the start", "doit être après le début"),
        ("is already over", "est déjà passée"),
        ("is required unless the mission is done remotely", "est obligatoire, sauf pour une mission à distance"),
        ("must be at least 1 (leave it empty for no limit)", "doit être au moins 1 (laisser vide s'il n'y a pas de limite)"),
        ("a mission lasts at most one year", "une mission dure au plus un an"),
    ];
    fr.iter().find(|(en, _)| *en == message).map(|(_, f)| f.to_string()).unwrap_or_else(|| message.to_string())
}

async fn create_mission(State(state): State<AppState>, headers: HeaderMap, Path(name): Path<String>, user: MaybeUser, Form(form): Form<MissionForm>) -> Response {
    let session = user.1.clone();
    let page = page_ctx(&state, &headers, &LangQuery::default(), user);
    let Some(u) = page.user.clone() else { return Redirect::to("/login").into_response() };
    if session.as_deref().map(csrf_token) != form.csrf {
        return message(&state, &page, StatusCode::FORBIDDEN, "forbidden", "forbidden_text");
    }
    let outcome = match form.to_input(&page.lang) {
        Ok(input) => service::missions::create(state.store.as_ref(), &state.config, &u, &name, input).await.map_err(Some),
        Err((field, msg)) => {
            let mut e = crate::domain::FieldErrors::new();
            e.add(&field, msg);
            Err(Some(ServiceError::Domain(DomainError::Invalid(e))))
        }
    };
    match outcome {
        Ok(m) => {
            state.wake.notify_waiters();
            Redirect::to(&m.url).into_response()
        }
        Err(Some(ServiceError::Domain(DomainError::Invalid(fields)))) => {
            let errors: BTreeMap<String, String> = fields.0.iter().map(|(k, v)| (k.clone(), translate(&page.lang, v))).collect();
            let a = match service::missions::association(state.store.as_ref(), &name).await {
                Ok(a) => a,
                Err(e) => return error_page(&state, &page, e),
            };
            let mut values = serde_json::to_value(&form).unwrap_or_default();
            values["online"] = serde_json::json!(form.online.is_some());
            let ctx = context! { a => context! { name => a.name, display_name => a.label() }, values => values,
                                 errors => errors, categories => category_options(&page.lang) };
            render(&state, &page, "mission_form.html", ctx, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(Some(e)) => error_page(&state, &page, e),
        Err(None) => error_page(&state, &page, ServiceError::Internal("unreachable".into())),
    }
}
