//! Accounts: users, their sessions and their API tokens.

use super::db::{fetch_all_in, query, query_as, query_scalar, Arg};
use super::rows::*;
use super::shared::conflict;
use super::{Result, SqlStore, StoreError};
use crate::domain::account::{ApiToken, User};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A new user, with the password already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub is_admin: bool,
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
}

#[async_trait]
impl AccountStore for SqlStore {
    async fn create_user(&self, u: NewUser, now: DateTime<Utc>) -> Result<User> {
        let row = query_as::<UserRow>(
            "INSERT INTO user_account (name, email, password_hash, is_admin, created_at) VALUES \
             ($1, $2, $3, $4, $5) RETURNING id, name, email, password_hash, is_admin, created_at",
        )
        .bind(&u.name)
        .bind(&u.email)
        .bind(&u.password_hash)
        .bind(u.is_admin)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(conflict("user"))?;
        Ok(row.into())
    }

    async fn find_user_by_name(&self, name: &str) -> Result<Option<User>> {
        Ok(query_as::<UserRow>(
            "SELECT id, name, email, password_hash, is_admin, created_at \
             FROM user_account WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await?
        .map(User::from))
    }

    async fn find_user_by_email(&self, email: &str) -> Result<Option<User>> {
        let mut found = query_as::<UserRow>(
            "SELECT id, name, email, password_hash, is_admin, created_at \
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
            "SELECT id, name, email, password_hash, is_admin, created_at \
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
                "SELECT id, name, email, password_hash, is_admin, created_at \
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
            "SELECT u.id, u.name, u.email, u.password_hash, u.is_admin, u.created_at \
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
            "SELECT u.id, u.name, u.email, u.password_hash, u.is_admin, u.created_at \
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
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(ApiToken::from)
        .collect())
    }

    async fn delete_api_token(&self, user_id: i64, id: i64) -> Result<bool> {
        let done = query("DELETE FROM api_token WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}
