//! What every aggregate's SQL shares: unique violations as `Conflict`, recording an outbox
//! event in the caller's transaction, and how many ids one `IN (…)` list binds.

use super::db::{query, Exec};
use super::{Result, StoreError};
use crate::domain::events::Outgoing;
use chrono::{DateTime, Utc};

/// Maps a unique-constraint violation to `Conflict(what)`.
pub(super) fn conflict(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what),
        _ => StoreError::Db(e),
    }
}

/// The most ids one `… IN ($1, $2, …)` statement binds: a list read by ids goes in statements
/// of this many (well under SQLite's and PostgreSQL's limits on bound values).
pub(super) const IN_LIST_CHUNK: usize = 500;

pub(super) fn encode_event(event: &Outgoing) -> Result<String> {
    serde_json::to_string(event).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Records an event for the outbox worker; given the transaction that changed the data, a crash
/// never loses an announcement.
pub(super) async fn push_event<'e>(
    ex: impl Into<Exec<'e>>,
    event: &Outgoing,
    now: DateTime<Utc>,
) -> Result<()> {
    query("INSERT INTO outbox_event (payload, created_at) VALUES ($1, $2)")
        .bind(encode_event(event)?)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(())
}
