//! The federation queue: the inbox's de-duplication marks (written in groups by
//! [`super::group_commit`]), outbox events, deliveries (leased with `SKIP LOCKED` on PostgreSQL,
//! inserted 100 rows to a statement), and the purge of finished work.

use super::db::{query, query_scalar, values_list, Arg, Tx};
use super::lease_queue::{LeaseQueue, Next, RetryQueue};
use super::notifications::{insert_notification, NewNotification};
use super::rows::*;
use super::shared::push_event;
use super::{Result, SqlStore, StoreError};
use crate::domain::events::Outgoing;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// An event waiting to become deliveries.
#[derive(Debug, Clone)]
pub struct OutboxEvent {
    pub id: i64,
    pub event: Outgoing,
}

/// One signed POST to make.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDelivery {
    pub activity_ap_id: String,
    pub signer_actor_id: i64,
    pub inbox: String,
    pub payload: String,
}

#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: i64,
    pub activity_ap_id: String,
    pub signer_actor_id: i64,
    pub inbox: String,
    pub payload: String,
    pub attempts: i64,
}

/// Counts of the delivery queue, for the operator.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct QueueStats {
    pub pending: i64,
    pub delivered: i64,
    pub failed: i64,
}

/// What a purge of the federation history removed (see [`FederationStore::purge_history`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgedHistory {
    /// Deliveries delivered or given up.
    pub deliveries: u64,
    /// Documents sent to many inboxes that no delivery needs any more.
    pub payloads: u64,
    /// Outbox events already turned into deliveries.
    pub events: u64,
    /// De-duplication marks of received activities.
    pub received: u64,
}

impl PurgedHistory {
    pub fn total(&self) -> u64 {
        self.deliveries + self.payloads + self.events + self.received
    }
}

impl std::ops::AddAssign for PurgedHistory {
    fn add_assign(&mut self, round: PurgedHistory) {
        self.deliveries += round.deliveries;
        self.payloads += round.payloads;
        self.events += round.events;
        self.received += round.received;
    }
}

