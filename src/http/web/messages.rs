//! "Écrire aux bénévoles" (`/g/{name}/messages/new`): a coordinator writes one message to the
//! people signed up for a slot, a mission or any slot of the association; the preview says how
//! many people each channel reaches and the cost in SMS; the log says who received it by which
//! channel and what failed (issue 16).
//!
//! The node's administrators write the same way to the coordinators and owners of every local
//! association (`/admin/messages/new`, [`Scope::Node`]), with the same templates (`admin`).

use super::pages::{shown_errors, with_param};
use super::{CheckedForm, LoggedIn, Page, PageError};
use crate::http::params::{Path, Query};
use crate::http::web::prelude::*;
use crate::{
    domain::{actor::Actor, DomainError, FieldErrors},
    notify::mass::{self, Reach, Scope, Sent},
    service::{
        self,
        sms::{LogLine, MassMessage},
        ServiceError,
    },
    state::Context,
};

pub fn router() -> Router<crate::state::AppState> {
    Router::new()
        .route("/g/{name}/messages/new", get(new_message))
        .route("/g/{name}/messages", post(preview_or_send))
        .route("/g/{name}/messages/{id}", get(log_page))
        .route("/admin/messages/new", get(new_node_message))
        .route("/admin/messages", post(preview_or_send_node))
        .route("/admin/messages/{id}", get(node_log_page))
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct MessageForm {
    #[serde(default)]
    scope: String,
    /// The slot's or the mission's id, as the link gave it.
    #[serde(default)]
    id: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    request_key: String,
    /// `preview` or `send` (the button pressed).
    #[serde(default, skip_serializing)]
    action: String,
}

fn scope(form: &MessageForm) -> Scope {
    let id = form.id.trim().parse::<i64>().ok();
    match (form.scope.as_str(), id) {
        ("slot", Some(id)) => Scope::Slot(id),
        ("mission", Some(id)) => Scope::Mission(id),
        ("node", _) => Scope::Node,
        _ => Scope::Association,
    }
}

/// What the form page shows besides the form.
enum Showing<'a> {
    /// The form alone.
    Blank,
    /// Why the message was refused, field by field (422).
    Refused(&'a FieldErrors),
    /// How many people each channel reaches, and the SMS cost.
    Preview(Reach),
    /// The preview again, with why the SMS would go over the daily cap (409).
    OverCap(Reach, String),
}

/// The form of a message from `sender` (an association, or the node's relay for the
/// administrators').
fn render(page: &Page, sender: &Actor, form: &MessageForm, showing: Showing<'_>) -> Response {
    let none = FieldErrors::new();
    let (reach, errors, notice, status) = match showing {
        Showing::Blank => (None, &none, None, StatusCode::OK),
        Showing::Refused(errors) => (None, errors, None, StatusCode::UNPROCESSABLE_ENTITY),
        Showing::Preview(reach) => (Some(reach), &none, None, StatusCode::OK),
        Showing::OverCap(reach, words) => (Some(reach), &none, Some(words), StatusCode::CONFLICT),
    };
    let shown = shown_errors(
        page.lang,
        errors,
        &["text"],
        |f| f.to_string(),
        |f| f.to_string(),
    );
    let scope = scope(form);
    let scope_words = super::i18n::word(page.lang, &format!("mass_scope_{}", scope.as_str()));
    let ctx = context! {
        admin => scope == Scope::Node, name => &sender.name, display_name => sender.label(),
        values => form, reach => reach, scope_words => scope_words, notice => notice,
        sms => page.state().config.sms.enabled,
        errors => shown.by_field, error_summary => shown.summary, errors_title => shown.title,
    };
    page.render_status("message_form.html", ctx, status)
}

#[derive(Debug, Deserialize)]
struct NewQuery {
    scope: Option<String>,
    id: Option<i64>,
}

/// `GET /g/{name}/messages/new?scope=slot&id=…`.
async fn new_message(
    LoggedIn { page, user }: LoggedIn,
    Path(name): Path<String>,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    let state = page.state();
    let a = service::dashboard::managed(state.store.as_ref(), &user, &name)
        .await
        .map_err(|e| page.error(e))?;
    let form = MessageForm {
        scope: q.scope.unwrap_or_else(|| "association".into()),
        id: q.id.map(|i| i.to_string()).unwrap_or_default(),
        request_key: uuid::Uuid::new_v4().to_string(),
        ..MessageForm::default()
    };
    Ok(render(&page, &a, &form, Showing::Blank))
}

/// `POST /g/{name}/messages`: the preview, or the message sent (then its log).
async fn preview_or_send(
    ctx: Context,
    Path(name): Path<String>,
    CheckedForm(page, form): CheckedForm<MessageForm>,
) -> Result<Response, PageError> {
    let back = format!("/g/{name}/messages/new");
    let user = page.user_or_login(&back)?;
    let store = ctx.store.as_ref();
    let scope = scope(&form);
    let a = match service::sms::check_message(store, &user, &name, scope, &form.text).await {
        Ok(a) => a,
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let a = service::dashboard::managed(store, &user, &name)
                .await
                .map_err(|e| page.error(e))?;
            return Ok(render(&page, &a, &form, Showing::Refused(&errors)));
        }
        Err(e) => return Err(page.error(e)),
    };
    let log = format!("/g/{name}/messages");
    preview_or_send_as(&ctx, &page, user.id, &a, scope, &form, &log).await
}

