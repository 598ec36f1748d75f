//! A page of an owner's resources in keyset order (issue 17): after a `(name, id)`, so a
//! deep page costs what the first costs and a resource added meanwhile before the place
//! shifts nothing. Apart from `resources.rs`, which is near its size limit.

use super::db::{query_as, Pool};
use super::resources::{ResourceRow, RESOURCE_COLS};
use super::Result;
use crate::domain::resource::Resource;

/// Which page of an owner's resources (sorted by name, then id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourcePage {
    pub actor_id: i64,
    /// Only those after this `(name, id)`: a cursor, cheap at any depth.
    pub after: Option<(String, i64)>,
    /// How many at most (at least 1).
    pub limit: i64,
    /// Skip this many (kept for scripts; grows with the depth).
    pub offset: i64,
}

/// The statement of a page: one per case (a keyset page or not), read from
/// `resource_actor_name` (migration 0030) in order, so a page reads only its rows.
pub(super) fn page_sql(keyset: bool) -> String {
    format!(
        "SELECT {RESOURCE_COLS} FROM resource WHERE deleted_at IS NULL AND actor_id = $1{} \
         ORDER BY name, id LIMIT $2 OFFSET $3",
        if keyset {
            " AND (name > $4 OR (name = $4 AND id > $5))"
        } else {
            ""
        }
    )
}

pub(super) async fn page(pool: &Pool, page: ResourcePage) -> Result<Vec<Resource>> {
    let sql = page_sql(page.after.is_some());
    let mut select = query_as::<ResourceRow>(&sql)
        .bind(page.actor_id)
        .bind(page.limit.max(1))
        .bind(page.offset.max(0));
    if let Some((name, id)) = page.after {
        select = select.bind(name).bind(id);
    }
    select.fetch_all_try(pool, Resource::try_from).await
}

/// A chunk of every owner's resources for the search (issue 17), by name then id: those
/// after `after` (from the first when `None`), of `category` when given, `limit` at most.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceChunk {
    pub after: Option<(String, i64)>,
    pub category: Option<String>,
    /// How many at most (at least 1).
    pub limit: i64,
}

/// The statement of a search chunk, one per case (a category or not). Always a keyset read
/// (from `("", 0)` for the first chunk), so it is a range of `resource_name`, read in order.
pub(super) fn chunk_sql(category: bool) -> String {
    format!(
        "SELECT {RESOURCE_COLS} FROM resource WHERE deleted_at IS NULL AND name >= $2 \
         AND (name > $2 OR id > $3){} ORDER BY name, id LIMIT $1",
        if category { " AND category = $4" } else { "" }
    )
}

pub(super) async fn chunk(pool: &Pool, chunk: ResourceChunk) -> Result<Vec<Resource>> {
    let sql = chunk_sql(chunk.category.is_some());
    let (name, id) = chunk.after.unwrap_or_default();
    let mut select = query_as::<ResourceRow>(&sql)
        .bind(chunk.limit.max(1))
        .bind(name)
        .bind(id);
    if let Some(c) = chunk.category {
        select = select.bind(c);
    }
    select.fetch_all_try(pool, Resource::try_from).await
}

/// The resources of one owner (`$1`) or all of them, by name: one statement per case, as a
/// `($1 IS NULL OR actor_id = $1)` filter keeps a planner from using `resource_actor`; all of
/// them are read in the order of `resource_name` (migration 0029).
pub(super) fn list_sql(of_owner: bool) -> String {
    format!(
        "SELECT {RESOURCE_COLS} FROM resource WHERE deleted_at IS NULL{} ORDER BY name, id \
         LIMIT 2000",
        if of_owner { " AND actor_id = $1" } else { "" }
    )
}
