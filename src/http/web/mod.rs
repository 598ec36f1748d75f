//! Server-rendered pages, French first, usable on a phone without JavaScript. Actor and
//! mission URLs are shared with federation: `Accept: application/activity+json` gets JSON.

mod account;
mod assets;
mod associations;
pub(crate) mod calendar;
mod cards;
mod charts;
mod dashboard;
mod directory;
pub(crate) mod equipment;
pub mod extract;
mod fediverse;
mod help;
mod hours;
pub mod i18n;
pub mod kept_pages;
mod login;
mod messages;
mod mission_form;
mod moderation;
mod pages;
mod phone;
mod prelude;
mod privacy;
mod register;
mod search;
mod search_feeds;
mod signup;
mod sources;
mod territory;
mod tokens;
mod volunteer;

use crate::state::AppState;
use axum::{
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Response},
    Router,
};
use minijinja::{context, Environment, Value};

pub use extract::{CheckedForm, LoggedIn, OrPage, Page, PageError};

/// The templates, compiled into the binary so an install is one file.
const TEMPLATES: [(&str, &str); 32] = [
    ("base.html", include_str!("../../../templates/base.html")),
    ("home.html", include_str!("../../../templates/home.html")),
    (
        "search.html",
        include_str!("../../../templates/search.html"),
    ),
    (
        "search_form.html",
        include_str!("../../../templates/search_form.html"),
    ),
    (
        "association.html",
        include_str!("../../../templates/association.html"),
    ),
    (
        "mission.html",
        include_str!("../../../templates/mission.html"),
    ),
    (
        "mission_card.html",
        include_str!("../../../templates/mission_card.html"),
    ),
    ("login.html", include_str!("../../../templates/login.html")),
    (
        "mission_form.html",
        include_str!("../../../templates/mission_form.html"),
    ),
    (
        "message.html",
        include_str!("../../../templates/message.html"),
    ),
    (
        "my_slots.html",
        include_str!("../../../templates/my_slots.html"),
    ),
    (
        "me_nav.html",
        include_str!("../../../templates/me_nav.html"),
    ),
    (
        "profile.html",
        include_str!("../../../templates/profile.html"),
    ),
    (
        "matches.html",
        include_str!("../../../templates/matches.html"),
    ),
    (
        "dashboard.html",
        include_str!("../../../templates/dashboard.html"),
    ),
    (
        "slot_cancel.html",
        include_str!("../../../templates/slot_cancel.html"),
    ),
    (
        "slots_form.html",
        include_str!("../../../templates/slots_form.html"),
    ),
    (
        "fediverse.html",
        include_str!("../../../templates/fediverse.html"),
    ),
    (
        "fediverse_join.html",
        include_str!("../../../templates/fediverse_join.html"),
    ),
    (
        "tokens.html",
        include_str!("../../../templates/tokens.html"),
    ),
    (
        "invitation.html",
        include_str!("../../../templates/invitation.html"),
    ),
    (
        "my_data.html",
        include_str!("../../../templates/my_data.html"),
    ),
    (
        "privacy.html",
        include_str!("../../../templates/privacy.html"),
    ),
    (
        "form_field.html",
        include_str!("../../../templates/form_field.html"),
    ),
    (
        "register.html",
        include_str!("../../../templates/register.html"),
    ),
    (
        "confirm.html",
        include_str!("../../../templates/confirm.html"),
    ),
    (
        "password.html",
        include_str!("../../../templates/password.html"),
    ),
    (
        "account.html",
        include_str!("../../../templates/account.html"),
    ),
    (
        "sms_phone.html",
        include_str!("../../../templates/sms_phone.html"),
    ),
    (
        "message_form.html",
        include_str!("../../../templates/message_form.html"),
    ),
    (
        "message_log.html",
        include_str!("../../../templates/message_log.html"),
    ),
    (
        "admin_accounts.html",
        include_str!("../../../templates/admin_accounts.html"),
    ),
];

pub fn templates() -> Environment<'static> {
    let mut env = Environment::new();
    // `{{ tr("followers", n=3) }}`: a message of the catalogue, in the page's language.
    env.add_function("tr", i18n::template_tr);
    // `{{ asset("style.css") }}`: a static file's address with its version (`assets.rs`).
    env.add_function("asset", |name: String| assets::versioned(&name));
    for (name, source) in TEMPLATES
        .into_iter()
        .chain(calendar::TEMPLATES)
        .chain(hours::TEMPLATES)
        .chain(equipment::TEMPLATES)
        .chain(associations::TEMPLATES)
        .chain(sources::TEMPLATES)
        .chain(territory::TEMPLATES)
        .chain(directory::TEMPLATES)
        .chain(moderation::TEMPLATES)
        .chain(help::TEMPLATES)
    {
        if let Err(e) = env.add_template(name, source) {
            // A broken template is a build defect; the unit test `templates_compile` catches it.
            tracing::error!(template = name, error = %e, "template does not compile");
        }
    }
    env
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(assets::router())
        .merge(pages::router())
        .merge(mission_form::router())
        .merge(signup::router())
        .merge(volunteer::router())
        .merge(tokens::router())
        .merge(privacy::router())
        .merge(register::router())
        .merge(account::router())
        .merge(phone::router())
        .merge(messages::router())
        .merge(dashboard::router())
        .merge(calendar::router())
        .merge(fediverse::router())
        .merge(hours::router())
        .merge(equipment::router())
        .merge(search::router())
        .merge(sources::router())
        .merge(territory::router())
        .merge(directory::router())
        .merge(moderation::router())
        .merge(help::router())
}

