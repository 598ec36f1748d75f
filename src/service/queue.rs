//! The federation delivery queue as operators see it: how many deliveries are pending, were
//! delivered, or failed for good. The queue itself is worked by `federation::delivery`.

use super::Result;
use crate::storage::FederationStore;

pub use crate::storage::QueueStats;

/// The delivery queue's counts.
pub async fn stats(store: &dyn FederationStore) -> Result<QueueStats> {
    Ok(store.queue_stats().await?)
}
