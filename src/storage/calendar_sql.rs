//! The SQL of calendar feeds and pages: private feed tokens (stored hashed) and the slots of an
//! association over a span of time. `store_impl!` stamps these functions onto each back end with
//! `calendar_fns!($db)`, and its `Store` methods delegate to them.

macro_rules! calendar_fns {
    ($db:ty) => {
        async fn cal_set_token(
            pool: &sqlx::Pool<$db>,
            user_id: i64,
            token_hash: &str,
            replace: bool,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<bool> {
            // One address per user: a new one replaces the old one, which stops working.
            let sql = if replace {
                "INSERT INTO calendar_token (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, \
                 created_at = excluded.created_at"
            } else {
                "INSERT INTO calendar_token (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id) DO NOTHING"
            };
            let done = sqlx::query(sql)
                .bind(user_id)
                .bind(token_hash)
                .bind(now)
                .execute(pool)
                .await
                .map_err($crate::storage::sql::conflict("calendar token"))?;
            Ok(done.rows_affected() == 1)
        }

        async fn cal_token_created(
            pool: &sqlx::Pool<$db>,
            user_id: i64,
        ) -> $crate::storage::Result<Option<chrono::DateTime<chrono::Utc>>> {
            Ok(sqlx::query_scalar::<$db, chrono::DateTime<chrono::Utc>>(
                "SELECT created_at FROM calendar_token WHERE user_id = $1",
            )
            .bind(user_id)
            .fetch_optional(pool)
            .await?)
        }

        async fn cal_token_user(
            pool: &sqlx::Pool<$db>,
            token_hash: &str,
        ) -> $crate::storage::Result<Option<$crate::domain::account::User>> {
            Ok(sqlx::query_as::<$db, $crate::storage::rows::UserRow>(
                "SELECT u.id, u.name, u.email, u.password_hash, u.is_admin, u.created_at \
                 FROM calendar_token c JOIN user_account u ON u.id = c.user_id WHERE c.token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
            .map($crate::domain::account::User::from))
        }

        async fn cal_association_slots(
            pool: &sqlx::Pool<$db>,
            actor_id: i64,
            from: chrono::DateTime<chrono::Utc>,
            to: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<Vec<$crate::domain::slot::Slot>> {
            let sql = format!(
                "SELECT {} FROM slot WHERE end_time > $2 AND start_time < $3 AND mission_id IN \
                 (SELECT id FROM mission WHERE actor_id = $1 AND local = $4 AND deleted_at IS NULL \
                 AND status <> 'draft') ORDER BY start_time, id LIMIT 5000",
                $crate::storage::rows::SLOT_COLS
            );
            sqlx::query_as::<$db, $crate::storage::rows::SlotRow>(&sql)
                .bind(actor_id)
                .bind(from)
                .bind(to)
                .bind(true)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map($crate::domain::slot::Slot::try_from)
                .collect()
        }
    };
}

pub(super) use calendar_fns;
