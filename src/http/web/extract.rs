//! What every page handler starts with, written once: the page context of the request
//! ([`Page`]: language, user, the session's CSRF token), the logged-in user ([`LoggedIn`]), a
//! form whose CSRF token was checked ([`CheckedForm`]); and the one error a page returns
//! ([`PageError`]), which renders itself as an HTML page in the reader's language.
//!
//! A handler reads like the use case it serves:
//!
//! ```ignore
//! async fn withdraw(Path(id): Path<i64>, CheckedForm(page, form): CheckedForm<WithdrawForm>)
//!     -> Result<Response, PageError> {
//!     let user = page.user_or_login(&back)?;
//!     service::slots::withdraw(..).await.map_err(|e| page.error(e))?;
//!     ...
//! }
//! ```

use super::{i18n, message, render, PageCtx};
use crate::{
    domain::{account::User, DomainError},
    http::auth::{csrf_token, MaybeUser},
    service::ServiceError,
    state::AppState,
};
use axum::{
    body::{Body, Bytes},
    extract::{Form, FromRequest, FromRequestParts, Query, Request},
    http::{request::Parts, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use minijinja::Value;
use serde::{de::DeserializeOwned, Deserialize};
use std::{convert::Infallible, ops::Deref};

/// The page context of a request, with what it takes to render a page. Never refuses: a
/// visitor without a session gets a page without a user.
#[derive(Clone)]
pub struct Page {
    ctx: PageCtx,
    state: AppState,
    /// The session cookie's value, when the request carries one (even an expired one).
    session: Option<String>,
}

impl Deref for Page {
    type Target = PageCtx;
    fn deref(&self) -> &PageCtx {
        &self.ctx
    }
}

/// The only query parameter every page reads: `?lang=fr|en` switches the language.
#[derive(Deserialize)]
struct LangParam {
    lang: Option<String>,
}

impl FromRequestParts<AppState> for Page {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let MaybeUser(user, session) = MaybeUser::from_request_parts(parts, state).await?;
        // A query string that cannot be read names no language: the page still shows.
        let asked = Query::<LangParam>::try_from_uri(&parts.uri)
            .ok()
            .and_then(|Query(p)| p.lang);
        Ok(Page::new(
            state,
            &parts.headers,
            asked.as_deref(),
            user,
            session,
        ))
    }
}

impl Page {
    pub fn new(
        state: &AppState,
        headers: &axum::http::HeaderMap,
        asked: Option<&str>,
        user: Option<User>,
        session: Option<String>,
    ) -> Page {
        let lang = i18n::pick(asked, headers, &state.config.instance.default_language);
        Page {
            ctx: PageCtx {
                lang,
                remember_lang: asked == Some(lang.code()),
                csrf: session.as_deref().map(csrf_token).unwrap_or_default(),
                user,
            },
            state: state.clone(),
            session,
        }
    }

    pub fn ctx(&self) -> &PageCtx {
        &self.ctx
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The session cookie's value, when the request carries one (logging out ends it).
    pub fn session(&self) -> Option<&str> {
        self.session.as_deref()
    }

    /// The logged-in user, or the login page that comes back to `back` afterwards.
    pub fn user_or_login(&self, back: &str) -> Result<User, PageError> {
        self.ctx
            .user
            .clone()
            .ok_or_else(|| self.fail(Kind::Login(back.to_string())))
    }

    /// Whether `given` is this session's form token.
    pub fn csrf_ok(&self, given: Option<&str>) -> bool {
        matches!(
            (self.session.as_deref(), given),
            (Some(s), Some(g)) if !g.is_empty() && csrf_token(s) == g
        )
    }

    /// A form that must carry this session's token: nothing is done without it.
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), PageError> {
        if self.csrf_ok(given) {
            Ok(())
        } else {
            Err(self.fail(Kind::Csrf))
        }
    }

    /// A template rendered with this page's context, 200.
    pub fn render(&self, template: &str, ctx: Value) -> Response {
        render(&self.state, &self.ctx, template, ctx, StatusCode::OK)
    }

    /// A template rendered with this page's context and another status.
    pub fn render_status(&self, template: &str, ctx: Value, status: StatusCode) -> Response {
        render(&self.state, &self.ctx, template, ctx, status)
    }

    /// A page with a heading and one sentence, both from the catalogue.
    pub fn message(&self, status: StatusCode, heading_key: &str, text_key: &str) -> Response {
        message(&self.state, &self.ctx, status, heading_key, text_key)
    }

    /// A French guide of `docs/guide/` (Markdown) as a page, in French whatever the reader's
    /// language; its first line is the title.
    pub fn french_guide(&self, source: &str) -> Response {
        let mut french = self.ctx.clone();
        french.lang = crate::i18n::Lang::Fr;
        let mut body = String::new();
        pulldown_cmark::html::push_html(&mut body, pulldown_cmark::Parser::new(source));
        let title = source
            .lines()
            .next()
            .unwrap_or_default()
            .trim_start_matches('#')
            .trim();
        render(
            &self.state,
            &french,
            "guide.html",
            minijinja::context! { title => title, body => body },
            StatusCode::OK,
        )
    }

    /// What a use case's refusal or failure shows to this page's reader.
    pub fn error(&self, e: ServiceError) -> PageError {
        self.fail(Kind::Service(e))
    }

    /// 404, in the reader's language.
    pub fn not_found(&self) -> PageError {
        self.fail(Kind::Service(ServiceError::NotFound("page")))
    }

    /// A page with a heading and one sentence, as an error (`?` leaves the handler with it).
    pub fn refuse(
        &self,
        status: StatusCode,
        heading: &'static str,
        text: &'static str,
    ) -> PageError {
        self.fail(Kind::Message {
            status,
            heading,
            text,
        })
    }

    fn fail(&self, kind: Kind) -> PageError {
        PageError(Box::new((self.clone(), kind)))
    }
}

/// A logged-in user with the page context; anyone else is sent to the login page, which comes
/// back to the page that was asked for.
pub struct LoggedIn {
    pub page: Page,
    pub user: User,
}

impl FromRequestParts<AppState> for LoggedIn {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let Ok(page) = Page::from_request_parts(parts, state).await;
        let back = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".to_string());
        let user = page.user_or_login(&back)?;
        Ok(LoggedIn { page, user })
    }
}

