//! A report (`Flag`), as Mastodon sends it (`ActivityPub::FlagSerializer`): sent by the
//! reporting server's instance actor (the reporter stays anonymous), `object` the reported
//! account followed by the reported objects, `content` the comment.
//! https://www.w3.org/TR/activitystreams-vocabulary/#dfn-flag

use super::{lenient_vec, ActivityType};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub actor: String,
    /// The reported account first, then the reported objects (ids).
    #[serde(default, deserialize_with = "lenient_vec")]
    pub object: Vec<String>,
    /// The reporter's comment, plain text.
    #[serde(default)]
    pub content: String,
}

impl Flag {
    /// A report of `objects` by the instance actor `actor`.
    pub fn new(id: String, actor: &str, objects: Vec<String>, content: &str) -> Flag {
        Flag {
            id,
            kind: ActivityType::Flag,
            actor: actor.into(),
            object: objects,
            content: content.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ours_is_shaped_as_mastodon_s() {
        let ours = Flag::new(
            "https://a.example/activities/flag/1".into(),
            "https://a.example/relay",
            vec![
                "https://b.example/g/x".into(),
                "https://b.example/m/1".into(),
            ],
            "spam",
        );
        let json = serde_json::to_value(&ours).expect("json");
        assert_eq!(json["type"], "Flag");
        assert_eq!(json["object"][1], "https://b.example/m/1");
        let back: Flag = serde_json::from_value(json).expect("read back");
        assert_eq!(back, ours);
    }
}
