//! Every activity the inbox accepts, parsed once from the verified body into [`Incoming`] and
//! dispatched by `match`. Lenient as peers are: the actor and the object may be ids or
//! embedded objects, `type` a string or an array; unknown types are kept as
//! [`Incoming::Other`] and answered like the others (accepted, no effect).

use super::{type_of, ActivityType, ObjectRef};
use serde_json::Value;
use url::Url;

/// An incoming activity, by type. https://www.w3.org/TR/activitystreams-vocabulary/#activity-types
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Follow(Envelope),
    Undo(Envelope),
    Accept(Envelope),
    Reject(Envelope),
    Create(Envelope),
    Update(Envelope),
    Delete(Envelope),
    Announce(Envelope),
    Join(Envelope),
    Leave(Envelope),
    Offer(Envelope),
    /// A report from another server (Mastodon's `Flag`).
    Flag(Envelope),
    /// A type Entraide does not act on (`Like`, `Add`, `Move`, …).
    Other {
        kind: String,
        envelope: Envelope,
    },
}

/// What every activity has, checked: an http(s) id, an actor, and its object as sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub id: Url,
    pub actor: Url,
    /// The object as sent: an id (string) or an embedded object; `null` when absent.
    pub object: Value,
    /// What the object names: its id, its type… (read once from `object`).
    pub object_ref: ObjectRef,
    /// The whole activity as received (handlers read the fields of their own type from it).
    pub raw: Value,
}

/// Why a body is not an activity we can read (each answered 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAnActivity {
    NotAnObject,
    NoId,
    NoType,
    NoActor,
}

impl std::fmt::Display for NotAnActivity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NotAnObject => "an activity must be a JSON object",
            Self::NoId => "the activity has no valid id (an http or https URL)",
            Self::NoType => "the activity has no type",
            Self::NoActor => "the activity has no valid actor",
        })
    }
}

impl Incoming {
    /// Reads the envelope and the type of a JSON body.
    pub fn parse(raw: Value) -> Result<Self, NotAnActivity> {
        if !raw.is_object() {
            return Err(NotAnActivity::NotAnObject);
        }
        let id = raw
            .get("id")
            .and_then(Value::as_str)
            .and_then(|s| Url::parse(s).ok())
            .filter(|u| matches!(u.scheme(), "https" | "http"))
            .ok_or(NotAnActivity::NoId)?;
        let kind = type_of(&raw).ok_or(NotAnActivity::NoType)?.to_string();
        let actor = raw
            .get("actor")
            .and_then(super::id_of)
            .ok_or(NotAnActivity::NoActor)?;
        let object = raw.get("object").cloned().unwrap_or(Value::Null);
        let envelope = Envelope {
            id,
            actor,
            object_ref: ObjectRef::of(&object),
            object,
            raw,
        };
        let known: Option<ActivityType> = serde_json::from_value(Value::String(kind.clone())).ok();
        Ok(match known {
            Some(ActivityType::Follow) => Self::Follow(envelope),
            Some(ActivityType::Undo) => Self::Undo(envelope),
            Some(ActivityType::Accept) => Self::Accept(envelope),
            Some(ActivityType::Reject) => Self::Reject(envelope),
            Some(ActivityType::Create) => Self::Create(envelope),
            Some(ActivityType::Update) => Self::Update(envelope),
            Some(ActivityType::Delete) => Self::Delete(envelope),
            Some(ActivityType::Announce) => Self::Announce(envelope),
            Some(ActivityType::Join) => Self::Join(envelope),
            Some(ActivityType::Leave) => Self::Leave(envelope),
            Some(ActivityType::Offer) => Self::Offer(envelope),
            Some(ActivityType::Flag) => Self::Flag(envelope),
            None => Self::Other { kind, envelope },
        })
    }

    /// The envelope, whatever the type.
    pub fn envelope(&self) -> &Envelope {
        match self {
            Self::Follow(e)
            | Self::Undo(e)
            | Self::Accept(e)
            | Self::Reject(e)
            | Self::Create(e)
            | Self::Update(e)
            | Self::Delete(e)
            | Self::Announce(e)
            | Self::Join(e)
            | Self::Leave(e)
            | Self::Offer(e)
            | Self::Flag(e) => e,
            Self::Other { envelope, .. } => envelope,
        }
    }

    /// A deleted account's own deletion (`Delete` whose object is its actor).
    pub fn is_self_deletion(&self) -> bool {
        match self {
            Self::Delete(e) => e.object_id().as_ref() == Some(&e.actor),
            _ => false,
        }
    }
}

impl Envelope {
    /// The object's id (a string, or the `id` of an embedded object).
    pub fn object_id(&self) -> Option<Url> {
        self.object_ref.id.clone()
    }

    /// The embedded object's type; `None` when the object is given by id only.
    pub fn object_type(&self) -> Option<&str> {
        self.object_ref.kind.as_deref()
    }

    /// Whether the object is given by id only (no embedded object to read).
    pub fn object_by_id(&self) -> bool {
        !self.object_ref.embedded
    }
}
