//! Recording a coordinator's message (or a reminder scan's notices) with its SMS under the
//! association's daily cap, in one transaction, and reading back what each person received.

use super::db::{query, query_as, query_scalar, Dialect, Pool, Tx};
use super::notifications::{insert_notification, NewNotification};
use super::sms::{cap_of, insert_sms, used_since, NewSms};
use super::Result;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The prefix of the notices' keys of a coordinator's message: `mass:<request_key>:`.
pub fn notice_prefix(request_key: &str) -> String {
    format!("mass:{request_key}:")
}

/// A coordinator's message.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMassMessage {
    pub actor_id: i64,
    pub author_id: i64,
    /// `slot`, `mission` or `association`.
    pub scope: String,
    pub scope_id: i64,
    pub body: String,
    /// The form's key: a message sent again under it is the same one.
    pub request_key: String,
}

/// A coordinator's message as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MassMessage {
    pub id: i64,
    pub actor_id: i64,
    pub author_id: Option<i64>,
    pub scope: String,
    pub scope_id: i64,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub request_key: String,
}

/// Notices and SMS recorded together, under one association's daily cap.
#[derive(Debug, Clone, PartialEq)]
pub struct SmsBatch {
    /// The coordinator's message they carry, if any.
    pub message: Option<NewMassMessage>,
    pub notices: Vec<NewNotification>,
    pub sms: Vec<NewSms>,
    /// When the association's day began (SMS created since count against the cap).
    pub day_start: DateTime<Utc>,
    /// The cap when the administrator set none for the association.
    pub default_cap: i64,
    /// Refuse the whole batch when its SMS pass the cap (a coordinator's message, who can
    /// choose again), or record those past it as `capped` (reminders, which must not stop
    /// the emails).
    pub all_or_nothing: bool,
}

/// One SMS recorded with something else (a référent's proposal), under its sender's daily
/// cap: queued when the cap leaves room, else kept as `capped` (in the log, never sent).
#[derive(Debug, Clone, PartialEq)]
pub struct CappedSms {
    /// `actor_id` names whose cap it counts against (the node's own actor for a proposal).
    pub sms: NewSms,
    pub day_start: DateTime<Utc>,
    pub default_cap: i64,
}

/// Queues `c` in `tx` under its cap; true when it will be sent (new and within the cap).
pub(super) async fn queue_under_cap(
    tx: &mut Tx,
    c: &CappedSms,
    now: DateTime<Utc>,
) -> Result<bool> {
    let status = match c.sms.actor_id {
        None => "pending",
        Some(actor) => {
            if tx.dialect() == Dialect::Postgres {
                query("SELECT id FROM actor WHERE id = $1 FOR UPDATE")
                    .bind(actor)
                    .execute(&mut *tx)
                    .await?;
            }
            let cap = cap_of(tx, actor, c.default_cap).await?;
            let used = used_since(tx, actor, c.day_start).await?;
            if used + c.sms.parts <= cap {
                "pending"
            } else {
                "capped"
            }
        }
    };
    Ok(insert_sms(tx, &c.sms, None, status, now).await? && status == "pending")
}

/// What recording a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Done {
        /// The coordinator's message (the earlier one when its key was known).
        message_id: Option<i64>,
        /// SMS new and queued (not capped).
        sms: usize,
        notices: usize,
    },
    /// Nothing recorded: the SMS would pass the cap; so many parts were left today.
    OverCap { left: i64 },
}

/// One line of a message's log: who received it, by which channel, how it went.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LogLine {
    /// `email`, `fediverse` or `sms`.
    pub channel: String,
    pub recipient: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