/// The preview, or the message sent by `sender` (then its log at `{log}/{id}`), once the
/// message was checked: the association's and the administrators' alike.
async fn preview_or_send_as(
    ctx: &Context,
    page: &Page,
    user_id: i64,
    sender: &Actor,
    scope: Scope,
    form: &MessageForm,
    log: &str,
) -> Result<Response, PageError> {
    let now = ctx.clock.now();
    let failed = |e: crate::notify::NotifyError| page.error(ServiceError::Internal(e.to_string()));
    if form.action != "send" {
        let reach = mass::preview(ctx, sender, scope, &form.text, now)
            .await
            .map_err(failed)?;
        return Ok(render(page, sender, form, Showing::Preview(reach)));
    }
    let key = service::sms::request_key(Some(&form.request_key)).map_err(|e| page.error(e))?;
    match mass::send(ctx, user_id, sender, scope, &form.text, &key, now)
        .await
        .map_err(failed)?
    {
        Sent::Recorded { message_id, .. } => {
            let to = with_param(&format!("{log}/{message_id}"), "done", "mass_sent");
            Ok(Redirect::to(&to).into_response())
        }
        Sent::OverCap { left, reach } => {
            let d = crate::domain::Denial::new("sms_daily_cap").text("left", left.to_string());
            let words = crate::i18n::denials::sentence(page.lang, &d);
            Ok(render(page, sender, form, Showing::OverCap(reach, words)))
        }
    }
}

/// `GET /g/{name}/messages/{id}`: who received it by which channel.
async fn log_page(
    LoggedIn { page, user }: LoggedIn,
    Path((name, id)): Path<(String, i64)>,
    Query(q): Query<super::pages::PageQuery>,
) -> Result<Response, PageError> {
    let store = page.state().store.as_ref();
    let log = service::sms::message_log(store, &user, &name, id)
        .await
        .map_err(|e| page.error(e))?;
    Ok(render_log(&page, &q, Some(&name), log))
}

/// A message's log in the reader's words: the association's (`name`), or the administrators'
/// (`None`).
fn render_log(
    page: &Page,
    q: &super::pages::PageQuery,
    name: Option<&str>,
    (m, lines): (MassMessage, Vec<LogLine>),
) -> Response {
    let word = |prefix: &str, code: &str| {
        super::i18n::lookup(page.lang, &format!("{prefix}{code}"))
            .unwrap_or_else(|| code.to_string())
    };
    let lines: Vec<_> = lines
        .iter()
        .map(|l| {
            context! {
                channel => word("mass_channel_", &l.channel), recipient => l.recipient.clone(),
                status => word("mass_status_", &l.status), error => l.last_error.clone(),
            }
        })
        .collect();
    let (notice, _) = super::pages::flash(page.lang, q);
    let ctx = context! {
        admin => name.is_none(), name => name.unwrap_or(""), text => m.body, lines => lines,
        notice => notice, scope_words => word("mass_scope_", &m.scope),
    };
    page.render("message_log.html", ctx)
}

/// `GET /admin/messages/new`: the administrators' form to the associations' coordinators.
async fn new_node_message(LoggedIn { page, user }: LoggedIn) -> Result<Response, PageError> {
    let state = page.state();
    let relay = service::sms::node_sender(state.store.as_ref(), &user)
        .await
        .map_err(|e| page.error(e))?;
    let form = MessageForm {
        scope: "node".into(),
        request_key: uuid::Uuid::new_v4().to_string(),
        ..MessageForm::default()
    };
    Ok(render(&page, &relay, &form, Showing::Blank))
}

/// `POST /admin/messages`: the preview, or the message sent to every association's
/// coordinators (then its log).
async fn preview_or_send_node(
    ctx: Context,
    CheckedForm(page, mut form): CheckedForm<MessageForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login("/admin/messages/new")?;
    let store = ctx.store.as_ref();
    form.scope = "node".into();
    let relay = match service::sms::check_node_message(store, &user, &form.text).await {
        Ok(relay) => relay,
        Err(ServiceError::Domain(DomainError::Invalid(errors))) => {
            let relay = service::sms::node_sender(store, &user)
                .await
                .map_err(|e| page.error(e))?;
            return Ok(render(&page, &relay, &form, Showing::Refused(&errors)));
        }
        Err(e) => return Err(page.error(e)),
    };
    preview_or_send_as(
        &ctx,
        &page,
        user.id,
        &relay,
        Scope::Node,
        &form,
        "/admin/messages",
    )
    .await
}

/// `GET /admin/messages/{id}`: who received the administrators' message by which channel.
async fn node_log_page(
    LoggedIn { page, user }: LoggedIn,
    Path(id): Path<i64>,
    Query(q): Query<super::pages::PageQuery>,
) -> Result<Response, PageError> {
    let store = page.state().store.as_ref();
    let log = service::sms::node_message_log(store, &user, id)
        .await
        .map_err(|e| page.error(e))?;
    Ok(render_log(&page, &q, None, log))
}
