//! A `Note`: the direct messages we send (a private mention, as Mastodon shows it) and the
//! replies Mastodon sends to our missions.
//! https://www.w3.org/TR/activitystreams-vocabulary/#dfn-note

use super::lenient_vec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: NoteType,
    pub attributed_to: String,
    #[serde(default, deserialize_with = "lenient_vec")]
    pub to: Vec<String>,
    #[serde(default, deserialize_with = "lenient_vec")]
    pub cc: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default)]
    pub content: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub content_map: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "lenient_vec")]
    pub tag: Vec<Tag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
}

/// The one value of a `Note`'s `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteType {
    Note,
}

/// A `Mention` (https://www.w3.org/TR/activitystreams-vocabulary/#dfn-mention) or a Mastodon
/// `Hashtag` (https://docs.joinmastodon.org/spec/activitypub/#Hashtag).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Tag {
    pub fn mention(href: &str, name: &str) -> Self {
        Self {
            kind: "Mention".into(),
            href: Some(href.to_string()),
            name: Some(name.to_string()),
        }
    }

    pub fn hashtag(name: String) -> Self {
        Self {
            kind: "Hashtag".into(),
            href: None,
            name: Some(name),
        }
    }
}
