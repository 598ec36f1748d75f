//! Moderation for the node's administrators (`/admin/moderation`): the rules in force (those of
//! the configuration read-only) with a form to block or silence a host or an account, the open
//! reports (resolve, forward to the other server), the remote items removed (restore) with a
//! form to remove one, and the log. And the report form every logged-in person reaches from a
//! mission, a resource or an account (`/report`).

use super::pages::{with_param, PageQuery};
use super::{i18n, CheckedForm, LoggedIn, OrPage, Page, PageError};
use crate::http::web::prelude::*;
use crate::{
    domain::{
        account::User,
        moderation::{Report, Rule, Severity},
        DomainError,
    },
    federation::moderation::target_of,
    service::{moderation, ServiceError},
    state::Context,
};
use chrono::{DateTime, Utc};

const BACK: &str = "/admin/moderation";

pub(crate) const TEMPLATES: [(&str, &str); 2] = [
    (
        "admin_moderation.html",
        include_str!("../../../templates/admin_moderation.html"),
    ),
    (
        "report.html",
        include_str!("../../../templates/report.html"),
    ),
];

pub fn router() -> Router<crate::state::AppState> {
    Router::new()
        .route(BACK, get(moderation_page))
        .route("/admin/moderation/rules", post(add_rule))
        .route("/admin/moderation/rules/{id}/lift", post(lift_rule))
        .route("/admin/moderation/reports/{id}/resolve", post(resolve))
        .route("/admin/moderation/reports/{id}/forward", post(forward))
        .route("/admin/moderation/removed", post(remove_item))
        .route("/admin/moderation/restore", post(restore_item))
        .route("/report", get(report_page).post(report))
}

/// A form's problem: the field's words, or `None` when the error is not about a field.
fn problem(page: &Page, e: &ServiceError) -> Option<String> {
    match e {
        ServiceError::Domain(DomainError::Invalid(errors)) => errors
            .0
            .values()
            .next()
            .map(|f| i18n::field_error(page.lang, f)),
        _ => None,
    }
}

fn when(page: &Page, t: Option<DateTime<Utc>>) -> String {
    let tz = page.state().config.timezone();
    match t {
        Some(t) => {
            let local = t.with_timezone(&tz);
            format!(
                "{} {}",
                i18n::long_date(page.lang, local.date_naive()),
                local.format("%H:%M")
            )
        }
        None => String::new(),
    }
}

fn rule_row(page: &Page, r: Rule) -> minijinja::Value {
    context! {
        id => r.id, target => r.target.value(),
        kind => i18n::word(page.lang, &format!("mod_kind_{}", r.target.kind())),
        severity => i18n::word(page.lang, &format!("mod_{}", r.severity.as_str())),
        blocked => r.severity == Severity::Block,
        reason => r.reason, by => r.created_by, at => when(page, r.created_at),
        from_config => r.id.is_none(),
    }
}

fn report_row(page: &Page, r: Report) -> minijinja::Value {
    let remote = !r.target_actor.is_empty()
        && crate::domain::moderation::host_of(&r.target_actor) != page.state().config.domain();
    context! {
        id => r.id, reporter => r.reporter, remote_reporter => r.origin == "remote",
        kind => i18n::word(page.lang, &format!("mod_report_{}", r.kind.as_str())),
        target => r.target, target_actor => r.target_actor, comment => r.comment,
        at => when(page, Some(r.created_at)),
        forwardable => r.origin == "local" && remote && r.forwarded_at.is_none(),
        forwarded => when(page, r.forwarded_at),
    }
}

