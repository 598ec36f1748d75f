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
            "Proposal": "vf:Proposal",
            "Intent": "vf:Intent",
            "Agreement": "vf:Agreement",
            "Commitment": "vf:Commitment",
            "purpose": "vf:purpose",
            "unitBased": "vf:unitBased",
            "publishes": {"@id": "vf:publishes", "@type": "@id"},
            "stipulates": {"@id": "vf:stipulates", "@type": "@id"},
            "satisfies": {"@id": "vf:satisfies", "@type": "@id"},
            "resourceConformsTo": {"@id": "vf:resourceConformsTo", "@type": "@id"},
            "resourceInventoriedAs": {"@id": "vf:resourceInventoriedAs", "@type": "@id"},
            "resourceQuantity": "vf:resourceQuantity",
            "availableQuantity": "vf:availableQuantity",
            "minimumQuantity": "vf:minimumQuantity",
            "vol": ENTRAIDE_NS,
            "minutes": "vol:minutes",
            "distanceKm": "vol:distanceKm",
            "kind": "vol:kind",
            "skills": "vol:skills",
            "slots": "vol:slots",
            "ownerKind": "vol:ownerKind",
            "loanMode": "vol:loanMode",
            "pricePerDay": "vol:pricePerDay",
            "deposit": "vol:deposit",
            "replacementValue": "vol:replacementValue",
            "conditions": "vol:conditions",
            "description": "vol:description",
            "insuranceRequired": "vol:insuranceRequired",
            "minNoticeHours": "vol:minNoticeHours",
            "maxDays": "vol:maxDays",
            "turnaroundHours": "vol:turnaroundHours",
            "approval": "vol:approval",
            "borrowers": "vol:borrowers",
            "agreementTemplate": "vol:agreementTemplate",
            "availability": {"@id": "vol:availability", "@type": "@id"},
            "state": "vol:state",
            "pickupNotes": "vol:pickupNotes",
            "returnNotes": "vol:returnNotes",
            "ownerSigned": "vol:ownerSigned",
            "borrowerSigned": "vol:borrowerSigned",
            "by": "vol:by",
            "at": "vol:at"
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