/// A form (`application/x-www-form-urlencoded`) and the page context, with its CSRF token
/// checked when someone is logged in: a form from another site, or an expired one, does
/// nothing and gets a 403 page. With nobody logged in there is nothing to protect yet: the
/// handler sends the visitor to the login page with [`Page::user_or_login`], naming the page
/// to come back to (which the form's address alone does not tell).
///
/// The token is read from the form's `csrf` field, whatever type `T` is.
pub struct CheckedForm<T>(pub Page, pub T);

#[derive(Deserialize)]
struct CsrfField {
    csrf: Option<String>,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CheckedForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Ok(page) = Page::from_request_parts(&mut parts, state).await;
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        // The same body read twice: once as the handler's type, once for the token.
        let again = |b: &Bytes| Request::from_parts(parts.clone(), Body::from(b.clone()));
        let Form(form) = Form::<T>::from_request(again(&bytes), state)
            .await
            .map_err(IntoResponse::into_response)?;
        if page.user.is_some() {
            let token = Form::<CsrfField>::from_request(again(&bytes), state)
                .await
                .ok()
                .and_then(|Form(f)| f.csrf);
            page.check_csrf(token.as_deref())
                .map_err(IntoResponse::into_response)?;
        }
        Ok(CheckedForm(page, form))
    }
}

/// Why a page could not be shown or a form could not be done; renders itself in the reader's
/// language. Boxed: handlers return it in their `Err` often, and a page context is large.
pub struct PageError(Box<(Page, Kind)>);

enum Kind {
    /// A use case said no or failed.
    Service(ServiceError),
    /// Nobody is logged in: the login page, then back to this path.
    Login(String),
    /// The form's token is missing or wrong.
    Csrf,
    /// A page with a heading and a sentence from the catalogue.
    Message {
        status: StatusCode,
        heading: &'static str,
        text: &'static str,
    },
}

