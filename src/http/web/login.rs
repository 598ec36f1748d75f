//! Logging in and out: the login form, the session cookie it sets (then back to the page the
//! visitor came from, on this site only), and logging out, which ends the session.

use super::i18n;
use super::{
    extract::{OrPage, Page, PageError},
    pages::{CsrfForm, PageQuery},
};
use crate::http::params::Query;
use crate::http::web::prelude::*;
use crate::{
    http::auth::{ClientAddress, SESSION_COOKIE},
    service::{self, ServiceError},
    state::AppState,
};
use axum::{
    extract::Form,
    http::{header, HeaderValue, StatusCode},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

/// Where to go after logging in: only a path on this site, never `//host`, a full URL, or
/// anything a browser could read as another host once decoded or cleaned (`/%09/host`,
/// `/\host`, `/%2F/host`): such a `next` goes to the home page.
pub(super) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if same_site_path(n) => n.to_string(),
        _ => "/".to_string(),
    }
}

/// A path of this site, as typed and once percent-decoded: it starts with one `/` followed by
/// neither `/` nor `\`, and holds no backslash, control character nor white space (browsers
/// drop tabs and line ends from URLs, and some read `\` as `/`).
fn same_site_path(next: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(next).decode_utf8_lossy();
    next.len() <= 2048
        && [next, decoded.as_ref()].into_iter().all(|path| {
            path.starts_with('/')
                && !path[1..].starts_with('/')
                && !path
                    .chars()
                    .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
        })
}

async fn login_page(page: Page, Query(q): Query<PageQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    page.render(
        "login.html",
        context! { failed => false, name => "", next => next },
    )
}

#[derive(Deserialize)]
struct LoginForm {
    name: String,
    password: String,
    next: Option<String>,
}

/// Checks the name and password, opens a session (its cookie lasts 30 days), then goes to
/// `next`; a wrong name or password shows the form again (401).
async fn login(
    page: Page,
    ClientAddress(address): ClientAddress,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let next = safe_next(form.next.as_deref());
    let state = page.state();
    let store = state.store.as_ref();
    let now = state.clock.now();
    // The same brake as the API's login: per account name as typed and per address.
    let brakes = &state.login_throttle;
    if let Err(wait) = brakes.check(&form.name, address, now) {
        let minutes = (wait.num_seconds() + 59) / 60;
        let braked = i18n::tr_args(page.lang, "login_braked", &[("minutes", minutes.into())]);
        let ctx = context! { failed => true, braked => braked, name => form.name, next => next };
        let mut res = page.render_status("login.html", ctx, StatusCode::TOO_MANY_REQUESTS);
        res.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(wait.num_seconds().max(1)),
        );
        return Ok(res);
    }
    // The name, or the account's email.
    let user = match service::accounts::authenticate_login(store, &form.name, &form.password).await
    {
        Ok(u) => u,
        Err(ServiceError::BadCredentials) => {
            brakes.failed(&form.name, address, now);
            let ctx = context! { failed => true, name => form.name, next => next };
            return Ok(page.render_status("login.html", ctx, StatusCode::UNAUTHORIZED));
        }
        Err(ServiceError::Account(block)) => {
            let blocked = i18n::word(page.lang, &format!("login_{}", block.code()));
            let ctx =
                context! { failed => true, blocked => blocked, name => form.name, next => next };
            return Ok(page.render_status("login.html", ctx, StatusCode::FORBIDDEN));
        }
        Err(e) => return Err(page.error(e)),
    };
    brakes.succeeded(&form.name);
    let secret = service::accounts::open_session(store, &user, state.clock.now())
        .await
        .or_page(&page)?;
    let secure = if state.config.server.public_url.scheme() == "https" {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        30 * 86400
    );
    let mut res = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(res)
}

/// Ends the session when the form carries its token, and forgets the cookie in any case.
async fn logout(page: Page, Form(form): Form<CsrfForm>) -> Response {
    if let Some(session) = page.session() {
        if page.csrf_ok(form.csrf.as_deref()) {
            let store = page.state().store.as_ref();
            if let Err(e) = service::accounts::close_session(store, session).await {
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

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn login_only_sends_back_to_this_site() {
        // (what `next` says, where the login goes)
        let table = [
            ("/g/epicerie/missions/new", "/g/epicerie/missions/new"),
            ("/missions?when=week&page=2", "/missions?when=week&page=2"),
            ("/g/caf%C3%A9", "/g/caf%C3%A9"),
            ("//evil.example/", "/"),
            ("https://evil.example/", "/"),
            ("javascript:alert(1)", "/"),
            ("evil.example", "/"),
            ("", "/"),
            ("/\\evil.example", "/"),
            ("/%09/evil.example", "/"),
            ("/\t/evil.example", "/"),
            ("/%0d%0a/evil.example", "/"),
            ("/%2F/evil.example", "/"),
            ("/%2f%2fevil.example", "/"),
            ("/%5Cevil.example", "/"),
            ("/%5C%5Cevil.example", "/"),
            ("/a\\b", "/"),
            ("/ /evil.example", "/"),
            ("/%E2%80%A8/evil.example", "/"),
        ];
        for (next, goes) in table {
            assert_eq!(safe_next(Some(next)), goes, "next={next:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
