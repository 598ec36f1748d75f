//! The SQL of notifications (emails to send, direct messages recorded once), kept out of the
//! long `sql.rs`. `store_impl!` stamps these functions onto each back end with
//! `notification_fns!($db, $begin_write)`; the one statement that differs (claiming) comes from
//! [`NotificationDialect`].

/// Per back end: how the mail worker leases the emails that are due.
pub(super) trait NotificationDialect {
    const CLAIM_NOTIFICATIONS: &'static str;
}

/// The columns read into a [`super::Notification`], in `NotificationRow` order.
pub(super) const NOTIFICATION_COLS: &str =
    "id, participation_id, kind, channel, recipient, subject, body_text, \
    status, attempts, last_error, next_attempt_at, created_at, sent_at, dedupe_key";

// SQLite has one writer at a time: a plain UPDATE … RETURNING claims rows atomically.
impl NotificationDialect for sqlx::Sqlite {
    const CLAIM_NOTIFICATIONS: &'static str = "UPDATE notification SET locked_until = $2 WHERE id IN (SELECT id \
        FROM notification WHERE status = 'pending' AND next_attempt_at <= $1 \
        AND (locked_until IS NULL OR locked_until < $1) ORDER BY next_attempt_at, id LIMIT $3) \
        RETURNING id, participation_id, kind, channel, recipient, subject, body_text, status, attempts, \
        last_error, next_attempt_at, created_at, sent_at, dedupe_key";
}

// Several processes may claim at once: SKIP LOCKED hands each row to exactly one of them.
impl NotificationDialect for sqlx::Postgres {
    const CLAIM_NOTIFICATIONS: &'static str = "UPDATE notification SET locked_until = $2 WHERE id IN (SELECT id \
        FROM notification WHERE status = 'pending' AND next_attempt_at <= $1 \
        AND (locked_until IS NULL OR locked_until < $1) ORDER BY next_attempt_at, id LIMIT $3 \
        FOR UPDATE SKIP LOCKED) \
        RETURNING id, participation_id, kind, channel, recipient, subject, body_text, status, attempts, \
        last_error, next_attempt_at, created_at, sent_at, dedupe_key";
}

