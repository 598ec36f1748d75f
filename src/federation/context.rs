//! The one JSON-LD context we put in every document: ActivityStreams first (Mastodon ignores
//! documents without it), the security vocabulary, then inline terms so that no consumer has
//! to fetch another context (Fedify refuses unknown remote contexts).

use serde_json::{json, Value};

/// Our own namespace, for the few terms no existing vocabulary has.
pub const ENTRAIDE_NS: &str = "https://entraide.example/ns#";

pub fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "toot": "http://joinmastodon.org/ns#",
            "discoverable": "toot:discoverable",
            "indexable": "toot:indexable",
            "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
            "Hashtag": "as:Hashtag",
            "sc": "http://schema.org#",
            "PostalAddress": "sc:PostalAddress",
            "address": {"@id": "sc:address", "@type": "sc:PostalAddress"},
            "streetAddress": "sc:streetAddress",
            "postalCode": "sc:postalCode",
            "addressLocality": "sc:addressLocality",
            "addressCountry": "sc:addressCountry",
            "maximumAttendeeCapacity": "sc:maximumAttendeeCapacity",
            "remainingAttendeeCapacity": "sc:remainingAttendeeCapacity",
            "category": "sc:category",
            "superEvent": {"@id": "sc:superEvent", "@type": "@id"},
            "mz": "https://joinmobilizon.org/ns#",
            "joinMode": {"@id": "mz:joinMode", "@type": "mz:joinModeType"},
            "participantCount": {"@id": "mz:participantCount", "@type": "sc:Integer"},
            "participationMessage": {"@id": "mz:participationMessage", "@type": "sc:Text"},
            "anonymousParticipationEnabled": {"@id": "mz:anonymousParticipationEnabled", "@type": "sc:Boolean"},
            "timezone": {"@id": "mz:timezone", "@type": "sc:Text"},
            "isOnline": {"@id": "mz:isOnline", "@type": "sc:Boolean"},
            "ical": "http://www.w3.org/2002/12/cal/ical#",
            "status": {"@id": "ical:status", "@type": "ical:status"},
            "vf": "https://w3id.org/valueflows/ont/vf#",
            "om2": "http://www.ontology-of-units-of-measure.org/resource/om-2/",
            "EconomicEvent": "vf:EconomicEvent",
            "action": "vf:action",
            "provider": {"@id": "vf:provider", "@type": "@id"},
            "receiver": {"@id": "vf:receiver", "@type": "@id"},
            "effortQuantity": "vf:effortQuantity",
            "hasUnit": "om2:hasUnit",
            "hasNumericalValue": "om2:hasNumericalValue",
            "hasBeginning": "vf:hasBeginning",
            "hasEnd": "vf:hasEnd",
            "inScopeOf": {"@id": "vf:inScopeOf", "@type": "@id"},
            "note": "vf:note",
            "vol": ENTRAIDE_NS,
            "minutes": "vol:minutes",
            "distanceKm": "vol:distanceKm",
            "kind": "vol:kind",
            "skills": "vol:skills",
            "slots": "vol:slots"
        }
    ])
}

/// Adds the context to a document (an object without one).
pub fn with_context(mut doc: Value) -> Value {
    if let Value::Object(map) = &mut doc {
        let mut out = serde_json::Map::with_capacity(map.len() + 1);
        out.insert("@context".into(), context());
        for (k, v) in std::mem::take(map) {
            out.insert(k, v);
        }
        return Value::Object(out);
    }
    doc
}
