//! Accounts: users, their sessions and their API tokens.

use super::db::{fetch_all_in, query, query_as, query_scalar, Arg};
use super::rows::*;
use super::shared::conflict;
use super::{Result, SqlStore, StoreError};
use crate::domain::account::{AccountState, ApiToken, User};
use crate::domain::events::Outgoing;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A new user, with the password already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub is_admin: bool,
    /// Private; may be empty.
    pub full_name: String,
    /// `fr`, `en` or empty.
    pub language: String,
    /// Made by an operator (true), or registered by the person and waiting for the link.
    pub email_confirmed: bool,
    pub state: AccountState,
}

impl NewUser {
    /// An account made by an operator: active, its email taken as confirmed.
    pub fn by_operator(name: &str, email: Option<&str>, password_hash: Option<String>) -> Self {
        NewUser {
            name: name.to_string(),
            email: email.map(str::to_string),
            password_hash,
            is_admin: false,
            full_name: String::new(),
            language: String::new(),
            email_confirmed: true,
            state: AccountState::Active,
        }
    }
}

/// What a one-time link sent by email is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Confirms an address (a new account's, or a new address of an account).
    Confirm,
    /// Sets a new password.
    Reset,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Confirm => "confirm",
            LinkPurpose::Reset => "reset",
        }
    }
}