impl PageError {
    /// The status this error answers with (the login page is a redirection).
    pub fn status(&self) -> StatusCode {
        match &self.0 .1 {
            Kind::Service(e) => service_status(e).0,
            Kind::Login(_) => StatusCode::SEE_OTHER,
            Kind::Csrf => StatusCode::FORBIDDEN,
            Kind::Message { status, .. } => *status,
        }
    }
}

impl std::fmt::Debug for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 .1 {
            Kind::Service(e) => write!(f, "PageError::Service({e})"),
            Kind::Login(back) => write!(f, "PageError::Login({back})"),
            Kind::Csrf => write!(f, "PageError::Csrf"),
            Kind::Message { status, text, .. } => write!(f, "PageError::Message({status}, {text})"),
        }
    }
}

/// How a use case's error shows on a page: its status, heading and sentence.
pub(super) fn service_status(e: &ServiceError) -> (StatusCode, &'static str, &'static str) {
    match e {
        ServiceError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", "not_found_text"),
        ServiceError::Forbidden(_) | ServiceError::Domain(DomainError::Forbidden(_)) => {
            (StatusCode::FORBIDDEN, "forbidden", "forbidden_text")
        }
        ServiceError::Conflict(_) => (StatusCode::CONFLICT, "conflict", "conflict_text"),
        ServiceError::Account(block) => {
            use crate::domain::account::AccountBlock as B;
            match block {
                B::EmailUnconfirmed => (
                    StatusCode::FORBIDDEN,
                    "acc_unconfirmed",
                    "acc_unconfirmed_text",
                ),
                B::AwaitingApproval => (StatusCode::FORBIDDEN, "acc_waiting", "acc_waiting_text"),
                B::Refused => (StatusCode::FORBIDDEN, "acc_refused", "acc_refused_text"),
            }
        }
        ServiceError::RegistrationClosed => (
            StatusCode::FORBIDDEN,
            "register_closed",
            "register_closed_text",
        ),
        ServiceError::LinkInvalid => (StatusCode::GONE, "link_invalid", "link_invalid_text"),
        ServiceError::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy", "busy_text"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "error", "error_text"),
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (page, kind) = *self.0;
        match kind {
            Kind::Service(e) => {
                let (status, heading, text) = service_status(&e);
                if status.is_server_error() && !matches!(e, ServiceError::Busy) {
                    tracing::error!(error = %e, "page failed");
                }
                // A refusal says why, in the reader's words.
                match &e {
                    ServiceError::Forbidden(d)
                    | ServiceError::Conflict(d)
                    | ServiceError::Domain(DomainError::Forbidden(d)) => {
                        let sentence = crate::i18n::denials::sentence(page.lang, d);
                        super::message_sentence(&page.state, &page.ctx, status, heading, sentence)
                    }
                    ServiceError::Busy => {
                        let mut res = page.message(status, heading, text);
                        res.headers_mut()
                            .insert(axum::http::header::RETRY_AFTER, 1.into());
                        res
                    }
                    _ => page.message(status, heading, text),
                }
            }
            Kind::Login(back) => login_redirect(&back),
            Kind::Csrf => page.message(StatusCode::FORBIDDEN, "csrf_failed", "csrf_failed_text"),
            Kind::Message {
                status,
                heading,
                text,
            } => page.message(status, heading, text),
        }
    }
}

/// The login page, coming back to `path` afterwards.
pub fn login_redirect(path: &str) -> Response {
    const NEXT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.');
    let next = percent_encoding::utf8_percent_encode(path, NEXT);
    Redirect::to(&format!("/login?next={next}")).into_response()
}

/// `.or_page(&page)?`: a use case's error becomes the page's error.
pub trait OrPage<T> {
    fn or_page(self, page: &Page) -> Result<T, PageError>;
}

impl<T> OrPage<T> for Result<T, ServiceError> {
    fn or_page(self, page: &Page) -> Result<T, PageError> {
        self.map_err(|e| page.error(e))
    }
}