macro_rules! notification_fns {
    ($db:ty, $begin_write:expr) => {
        type NotificationRow = (
            i64,
            Option<i64>,
            String,
            String,
            String,
            String,
            String,
            String,
            i64,
            Option<String>,
            chrono::DateTime<chrono::Utc>,
            chrono::DateTime<chrono::Utc>,
            Option<chrono::DateTime<chrono::Utc>>,
            String,
        );

        fn notification_from_row(r: NotificationRow) -> $crate::storage::Notification {
            $crate::storage::Notification {
                id: r.0,
                participation_id: r.1,
                kind: r.2,
                channel: r.3,
                recipient: r.4,
                subject: r.5,
                body_text: r.6,
                status: r.7,
                attempts: r.8,
                last_error: r.9,
                next_attempt_at: r.10,
                created_at: r.11,
                sent_at: r.12,
                dedupe_key: r.13,
            }
        }

        /// Records one notice unless its key is known; a new direct message's delivery is
        /// queued with it. True when it was new.
        async fn notif_insert(
            conn: &mut <$db as sqlx::Database>::Connection,
            n: &$crate::storage::NewNotification,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<bool> {
            let sent_at = (n.status == "federated").then_some(now);
            let inserted = sqlx::query(
                "INSERT INTO notification (participation_id, kind, channel, recipient, subject, body_text, status, \
                 attempts, next_attempt_at, sent_at, created_at, dedupe_key) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $8, $10) ON CONFLICT (dedupe_key) DO NOTHING",
            )
            .bind(n.participation_id)
            .bind(&n.kind)
            .bind(&n.channel)
            .bind(&n.recipient)
            .bind(&n.subject)
            .bind(&n.body_text)
            .bind(&n.status)
            .bind(now)
            .bind(sent_at)
            .bind(&n.dedupe_key)
            .execute(&mut *conn)
            .await?
            .rows_affected()
                > 0;
            if let (true, Some(d)) = (inserted, &n.delivery) {
                insert_deliveries(&mut *conn, std::slice::from_ref(d), now).await?;
            }
            Ok(inserted)
        }

        async fn notif_record(
            pool: &sqlx::Pool<$db>,
            notifications: &[$crate::storage::NewNotification],
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<usize> {
            let mut tx = pool.begin_with($begin_write).await?;
            let mut new = 0;
            for n in notifications {
                if notif_insert(&mut *tx, n, now).await? {
                    new += 1;
                }
            }
            tx.commit().await?;
            Ok(new)
        }

        async fn notif_claim(
            pool: &sqlx::Pool<$db>,
            limit: i64,
            now: chrono::DateTime<chrono::Utc>,
            lease_until: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<Vec<$crate::storage::Notification>> {
            use $crate::storage::notification_sql::NotificationDialect;
            let mut rows = sqlx::query_as::<$db, NotificationRow>(<$db as NotificationDialect>::CLAIM_NOTIFICATIONS)
                .bind(now)
                .bind(lease_until)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            rows.sort_by_key(|r| r.0);
            Ok(rows.into_iter().map(notification_from_row).collect())
        }

        async fn notif_mark_sent(
            pool: &sqlx::Pool<$db>,
            id: i64,
            now: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<()> {
            sqlx::query(
                "UPDATE notification SET status = 'sent', sent_at = $2, attempts = attempts + 1, \
                 locked_until = NULL, last_error = NULL WHERE id = $1",
            )
            .bind(id)
            .bind(now)
            .execute(pool)
            .await?;
            Ok(())
        }

        async fn notif_mark_failed(
            pool: &sqlx::Pool<$db>,
            id: i64,
            error: &str,
            next: Option<chrono::DateTime<chrono::Utc>>,
        ) -> $crate::storage::Result<()> {
            let error: String = error.chars().take(1000).collect();
            match next {
                Some(next) => sqlx::query(
                    "UPDATE notification SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, \
                     locked_until = NULL WHERE id = $1",
                )
                .bind(id)
                .bind(&error)
                .bind(next)
                .execute(pool)
                .await?,
                None => sqlx::query(
                    "UPDATE notification SET status = 'failed', attempts = attempts + 1, last_error = $2, \
                     locked_until = NULL WHERE id = $1",
                )
                .bind(id)
                .bind(&error)
                .execute(pool)
                .await?,
            };
            Ok(())
        }

        async fn notif_list(
            pool: &sqlx::Pool<$db>,
            participation_id: Option<i64>,
            limit: i64,
        ) -> $crate::storage::Result<Vec<$crate::storage::Notification>> {
            use $crate::storage::notification_sql::NOTIFICATION_COLS;
            let rows = match participation_id {
                Some(p) => {
                    let sql = format!(
                        "SELECT {NOTIFICATION_COLS} FROM notification WHERE participation_id = $1 ORDER BY id LIMIT $2"
                    );
                    sqlx::query_as::<$db, NotificationRow>(&sql).bind(p).bind(limit).fetch_all(pool).await?
                }
                None => {
                    let sql = format!("SELECT {NOTIFICATION_COLS} FROM notification ORDER BY id DESC LIMIT $1");
                    sqlx::query_as::<$db, NotificationRow>(&sql).bind(limit).fetch_all(pool).await?
                }
            };
            Ok(rows.into_iter().map(notification_from_row).collect())
        }

        async fn notif_reminder_candidates(
            pool: &sqlx::Pool<$db>,
            from: chrono::DateTime<chrono::Utc>,
            to: chrono::DateTime<chrono::Utc>,
        ) -> $crate::storage::Result<Vec<($crate::domain::slot::Participation, $crate::domain::slot::Slot)>> {
            let sql = "SELECT p.id, p.slot_id, p.user_id, p.actor_ap_id, p.guest_name, p.guest_contact, \
                 p.join_ap_id, p.status, p.message, p.reason, p.created_at, p.decided_at, \
                 s.id AS s_id, s.ap_id AS s_ap_id, s.mission_id AS s_mission_id, s.local AS s_local, \
                 s.start_time AS s_start_time, s.end_time AS s_end_time, s.capacity AS s_capacity, \
                 s.participant_count AS s_participant_count, s.status AS s_status, s.updated AS s_updated \
                 FROM participation p JOIN slot s ON s.id = p.slot_id \
                 WHERE p.status = 'accepted' AND s.status = 'open' AND s.start_time > $1 AND s.start_time <= $2 \
                 AND (s.local OR p.user_id IS NOT NULL) \
                 AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.participation_id = p.id AND n.kind = 'reminder') \
                 ORDER BY s.start_time, p.id";
            sqlx::query_as::<$db, ParticipationWithSlotRow>(sql)
                .bind(from)
                .bind(to)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(<($crate::domain::slot::Participation, $crate::domain::slot::Slot)>::try_from)
                .collect()
        }
    };
}

pub(super) use notification_fns;
