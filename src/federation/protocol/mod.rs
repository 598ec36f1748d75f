//! Wire structs named after their ActivityStreams, Mobilizon, ValueFlows and FEP types, one
//! file per family. Plain serde: no storage, no HTTP, no `json!` outside this module. Parsing is
//! lenient where other servers differ (one or many, string or object); what we send is built
//! from these structs only.

pub mod activities;
pub mod actors;
pub mod collections;
pub mod context;
pub mod discovery;
pub mod economic;
pub mod event;
pub mod incoming;
pub mod note;
pub mod resource;

pub use activities::*;
pub use actors::*;
pub use collections::*;
pub use economic::*;
pub use event::*;
pub use incoming::*;
pub use note::*;
pub use resource::*;

use serde::Deserialize;
use serde_json::Value;
use url::Url;

/// The public audience (https://www.w3.org/TR/activitypub/#public-addressing).
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// A field we can live without: a value of an unexpected shape becomes `None`.
pub(crate) fn lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = Value::deserialize(d)?;
    Ok(serde_json::from_value(v).ok())
}

/// One or many values; items of an unexpected shape are dropped.
pub(crate) fn lenient_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|i| serde_json::from_value(i).ok())
            .collect(),
        Value::Null => Vec::new(),
        one => serde_json::from_value(one)
            .map(|x| vec![x])
            .unwrap_or_default(),
    })
}

/// The id of a reference: a URL string, or an object with an `id`.
pub fn id_of(v: &Value) -> Option<Url> {
    let url = match v {
        Value::String(s) => Url::parse(s).ok(),
        Value::Object(m) => m
            .get("id")
            .and_then(Value::as_str)
            .and_then(|s| Url::parse(s).ok()),
        _ => None,
    };
    // Objects live on the web: any other scheme (javascript:, data:…) is not an id.
    url.filter(|u| matches!(u.scheme(), "https" | "http"))
}

/// Every id in a field that may hold one reference or an array of them.
pub fn ids_of(v: &Value) -> Vec<Url> {
    match v {
        Value::Array(items) => items.iter().filter_map(id_of).collect(),
        other => id_of(other).into_iter().collect(),
    }
}

/// The `type` of an object (the first one when it is an array).
pub fn type_of(v: &Value) -> Option<&str> {
    match v.get("type")? {
        Value::String(s) => Some(s.as_str()),
        Value::Array(a) => a.first().and_then(Value::as_str),
        _ => None,
    }
}

/// The first http(s) link in a `url` field (string, Link object or array of them).
pub fn first_url(v: &Value) -> Option<String> {
    let web = |s: &str| {
        Url::parse(s)
            .ok()
            .filter(|u| matches!(u.scheme(), "https" | "http"))
            .map(|u| u.to_string())
    };
    match v {
        Value::String(s) => web(s),
        Value::Object(m) => m.get("href").and_then(Value::as_str).and_then(web),
        Value::Array(items) => items.iter().find_map(first_url),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_mobilizon_event_parses() {
        let v = json!({
            "type": "Event", "id": "https://mobilizon.example/events/1",
            "attributedTo": "https://mobilizon.example/@group",
            "name": "Repair café", "startTime": "2026-06-14T09:00:00+02:00",
            "location": {"type": "Place", "name": "Salle", "address": {"type": "PostalAddress", "addressLocality": "Brest"},
                         "latitude": "48.39", "longitude": -4.48},
            "maximumAttendeeCapacity": 20, "category": ["odd"], "tag": {"type": "Hashtag", "name": "#x"}
        });
        let e: EventJson = serde_json::from_value(v).expect("parses");
        assert_eq!(e.name, "Repair café");
        let place = e.location.expect("place");
        assert_eq!(place.longitude, Some(-4.48));
        assert_eq!(
            place.latitude, None,
            "a string latitude is dropped, not fatal"
        );
        assert_eq!(e.category, None);
        assert_eq!(e.tag.len(), 1);
        assert_eq!(e.maximum_attendee_capacity, Some(20));
    }

    #[test]
    fn references() {
        assert_eq!(
            id_of(&json!("https://a.example/x")).map(|u| u.to_string()),
            Some("https://a.example/x".into())
        );
        assert_eq!(
            id_of(&json!({"id": "https://a.example/y"})).map(|u| u.to_string()),
            Some("https://a.example/y".into())
        );
        assert_eq!(
            ids_of(&json!(["https://a.example/1", {"id": "https://a.example/2"}, 3])).len(),
            2
        );
        assert_eq!(
            type_of(&json!({"type": ["Event", "x:Mission"]})),
            Some("Event")
        );
        assert_eq!(
            first_url(&json!([{"type": "Link", "href": "https://a.example/p"}])),
            Some("https://a.example/p".into())
        );
    }
}
