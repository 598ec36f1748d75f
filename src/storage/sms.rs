//! Text messages (issue 16): people's phone numbers and consent, coordinators' messages with
//! what each person received, and the SMS queue (leased and retried like emails; `dedupe_key`
//! makes each SMS recorded once, so a message handled twice or a process killed mid-way sends
//! nothing twice), with the associations' daily caps.

use super::db::{query, query_as, query_scalar, Tx};
use super::lease_queue::{LeaseQueue, Next, RetryQueue};
pub use super::sms_batch::{CappedSms, LogLine, MassMessage, NewMassMessage, Recorded, SmsBatch};
use super::{Result, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A person's phone number and what they consented to.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PhoneContact {
    pub user_id: i64,
    /// E.164.
    pub number: String,
    /// The hash of the confirmation code that waits, if one does.
    pub code_hash: Option<String>,
    pub code_expires_at: Option<DateTime<Utc>>,
    pub code_tries: i64,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Coordinators' messages by SMS.
    pub messages: bool,
    /// Reminders of a slot the day before by SMS.
    pub reminders: bool,
    pub stopped_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// One SMS to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSms {
    /// The association (or the node's own actor, for a référent's proposal) whose daily cap
    /// it counts against (`None`: a confirmation code).
    pub actor_id: Option<i64>,
    pub user_id: Option<i64>,
    /// `code`, `message`, `reminder` or `help_proposal`.
    pub kind: String,
    /// E.164.
    pub recipient: String,
    pub body: String,
    pub parts: i64,
    pub dedupe_key: String,
}

/// An SMS as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Sms {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub mass_message_id: Option<i64>,
    pub user_id: Option<i64>,
    pub kind: String,
    pub recipient: String,
    pub body: String,
    pub parts: i64,
    /// `pending`, `sent`, `failed`, `refused`, `capped` or `stopped`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub dedupe_key: String,
}

/// How an SMS attempt ended when it did not go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsFailure {
    /// Try again at this time.
    Retry(DateTime<Utc>),
    /// Too many attempts: given up.
    GiveUp,
    /// The gateway refused this number: never again.
    Refused,
}

/// Who stops receiving SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopBy<'a> {
    User(i64),
    /// Every account with this number (a STOP reply names only the number).
    Number(&'a str),
}