/// A one-time link to record: only the hash of its secret is kept.
#[derive(Debug, Clone)]
pub struct NewAccountLink {
    pub user_id: i64,
    pub purpose: LinkPurpose,
    pub token_hash: String,
    /// The address a confirmation link confirms.
    pub email: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// Users, sessions and API tokens.
#[async_trait]
pub trait AccountStore: Send + Sync {
    async fn create_user(&self, user: NewUser, now: DateTime<Utc>) -> Result<User>;
    async fn find_user_by_name(&self, name: &str) -> Result<Option<User>>;
    /// The user with this email, compared without case (ASCII letters on SQLite, all letters on
    /// PostgreSQL); none when no account or more than one account has it.
    async fn find_user_by_email(&self, email: &str) -> Result<Option<User>>;
    async fn get_user(&self, id: i64) -> Result<User>;
    /// The users with these ids, by id, in one read for the whole list (unknown ids are left
    /// out; an id given twice comes back once).
    async fn get_users(&self, ids: &[i64]) -> Result<Vec<User>>;
    async fn count_users(&self) -> Result<i64>;
    async fn create_session(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    async fn find_session_user(&self, token_hash: &str, now: DateTime<Utc>)
        -> Result<Option<User>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    async fn create_api_token(
        &self,
        user_id: i64,
        token_hash: &str,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<ApiToken>;
    async fn find_token_user(&self, token_hash: &str) -> Result<Option<User>>;
    /// A user's API tokens, oldest first.
    async fn list_api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>>;
    /// Deletes the token `id` if it belongs to `user_id`; says whether one was deleted.
    async fn delete_api_token(&self, user_id: i64, id: i64) -> Result<bool>;
    /// Whether some account has this email (compared without case, as `find_user_by_email`).
    async fn email_in_use(&self, email: &str) -> Result<bool>;
    /// The accounts in this state, oldest first.
    async fn list_users_in_state(&self, state: AccountState) -> Result<Vec<User>>;
    /// Moves the account from `from` to `to`; false (nothing changed) when it was not in `from`.
    async fn set_user_state(&self, id: i64, from: AccountState, to: AccountState) -> Result<bool>;
    /// Takes the account's email as confirmed (an operator vouches for it).
    async fn confirm_user_email(&self, id: i64) -> Result<()>;
    /// The account's full name and language, and the display name of its `Person` actor, in
    /// one transaction.
    /// A change of the public display name queues `ProfileUpdated` (`Update{Person}`).
    async fn update_user_profile(
        &self,
        id: i64,
        full_name: &str,
        display_name: &str,
        language: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// A new password; every session of the account but `keep_session` (a token hash) ends.
    async fn set_password(
        &self,
        id: i64,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<()>;
    /// Records a one-time link; the earlier unused links of the same account and purpose stop
    /// working (the latest email is the one that counts).
    async fn create_account_link(&self, link: NewAccountLink, now: DateTime<Utc>) -> Result<()>;
    /// Uses a confirmation link, once and before it expires: the address it names becomes the
    /// account's, confirmed. `None` when the link is unknown, used or expired.
    async fn redeem_confirm_link(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>>;
    /// Uses a reset link, once and before it expires: the new password is set and every session
    /// of the account ends. `None` when the link is unknown, used or expired.
    async fn redeem_reset_link(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>>;
}

/// The columns of a [`User`], in `UserRow` order.
const USER_COLS: &str = "id, name, email, password_hash, is_admin, created_at, full_name, \
                         language, email_confirmed, state";

/// Marks a link of `purpose` used if it is still good; its account and address.
async fn use_link(
    tx: &mut super::db::Tx,
    token_hash: &str,
    purpose: LinkPurpose,
    now: DateTime<Utc>,
) -> Result<Option<(i64, Option<String>)>> {
    Ok(query_as::<(i64, Option<String>)>(
        "UPDATE account_token SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 AND \
         used_at IS NULL AND expires_at > $3 RETURNING user_id, email",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?)
}

async fn user_in(tx: &mut super::db::Tx, id: i64) -> Result<User> {
    let sql = format!("SELECT {USER_COLS} FROM user_account WHERE id = $1");
    Ok(query_as::<UserRow>(&sql)
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .into())
}

#[async_trait]
impl AccountStore for SqlStore {
    async fn create_user(&self, u: NewUser, now: DateTime<Utc>) -> Result<User> {
        let row = query_as::<UserRow>(&format!(
            "INSERT INTO user_account (name, email, password_hash, is_admin, created_at, \
                 full_name, language, email_confirmed, state) VALUES ($1, $2, $3, $4, $5, $6, \
                 $7, $8, $9) RETURNING {USER_COLS}"
        ))
        .bind(&u.name)
        .bind(&u.email)
        .bind(&u.password_hash)
        .bind(u.is_admin)
        .bind(now)
        .bind(&u.full_name)
        .bind(&u.language)
        .bind(u.email_confirmed)
        .bind(u.state.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(conflict("user"))?;
        Ok(row.into())
    }

    async fn find_user_by_name(&self, name: &str) -> Result<Option<User>> {
        Ok(query_as::<UserRow>(
            "SELECT id, name, email, password_hash, is_admin, created_at, full_name, language, email_confirmed, state \
             FROM user_account WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await?
        .map(User::from))
    }

    async fn find_user_by_email(&self, email: &str) -> Result<Option<User>> {
        let mut found = query_as::<UserRow>(
            "SELECT id, name, email, password_hash, is_admin, created_at, full_name, language, email_confirmed, state \
             FROM user_account WHERE lower(email) = lower($1) ORDER BY id LIMIT 2",
        )
        .bind(email)
        .fetch_all(&self.pool)
        .await?;
        Ok(if found.len() == 1 {
            found.pop().map(User::from)
        } else {
            None
        })
    }

    async fn get_user(&self, id: i64) -> Result<User> {
        query_as::<UserRow>(
            "SELECT id, name, email, password_hash, is_admin, created_at, full_name, language, email_confirmed, state \
             FROM user_account WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .map(User::from)
        .ok_or(StoreError::NotFound("user"))
    }

    async fn get_users(&self, ids: &[i64]) -> Result<Vec<User>> {
        let sql = |list: &str| {
            format!(
                "SELECT id, name, email, password_hash, is_admin, created_at, full_name, language, email_confirmed, state \
                 FROM user_account WHERE id IN {list}"
            )
        };
        let rows = fetch_all_in::<UserRow, _>(&self.pool, ids, sql, Arg::from).await?;
        let mut out: Vec<User> = rows.into_iter().map(User::from).collect();
        out.sort_by_key(|u| u.id);
        out.dedup_by_key(|u| u.id);
        Ok(out)
    }

    async fn count_users(&self) -> Result<i64> {
        Ok(query_scalar::<i64>("SELECT COUNT(*) FROM user_account")
            .fetch_one(&self.pool)
            .await?)
    }

    async fn create_session(
        &self,
        user_id: i64,
        token_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        query("INSERT INTO session (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(user_id)
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn find_session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>> {
        Ok(query_as::<UserRow>(
            "SELECT u.id, u.name, u.email, u.password_hash, u.is_admin, u.created_at, u.full_name, u.language, u.email_confirmed, u.state \
             FROM session s JOIN user_account u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?
        .map(User::from))
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        query("DELETE FROM session WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn create_api_token(
        &self,
        user_id: i64,
        token_hash: &str,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<ApiToken> {
        Ok(query_as::<ApiTokenRow>(
            "INSERT INTO api_token (token_hash, user_id, label, created_at) VALUES ($1, $2, $3, \
             $4) RETURNING id, user_id, label, created_at",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(label)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(conflict("API token"))?
        .into())
    }

    async fn find_token_user(&self, token_hash: &str) -> Result<Option<User>> {
        Ok(query_as::<UserRow>(
            "SELECT u.id, u.name, u.email, u.password_hash, u.is_admin, u.created_at, u.full_name, u.language, u.email_confirmed, u.state \
             FROM api_token t JOIN user_account u ON u.id = t.user_id WHERE t.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        .map(User::from))
    }

    async fn list_api_tokens(&self, user_id: i64) -> Result<Vec<ApiToken>> {
        Ok(query_as::<ApiTokenRow>(
            "SELECT id, user_id, label, created_at FROM api_token WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all_map(&self.pool, ApiToken::from)
        .await?)
    }

    async fn delete_api_token(&self, user_id: i64, id: i64) -> Result<bool> {
        let done = query("DELETE FROM api_token WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn email_in_use(&self, email: &str) -> Result<bool> {
        Ok(
            query_scalar::<i64>("SELECT COUNT(*) FROM user_account WHERE lower(email) = lower($1)")
                .bind(email.trim())
                .fetch_one(&self.pool)
                .await?
                > 0,
        )
    }

    async fn list_users_in_state(&self, state: AccountState) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLS} FROM user_account WHERE state = $1 ORDER BY id");
        Ok(query_as::<UserRow>(&sql)
            .bind(state.as_str())
            .fetch_all_map(&self.pool, User::from)
            .await?)
    }

    async fn set_user_state(&self, id: i64, from: AccountState, to: AccountState) -> Result<bool> {
        let done = query("UPDATE user_account SET state = $3 WHERE id = $1 AND state = $2")
            .bind(id)
            .bind(from.as_str())
            .bind(to.as_str())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn confirm_user_email(&self, id: i64) -> Result<()> {
        let done = query("UPDATE user_account SET email_confirmed = TRUE WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        Ok(())
    }

    async fn update_user_profile(
        &self,
        id: i64,
        full_name: &str,
        display_name: &str,
        language: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_write().await?;
        let done = query("UPDATE user_account SET full_name = $2, language = $3 WHERE id = $1")
            .bind(id)
            .bind(full_name)
            .bind(language)
            .execute(&mut tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        // Only a real change of the public name is told to the followers (`Update{Person}`).
        let changed: Option<(i64,)> = query_as(
            "UPDATE actor SET display_name = $2 \
             WHERE user_id = $1 AND kind = 'Person' AND display_name <> $2 RETURNING id",
        )
        .bind(id)
        .bind(display_name)
        .fetch_optional(&mut tx)
        .await?;
        if let Some((actor_id,)) = changed {
            super::shared::push_event(&mut tx, &Outgoing::ProfileUpdated { actor_id }, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn set_password(
        &self,
        id: i64,
        password_hash: &str,
        keep_session: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_write().await?;
        let done = query("UPDATE user_account SET password_hash = $2 WHERE id = $1")
            .bind(id)
            .bind(password_hash)
            .execute(&mut tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        query("DELETE FROM session WHERE user_id = $1 AND token_hash <> $2")
            .bind(id)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_account_link(&self, link: NewAccountLink, now: DateTime<Utc>) -> Result<()> {
        let mut tx = self.pool.begin_write().await?;
        query(
            "UPDATE account_token SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND \
             used_at IS NULL",
        )
        .bind(link.user_id)
        .bind(link.purpose.as_str())
        .bind(now)
        .execute(&mut tx)
        .await?;
        query(
            "INSERT INTO account_token (token_hash, user_id, purpose, email, expires_at, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&link.token_hash)
        .bind(link.user_id)
        .bind(link.purpose.as_str())
        .bind(&link.email)
        .bind(link.expires_at)
        .bind(now)
        .execute(&mut tx)
        .await
        .map_err(conflict("link"))?;
        tx.commit().await?;
        Ok(())
    }

    async fn redeem_confirm_link(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>> {
        let mut tx = self.pool.begin_write().await?;
        let Some((user_id, email)) =
            use_link(&mut tx, token_hash, LinkPurpose::Confirm, now).await?
        else {
            return Ok(None);
        };
        query(
            "UPDATE user_account SET email = COALESCE($2, email), email_confirmed = TRUE \
             WHERE id = $1",
        )
        .bind(user_id)
        .bind(&email)
        .execute(&mut tx)
        .await?;
        let user = user_in(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(Some(user))
    }

    async fn redeem_reset_link(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>> {
        let mut tx = self.pool.begin_write().await?;
        let Some((user_id, _)) = use_link(&mut tx, token_hash, LinkPurpose::Reset, now).await?
        else {
            return Ok(None);
        };
        // The link came to the account's address: that address is confirmed too.
        query("UPDATE user_account SET password_hash = $2, email_confirmed = TRUE WHERE id = $1")
            .bind(user_id)
            .bind(password_hash)
            .execute(&mut tx)
            .await?;
        query("DELETE FROM session WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut tx)
            .await?;
        let user = user_in(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(Some(user))
    }
}
