//! Calendar feeds and pages: private feed tokens (stored hashed) and an association's slots.

use super::db::{query, query_as, query_scalar};
use super::shared::conflict;
use super::{Result, SqlStore};
use crate::domain::{account::User, slot::Slot};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Calendar tokens and slots over a span of time.
#[async_trait]
pub trait CalendarStore: Send + Sync {
    /// Sets a user's private calendar token (its hash). With `replace`, the one they had is
    /// replaced; without, nothing changes if they have one. True when the token was stored.
    async fn set_calendar_token(
        &self,
        user_id: i64,
        token_hash: &str,
        replace: bool,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// When the user's calendar token was made, if they have one.
    async fn calendar_token_created(&self, user_id: i64) -> Result<Option<DateTime<Utc>>>;
    async fn find_calendar_token_user(&self, token_hash: &str) -> Result<Option<User>>;
    /// Slots of an association's own missions (not drafts, not deleted) overlapping `[from, to)`,
    /// soonest first, cancelled ones included.
    async fn association_slots(
        &self,
        actor_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Slot>>;
}

#[async_trait]
impl CalendarStore for SqlStore {
    async fn set_calendar_token(
        &self,
        user_id: i64,
        token_hash: &str,
        replace: bool,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        // One address per user: a new one replaces the old one, which stops working.
        let sql = if replace {
            "INSERT INTO calendar_token (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, \
             created_at = excluded.created_at"
        } else {
            "INSERT INTO calendar_token (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO NOTHING"
        };
        let done = query(sql)
            .bind(user_id)
            .bind(token_hash)
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(conflict("calendar token"))?;
        Ok(done.rows_affected() == 1)
    }

    async fn calendar_token_created(&self, user_id: i64) -> Result<Option<DateTime<Utc>>> {
        Ok(query_scalar::<chrono::DateTime<chrono::Utc>>(
            "SELECT created_at FROM calendar_token WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn find_calendar_token_user(&self, token_hash: &str) -> Result<Option<User>> {
        Ok(query_as::<super::rows::UserRow>(
            "SELECT u.id, u.name, u.email, u.password_hash, u.is_admin, u.created_at, u.full_name, u.language, u.email_confirmed, u.state \
             FROM calendar_token c JOIN user_account u ON u.id = c.user_id WHERE c.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        .map(crate::domain::account::User::from))
    }

    async fn association_slots(
        &self,
        actor_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Slot>> {
        let sql = association_slots_sql();
        query_as::<super::rows::SlotRow>(&sql)
            .bind(actor_id)
            .bind(from)
            .bind(to)
            .bind(true)
            .fetch_all_try(&self.pool, crate::domain::slot::Slot::try_from)
            .await
    }
}

/// The slots of an association's (`$1`) public missions over `[$2, $3)`; `$4` is TRUE.
pub(super) fn association_slots_sql() -> String {
    format!(
        "SELECT {} FROM slot WHERE end_time > $2 AND start_time < $3 AND mission_id IN \
         (SELECT id FROM mission WHERE actor_id = $1 AND local = $4 AND deleted_at IS NULL \
         AND status <> 'draft') ORDER BY start_time, id LIMIT 5000",
        super::rows::SLOT_COLS
    )
}