/// What every page needs: language, user, the session's CSRF token.
#[derive(Clone)]
pub struct PageCtx {
    pub lang: i18n::Lang,
    /// The language was chosen with `?lang=`: remember it in a cookie.
    pub remember_lang: bool,
    pub user: Option<crate::domain::account::User>,
    pub csrf: String,
}

/// Renders a page; a template failure becomes a plain 500 page, logged.
pub fn render(
    state: &AppState,
    page: &PageCtx,
    name: &str,
    ctx: Value,
    status: StatusCode,
) -> Response {
    let full = context! {
        lang => page.lang, other_lang => page.lang.other(), t => i18n::all(page.lang), user => page.user,
        csrf => page.csrf, node_name => state.config.instance.name,
        registration_open => state.config.accounts.registration.new_account_state().is_some(),
        aggregator => state.config.aggregator.enabled,
        ..ctx
    };
    match state
        .templates
        .get_template(name)
        .and_then(|t| t.render(full))
    {
        Ok(html) => {
            let mut res = (status, Html(html)).into_response();
            if page.remember_lang {
                let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", page.lang);
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    res.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            res.headers_mut().insert(
                header::VARY,
                HeaderValue::from_static("Accept, Accept-Language, Cookie"),
            );
            res
        }
        Err(e) => {
            tracing::error!(template = name, error = %e, "rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "page rendering failed").into_response()
        }
    }
}

/// A page with a heading and one sentence (errors, confirmations).
pub fn message(
    state: &AppState,
    page: &PageCtx,
    status: StatusCode,
    heading_key: &str,
    text_key: &str,
) -> Response {
    let ctx = context! { heading => i18n::word(page.lang, heading_key), text => i18n::word(page.lang, text_key) };
    render(state, page, "message.html", ctx, status)
}

/// A page with a heading (a catalogue key) and a sentence already in the reader's language.
pub fn message_sentence(
    state: &AppState,
    page: &PageCtx,
    status: StatusCode,
    heading_key: &str,
    text: String,
) -> Response {
    let ctx = context! { heading => i18n::word(page.lang, heading_key), text => text };
    render(state, page, "message.html", ctx, status)
}

pub fn wants_json(headers: &HeaderMap) -> bool {
    crate::federation::routes::wants_activity_json(headers)
}

/// What the template tests of each page module share: the words a template uses, and the
/// soundness of a table of words.
#[cfg(test)]
pub(crate) mod word_check {
    /// The keys a template uses after `prefix` (`t.`, `cal.`, `h.`): `{{ t.when }}` → `when`.
    pub fn keys(source: &str, prefix: &str) -> Vec<String> {
        source
            .match_indices(prefix)
            .filter(|(i, _)| {
                // "a.t.x", "at.x", "text.": not the words object
                !source[..*i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            })
            .map(|(i, _)| {
                source[i + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect::<String>()
            })
            .filter(|k| !k.is_empty())
            .collect()
    }

    /// Every template compiles, and every `t.` word it uses is known in French and in English.
    pub fn check_site_words(templates: &[(&str, &str)]) {
        for lang in [super::i18n::Lang::Fr, super::i18n::Lang::En] {
            let known = super::i18n::all(lang);
            check_templates(templates, "t.", |k| {
                known.get_attr(k).is_ok_and(|v| !v.is_undefined())
            });
        }
    }

    /// Every template compiles; every `t.` word and every `prefix` word it uses is known.
    pub fn check_templates(templates: &[(&str, &str)], prefix: &str, known: impl Fn(&str) -> bool) {
        let env = super::templates();
        let site = super::i18n::all(super::i18n::Lang::Fr);
        for (name, source) in templates {
            assert!(env.get_template(name).is_ok(), "{name} does not compile");
            for key in keys(source, prefix) {
                assert!(
                    known(&key),
                    "{name} uses {prefix}{key}, which is not defined"
                );
            }
            for key in keys(source, "t.") {
                assert!(
                    site.get_attr(&key).is_ok_and(|v| !v.is_undefined()),
                    "{name} uses t.{key}, which i18n.rs does not define"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{i18n, TEMPLATES};

    #[test]
    fn templates_compile() {
        let env = super::templates();
        for (name, _) in TEMPLATES {
            assert!(env.get_template(name).is_ok(), "{name} does not compile");
        }
    }

    /// Every `t.key` a template uses has words in both languages (a missing one would show
    /// nothing on the page).
    #[test]
    fn templates_use_known_words() {
        let known = i18n::all(i18n::Lang::Fr);
        let used: usize = TEMPLATES
            .iter()
            .map(|(_, source)| super::word_check::keys(source, "t.").len())
            .sum();
        super::word_check::check_templates(&TEMPLATES, "t.", |k| {
            known.get_attr(k).is_ok_and(|v| !v.is_undefined())
        });
        assert!(
            used > 40,
            "the scan found only {used} words: is it still reading the templates?"
        );
    }
}
