//! Group commit of the inbox's de-duplication marks.
//!
//! Every activity the inbox accepts first writes a row "this id was received", and the 2xx
//! answer waits for that row to be durable. Written one by one, each row is one transaction,
//! hence one commit (on PostgreSQL with `synchronous_commit`, one flush of the write-ahead log)
//! per activity. Here the marks of all the requests that arrive while a commit is under way are
//! written together, in one transaction, and each request gets its own answer once that
//! transaction has committed: the same guarantee, a fraction of the commits.
//!
//! Two marks for the same id in one group: the first is the new one, the others are
//! duplicates, as they would be one after the other. A group whose write fails is written
//! again mark by mark, so one bad row costs only its own request.

use super::{Result, StoreError};
use chrono::{DateTime, Utc};
use std::{collections::HashSet, future::Future, pin::Pin, sync::Arc};
use tokio::sync::{mpsc, oneshot};

/// A mark to write: the activity's id and when it arrived.
pub type Mark = (String, DateTime<Utc>);

/// Writes marks in one transaction; answers, for each, whether it was new.
pub type Flush =
    Arc<dyn Fn(Vec<Mark>) -> Pin<Box<dyn Future<Output = Result<Vec<bool>>> + Send>> + Send + Sync>;

type Pending = (Mark, oneshot::Sender<Result<bool>>);

/// How many marks one transaction writes at most.
const MAX_GROUP: usize = 512;

/// The writer task's handle. Dropping every clone ends the task.
#[derive(Clone)]
pub struct GroupCommit {
    tx: mpsc::Sender<Pending>,
}

impl GroupCommit {
    /// Starts the writer on the current tokio runtime.
    pub fn start(flush: Flush) -> Self {
        let (tx, mut rx) = mpsc::channel::<Pending>(4 * MAX_GROUP);
        tokio::spawn(async move {
            let mut group = Vec::with_capacity(MAX_GROUP);
            while rx.recv_many(&mut group, MAX_GROUP).await > 0 {
                write_group(&flush, std::mem::take(&mut group)).await;
            }
        });
        Self { tx }
    }

    /// Records that `ap_id` was received; `true` if it is new. Returns once the mark is
    /// committed.
    pub async fn record(&self, ap_id: &str, now: DateTime<Utc>) -> Result<bool> {
        let (answer, answered) = oneshot::channel();
        self.tx
            .send(((ap_id.to_string(), now), answer))
            .await
            .map_err(|_| stopped())?;
        answered.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    StoreError::Db(sqlx::Error::PoolClosed)
}

async fn write_group(flush: &Flush, group: Vec<Pending>) {
    // Within the group, an id already seen is a duplicate of the earlier request.
    let mut seen = HashSet::with_capacity(group.len());
    let mut marks = Vec::with_capacity(group.len());
    let mut waiting = Vec::with_capacity(group.len());
    for (mark, answer) in group {
        if seen.insert(mark.0.clone()) {
            marks.push(mark);
            waiting.push(answer);
        } else {
            let _ = answer.send(Ok(false));
        }
    }
    if marks.len() > 1 {
        if let Ok(news) = flush(marks.clone()).await {
            if news.len() == waiting.len() {
                for (answer, new) in waiting.into_iter().zip(news) {
                    let _ = answer.send(Ok(new));
                }
                return;
            }
        }
    }
    // One mark, or a group that failed: each on its own, with its own error.
    for (mark, answer) in marks.into_iter().zip(waiting) {
        let result = flush(vec![mark])
            .await
            .and_then(|news| news.first().copied().ok_or_else(stopped));
        let _ = answer.send(result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// The ids stored, and the size of each transaction.
    type Memory = Arc<Mutex<(HashSet<String>, Vec<usize>)>>;

    /// A store in memory that remembers each transaction's size, failing those that hold
    /// `"bad"`.
    fn memory() -> (Flush, Memory) {
        let state = Arc::new(Mutex::new((HashSet::new(), Vec::new())));
        let s = state.clone();
        let flush: Flush = Arc::new(move |marks: Vec<Mark>| {
            let s = s.clone();
            Box::pin(async move {
                tokio::task::yield_now().await;
                let mut s = s.lock().expect("lock");
                s.1.push(marks.len());
                if marks.iter().any(|m| m.0 == "bad") {
                    return Err(StoreError::Corrupt("bad row".into()));
                }
                Ok(marks.into_iter().map(|m| s.0.insert(m.0)).collect())
            })
        });
        (flush, state)
    }

    #[tokio::test]
    async fn concurrent_marks_are_grouped_and_each_answered() {
        let (flush, state) = memory();
        let marks = GroupCommit::start(flush);
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2030, 6, 1, 9, 0, 0)
            .single()
            .expect("valid");
        let mut tasks = Vec::new();
        // 200 requests at once, 50 of them repeating an id: 150 new, 50 duplicates.
        for i in 0..200 {
            let marks = marks.clone();
            tasks.push(tokio::spawn(async move {
                marks
                    .record(&format!("https://r.example/{}", i % 150), now)
                    .await
            }));
        }
        let mut new = 0;
        for t in tasks {
            if t.await.expect("task").expect("recorded") {
                new += 1;
            }
        }
        assert_eq!(new, 150);
        let (stored, transactions) = {
            let s = state.lock().expect("lock");
            (s.0.len(), s.1.len())
        };
        assert_eq!(stored, 150);
        assert!(
            transactions < 150,
            "marks were written one by one: {transactions} transactions"
        );
        assert!(!marks.record("https://r.example/3", now).await.expect("ok"));
    }

    #[tokio::test]
    async fn a_bad_mark_fails_alone() {
        let (flush, state) = memory();
        let marks = GroupCommit::start(flush);
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2030, 6, 1, 9, 0, 0)
            .single()
            .expect("valid");
        let (a, bad, b) = tokio::join!(
            marks.record("https://r.example/a", now),
            marks.record("bad", now),
            marks.record("https://r.example/b", now),
        );
        assert!(a.expect("a recorded"));
        assert!(b.expect("b recorded"));
        assert!(matches!(bad, Err(StoreError::Corrupt(_))));
        assert_eq!(state.lock().expect("lock").0.len(), 2);
    }
}
