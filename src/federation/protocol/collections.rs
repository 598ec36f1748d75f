//! Ordered collections: followers (a count), following, an actor's outbox, a resource's busy
//! periods. https://www.w3.org/TR/activitystreams-vocabulary/#dfn-orderedcollection

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct OrderedCollection<T> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: CollectionType,
    pub total_items: u64,
    /// Absent when only the count is public (followers, as on Mastodon).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_items: Option<Vec<T>>,
}

/// The one value of an `OrderedCollection`'s `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CollectionType {
    OrderedCollection,
}

impl<T> OrderedCollection<T> {
    /// A collection showing its items.
    pub fn of(id: String, items: Vec<T>) -> Self {
        Self {
            id,
            kind: CollectionType::OrderedCollection,
            total_items: items.len() as u64,
            ordered_items: Some(items),
        }
    }

    /// A collection showing only how many items it has.
    pub fn count(id: String, total: u64) -> Self {
        Self {
            id,
            kind: CollectionType::OrderedCollection,
            total_items: total,
            ordered_items: None,
        }
    }
}
