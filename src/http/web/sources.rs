//! The aggregator's sources for the node's administrators (`/admin/sources`): each source
//! with how fresh it is (last heard from, last walked, errors, silent or not), a form to add
//! one (a node or a Mobilizon instance by its address, a group by its handle), and removal.

use super::pages::{with_param, PageQuery};
use super::{i18n, CheckedForm, LoggedIn, OrPage, Page, PageError};
use crate::http::web::prelude::*;
use crate::{
    domain::aggregator::SourceKind,
    federation::{
        aggregator::{add_source, AddFailure},
        error::FedError,
    },
    service::sources::{self, SourceView},
    state::Context,
};
use chrono::{DateTime, Utc};

const BACK: &str = "/admin/sources";

pub(crate) const TEMPLATES: [(&str, &str); 1] = [(
    "admin_sources.html",
    include_str!("../../../templates/admin_sources.html"),
)];

pub fn router() -> Router<crate::state::AppState> {
    Router::new()
        .route(BACK, get(sources_page).post(add))
        .route("/admin/sources/{id}/remove", post(remove))
}

fn kind_key(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Entraide => "admin_sources_kind_entraide",
        SourceKind::Mobilizon => "admin_sources_kind_mobilizon",
        SourceKind::Group => "admin_sources_kind_group",
        SourceKind::Other => "admin_sources_kind_other",
    }
}

/// The page, with an error under the form when adding failed.
async fn render(
    page: &Page,
    user: &crate::domain::account::User,
    notice: Option<String>,
    target: &str,
    problem: Option<String>,
) -> Result<Response, PageError> {
    let state = page.state();
    let tz = state.config.timezone();
    let views = sources::list(state.store(), &state.config, Some(user), state.now())
        .await
        .or_page(page)?;
    let when = |t: Option<DateTime<Utc>>| match t {
        Some(t) => {
            let local = t.with_timezone(&tz);
            format!(
                "{} {}",
                i18n::long_date(page.lang, local.date_naive()),
                local.format("%H:%M")
            )
        }
        None => i18n::word(page.lang, "admin_sources_never"),
    };
    let rows: Vec<_> = views
        .into_iter()
        .map(
            |SourceView {
                 source: s,
                 silent,
                 items,
             }| {
                context! {
                    id => s.id, actor => s.actor_ap_id, input => s.input,
                    kind => i18n::word(page.lang, kind_key(s.kind)),
                    items => items, heard => when(s.last_activity_at),
                    walked => when(s.last_success_at), errors => s.error_count,
                    last_error => if s.error_count > 0 { s.last_error } else { String::new() },
                    silent => silent,
                }
            },
        )
        .collect();
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(page.render_status(
        "admin_sources.html",
        context! { sources => rows, notice => notice, target => target, problem => problem },
        status,
    ))
}

/// `GET /admin/sources`.
async fn sources_page(
    LoggedIn { page, user }: LoggedIn,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let (notice, _) = super::pages::flash(page.lang, &q);
    render(&page, &user, notice, "", None).await
}

#[derive(Debug, Deserialize)]
struct AddForm {
    #[serde(default)]
    target: String,
}

/// `POST /admin/sources`: follows a new source.
async fn add(
    ctx: Context,
    CheckedForm(page, form): CheckedForm<AddForm>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let target = form.target.trim();
    let problem_key = if target.is_empty() {
        Some("admin_sources_err_empty")
    } else {
        match add_source(&ctx, Some(&user), target).await {
            Ok(_) => {
                return Ok(Redirect::to(&with_param(BACK, "done", "source_added")).into_response())
            }
            Err(AddFailure::Refused(e)) => return Err(page.error(e)),
            Err(AddFailure::Unresolved(FedError::Remote(m)))
                if !m.contains("is not a valid object") =>
            {
                Some("admin_sources_err_unreachable")
            }
            Err(AddFailure::Unresolved(FedError::Forbidden(_))) => {
                Some("admin_sources_err_blocked")
            }
            Err(AddFailure::Unresolved(_)) => Some("admin_sources_err_not_found"),
        }
    };
    let problem = problem_key.map(|k| i18n::word(page.lang, k));
    render(&page, &user, None, target, problem).await
}

/// `POST /admin/sources/{id}/remove`.
async fn remove(
    Path(id): Path<i64>,
    CheckedForm(page, NoFields {}): CheckedForm<NoFields>,
) -> Result<Response, PageError> {
    let user = page.user_or_login(BACK)?;
    let state = page.state();
    let store = state.store();
    sources::may_manage(&state.config, Some(&user)).or_page(&page)?;
    let source = sources::find(store, &id.to_string()).await.or_page(&page)?;
    sources::remove(store, &state.config, Some(&user), &source, state.now())
        .await
        .or_page(&page)?;
    Ok(Redirect::to(&with_param(BACK, "done", "source_removed")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `t.key` of the page has words in French and in English.
    #[test]
    fn the_page_uses_known_words() {
        super::super::word_check::check_site_words(&TEMPLATES);
        for kind in [
            SourceKind::Entraide,
            SourceKind::Mobilizon,
            SourceKind::Group,
            SourceKind::Other,
        ] {
            assert!(i18n::lookup(crate::i18n::Lang::En, kind_key(kind)).is_some());
        }
    }
}
