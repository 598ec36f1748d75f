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
pub mod flag;
pub mod incoming;
pub mod note;
pub mod received;
pub mod resource;

pub use activities::*;
pub use actors::*;
pub use collections::*;
pub use economic::*;
pub use event::*;
pub use flag::*;
pub use incoming::*;
pub use note::*;
pub use received::*;
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

/// A reference we can live without: its id when it is an http(s) URL or an object with one.
pub(crate) fn lenient_id<'de, D>(d: D) -> Result<Option<Url>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    Ok(id_of(&Value::deserialize(d)?))
}

/// A reference our protocol requires: an http(s) URL, or an object with one as `id`.
pub(crate) fn required_id<'de, D>(d: D) -> Result<Url, D::Error>
where
    D: serde::Deserializer<'de>,
{
    id_of(&Value::deserialize(d)?).ok_or_else(|| {
        serde::de::Error::custom("expected an http(s) URL or an object with one as id")
    })
}

/// Every id of a field holding one reference or many; the others are dropped.
pub(crate) fn lenient_ids<'de, D>(d: D) -> Result<Vec<Url>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    Ok(ids_of(&Value::deserialize(d)?))
}

/// A `type`: a string, or the first of an array of them.
pub(crate) fn lenient_type<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::String(s) => Some(s),
        Value::Array(a) => a.first().and_then(Value::as_str).map(str::to_string),
        _ => None,
    })
}

/// A whole count as servers write it: a number, decimal text, or a measure
/// (`{"hasUnit", "hasNumericalValue"}`); anything else is `None`.
pub(crate) fn lenient_count<'de, D>(d: D) -> Result<Option<i64>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    Ok(count_of(&Value::deserialize(d)?))
}

/// See [`lenient_count`].
pub(crate) fn count_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        Value::Object(m) => count_of(m.get("hasNumericalValue")?),
        _ => None,
    }
}

/// The first text of a language map (`contentMap`), in the order it was sent.
pub(crate) fn first_text<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let v = Value::deserialize(d)?;
    Ok(v.as_object()
        .and_then(|m| m.values().find_map(Value::as_str))
        .map(str::to_string))
}

/// Why an incoming object cannot be read: which object, where in it and why (answered 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub what: &'static str,
    pub reason: String,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the {} cannot be read: {}", self.what, self.reason)
    }
}

/// Reads an incoming object (or activity) `what` as `T`, once, at a handler's entry. The error
/// names the field at fault (`ownerSigned.at: …`); serde_path_to_error (axum's own choice for
/// its JSON errors) finds it.
pub fn parse_object<T: serde::de::DeserializeOwned>(
    what: &'static str,
    v: &Value,
) -> Result<T, Unreadable> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        Unreadable {
            what,
            reason: if path == "." {
                inner.to_string()
            } else {
                format!("{path}: {inner}")
            },
        }
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
