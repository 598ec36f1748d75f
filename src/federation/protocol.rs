//! Wire structs named after their ActivityStreams types. Plain serde: no storage, no HTTP.
//! Parsing is lenient where other servers differ (one or many, string or object).

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// https://www.w3.org/TR/activitypub/#actor-objects
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorJson {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    pub preferred_username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub inbox: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKeyJson,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manually_approves_followers: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discoverable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indexable: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<Url>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKeyJson {
    pub id: String,
    pub owner: Url,
    pub public_key_pem: String,
}

/// A mission: a Mobilizon-compatible `Event` (FEP-8a8e fields where Mobilizon has none).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventJson {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Value>,
    pub attributed_to: Value,
    #[serde(default)]
    pub to: Value,
    #[serde(default)]
    pub cc: Value,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    pub start_time: DateTime<FixedOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub location: Option<PlaceJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_mode: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub maximum_attendee_capacity: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub remaining_attendee_capacity: Option<i64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub participant_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anonymous_participation_enabled: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub category: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_online: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient_vec"
    )]
    pub skills: Vec<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient_vec"
    )]
    pub tag: Vec<Value>,
    #[serde(rename = "kind", default, skip_serializing_if = "Option::is_none")]
    pub entraide_kind: Option<String>,
    /// For a slot: the mission it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub super_event: Option<Value>,
    /// For a mission: its time slots, embedded as `Event`s.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "lenient_vec"
    )]
    pub slots: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<DateTime<FixedOffset>>,
}

/// schema.org `Place` as Mobilizon sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaceJson {
    #[serde(rename = "type", default = "place_type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Value>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub latitude: Option<f64>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub longitude: Option<f64>,
}

fn place_type() -> String {
    "Place".into()
}

/// A field we can live without: a value of an unexpected shape becomes `None`.
fn lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let v = Value::deserialize(d)?;
    Ok(serde_json::from_value(v).ok())
}

/// One or many values; items of an unexpected shape are dropped.
fn lenient_vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
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
