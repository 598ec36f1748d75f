//! The leased queues: outbox events, deliveries, emails (`notification`) and SMS
//! (`sms_message`) are rows that a worker claims for a while (`locked_until`), works on, then
//! marks. A killed worker's rows come back when their lease ends; a row is leased to one worker
//! at a time.
//!
//! **Claims.** SQLite has one writer at a time: a plain `UPDATE … RETURNING` claims rows
//! atomically. On PostgreSQL several processes may claim at once: `FOR UPDATE SKIP LOCKED`
//! hands each row to exactly one of them.
//!
//! **Attempts** ([`RetryQueue`]: deliveries, emails, SMS). Each try counts in `attempts` and
//! frees the lease: a success marks the row sent, a failure either waits for `next_attempt_at`
//! (the worker's backoff, `domain::retry`) with its `last_error`, or gives the row up.

use super::db::{query, query_as, Arg, Dialect, Exec, Pool, Row};
use super::Result;
use chrono::{DateTime, Utc};

/// How long a failure's error text is kept, in characters.
const ERROR_CHARS: usize = 1000;

/// A table whose rows workers lease.
pub(super) struct LeaseQueue {
    /// The table; its rows have `id` and `locked_until`.
    pub table: &'static str,
    /// What a row waiting to be claimed satisfies, besides a free lease (`$1` is now).
    pub waiting: &'static str,
    /// The order rows are claimed in.
    pub order: &'static str,
    /// The columns a claim returns.
    pub columns: &'static str,
}

impl LeaseQueue {
    fn claim_sql(&self, dialect: Dialect) -> String {
        let LeaseQueue {
            table,
            waiting,
            order,
            columns,
        } = self;
        format!(
            "UPDATE {table} SET locked_until = $2 WHERE id IN (SELECT id FROM {table} WHERE \
             {waiting} AND (locked_until IS NULL OR locked_until < $1) ORDER BY {order} \
             LIMIT $3{}) RETURNING {columns}",
            dialect.skip_locked()
        )
    }

    /// Leases at most `limit` waiting rows until `lease_until`; they come in `id` order.
    pub async fn claim<R: Row>(
        &self,
        pool: &Pool,
        limit: i64,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        id: impl Fn(&R) -> i64,
    ) -> Result<Vec<R>> {
        let mut rows = query_as::<R>(&self.claim_sql(pool.dialect()))
            .bind(now)
            .bind(lease_until)
            .bind(limit)
            .fetch_all(pool)
            .await?;
        rows.sort_by_key(id);
        Ok(rows)
    }
}

/// A leased queue whose rows are tried until they go or are given up (`attempts`,
/// `next_attempt_at`, `last_error`).
pub(super) struct RetryQueue {
    pub lease: LeaseQueue,
    /// What marks a row sent (`$2` is now).
    pub sent: &'static str,
    /// The column that marks a row given up, set to [`Next::GiveUp`]'s value.
    pub given_up: &'static str,
}

impl RetryQueue {
    /// The row went: marked sent, the attempt counted, the lease freed.
    pub async fn sent<'e>(
        &self,
        ex: impl Into<Exec<'e>>,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let sql = format!(
            "UPDATE {} SET {}, attempts = attempts + 1, locked_until = NULL WHERE id = $1",
            self.lease.table, self.sent
        );
        query(&sql).bind(id).bind(now).execute(ex).await?;
        Ok(())
    }

    /// The row did not go: tried again later, or given up (see [`Next`]). The attempt is
    /// counted, the error kept (its first thousand characters), the lease freed.
    pub async fn failed<'e>(
        &self,
        ex: impl Into<Exec<'e>>,
        id: i64,
        error: &str,
        next: Next<'_>,
    ) -> Result<()> {
        let error: String = error.chars().take(ERROR_CHARS).collect();
        let table = self.lease.table;
        let (sql, value) = match next {
            Next::RetryAt(at) => (
                format!(
                    "UPDATE {table} SET attempts = attempts + 1, last_error = $2, \
                     next_attempt_at = $3, locked_until = NULL WHERE id = $1"
                ),
                Arg::from(at),
            ),
            Next::GiveUp(value) => (
                format!(
                    "UPDATE {table} SET {} = $3, attempts = attempts + 1, last_error = $2, \
                     locked_until = NULL WHERE id = $1",
                    self.given_up
                ),
                value,
            ),
        };
        query(&sql)
            .bind(id)
            .bind(error.as_str())
            .bind(value)
            .execute(ex)
            .await?;
        Ok(())
    }
}

/// What becomes of a row that did not go.
pub(super) enum Next<'q> {
    /// Tried again from this time.
    RetryAt(DateTime<Utc>),
    /// Never again: the queue's given-up column takes this value (a status, a time).
    GiveUp(Arg<'q>),
}

impl<'q> Next<'q> {
    /// Again at `at`, or, when there is none, given up with `given_up`.
    pub fn retry_or(at: Option<DateTime<Utc>>, given_up: impl Into<Arg<'q>>) -> Next<'q> {
        match at {
            Some(at) => Next::RetryAt(at),
            None => Next::GiveUp(given_up.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUEUE: LeaseQueue = LeaseQueue {
        table: "t",
        waiting: "done_at IS NULL",
        order: "id",
        columns: "id, body",
    };

    #[test]
    fn only_postgres_skips_locked_rows() {
        assert_eq!(
            QUEUE.claim_sql(Dialect::Sqlite),
            "UPDATE t SET locked_until = $2 WHERE id IN (SELECT id FROM t WHERE done_at IS NULL \
             AND (locked_until IS NULL OR locked_until < $1) ORDER BY id LIMIT $3) RETURNING \
             id, body"
        );
        assert!(QUEUE
            .claim_sql(Dialect::Postgres)
            .contains("ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING id, body"));
    }
}
