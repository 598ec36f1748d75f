//! Volunteer profiles.

use super::db::{query, query_as, query_scalar};
use super::rows::UserRow;
use super::{Result, SqlStore, StoreError};
use crate::domain::{account::User, volunteer::Profile};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// Volunteer profiles.
#[async_trait]
pub trait ProfileStore: Send + Sync {
    async fn get_profile(&self, user_id: i64) -> Result<Option<Profile>>;
    async fn set_profile(&self, user_id: i64, profile: &Profile, now: DateTime<Utc>) -> Result<()>;
    /// Users who agreed to be suggested to associations, with their profiles.
    async fn suggestable_profiles(&self) -> Result<Vec<(User, Profile)>>;
}

/// A profile with its account.
#[derive(sqlx::FromRow)]
struct SuggestableRow {
    #[sqlx(flatten)]
    user: UserRow,
    profile: String,
}

#[async_trait]
impl ProfileStore for SqlStore {
    async fn get_profile(&self, user_id: i64) -> Result<Option<Profile>> {
        let text: Option<String> =
            query_scalar::<String>("SELECT profile FROM volunteer_profile WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
        text.map(|t| {
            serde_json::from_str(&t)
                .map_err(|e| StoreError::Corrupt(format!("profile of user {user_id}: {e}")))
        })
        .transpose()
    }

    async fn set_profile(&self, user_id: i64, profile: &Profile, now: DateTime<Utc>) -> Result<()> {
        let text =
            serde_json::to_string(profile).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        query(
            "INSERT INTO volunteer_profile (user_id, profile, suggestable, updated) VALUES ($1, \
             $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET profile = $2, suggestable = $3, \
             updated = $4",
        )
        .bind(user_id)
        .bind(text)
        .bind(profile.suggestable)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn suggestable_profiles(&self) -> Result<Vec<(User, Profile)>> {
        // Read with their accounts, in one statement.
        let rows = query_as::<SuggestableRow>(
            "SELECT u.id, u.name, u.email, u.password_hash, u.is_admin, u.created_at, u.full_name, u.language, u.email_confirmed, u.state, p.profile \
             FROM volunteer_profile p JOIN user_account u ON u.id = p.user_id \
             WHERE p.suggestable ORDER BY p.user_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                let user = User::from(r.user);
                let profile: Profile = serde_json::from_str(&r.profile).map_err(|e| {
                    StoreError::Corrupt(format!("profile of user {}: {e}", user.id))
                })?;
                Ok((user, profile))
            })
            .collect()
    }
}