pub(super) async fn record(pool: &Pool, batch: SmsBatch, now: DateTime<Utc>) -> Result<Recorded> {
    let mut tx = pool.begin_write().await?;
    let mut message_id = None;
    if let Some(m) = &batch.message {
        let known = query_scalar::<i64>("SELECT id FROM mass_message WHERE request_key = $1")
            .bind(m.request_key.as_str())
            .fetch_optional(&mut tx)
            .await?;
        if let Some(id) = known {
            tx.rollback().await?;
            return Ok(Recorded::Done {
                message_id: Some(id),
                sms: 0,
                notices: 0,
            });
        }
        message_id = Some(
            query_scalar::<i64>(
                "INSERT INTO mass_message (actor_id, author_id, scope, scope_id, body, created_at, \
                 request_key) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(m.actor_id)
            .bind(m.author_id)
            .bind(m.scope.as_str())
            .bind(m.scope_id)
            .bind(m.body.as_str())
            .bind(now)
            .bind(m.request_key.as_str())
            .fetch_one(&mut tx)
            .await?,
        );
    }
    // (cap, used) per association, read once, the association locked on PostgreSQL so two
    // batches at once count each other (SQLite has one writer at a time).
    let mut allowance: HashMap<i64, (i64, i64)> = HashMap::new();
    let mut new_sms = 0;
    for s in &batch.sms {
        let status = match s.actor_id {
            None => "pending",
            Some(actor) => {
                if let std::collections::hash_map::Entry::Vacant(slot) = allowance.entry(actor) {
                    if tx.dialect() == Dialect::Postgres {
                        query("SELECT id FROM actor WHERE id = $1 FOR UPDATE")
                            .bind(actor)
                            .execute(&mut tx)
                            .await?;
                    }
                    let cap = cap_of(&mut tx, actor, batch.default_cap).await?;
                    let used = used_since(&mut tx, actor, batch.day_start).await?;
                    slot.insert((cap, used));
                }
                let (cap, used) = allowance.get(&actor).copied().unwrap_or_default();
                let known = query_scalar::<i64>("SELECT id FROM sms_message WHERE dedupe_key = $1")
                    .bind(s.dedupe_key.as_str())
                    .fetch_optional(&mut tx)
                    .await?
                    .is_some();
                if known {
                    continue;
                }
                if used + s.parts <= cap {
                    allowance.insert(actor, (cap, used + s.parts));
                    "pending"
                } else if batch.all_or_nothing {
                    tx.rollback().await?;
                    let left = allowance_left(pool, actor, &batch).await?;
                    return Ok(Recorded::OverCap { left });
                } else {
                    "capped"
                }
            }
        };
        if insert_sms(&mut tx, s, message_id, status, now).await? && status == "pending" {
            new_sms += 1;
        }
    }
    let mut notices = 0;
    for n in &batch.notices {
        if insert_notification(&mut tx, n, now).await? {
            notices += 1;
        }
    }
    tx.commit().await?;
    Ok(Recorded::Done {
        message_id,
        sms: new_sms,
        notices,
    })
}

/// Parts left today for an association (after a refused batch, read again on its own).
async fn allowance_left(pool: &Pool, actor: i64, batch: &SmsBatch) -> Result<i64> {
    let mut tx = pool.begin_write().await?;
    let cap = cap_of(&mut tx, actor, batch.default_cap).await?;
    let used = used_since(&mut tx, actor, batch.day_start).await?;
    tx.commit().await?;
    Ok((cap - used).max(0))
}

type MessageRow = (
    i64,
    i64,
    Option<i64>,
    String,
    i64,
    String,
    DateTime<Utc>,
    String,
);
type LineRow = (
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<DateTime<Utc>>,
);

pub(super) async fn log(
    pool: &Pool,
    message_id: i64,
) -> Result<Option<(MassMessage, Vec<LogLine>)>> {
    let Some(m) = query_as::<MessageRow>(
        "SELECT id, actor_id, author_id, scope, scope_id, body, created_at, request_key FROM \
         mass_message WHERE id = $1",
    )
    .bind(message_id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let message = MassMessage {
        id: m.0,
        actor_id: m.1,
        author_id: m.2,
        scope: m.3,
        scope_id: m.4,
        body: m.5,
        created_at: m.6,
        request_key: m.7,
    };
    let prefix = notice_prefix(&message.request_key);
    let mut rows = query_as::<LineRow>(
        "SELECT channel, recipient, status, attempts, last_error, sent_at FROM notification \
         WHERE SUBSTR(dedupe_key, 1, CAST($2 AS INTEGER)) = $1 ORDER BY id",
    )
    .bind(prefix.as_str())
    .bind(prefix.chars().count() as i64)
    .fetch_all(pool)
    .await?;
    rows.extend(
        query_as::<LineRow>(
            "SELECT 'sms', recipient, status, attempts, last_error, sent_at FROM sms_message \
             WHERE mass_message_id = $1 ORDER BY id",
        )
        .bind(message_id)
        .fetch_all(pool)
        .await?,
    );
    let lines = rows
        .into_iter()
        .map(|r| LogLine {
            channel: r.0,
            recipient: r.1,
            status: r.2,
            attempts: r.3,
            last_error: r.4,
            sent_at: r.5,
        })
        .collect();
    Ok(Some((message, lines)))
}