/// Phone numbers, consent, messages and the SMS queue.
#[async_trait]
pub trait SmsStore: Send + Sync {
    async fn phone_contact(&self, user_id: i64) -> Result<Option<PhoneContact>>;
    /// The contacts of these users (any state), in one read.
    async fn phone_contacts(&self, user_ids: &[i64]) -> Result<Vec<PhoneContact>>;
    /// Sets a person's number (unconfirmed again when it changes) with a new code, and queues
    /// the SMS carrying it, in one transaction.
    async fn set_phone(
        &self,
        user_id: i64,
        number: &str,
        code_hash: &str,
        code_expires_at: DateTime<Utc>,
        code_sms: NewSms,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// A code was typed: right (the number is confirmed, the code spent) or wrong (one try
    /// more).
    async fn record_code_outcome(
        &self,
        user_id: i64,
        right: bool,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Which SMS the person wants; choosing any clears an earlier STOP. False when they gave
    /// no number.
    async fn set_phone_choices(
        &self,
        user_id: i64,
        messages: bool,
        reminders: bool,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// STOP: no message nor reminder by SMS any more, and those waiting are not sent; by
    /// number, the requests for help that chose SMS go back to a call. Returns how many
    /// accounts it stopped.
    async fn stop_phone(&self, by: StopBy<'_>, now: DateTime<Utc>) -> Result<usize>;
    /// The association's daily cap (its own, else `default_cap`) and the parts used since
    /// `day_start`.
    async fn sms_allowance(
        &self,
        actor_id: i64,
        day_start: DateTime<Utc>,
        default_cap: i64,
    ) -> Result<(i64, i64)>;
    /// The administrator's cap for an association (`None`: back to the default).
    async fn set_sms_cap(&self, actor_id: i64, cap: Option<i64>) -> Result<()>;
    /// Records a batch in one transaction (see [`SmsBatch`]).
    async fn record_sms_batch(&self, batch: SmsBatch, now: DateTime<Utc>) -> Result<Recorded>;
    /// Leases SMS that are due, as emails are leased.
    async fn claim_sms(
        &self,
        limit: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Sms>>;
    async fn mark_sms_sent(&self, id: i64, now: DateTime<Utc>) -> Result<()>;
    async fn mark_sms_failed(&self, id: i64, error: &str, failure: SmsFailure) -> Result<()>;
    /// A coordinator's message and who received it by which channel.
    async fn message_log(&self, message_id: i64) -> Result<Option<(MassMessage, Vec<LogLine>)>>;
    /// SMS to one number, oldest first (the log of a person, tests).
    async fn sms_to(&self, recipient: &str, limit: i64) -> Result<Vec<Sms>>;
}

type ContactRow = (
    i64,
    String,
    Option<String>,
    Option<DateTime<Utc>>,
    i64,
    Option<DateTime<Utc>>,
    bool,
    bool,
    Option<DateTime<Utc>>,
    DateTime<Utc>,
);

const CONTACT_COLS: &str = "user_id, number, code_hash, code_expires_at, code_tries, \
     confirmed_at, messages, reminders, stopped_at, updated_at";

fn contact(r: ContactRow) -> PhoneContact {
    PhoneContact {
        user_id: r.0,
        number: r.1,
        code_hash: r.2,
        code_expires_at: r.3,
        code_tries: r.4,
        confirmed_at: r.5,
        messages: r.6,
        reminders: r.7,
        stopped_at: r.8,
        updated_at: r.9,
    }
}

type SmsRow = (
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    String,
    String,
    String,
    i64,
    String,
    i64,
    Option<String>,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    String,
);

const SMS_COLS: &str = "id, actor_id, mass_message_id, user_id, kind, recipient, body, parts, \
     status, attempts, last_error, next_attempt_at, created_at, sent_at, dedupe_key";

/// The SMS the worker leases, tries and retries, as emails.
const QUEUE: RetryQueue = RetryQueue {
    lease: LeaseQueue {
        table: "sms_message",
        waiting: "status = 'pending' AND next_attempt_at <= $1",
        order: "next_attempt_at, id",
        columns: SMS_COLS,
    },
    sent: "status = 'sent', sent_at = $2, last_error = NULL",
    given_up: "status",
};

fn sms(r: SmsRow) -> Sms {
    Sms {
        id: r.0,
        actor_id: r.1,
        mass_message_id: r.2,
        user_id: r.3,
        kind: r.4,
        recipient: r.5,
        body: r.6,
        parts: r.7,
        status: r.8,
        attempts: r.9,
        last_error: r.10,
        next_attempt_at: r.11,
        created_at: r.12,
        sent_at: r.13,
        dedupe_key: r.14,
    }
}

/// Queues one SMS unless its key is known; true when it was new.
pub(super) async fn insert_sms(
    tx: &mut Tx,
    s: &NewSms,
    mass_message_id: Option<i64>,
    status: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(query(
        "INSERT INTO sms_message (actor_id, mass_message_id, user_id, kind, recipient, body, \
         parts, status, attempts, next_attempt_at, created_at, dedupe_key) VALUES ($1, $2, $3, \
         $4, $5, $6, $7, $8, 0, $9, $9, $10) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(s.actor_id)
    .bind(mass_message_id)
    .bind(s.user_id)
    .bind(s.kind.as_str())
    .bind(s.recipient.as_str())
    .bind(s.body.as_str())
    .bind(s.parts)
    .bind(status)
    .bind(now)
    .bind(s.dedupe_key.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0)
}

/// Parts used by an association since `since` (what was queued, sent or tried; not what the
/// cap or a STOP held back).
pub(super) async fn used_since(tx: &mut Tx, actor_id: i64, since: DateTime<Utc>) -> Result<i64> {
    Ok(query_scalar::<i64>(
        "SELECT CAST(COALESCE(SUM(parts), 0) AS BIGINT) FROM sms_message WHERE actor_id = $1 \
         AND created_at >= $2 AND status IN ('pending', 'sent', 'failed', 'refused')",
    )
    .bind(actor_id)
    .bind(since)
    .fetch_one(&mut *tx)
    .await?)
}

pub(super) async fn cap_of(tx: &mut Tx, actor_id: i64, default_cap: i64) -> Result<i64> {
    Ok(
        query_scalar::<i64>("SELECT daily_cap FROM sms_cap WHERE actor_id = $1")
            .bind(actor_id)
            .fetch_optional(&mut *tx)
            .await?
            .unwrap_or(default_cap),
    )
}

#[async_trait]
impl SmsStore for SqlStore {
    async fn phone_contact(&self, user_id: i64) -> Result<Option<PhoneContact>> {
        let sql = format!("SELECT {CONTACT_COLS} FROM phone_contact WHERE user_id = $1");
        Ok(query_as::<ContactRow>(&sql)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?
            .map(contact))
    }

    async fn phone_contacts(&self, user_ids: &[i64]) -> Result<Vec<PhoneContact>> {
        let cols = CONTACT_COLS;
        let sql = |list: &str| format!("SELECT {cols} FROM phone_contact WHERE user_id IN {list}");
        let mut rows = super::db::fetch_all_in::<ContactRow, _>(
            &self.pool,
            user_ids,
            sql,
            super::db::Arg::from,
        )
        .await?;
        rows.sort_by_key(|r| r.0);
        Ok(rows.into_iter().map(contact).collect())
    }

    async fn set_phone(
        &self,
        user_id: i64,
        number: &str,
        code_hash: &str,
        code_expires_at: DateTime<Utc>,
        code_sms: NewSms,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.pool.begin_write().await?;
        // A new number is unconfirmed and chosen for nothing; the same number keeps its
        // choices and gets a new code.
        query(
            "INSERT INTO phone_contact (user_id, number, code_hash, code_expires_at, code_tries, \
             messages, reminders, updated_at) VALUES ($1, $2, $3, $4, 0, FALSE, FALSE, $5) \
             ON CONFLICT (user_id) DO UPDATE SET code_hash = $3, code_expires_at = $4, \
             code_tries = 0, updated_at = $5, \
             confirmed_at = CASE WHEN phone_contact.number = $2 THEN phone_contact.confirmed_at \
             ELSE NULL END, \
             messages = CASE WHEN phone_contact.number = $2 THEN phone_contact.messages \
             ELSE FALSE END, \
             reminders = CASE WHEN phone_contact.number = $2 THEN phone_contact.reminders \
             ELSE FALSE END, \
             number = $2",
        )
        .bind(user_id)
        .bind(number)
        .bind(code_hash)
        .bind(code_expires_at)
        .bind(now)
        .execute(&mut tx)
        .await?;
        insert_sms(&mut tx, &code_sms, None, "pending", now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn record_code_outcome(
        &self,
        user_id: i64,
        right: bool,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let sql = if right {
            "UPDATE phone_contact SET confirmed_at = $2, code_hash = NULL, code_expires_at = NULL, \
             code_tries = 0, updated_at = $2 WHERE user_id = $1"
        } else {
            "UPDATE phone_contact SET code_tries = code_tries + 1, updated_at = $2 \
             WHERE user_id = $1"
        };
        let done = query(sql)
            .bind(user_id)
            .bind(now)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(super::StoreError::NotFound("phone number"));
        }
        Ok(())
    }

    async fn set_phone_choices(
        &self,
        user_id: i64,
        messages: bool,
        reminders: bool,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let done = query(
            "UPDATE phone_contact SET messages = $2, reminders = $3, updated_at = $4, \
             stopped_at = CASE WHEN $2 OR $3 THEN NULL ELSE stopped_at END WHERE user_id = $1",
        )
        .bind(user_id)
        .bind(messages)
        .bind(reminders)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn stop_phone(&self, by: StopBy<'_>, now: DateTime<Utc>) -> Result<usize> {
        let mut tx = self.pool.begin_write().await?;
        let (filter, arg): (&str, super::db::Arg<'_>) = match by {
            StopBy::User(id) => ("user_id = $1", id.into()),
            StopBy::Number(n) => ("number = $1", n.into()),
        };
        let mut numbers =
            query_scalar::<String>(&format!("SELECT number FROM phone_contact WHERE {filter}"))
                .bind(arg.clone())
                .fetch_all(&mut tx)
                .await?;
        if let StopBy::Number(n) = by {
            // A person who asked for help by SMS, with or without an account: called from
            // now on, and what waits for the number is not sent.
            query("UPDATE help_request SET channel = 'phone' WHERE phone = $1 AND channel = 'sms'")
                .bind(n)
                .execute(&mut tx)
                .await?;
            if !numbers.iter().any(|m| m == n) {
                numbers.push(n.to_string());
            }
        }
        let stopped = query(&format!(
            "UPDATE phone_contact SET messages = FALSE, reminders = FALSE, stopped_at = $2, \
             updated_at = $2 WHERE {filter}"
        ))
        .bind(arg)
        .bind(now)
        .execute(&mut tx)
        .await?
        .rows_affected();
        for number in &numbers {
            query(
                "UPDATE sms_message SET status = 'stopped', locked_until = NULL WHERE \
                 recipient = $1 AND status = 'pending' AND kind <> 'code'",
            )
            .bind(number.as_str())
            .execute(&mut tx)
            .await?;
        }
        tx.commit().await?;
        Ok(stopped as usize)
    }

    async fn sms_allowance(
        &self,
        actor_id: i64,
        day_start: DateTime<Utc>,
        default_cap: i64,
    ) -> Result<(i64, i64)> {
        let mut tx = self.pool.begin_write().await?;
        let cap = cap_of(&mut tx, actor_id, default_cap).await?;
        let used = used_since(&mut tx, actor_id, day_start).await?;
        tx.commit().await?;
        Ok((cap, used))
    }

    async fn set_sms_cap(&self, actor_id: i64, cap: Option<i64>) -> Result<()> {
        match cap {
            Some(cap) => query(
                "INSERT INTO sms_cap (actor_id, daily_cap) VALUES ($1, $2) ON CONFLICT \
                 (actor_id) DO UPDATE SET daily_cap = $2",
            )
            .bind(actor_id)
            .bind(cap)
            .execute(&self.pool)
            .await
            .map_err(super::shared::conflict("association"))?,
            None => {
                query("DELETE FROM sms_cap WHERE actor_id = $1")
                    .bind(actor_id)
                    .execute(&self.pool)
                    .await?
            }
        };
        Ok(())
    }

    async fn record_sms_batch(&self, batch: SmsBatch, now: DateTime<Utc>) -> Result<Recorded> {
        super::sms_batch::record(&self.pool, batch, now).await
    }

    async fn claim_sms(
        &self,
        limit: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Sms>> {
        let rows = QUEUE
            .lease
            .claim::<SmsRow>(&self.pool, limit, now, lease_until, |r| r.0)
            .await?;
        Ok(rows.into_iter().map(sms).collect())
    }

    async fn mark_sms_sent(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        QUEUE.sent(&self.pool, id, now).await
    }

    async fn mark_sms_failed(&self, id: i64, error: &str, failure: SmsFailure) -> Result<()> {
        let next = match failure {
            SmsFailure::Retry(at) => Next::RetryAt(at),
            SmsFailure::GiveUp => Next::GiveUp("failed".into()),
            SmsFailure::Refused => Next::GiveUp("refused".into()),
        };
        QUEUE.failed(&self.pool, id, error, next).await
    }

    async fn message_log(&self, message_id: i64) -> Result<Option<(MassMessage, Vec<LogLine>)>> {
        super::sms_batch::log(&self.pool, message_id).await
    }

    async fn sms_to(&self, recipient: &str, limit: i64) -> Result<Vec<Sms>> {
        let sql =
            format!("SELECT {SMS_COLS} FROM sms_message WHERE recipient = $1 ORDER BY id LIMIT $2");
        Ok(query_as::<SmsRow>(&sql)
            .bind(recipient)
            .bind(limit)
            .fetch_all_map(&self.pool, sms)
            .await?)
    }
}
