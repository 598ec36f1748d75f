//! The SQL of attestations (issue 5): a volunteer's request, a coordinator's confirmation.
//! `store_impl!` stamps these functions onto each back end with `attestation_fns!($db)`, and its
//! `Store` methods delegate to them.

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

macro_rules! attestation_fns {
    ($db:ty) => {
        async fn att_create(
            pool: &sqlx::Pool<$db>,
            actor_id: i64,
            user_id: i64,
            from: chrono::NaiveDate,
            to: chrono::NaiveDate,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<$crate::storage::Attestation> {
            use $crate::storage::hours_sql::day;
            let id: i64 = sqlx::query_scalar::<$db, i64>(
                "INSERT INTO hours_attestation (actor_id, user_id, from_date, to_date, requested_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(actor_id)
            .bind(user_id)
            .bind(day(from))
            .bind(day(to))
            .bind(now)
            .fetch_one(pool)
            .await?;
            att_get(pool, id).await
        }

        async fn att_get(
            pool: &sqlx::Pool<$db>,
            id: i64,
        ) -> $crate::storage::Result<$crate::storage::Attestation> {
            let sql = format!("{} WHERE id = $1", $crate::storage::attestation_sql::ATTESTATION_SELECT);
            sqlx::query_as::<$db, $crate::storage::attestation_sql::AttestationRow>(&sql)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or($crate::storage::StoreError::NotFound("attestation"))
                .and_then($crate::storage::Attestation::try_from)
        }

        async fn att_list(
            pool: &sqlx::Pool<$db>,
            actor_id: Option<i64>,
            user_id: Option<i64>,
        ) -> $crate::storage::Result<Vec<$crate::storage::Attestation>> {
            let sql = format!(
                "{} WHERE ($1 IS NULL OR actor_id = $1) AND ($2 IS NULL OR user_id = $2) \
                 ORDER BY id DESC LIMIT 1000",
                $crate::storage::attestation_sql::ATTESTATION_SELECT
            );
            sqlx::query_as::<$db, $crate::storage::attestation_sql::AttestationRow>(&sql)
                .bind(actor_id)
                .bind(user_id)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map($crate::storage::Attestation::try_from)
                .collect()
        }

        /// Confirms once: false when it was already confirmed (nothing changes).
        async fn att_confirm(
            pool: &sqlx::Pool<$db>,
            id: i64,
            by: i64,
            by_name: &str,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<bool> {
            let done = sqlx::query(
                "UPDATE hours_attestation SET confirmed_by = $2, confirmed_by_name = $3, confirmed_at = $4 \
                 WHERE id = $1 AND confirmed_at IS NULL",
            )
            .bind(id)
            .bind(by)
            .bind(by_name)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected();
            Ok(done == 1)
        }
    };
}

pub(super) use attestation_fns;
