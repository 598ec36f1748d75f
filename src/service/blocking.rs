//! Slow, memory-hungry work (password hashes, photos) off the async threads, a few at a time,
//! with a bounded queue: past it, the request is refused at once ([`ServiceError::Busy`])
//! instead of waiting with the others while memory and threads run out.

use super::{Result, ServiceError};
use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};
use tokio::sync::Semaphore;

/// At most `at_once` pieces of work run; at most `max_waiting` more wait for their turn.
#[derive(Debug)]
pub struct Gate {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// Counts a waiting request while it waits, even when it is given up (client gone).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Gate {
    pub fn new(at_once: usize, max_waiting: usize) -> Self {
        Gate {
            permits: Arc::new(Semaphore::new(at_once.max(1))),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// A gate sized from the machine: one piece of work per core (`per_core` each, at most
    /// `most`), and `queue_per_slot` waiting per running one.
    pub fn per_core(most: usize, queue_per_slot: usize) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let at_once = cores.clamp(1, most.max(1));
        Gate::new(at_once, at_once * queue_per_slot)
    }

    /// How many wait for their turn now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Runs `work` on the blocking threads when its turn comes; [`ServiceError::Busy`] at once
    /// when the queue is full. The turn is held until the work ends, even if the request that
    /// asked for it is given up meanwhile, so that the bound holds.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(ServiceError::Busy);
                }
                let _waiting = Waiting(&self.waiting);
                self.permits
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|e| ServiceError::Internal(e.to_string()))?
            }
        };
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Held = (
        std::sync::mpsc::Sender<()>,
        tokio::task::JoinHandle<Result<bool>>,
    );

    /// A gate's one turn taken by work that waits for the test's word, and one request
    /// waiting behind it: the word, the first work, the waiting one.
    async fn full(gate: &Arc<Gate>) -> (Held, tokio::task::JoinHandle<Result<i32>>) {
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let g = gate.clone();
        let first = tokio::spawn(async move { g.run(move || hold.recv().is_ok()).await });
        while gate.permits.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let g = gate.clone();
        let second = tokio::spawn(async move { g.run(|| 2).await });
        while gate.waiting() == 0 {
            tokio::task::yield_now().await;
        }
        ((release, first), second)
    }

    #[tokio::test]
    async fn past_its_queue_the_gate_refuses_at_once() {
        let gate = Arc::new(Gate::new(1, 1));
        let ((release, first), second) = full(&gate).await;
        assert!(matches!(gate.run(|| 3).await, Err(ServiceError::Busy)));
        release.send(()).expect("the first work waits");
        assert!(matches!(first.await.expect("joined"), Ok(true)));
        assert!(matches!(second.await.expect("joined"), Ok(2)));
        assert_eq!(gate.waiting(), 0);
        assert!(matches!(gate.run(|| 4).await, Ok(4)), "free again");
    }

    #[tokio::test]
    async fn a_request_given_up_while_waiting_leaves_the_queue() {
        let gate = Arc::new(Gate::new(1, 1));
        let ((release, first), given_up) = full(&gate).await;
        given_up.abort();
        let _ = given_up.await;
        assert_eq!(gate.waiting(), 0);
        release.send(()).expect("the first work waits");
        assert!(matches!(first.await.expect("joined"), Ok(true)));
    }
}
