//! Notices about sign-ups: emails to send, direct messages recorded once.

use super::db::{query, query_as, Tx};
use super::lease_queue::{LeaseQueue, Next, RetryQueue};
use super::queue::{insert_deliveries, NewDelivery};
use super::rows::*;
use super::{Result, SqlStore};
use crate::domain::slot::{Participation, Slot};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A notice to someone about their sign-up: an email for the mail worker, or a direct message
/// whose delivery is queued with it. Recorded once per `dedupe_key`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNotification {
    pub participation_id: Option<i64>,
    /// `confirmed`, `pending`, `refused`, `withdrawn`, `slot_cancelled`, `slot_moved`, …
    pub kind: String,
    /// `email` or `fediverse`.
    pub channel: String,
    /// An email address, or the person's actor id.
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    /// `pending` (an email to send), `skipped` (mail is off) or `federated` (a direct message).
    pub status: String,
    /// What makes two notices the same one: a known key is not recorded again.
    pub dedupe_key: String,
    /// The direct message carrying it, queued only when the notice is new.
    pub delivery: Option<NewDelivery>,
}

/// A notice as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Notification {
    pub id: i64,
    pub participation_id: Option<i64>,
    pub kind: String,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    /// `pending`, `sent`, `failed` (given up), `skipped` or `federated`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub dedupe_key: String,
}

/// The columns read into a [`super::Notification`], in `NotificationRow` order.
pub(super) const NOTIFICATION_COLS: &str =
    "id, participation_id, kind, channel, recipient, subject, body_text, status, attempts, \
     last_error, next_attempt_at, created_at, sent_at, dedupe_key";

/// The emails the mail worker leases, tries and retries.
const QUEUE: RetryQueue = RetryQueue {
    lease: LeaseQueue {
        table: "notification",
        waiting: "status = 'pending' AND next_attempt_at <= $1",
        order: "next_attempt_at, id",
        columns: NOTIFICATION_COLS,
    },
    sent: "status = 'sent', sent_at = $2, last_error = NULL",
    given_up: "status",
};

pub(super) type NotificationRow = (
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

pub(super) fn notification_from_row(r: NotificationRow) -> crate::storage::Notification {
    crate::storage::Notification {
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
pub(super) async fn insert_notification(
    conn: &mut Tx,
    n: &crate::storage::NewNotification,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::storage::Result<bool> {
    let sent_at = (n.status == "federated").then_some(now);
    let inserted = query(
        "INSERT INTO notification (participation_id, kind, channel, recipient, subject, body_text, \
         status, attempts, next_attempt_at, sent_at, created_at, dedupe_key) VALUES ($1, $2, $3, \
         $4, $5, $6, $7, 0, $8, $9, $8, $10) ON CONFLICT (dedupe_key) DO NOTHING",
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

/// Notices.
#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// Records notices not tied to an event (reminders), in one transaction; returns how many
    /// were new.
    async fn record_notifications(
        &self,
        notifications: Vec<NewNotification>,
        now: DateTime<Utc>,
    ) -> Result<usize>;
    /// Leases emails that are due, as deliveries are leased.
    async fn claim_notifications(
        &self,
        limit: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Notification>>;
    async fn mark_notification_sent(&self, id: i64, now: DateTime<Utc>) -> Result<()>;
    /// Schedules another attempt, or gives up when `next_attempt` is `None`.
    async fn mark_notification_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Notices about one sign-up (or all, newest first, when `None`), at most `limit`.
    async fn list_notifications(
        &self,
        participation_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Notification>>;
    /// Accepted sign-ups on open slots starting in `(from, to]` that have no reminder yet: on
    /// our slots, and our users' on other servers' slots.
    async fn reminder_candidates(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(Participation, Slot)>>;
}

/// The accepted sign-ups on open slots starting in `($1, $2]` without a reminder, scanned once a
/// minute: a range of `slot_start` (migration 0031), then each slot's sign-ups
/// (`participation_slot`), so the scan reads the day's slots, not every sign-up the node ever
/// had (issue 17: 200,000 sign-ups read a minute, 0.6 s in an unoptimised build).
pub(super) const REMINDER_CANDIDATES_SQL: &str = "SELECT p.id, p.slot_id, p.user_id, \
    p.actor_ap_id, p.guest_name, p.guest_contact, p.join_ap_id, p.status, p.message, p.reason, \
    p.created_at, p.decided_at, s.id AS s_id, s.ap_id AS s_ap_id, s.mission_id AS s_mission_id, \
    s.local AS s_local, s.start_time AS s_start_time, s.end_time AS s_end_time, s.capacity AS \
    s_capacity, s.participant_count AS s_participant_count, s.status AS s_status, s.updated AS \
    s_updated FROM participation p JOIN slot s ON s.id = p.slot_id WHERE p.status = 'accepted' \
    AND s.status = 'open' AND s.start_time > $1 AND s.start_time <= $2 AND (s.local OR \
    p.user_id IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM notification n WHERE \
    n.participation_id = p.id AND n.kind = 'reminder') ORDER BY s.start_time, p.id";

#[async_trait]
impl NotificationStore for SqlStore {
    async fn record_notifications(
        &self,
        notifications: Vec<crate::storage::NewNotification>,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let notifications = &notifications;
        let mut tx = self.pool.begin_write().await?;
        let mut new = 0;
        for n in notifications {
            if insert_notification(&mut tx, n, now).await? {
                new += 1;
            }
        }
        tx.commit().await?;
        Ok(new)
    }

    async fn claim_notifications(
        &self,
        limit: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<crate::storage::Notification>> {
        let rows = QUEUE
            .lease
            .claim::<NotificationRow>(&self.pool, limit, now, lease_until, |r| r.0)
            .await?;
        Ok(rows.into_iter().map(notification_from_row).collect())
    }

    async fn mark_notification_sent(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        QUEUE.sent(&self.pool, id, now).await
    }

    async fn mark_notification_failed(
        &self,
        id: i64,
        error: &str,
        next: Option<DateTime<Utc>>,
        _now: DateTime<Utc>,
    ) -> Result<()> {
        QUEUE
            .failed(&self.pool, id, error, Next::retry_or(next, "failed"))
            .await
    }

    async fn list_notifications(
        &self,
        participation_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<crate::storage::Notification>> {
        use crate::storage::notifications::NOTIFICATION_COLS;
        let rows = match participation_id {
            Some(p) => {
                let sql = format!(
                    "SELECT {NOTIFICATION_COLS} FROM notification WHERE participation_id = $1 \
                     ORDER BY id LIMIT $2"
                );
                query_as::<NotificationRow>(&sql)
                    .bind(p)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                let sql = format!(
                    "SELECT {NOTIFICATION_COLS} FROM notification ORDER BY id DESC LIMIT $1"
                );
                query_as::<NotificationRow>(&sql)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        Ok(rows.into_iter().map(notification_from_row).collect())
    }

    async fn reminder_candidates(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<(Participation, Slot)>> {
        query_as::<ParticipationWithSlotRow>(REMINDER_CANDIDATES_SQL)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(
                <(
                    crate::domain::slot::Participation,
                    crate::domain::slot::Slot,
                )>::try_from,
            )
            .collect()
    }
}