/// The inbox marks, the outbox and the delivery queue.
#[async_trait]
pub trait FederationStore: Send + Sync {
    /// True when the activity id is new (and is now recorded).
    async fn record_received_activity(&self, ap_id: &str, now: DateTime<Utc>) -> Result<bool>;
    async fn forget_received_activity(&self, ap_id: &str) -> Result<()>;
    /// Records an event on its own (when nothing else changes with it).
    async fn queue_event(&self, event: Outgoing, now: DateTime<Utc>) -> Result<()>;
    async fn claim_outbox_events(
        &self,
        limit: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<OutboxEvent>>;
    /// Marks the event processed and queues its deliveries, in one transaction.
    async fn complete_outbox_event(
        &self,
        id: i64,
        deliveries: Vec<NewDelivery>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.complete_outbox_event_with(id, deliveries, Vec::new(), now)
            .await
    }
    /// Marks the event processed, queues its deliveries and records its notifications (a known
    /// `dedupe_key` is skipped, with its delivery), in one transaction.
    async fn complete_outbox_event_with(
        &self,
        id: i64,
        deliveries: Vec<NewDelivery>,
        notifications: Vec<NewNotification>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn claim_deliveries(
        &self,
        limit: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Delivery>>;
    /// Marks these deliveries done, in one transaction (the worker writes its successes in
    /// groups).
    async fn mark_delivered_many(&self, ids: &[i64], now: DateTime<Utc>) -> Result<()>;
    /// Gives claimed deliveries back, due again at `due` (their host was busy): not an
    /// attempt, and behind the deliveries already due.
    async fn defer_deliveries(&self, ids: &[i64], due: DateTime<Utc>) -> Result<()>;
    /// Schedules another attempt, or gives up when `next_attempt` is `None`.
    async fn mark_delivery_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn queue_stats(&self) -> Result<QueueStats>;
    /// Forgets finished federation work older than `before`: deliveries delivered or given up,
    /// shared documents no delivery needs any more, processed outbox events, and the
    /// de-duplication marks of received activities. Pending work is never touched. At most
    /// `limit` rows of each kind per call (short write transactions): call again while it
    /// removes something.
    async fn purge_history(&self, before: DateTime<Utc>, limit: i64) -> Result<PurgedHistory>;
    /// When the next delivery is due, if any is pending (lets workers sleep until then).
    async fn next_delivery_due(&self) -> Result<Option<DateTime<Utc>>>;
}

/// Queues deliveries. Consecutive ones carrying the same document (one activity to
/// many inboxes) store it once, in `outgoing_payload`; rows go 100 to a statement (a
/// statement per row made a mission to 1,000 followers wait tens of milliseconds).
pub(super) async fn insert_deliveries(
    conn: &mut Tx,
    deliveries: &[NewDelivery],
    now: DateTime<Utc>,
) -> Result<()> {
    let mut start = 0;
    while start < deliveries.len() {
        let first = &deliveries[start];
        let end = start
            + deliveries[start..]
                .iter()
                .take_while(|d| {
                    d.activity_ap_id == first.activity_ap_id && d.payload == first.payload
                })
                .count();
        let group = &deliveries[start..end];
        let payload_id: Option<i64> = if group.len() > 1 {
            Some(
                query_scalar(
                    "INSERT INTO outgoing_payload (payload, created_at) VALUES ($1, $2) RETURNING \
                     id",
                )
                .bind(&first.payload)
                .bind(now)
                .fetch_one(&mut *conn)
                .await?,
            )
        } else {
            None
        };
        for chunk in group.chunks(DELIVERIES_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO delivery (activity_ap_id, signer_actor_id, inbox, payload, \
                 payload_id, attempts, next_attempt_at, created_at) VALUES {} ON CONFLICT \
                 (activity_ap_id, inbox) DO NOTHING",
                values_list(chunk.len(), 8, 1)
            );
            let mut insert = query(&sql).reserve(chunk.len() * 8);
            for d in chunk {
                let payload = if payload_id.is_some() {
                    ""
                } else {
                    d.payload.as_str()
                };
                insert = insert
                    .bind(d.activity_ap_id.as_str())
                    .bind(d.signer_actor_id)
                    .bind(d.inbox.as_str())
                    .bind(payload)
                    .bind(payload_id)
                    .bind(0i64)
                    .bind(now)
                    .bind(now);
            }
            insert.execute(&mut *conn).await?;
        }
        start = end;
    }
    Ok(())
}

/// Rows of deliveries inserted by one statement.
const DELIVERIES_PER_STATEMENT: usize = 100;

/// The events the outbox worker leases, in the order they happened.
const OUTBOX: LeaseQueue = LeaseQueue {
    table: "outbox_event",
    waiting: "processed_at IS NULL",
    order: "id",
    columns: "id, payload",
};

/// The deliveries the delivery workers lease, try and retry.
const DELIVERIES: RetryQueue = RetryQueue {
    lease: LeaseQueue {
        table: "delivery",
        waiting: "delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1",
        order: "next_attempt_at, id",
        columns: "id, activity_ap_id, signer_actor_id, inbox, payload, payload_id, attempts",
    },
    sent: "delivered_at = $2",
    given_up: "failed_at",
};

#[async_trait]
impl FederationStore for SqlStore {
    async fn record_received_activity(&self, ap_id: &str, now: DateTime<Utc>) -> Result<bool> {
        // Committed with the marks of the requests arriving at the same time.
        self.marks.record(ap_id, now).await
    }

    async fn forget_received_activity(&self, ap_id: &str) -> Result<()> {
        query("DELETE FROM received_activity WHERE ap_id = $1")
            .bind(ap_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn queue_event(&self, event: Outgoing, now: DateTime<Utc>) -> Result<()> {
        push_event(&self.pool, &event, now).await
    }

    async fn claim_outbox_events(
        &self,
        limit: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<OutboxEvent>> {
        let rows = OUTBOX
            .claim::<EventRow>(&self.pool, limit, now, lease_until, |r| r.id)
            .await?;
        let mut events = Vec::with_capacity(rows.len());
        for r in rows {
            let event = serde_json::from_str(&r.payload)
                .map_err(|e| StoreError::Corrupt(format!("outbox event {}: {e}", r.id)))?;
            events.push(OutboxEvent { id: r.id, event });
        }
        Ok(events)
    }

    async fn complete_outbox_event_with(
        &self,
        id: i64,
        deliveries: Vec<NewDelivery>,
        notifications: Vec<crate::storage::NewNotification>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_write().await?;
        for n in &notifications {
            insert_notification(&mut tx, n, now).await?;
        }
        query("UPDATE outbox_event SET processed_at = $2, locked_until = NULL WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(&mut tx)
            .await?;
        insert_deliveries(&mut tx, &deliveries, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn claim_deliveries(
        &self,
        limit: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Delivery>> {
        let rows = DELIVERIES
            .lease
            .claim::<DeliveryRow>(&self.pool, limit, now, lease_until, |r| r.id)
            .await?;
        // Documents stored once for many deliveries: read each once per claim.
        let mut shared: std::collections::HashMap<i64, String> = Default::default();
        for id in rows.iter().filter_map(|r| r.payload_id) {
            if let std::collections::hash_map::Entry::Vacant(slot) = shared.entry(id) {
                slot.insert(
                    query_scalar("SELECT payload FROM outgoing_payload WHERE id = $1")
                        .bind(id)
                        .fetch_one(&self.pool)
                        .await?,
                );
            }
        }
        Ok(rows
            .into_iter()
            .map(|r| Delivery {
                id: r.id,
                activity_ap_id: r.activity_ap_id,
                signer_actor_id: r.signer_actor_id,
                inbox: r.inbox,
                payload: match r.payload_id.and_then(|id| shared.get(&id)) {
                    Some(payload) => payload.clone(),
                    None => r.payload,
                },
                attempts: r.attempts,
            })
            .collect())
    }

    async fn mark_delivered_many(&self, ids: &[i64], now: DateTime<Utc>) -> Result<()> {
        let mut tx = self.pool.begin_write().await?;
        for id in ids {
            DELIVERIES.sent(&mut tx, *id, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn defer_deliveries(&self, ids: &[i64], due: DateTime<Utc>) -> Result<()> {
        for chunk in ids.chunks(500) {
            let sql = format!(
                "UPDATE delivery SET locked_until = NULL, next_attempt_at = $1 \
                 WHERE delivered_at IS NULL AND id IN {}",
                values_list(1, chunk.len(), 2)
            );
            let update = query(&sql).reserve(chunk.len() + 1).bind(due);
            update
                .bind_all(chunk.iter().map(|id| Arg::from(*id)))
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    async fn mark_delivery_failed(
        &self,
        id: i64,
        error: &str,
        next: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        DELIVERIES
            .failed(&self.pool, id, error, Next::retry_or(next, now))
            .await
    }

    async fn queue_stats(&self) -> Result<QueueStats> {
        let count = |sql: &'static str| query_scalar::<i64>(sql).fetch_one(&self.pool);
        Ok(QueueStats {
            pending: count(
                "SELECT COUNT(*) FROM delivery WHERE delivered_at IS NULL AND failed_at IS NULL",
            )
            .await?
                + count("SELECT COUNT(*) FROM outbox_event WHERE processed_at IS NULL").await?,
            delivered: count("SELECT COUNT(*) FROM delivery WHERE delivered_at IS NOT NULL")
                .await?,
            failed: count("SELECT COUNT(*) FROM delivery WHERE failed_at IS NOT NULL").await?,
        })
    }

    async fn purge_history(
        &self,
        before: DateTime<Utc>,
        limit: i64,
    ) -> Result<crate::storage::PurgedHistory> {
        // Each statement is its own short transaction, in an order that keeps every
        // row's references valid: deliveries before the documents they point to.
        let purge = |sql: &'static str| query(sql).bind(before).bind(limit).execute(&self.pool);
        let deliveries = purge(
            "DELETE FROM delivery WHERE id IN (SELECT id FROM delivery \
             WHERE delivered_at < $1 OR failed_at < $1 LIMIT $2)",
        )
        .await?
        .rows_affected();
        let payloads = purge(
            "DELETE FROM outgoing_payload WHERE id IN (SELECT p.id FROM outgoing_payload p WHERE \
             p.created_at < $1 AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.payload_id = p.id) \
             LIMIT $2)",
        )
        .await?
        .rows_affected();
        let events = purge(
            "DELETE FROM outbox_event WHERE id IN (SELECT id FROM outbox_event \
             WHERE processed_at < $1 LIMIT $2)",
        )
        .await?
        .rows_affected();
        let received = purge(
            "DELETE FROM received_activity WHERE ap_id IN (SELECT ap_id FROM received_activity \
             WHERE received_at < $1 LIMIT $2)",
        )
        .await?
        .rows_affected();
        Ok(crate::storage::PurgedHistory {
            deliveries,
            payloads,
            events,
            received,
        })
    }

    async fn next_delivery_due(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(query_scalar::<DateTime<Utc>>(
            "SELECT next_attempt_at FROM delivery WHERE delivered_at IS NULL AND failed_at IS NULL \
             ORDER BY next_attempt_at LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?)
    }
}