/// The page; `problem` under the form named by `form` (`rule` or `remove`) when it failed.
async fn render(
    page: &Page,
    user: &User,
    notice: Option<String>,
    failed: Option<(&str, String, String)>,
) -> Result<Response, PageError> {
    let state = page.state();
    let store = state.store();
    let by = Some(user);
    let rules = moderation::list_rules(store, &state.config, by)
        .await
        .or_page(page)?;
    let reports = moderation::reports(store, by, true).await.or_page(page)?;
    let removed = moderation::removed(store, by).await.or_page(page)?;
    let log = moderation::log(store, by, 100).await.or_page(page)?;
    let (form, typed, problem) = match failed {
        Some((form, typed, problem)) => (form, typed, Some(problem)),
        None => ("", String::new(), None),
    };
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(page.render_status(
        "admin_moderation.html",
        context! {
            rules => rules.into_iter().map(|r| rule_row(page, r)).collect::<Vec<_>>(),
            reports => reports.into_iter().map(|r| report_row(page, r)).collect::<Vec<_>>(),
            removed => removed.into_iter().map(|r| context! {
                ap_id => r.ap_id, by => r.removed_by, reason => r.reason,
                at => when(page, Some(r.removed_at)),
            }).collect::<Vec<_>>(),
            log => log.into_iter().map(|e| context! {
                at => when(page, Some(e.at)), by => e.by, target => e.target, reason => e.reason,
                action => i18n::lookup(page.lang, &format!("mod_action_{}", e.action))
                    .unwrap_or(e.action),
            }).collect::<Vec<_>>(),
            notice => notice, form => form, typed => typed, problem => problem,
        },
        status,
    ))
}

/// `GET /admin/moderation`.
async fn moderation_page(
    LoggedIn { page, user }: LoggedIn,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let (notice, _) = super::pages::flash(page.lang, &q);
    render(&page, &user, notice, None).await
}

fn done(key: &str) -> Response {
    Redirect::to(&with_param(BACK, "done", key)).into_response()
}

#[derive(Debug, Deserialize)]
struct RuleForm {
    #[serde(default)]
    target: String,
    #[serde(default)]
    severity: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/moderation/rules`: blocks or silences a host or an account.
async fn add_rule(
    ctx: Context,
    CheckedForm(page, form): CheckedForm<RuleForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    moderation::may_moderate(Some(&user)).or_page(&page)?;
    let severity = Severity::parse(form.severity.trim()).unwrap_or(Severity::Block);
    let state = page.state();
    let set = match target_of(&ctx, &form.target).await {
        Ok(target) => {
            moderation::set_rule(
                state.store(),
                &state.moderation,
                &state.config,
                Some(&user),
                target,
                severity,
                &form.reason,
                state.now(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match set {
        Ok(_) => Ok(done(&format!("mod_{}", severity.as_str()))),
        Err(ServiceError::NotFound(_)) => {
            let words = i18n::word(page.lang, "mod_err_not_found");
            render(&page, &user, None, Some(("rule", form.target, words))).await
        }
        Err(e) => match problem(&page, &e) {
            Some(words) => render(&page, &user, None, Some(("rule", form.target, words))).await,
            None => Err(page.error(e)),
        },
    }
}

/// `POST /admin/moderation/rules/{id}/lift`.
async fn lift_rule(
    Path(id): Path<i64>,
    CheckedForm(page, NoFields {}): CheckedForm<NoFields>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    moderation::lift_rule(
        state.store(),
        &state.moderation,
        Some(&user),
        &id.to_string(),
        state.now(),
    )
    .await
    .or_page(&page)?;
    Ok(done("mod_lifted"))
}

#[derive(Debug, Deserialize)]
struct NoteForm {
    #[serde(default)]
    note: String,
}

/// `POST /admin/moderation/reports/{id}/resolve`.
async fn resolve(
    Path(id): Path<i64>,
    CheckedForm(page, form): CheckedForm<NoteForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    moderation::resolve(state.store(), Some(&user), id, &form.note, state.now())
        .await
        .or_page(&page)?;
    Ok(done("mod_resolved"))
}

/// `POST /admin/moderation/reports/{id}/forward`.
async fn forward(
    Path(id): Path<i64>,
    CheckedForm(page, NoFields {}): CheckedForm<NoFields>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    moderation::forward(state.store(), &state.config, Some(&user), id, state.now())
        .await
        .or_page(&page)?;
    state.queued();
    Ok(done("mod_forwarded"))
}

#[derive(Debug, Deserialize)]
struct ItemForm {
    #[serde(default)]
    ap_id: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/moderation/removed`: removes a remote mission or resource from this node.
async fn remove_item(
    CheckedForm(page, form): CheckedForm<ItemForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    let removed = moderation::remove_item(
        state.store(),
        Some(&user),
        &form.ap_id,
        &form.reason,
        state.now(),
    )
    .await;
    match removed {
        Ok(_) => Ok(done("mod_removed")),
        Err(ServiceError::NotFound(_)) => {
            let words = i18n::word(page.lang, "mod_err_no_item");
            render(&page, &user, None, Some(("remove", form.ap_id, words))).await
        }
        Err(e) => match problem(&page, &e) {
            Some(words) => render(&page, &user, None, Some(("remove", form.ap_id, words))).await,
            None => Err(page.error(e)),
        },
    }
}

/// `POST /admin/moderation/restore`.
async fn restore_item(
    CheckedForm(page, form): CheckedForm<ItemForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    moderation::restore_item(state.store(), Some(&user), &form.ap_id, state.now())
        .await
        .or_page(&page)?;
    Ok(done("mod_restored"))
}

#[derive(Debug, Deserialize)]
struct ReportQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    done: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ReportForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    comment: String,
}

