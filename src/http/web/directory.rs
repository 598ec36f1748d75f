//! The directory of this node's associations (`/associations`): every association by name, a
//! page at a time, the next page starting after the last name shown (keyset: a deep page costs
//! what the first does). The home page shows the first few and links here.

use super::{
    extract::{Page, PageError},
    OrPage,
};
use crate::http::web::prelude::*;
use crate::{service, state::AppState};
use axum::extract::{rejection::QueryRejection, Query};

pub(crate) const TEMPLATES: [(&str, &str); 1] = [(
    "associations.html",
    include_str!("../../../templates/associations.html"),
)];

pub fn router() -> Router<AppState> {
    Router::new().route("/associations", get(directory))
}

/// Associations on one page of the directory.
const PAGE: i64 = 100;

#[derive(Deserialize)]
struct DirectoryQuery {
    /// The last name of the page before.
    after: Option<String>,
}

async fn directory(
    page: Page,
    query: Result<Query<DirectoryQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    // A query that cannot be read (`?after` twice, say) starts from the beginning.
    let Ok(Query(query)) = query else {
        return Ok(Redirect::to("/associations").into_response());
    };
    let after = query.after.filter(|a| !a.is_empty());
    let store = page.state().store.as_ref();
    let (labels, count) = service::actors::association_directory(store, after.as_deref(), PAGE)
        .await
        .or_page(&page)?;
    let next = (labels.len() as i64 == PAGE)
        .then(|| labels.last())
        .flatten()
        .map(|l| {
            let query: String = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("after", &l.name)
                .finish();
            format!("/associations?{query}")
        });
    let associations: Vec<_> = labels
        .iter()
        .map(|a| context! { name => a.name, display_name => a.label() })
        .collect();
    Ok(page.render(
        "associations.html",
        context! {
            associations => associations,
            count => count,
            first_page => after.is_none(),
            next => next,
        },
    ))
}
