//! Server-rendered pages, French first, usable on a phone without JavaScript. Actor and
//! mission URLs are shared with federation: `Accept: application/activity+json` gets JSON.

pub mod i18n;
mod pages;

use crate::state::AppState;
use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};
use minijinja::{context, Environment, Value};

/// The templates, compiled into the binary so an install is one file.
pub fn templates() -> Environment<'static> {
    let mut env = Environment::new();
    let files: [(&str, &str); 7] = [
        ("base.html", include_str!("../../../templates/base.html")),
        ("home.html", include_str!("../../../templates/home.html")),
        ("association.html", include_str!("../../../templates/association.html")),
        ("mission.html", include_str!("../../../templates/mission.html")),
        ("mission_card.html", include_str!("../../../templates/mission_card.html")),
        ("login.html", include_str!("../../../templates/login.html")),
        ("mission_form.html", include_str!("../../../templates/mission_form.html")),
    ];
    for (name, source) in files {
        if let Err(e) = env.add_template(name, source) {
            // A broken template is a build defect; the unit test `templates_compile` catches it.
            tracing::error!(template = name, error = %e, "template does not compile");
        }
    }
    if let Err(e) = env.add_template("message.html", include_str!("../../../templates/message.html")) {
        tracing::error!(error = %e, "template does not compile");
    }
    env
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/style.css", get(style))
        .merge(pages::router())
}

async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
         (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"))],
        include_str!("../../../static/style.css"),
    )
        .into_response()
}

/// What every page needs: language, words, user, node name.
pub struct PageCtx {
    pub lang: String,
    pub user: Option<crate::domain::account::User>,
    pub csrf: String,
}

impl PageCtx {
    fn words(&self) -> Value {
        let keys = [
            "skip", "home", "login", "logout", "associations", "no_associations", "upcoming", "no_missions",
            "neighbours", "neighbours_intro", "follow_from_fediverse", "follow_howto", "followers", "publish",
            "when", "where", "places", "category", "skills", "remote", "published_by", "original", "cancelled",
            "name", "password", "login_failed", "title", "title_hint", "description", "description_hint", "start",
            "end", "place_name", "street", "postal_code", "locality", "online", "capacity", "capacity_hint",
            "skills_hint", "join_mode", "join_free", "join_restricted", "save", "form_errors", "language",
            "node_actor", "required", "my_associations",
        ];
        let map: std::collections::BTreeMap<&str, String> = keys.iter().map(|k| (*k, i18n::word(&self.lang, k))).collect();
        Value::from_serialize(&map)
    }
}

/// Renders a page; a template failure becomes a plain 500 page, logged.
pub fn render(state: &AppState, page: &PageCtx, name: &str, ctx: Value, status: StatusCode) -> Response {
    let other = if page.lang == "en" { "fr" } else { "en" };
    let full = context! {
        lang => page.lang, other_lang => other, t => page.words(), user => page.user,
        csrf => page.csrf, node_name => state.config.instance.name, ..ctx
    };
    match state.templates.get_template(name).and_then(|t| t.render(full)) {
        Ok(html) => {
            let mut res = (status, Html(html)).into_response();
            let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", page.lang);
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept, Accept-Language, Cookie"));
            res
        }
        Err(e) => {
            tracing::error!(template = name, error = %e, "rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "page rendering failed").into_response()
        }
    }
}

/// A page with a heading and one sentence (errors, confirmations).
pub fn message(state: &AppState, page: &PageCtx, status: StatusCode, heading_key: &str, text_key: &str) -> Response {
    let ctx = context! { heading => i18n::word(&page.lang, heading_key), text => i18n::word(&page.lang, text_key) };
    render(state, page, "message.html", ctx, status)
}

pub fn wants_json(headers: &HeaderMap) -> bool {
    crate::federation::routes::wants_activity_json(headers)
}

#[cfg(test)]
mod tests {
    #[test]
    fn templates_compile() {
        let env = super::templates();
        for name in ["base.html", "home.html", "association.html", "mission.html", "login.html", "mission_form.html", "message.html"] {
            assert!(env.get_template(name).is_ok(), "{name} does not compile");
        }
    }
}
