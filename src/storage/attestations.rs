//! Attestations of volunteer hours, asked for and confirmed.

use super::db::{query, query_as, query_scalar, Pool};
use super::{Result, SqlStore};
use async_trait::async_trait;

use chrono::{DateTime, NaiveDate, Utc};

/// A volunteer's attestation of their hours with an association over a period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attestation {
    pub id: i64,
    /// The association.
    pub actor_id: i64,
    pub user_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub requested_at: DateTime<Utc>,
    /// Who confirmed it (their name as it was) and when; `None` while it waits.
    pub confirmed_by_name: Option<String>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
pub(super) struct AttestationRow {
    id: i64,
    actor_id: i64,
    user_id: i64,
    from_date: String,
    to_date: String,
    requested_at: DateTime<Utc>,
    confirmed_by_name: Option<String>,
    confirmed_at: Option<DateTime<Utc>>,
}

impl TryFrom<AttestationRow> for Attestation {
    type Error = super::StoreError;

    fn try_from(r: AttestationRow) -> Result<Attestation, Self::Error> {
        let day = |s: &str| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| super::StoreError::Corrupt(format!("attestation {}: bad date", r.id)))
        };
        Ok(Attestation {
            id: r.id,
            actor_id: r.actor_id,
            user_id: r.user_id,
            from: day(&r.from_date)?,
            to: day(&r.to_date)?,
            requested_at: r.requested_at,
            confirmed_by_name: r.confirmed_by_name,
            confirmed_at: r.confirmed_at,
        })
    }
}

pub(super) const ATTESTATION_SELECT: &str = "SELECT id, actor_id, user_id, from_date, to_date, \
    requested_at, confirmed_by_name, confirmed_at FROM hours_attestation";

async fn attestation_by_id(
    pool: &Pool,
    id: i64,
) -> crate::storage::Result<crate::storage::Attestation> {
    let sql = format!(
        "{} WHERE id = $1",
        crate::storage::attestations::ATTESTATION_SELECT
    );
    query_as::<crate::storage::attestations::AttestationRow>(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(crate::storage::StoreError::NotFound("attestation"))
        .and_then(crate::storage::Attestation::try_from)
}

/// Attestations.
#[async_trait]
pub trait AttestationStore: Send + Sync {
    async fn create_attestation(
        &self,
        actor_id: i64,
        user_id: i64,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Attestation>;
    async fn get_attestation(&self, id: i64) -> Result<Attestation>;
    /// Newest first; an association's, a user's, or both filters.
    async fn list_attestations(
        &self,
        actor_id: Option<i64>,
        user_id: Option<i64>,
    ) -> Result<Vec<Attestation>>;
    /// Records who confirmed and when, once: false when it was confirmed already.
    async fn confirm_attestation(
        &self,
        id: i64,
        by: i64,
        by_name: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;
}

#[async_trait]
impl AttestationStore for SqlStore {
    async fn create_attestation(
        &self,
        actor_id: i64,
        user_id: i64,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<crate::storage::Attestation> {
        use crate::storage::hours_rows::day;
        let id: i64 = query_scalar::<i64>(
            "INSERT INTO hours_attestation (actor_id, user_id, from_date, to_date, requested_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(actor_id)
        .bind(user_id)
        .bind(day(from))
        .bind(day(to))
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        attestation_by_id(&self.pool, id).await
    }

    async fn get_attestation(&self, id: i64) -> Result<crate::storage::Attestation> {
        let sql = format!(
            "{} WHERE id = $1",
            crate::storage::attestations::ATTESTATION_SELECT
        );
        query_as::<crate::storage::attestations::AttestationRow>(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(crate::storage::StoreError::NotFound("attestation"))
            .and_then(crate::storage::Attestation::try_from)
    }

    async fn list_attestations(
        &self,
        actor_id: Option<i64>,
        user_id: Option<i64>,
    ) -> Result<Vec<crate::storage::Attestation>> {
        // Only the filters asked for, so `hours_attestation_actor` or `_user` serves them.
        let mut filters = Vec::new();
        for (column, value) in [("actor_id", actor_id), ("user_id", user_id)] {
            if value.is_some() {
                filters.push(format!("{column} = ${}", filters.len() + 1));
            }
        }
        let sql = format!(
            "{}{}{} ORDER BY id DESC LIMIT 1000",
            crate::storage::attestations::ATTESTATION_SELECT,
            if filters.is_empty() { "" } else { " WHERE " },
            filters.join(" AND ")
        );
        let mut select = query_as::<crate::storage::attestations::AttestationRow>(&sql);
        for value in [actor_id, user_id].into_iter().flatten() {
            select = select.bind(value);
        }
        select
            .fetch_all_try(&self.pool, crate::storage::Attestation::try_from)
            .await
    }

    async fn confirm_attestation(
        &self,
        id: i64,
        by: i64,
        by_name: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let done = query(
            "UPDATE hours_attestation SET confirmed_by = $2, confirmed_by_name = $3, confirmed_at \
             = $4 WHERE id = $1 AND confirmed_at IS NULL",
        )
        .bind(id)
        .bind(by)
        .bind(by_name)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(done == 1)
    }
}
