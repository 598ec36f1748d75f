//! The SQL of Mastodon sign-ups (one-time links sent by direct message) and of interest
//! (replies to a mission), kept out of the long `sql.rs`. `store_impl!` stamps these functions
//! onto each back end with `fediverse_fns!($db, $begin_write)`, and its `Store` methods delegate to them.

macro_rules! fediverse_fns {
    ($db:ty, $begin_write:expr) => {
        type FediConfRow = (
            i64,
            i64,
            String,
            String,
            chrono::DateTime<chrono::Utc>,
            chrono::DateTime<chrono::Utc>,
            Option<chrono::DateTime<chrono::Utc>>,
        );
        const FEDI_CONF_COLS: &str = "id, slot_id, actor_ap_id, join_ap_id, created_at, expires_at, used_at";
        type FediInterestRow = (i64, i64, String, String, String, chrono::DateTime<chrono::Utc>);

        fn fedi_confirmation(r: FediConfRow) -> $crate::domain::fediverse::Confirmation {
            $crate::domain::fediverse::Confirmation {
                id: r.0,
                slot_id: r.1,
                actor_ap_id: r.2,
                join_ap_id: r.3,
                created_at: r.4,
                expires_at: r.5,
                used_at: r.6,
            }
        }

        async fn fedi_insert_confirmation(
            conn: &mut <$db as sqlx::Database>::Connection,
            c: &$crate::domain::fediverse::NewConfirmation,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<$crate::domain::fediverse::Confirmation> {
            let sql = format!(
                "INSERT INTO fediverse_confirmation (token_hash, slot_id, actor_ap_id, join_ap_id, created_at, \
                 expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {FEDI_CONF_COLS}"
            );
            let row = sqlx::query_as::<$db, FediConfRow>(&sql)
                .bind(&c.token_hash)
                .bind(c.slot_id)
                .bind(&c.actor_ap_id)
                .bind(&c.join_ap_id)
                .bind(now)
                .bind(c.expires_at)
                .fetch_one(conn)
                .await
                .map_err($crate::storage::sql::conflict("confirmation link"))?;
            Ok(fedi_confirmation(row))
        }

        async fn fedi_create_confirmation(
            pool: &sqlx::Pool<$db>,
            c: &$crate::domain::fediverse::NewConfirmation,
            message: &$crate::domain::events::Outgoing,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<$crate::domain::fediverse::Confirmation> {
            let mut tx = pool.begin_with($begin_write).await?;
            let confirmation = fedi_insert_confirmation(&mut *tx, c, now).await?;
            push_event(&mut *tx, message, now).await?;
            tx.commit().await?;
            Ok(confirmation)
        }

        async fn fedi_find_confirmation(
            pool: &sqlx::Pool<$db>,
            token_hash: &str,
        ) -> $crate::storage::Result<Option<$crate::domain::fediverse::Confirmation>> {
            let sql = format!("SELECT {FEDI_CONF_COLS} FROM fediverse_confirmation WHERE token_hash = $1");
            Ok(sqlx::query_as::<$db, FediConfRow>(&sql)
                .bind(token_hash)
                .fetch_optional(pool)
                .await?
                .map(fedi_confirmation))
        }

        /// One statement: of two people using the same link at once, exactly one gets it.
        async fn fedi_take_confirmation(
            pool: &sqlx::Pool<$db>,
            token_hash: &str,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<Option<$crate::domain::fediverse::Confirmation>> {
            let sql = format!(
                "UPDATE fediverse_confirmation SET used_at = $2 \
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING {FEDI_CONF_COLS}"
            );
            Ok(sqlx::query_as::<$db, FediConfRow>(&sql)
                .bind(token_hash)
                .bind(now)
                .fetch_optional(pool)
                .await?
                .map(fedi_confirmation))
        }

        async fn fedi_release_confirmation(pool: &sqlx::Pool<$db>, id: i64) -> $crate::storage::Result<()> {
            sqlx::query("UPDATE fediverse_confirmation SET used_at = NULL WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await?;
            Ok(())
        }

        async fn fedi_count_confirmations_since(
            pool: &sqlx::Pool<$db>,
            actor_ap_id: &str,
            since: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<i64> {
            Ok(sqlx::query_scalar::<$db, i64>(
                "SELECT COUNT(*) FROM fediverse_confirmation WHERE actor_ap_id = $1 AND created_at >= $2",
            )
            .bind(actor_ap_id)
            .bind(since)
            .fetch_one(pool)
            .await?)
        }

        async fn fedi_record_interest(
            pool: &sqlx::Pool<$db>,
            i: &$crate::domain::fediverse::NewInterest,
            link: Option<&$crate::domain::fediverse::NewConfirmation>,
            answer: Option<&$crate::domain::events::Outgoing>,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<bool> {
            let mut tx = pool.begin_with($begin_write).await?;
            let inserted = sqlx::query(
                "INSERT INTO interest (mission_id, actor_ap_id, note_ap_id, content, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (note_ap_id) DO NOTHING",
            )
            .bind(i.mission_id)
            .bind(&i.actor_ap_id)
            .bind(&i.note_ap_id)
            .bind(&i.content)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                > 0;
            if inserted {
                if let Some(c) = link {
                    fedi_insert_confirmation(&mut *tx, c, now).await?;
                }
                if let Some(event) = answer {
                    push_event(&mut *tx, event, now).await?;
                }
            }
            tx.commit().await?;
            Ok(inserted)
        }

        async fn fedi_list_interests(
            pool: &sqlx::Pool<$db>,
            mission_id: i64,
        ) -> $crate::storage::Result<Vec<$crate::domain::fediverse::Interest>> {
            Ok(sqlx::query_as::<$db, FediInterestRow>(
                "SELECT id, mission_id, actor_ap_id, note_ap_id, content, created_at FROM interest \
                 WHERE mission_id = $1 ORDER BY created_at, id",
            )
            .bind(mission_id)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| $crate::domain::fediverse::Interest {
                id: r.0,
                mission_id: r.1,
                actor_ap_id: r.2,
                note_ap_id: r.3,
                content: r.4,
                created_at: r.5,
            })
            .collect())
        }
    };
}

pub(super) use fediverse_fns;