fn report_form(
    page: &Page,
    kind: &str,
    target: &str,
    comment: &str,
    sent: bool,
    problem: Option<String>,
) -> Response {
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.render_status(
        "report.html",
        context! {
            kind => kind, target => target, comment => comment, sent => sent,
            problem => problem,
        },
        status,
    )
}

/// `GET /report?kind=mission&target=<id>`: the report form.
async fn report_page(
    LoggedIn { page, .. }: LoggedIn,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let sent = q.done.as_deref() == Some("sent");
    Ok(report_form(&page, &q.kind, &q.target, "", sent, None))
}

/// `POST /report`: a logged-in person reports something to the administrators.
async fn report(CheckedForm(page, form): CheckedForm<ReportForm>) -> Result<Response, PageError> {
    let user = page.user_or_login("/report")?;
    let state = page.state();
    let made = moderation::report(
        state.store(),
        &user,
        &form.kind,
        &form.target,
        &form.comment,
        state.now(),
    )
    .await;
    match made {
        Ok(_) => Ok(Redirect::to("/report?done=sent").into_response()),
        Err(e) => match problem(&page, &e) {
            Some(words) => Ok(report_form(
                &page,
                &form.kind,
                &form.target,
                &form.comment,
                false,
                Some(words),
            )),
            None => Err(page.error(e)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `t.key` of the pages has words in French and in English.
    #[test]
    fn the_pages_use_known_words() {
        super::super::word_check::check_site_words(&TEMPLATES);
        for lang in [crate::i18n::Lang::Fr, crate::i18n::Lang::En] {
            for key in [
                "mod_kind_host",
                "mod_kind_actor",
                "mod_block",
                "mod_silence",
                "mod_report_mission",
                "mod_report_resource",
                "mod_report_actor",
                "mod_err_not_found",
                "mod_err_no_item",
                "mod_action_block",
                "mod_action_silence",
                "mod_action_unblock",
                "mod_action_remove",
                "mod_action_restore",
                "mod_action_resolve",
                "mod_action_forward",
                "done_mod_block",
                "done_mod_silence",
                "done_mod_lifted",
                "done_mod_resolved",
                "done_mod_forwarded",
                "done_mod_removed",
                "done_mod_restored",
            ] {
                assert!(i18n::lookup(lang, key).is_some(), "{key}");
            }
        }
    }
}
