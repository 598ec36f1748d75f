//! Activities (https://www.w3.org/TR/activitystreams-vocabulary/#activity-types) and the small
//! objects they point to: a reference by id and type, a `Tombstone`.

use super::{lenient_vec, resource::Agreement};
use serde::{Deserialize, Serialize};

/// The activity types Entraide sends or acts on.
/// https://www.w3.org/TR/activitystreams-vocabulary/#activity-types
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActivityType {
    Create,
    Update,
    Delete,
    Follow,
    Accept,
    Reject,
    Undo,
    Announce,
    /// https://www.w3.org/TR/activitystreams-vocabulary/#dfn-join (Mobilizon's participation)
    Join,
    Leave,
    /// https://www.w3.org/TR/activitystreams-vocabulary/#dfn-offer (FEP-0837 reservations)
    Offer,
    /// https://www.w3.org/TR/activitystreams-vocabulary/#dfn-flag (a report, as Mastodon sends it)
    Flag,
}

impl ActivityType {
    /// The lower-case word in our activity ids (`/activities/accept/<uuid>`).
    pub fn slug(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Follow => "follow",
            Self::Accept => "accept",
            Self::Reject => "reject",
            Self::Undo => "undo",
            Self::Announce => "announce",
            Self::Join => "join",
            Self::Leave => "leave",
            Self::Offer => "offer",
            Self::Flag => "flag",
        }
    }
}

/// An activity of `actor` about `object`, addressed to `to` (and `cc`).
/// https://www.w3.org/TR/activitystreams-core/#activities
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "O: Deserialize<'de>"))]
pub struct Activity<O> {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub actor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, deserialize_with = "lenient_vec")]
    pub to: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cc: Option<Vec<String>>,
    pub object: O,
    /// What an `Accept` of an `Offer` produced: the `Agreement` (FEP-0837).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Box<Agreement>>,
    /// The reason of a `Reject` (or of a cancellation), plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Mobilizon's message with a `Join` (https://docs.joinmobilizon.org/contribute/activity_pub/).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participation_message: Option<String>,
}

impl<O> Activity<O> {
    /// An activity with the fields every one has; the others start empty.
    pub fn new(id: String, kind: ActivityType, actor: &str, to: Vec<String>, object: O) -> Self {
        Self {
            id,
            kind,
            actor: actor.to_string(),
            published: None,
            to,
            cc: None,
            object,
            result: None,
            content: None,
            participation_message: None,
        }
    }

    /// Public: to everyone, copied to `followers`.
    pub fn public(mut self, followers: String) -> Self {
        self.to = vec![super::PUBLIC.to_string()];
        self.cc = Some(vec![followers]);
        self
    }

    /// Dated `published` (RFC 3339).
    pub fn dated(mut self, published: String) -> Self {
        self.published = Some(published);
        self
    }

    /// With a reason (`content`), unless it is empty.
    pub fn with_reason(mut self, reason: &str) -> Self {
        self.content = (!reason.is_empty()).then(|| reason.to_string());
        self
    }
}

impl Activity<String> {
    /// An account's deletion of itself, as Mastodon sends it (`delete_actor_serializer.rb`):
    /// `Delete` with the id `<actor>#delete`, to everyone, whose object is the actor's id.
    pub fn delete_actor(actor_ap_id: &str) -> Self {
        Self::new(
            format!("{actor_ap_id}#delete"),
            ActivityType::Delete,
            actor_ap_id,
            vec![super::PUBLIC.to_string()],
            actor_ap_id.to_string(),
        )
    }
}

/// An object named by id and type, with its actor and object when it is an activity we
/// answer or undo (`{"id", "type": "Join", "actor", "object"}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
}

impl Reference {
    /// `{"id", "type"}`.
    pub fn new(id: &str, kind: &str) -> Self {
        Self {
            id: id.to_string(),
            kind: kind.to_string(),
            actor: None,
            object: None,
        }
    }

    /// An activity by reference: `{"id", "type", "actor"}` (and `object` when given).
    pub fn activity(id: &str, kind: &str, actor: &str, object: Option<&str>) -> Self {
        Self {
            actor: Some(actor.to_string()),
            object: object.map(str::to_string),
            ..Self::new(id, kind)
        }
    }
}

/// What is left of a deleted object. https://www.w3.org/TR/activitystreams-vocabulary/#dfn-tombstone
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: TombstoneType,
    pub former_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<String>,
}

/// The one value of a `Tombstone`'s `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TombstoneType {
    Tombstone,
}

impl Tombstone {
    pub fn new(id: &str, former_type: &str) -> Self {
        Self {
            id: id.to_string(),
            kind: TombstoneType::Tombstone,
            former_type: former_type.to_string(),
            deleted: None,
        }
    }
}

/// What the relay's `Announce` carries: an object's id, or a whole `Delete` (a deleted
/// object cannot be fetched any more).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Announced {
    Id(String),
    Delete(Box<Activity<Tombstone>>),
}
