//! The objects the inbox reads, as the handlers read them: each parsed once with
//! [`super::parse_object`] at a handler's entry. Tolerant where real servers vary (a reference
//! as a URL or an object, one or many, a number as text or a number, a field of an unexpected
//! shape dropped), strict where our own protocol requires a field (the id and receiver of
//! hours, the state, notes and signatures of an `Agreement`): a wrong one is a 400 that names it.

use super::{
    first_text, id_of, lenient, lenient_count, lenient_id, lenient_ids, lenient_type, lenient_vec,
    required_id, type_of, Numeric,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

/// An activity's `object` as sent: given by id, or embedded (its id, its type and, when it is an
/// activity we answer or undo, its actor and object).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectRef {
    pub id: Option<Url>,
    pub kind: Option<String>,
    /// A `Tombstone`'s `formerType`.
    pub former_type: Option<String>,
    pub actor: Option<Url>,
    pub object: Option<Url>,
    /// Whether the object is embedded (not a bare id).
    pub embedded: bool,
}

impl ObjectRef {
    pub fn of(v: &Value) -> Self {
        let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        Self {
            id: id_of(v),
            kind: type_of(v).map(str::to_string),
            former_type: text("formerType"),
            actor: v.get("actor").and_then(id_of),
            object: v.get("object").and_then(id_of),
            embedded: v.is_object(),
        }
    }

    pub fn is(&self, kind: &str) -> bool {
        self.kind.as_deref() == Some(kind)
    }
}

impl<'de> Deserialize<'de> for ObjectRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::of(&Value::deserialize(d)?))
    }
}

/// What handlers read of an activity besides its envelope: its id as sent, its object, and the
/// words that come with it (a `Reject`'s reason, Mobilizon's `participationMessage`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename = "Activity", rename_all = "camelCase")]
pub struct ActivityIn {
    /// As sent (the envelope holds it checked as a URL).
    #[serde(default, deserialize_with = "lenient")]
    pub id: Option<String>,
    #[serde(default)]
    pub object: ObjectRef,
    #[serde(default, deserialize_with = "lenient")]
    pub content: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub summary: Option<String>,
    /// https://docs.joinmobilizon.org/contribute/activity_pub/
    #[serde(default, deserialize_with = "lenient")]
    pub participation_message: Option<String>,
    /// What an `Accept` of an `Offer` produced (FEP-0837): the `Agreement`, embedded or by id.
    #[serde(default, deserialize_with = "agreement_or_id")]
    pub result: Option<AgreementIn>,
}

impl ActivityIn {
    /// The reason given with an answer: `content`, else `summary`.
    pub fn reason(&self) -> Option<&str> {
        self.content.as_deref().or(self.summary.as_deref())
    }
}

fn agreement_or_id<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<AgreementIn>, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::Null => Ok(None),
        Value::Object(_) => AgreementIn::deserialize(v)
            .map(Some)
            .map_err(serde::de::Error::custom),
        other => Ok(Some(AgreementIn::by_id(id_of(&other)))),
    }
}

/// A reservation as its parties send it (our [`super::Agreement`], read back): the `Offer`'s
/// object, an `Accept`'s result, or what an `Update{Agreement}` says happened.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename = "Agreement", rename_all = "camelCase")]
pub struct AgreementIn {
    /// Absent in an `Offer` (the owner's node names it).
    #[serde(default, deserialize_with = "lenient_id")]
    pub id: Option<Url>,
    /// One Commitment, or many (the first is read).
    #[serde(default, deserialize_with = "lenient_vec")]
    pub stipulates: Vec<CommitmentIn>,
    /// Where the loan stands (`picked_up`, `returned`…); our namespace.
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub pickup_notes: Option<String>,
    #[serde(default)]
    pub return_notes: Option<String>,
    #[serde(default)]
    pub owner_signed: Option<SignedIn>,
    #[serde(default)]
    pub borrower_signed: Option<SignedIn>,
}

impl AgreementIn {
    /// An Agreement given by id only (nothing else to read).
    pub fn by_id(id: Option<Url>) -> Self {
        Self {
            id,
            ..Self::default()
        }
    }

    /// An activity's object: by id, or embedded.
    pub fn from_object(v: &Value) -> Result<Self, super::Unreadable> {
        if v.is_object() {
            super::parse_object("Agreement", v)
        } else {
            Ok(Self::by_id(id_of(v)))
        }
    }
}

/// Who accepted an agreement, and when ([`super::Signed`], read back); our namespace.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "Signed")]
pub struct SignedIn {
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A use of a resource over a period: what an `Agreement` stipulates, or a busy period.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename = "Commitment", rename_all = "camelCase")]
pub struct CommitmentIn {
    /// The resource's Intent (`{resource}#primary`).
    #[serde(default, deserialize_with = "lenient_id")]
    pub satisfies: Option<Url>,
    #[serde(default, deserialize_with = "lenient_id")]
    pub resource_inventoried_as: Option<Url>,
    #[serde(default, deserialize_with = "lenient_count")]
    pub resource_quantity: Option<i64>,
    #[serde(default, deserialize_with = "lenient")]
    pub has_beginning: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "lenient")]
    pub has_end: Option<DateTime<Utc>>,
}

impl CommitmentIn {
    /// The resource asked for: `resourceInventoriedAs`, else the Intent it `satisfies` without
    /// its fragment.
    pub fn resource(&self) -> Option<String> {
        let mut url = self
            .resource_inventoried_as
            .clone()
            .or_else(|| self.satisfies.clone())?;
        url.set_fragment(None);
        Some(url.to_string())
    }
}

/// Whether an object is a resource: a `Page` with `purpose: offer` (FEP-0837).
pub fn is_resource_page(v: &Value) -> bool {
    type_of(v) == Some("Page") && v.get("purpose").and_then(Value::as_str) == Some("offer")
}

/// Another node's resource ([`super::Page`], read back by the rules of any server's).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename = "Page", rename_all = "camelCase")]
pub struct PageIn {
    #[serde(default, deserialize_with = "lenient_id")]
    pub id: Option<Url>,
    #[serde(default, deserialize_with = "lenient_id")]
    pub attributed_to: Option<Url>,
    #[serde(default, deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub content: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub category: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub owner_kind: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub location: Option<PlaceIn>,
    #[serde(default, deserialize_with = "lenient")]
    pub publishes: Option<IntentIn>,
    /// Money: decimal text or a number, checked by the domain's rules.
    #[serde(default)]
    pub replacement_value: Option<Value>,
    #[serde(default)]
    pub price_per_day: Option<Value>,
    #[serde(default)]
    pub deposit: Option<Value>,
    #[serde(default, deserialize_with = "lenient")]
    pub loan_mode: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub conditions: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub insurance_required: Option<bool>,
    #[serde(default, deserialize_with = "lenient_count")]
    pub min_notice_hours: Option<i64>,
    #[serde(default, deserialize_with = "lenient_count")]
    pub max_days: Option<i64>,
    #[serde(default, deserialize_with = "lenient_count")]
    pub turnaround_hours: Option<i64>,
    #[serde(default, deserialize_with = "lenient")]
    pub approval: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub agreement_template: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub availability: Option<AvailabilityIn>,
}

/// Where a resource is: its name or its address as text, and its coordinates.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename = "Place")]
pub struct PlaceIn {
    #[serde(default, deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub address: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub latitude: Option<f64>,
    #[serde(default, deserialize_with = "lenient")]
    pub longitude: Option<f64>,
}

/// What a resource's `Page` publishes: how many there are.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename = "Intent", rename_all = "camelCase")]
pub struct IntentIn {
    #[serde(default, deserialize_with = "lenient_count")]
    pub resource_quantity: Option<i64>,
}

/// A resource's busy periods.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename = "OrderedCollection", rename_all = "camelCase")]
pub struct AvailabilityIn {
    #[serde(default, deserialize_with = "lenient_vec")]
    pub ordered_items: Vec<CommitmentIn>,
}

/// Hours another server's volunteer sends ([`super::EconomicEvent`], read back): its id and
/// receiver are required, the rest read as any ValueFlows server may write it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename = "EconomicEvent", rename_all = "camelCase")]
pub struct EconomicEventIn {
    #[serde(deserialize_with = "required_id")]
    pub id: Url,
    #[serde(default, deserialize_with = "lenient_id")]
    pub provider: Option<Url>,
    #[serde(default, deserialize_with = "lenient_id")]
    pub attributed_to: Option<Url>,
    #[serde(deserialize_with = "required_id")]
    pub receiver: Url,
    #[serde(default, deserialize_with = "lenient")]
    pub action: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    pub in_scope_of: Option<Url>,
    /// Exact minutes (our namespace); else read from `effortQuantity`.
    #[serde(default, deserialize_with = "lenient")]
    pub minutes: Option<i64>,
    #[serde(default, deserialize_with = "lenient")]
    pub effort_quantity: Option<MeasureIn>,
    /// A date or a date-time.
    #[serde(default, deserialize_with = "lenient")]
    pub has_beginning: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub has_end: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub category: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub note: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub summary: Option<String>,
    /// Kilometres, decimal text or a number, checked by the domain's rules.
    #[serde(default)]
    pub distance_km: Option<Value>,
}

/// An OM2 measure as read: a value (text or number) and a unit, each optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename = "Measure", rename_all = "camelCase")]
pub struct MeasureIn {
    #[serde(default, deserialize_with = "lenient")]
    pub has_numerical_value: Option<Numeric>,
    #[serde(default, deserialize_with = "lenient")]
    pub has_unit: Option<String>,
}

/// A `Note` another server sends (a Mastodon reply to a mission): what is read of it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename = "Note", rename_all = "camelCase")]
pub struct NoteIn {
    #[serde(default, deserialize_with = "lenient_id")]
    pub id: Option<Url>,
    #[serde(default, deserialize_with = "lenient_id")]
    pub attributed_to: Option<Url>,
    #[serde(default, deserialize_with = "lenient_id")]
    pub in_reply_to: Option<Url>,
    #[serde(default, deserialize_with = "lenient_ids")]
    pub to: Vec<Url>,
    #[serde(default, deserialize_with = "lenient_ids")]
    pub cc: Vec<Url>,
    #[serde(default, deserialize_with = "lenient_vec")]
    pub tag: Vec<TagIn>,
    #[serde(default, deserialize_with = "lenient")]
    pub content: Option<String>,
    /// The first text of `contentMap`.
    #[serde(default, rename = "contentMap", deserialize_with = "first_text")]
    pub content_in_a_language: Option<String>,
}

/// A tag of a note as read (a `Mention`'s `href`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename = "Tag")]
pub struct TagIn {
    #[serde(default, rename = "type", deserialize_with = "lenient_type")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient_id")]
    pub href: Option<Url>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::{count_of, parse_object};
    use super::*;
    use serde_json::json;

    #[test]
    fn quantities_are_read_from_numbers_strings_and_measures() {
        assert_eq!(count_of(&json!(3)), Some(3));
        assert_eq!(count_of(&json!("12")), Some(12));
        assert_eq!(
            count_of(&json!({"hasUnit": "one", "hasNumericalValue": "80"})),
            Some(80)
        );
        assert_eq!(count_of(&json!({"hasNumericalValue": "x"})), None);
    }

    #[test]
    fn the_asked_resource_is_the_intent_without_its_fragment() {
        let c = |v: Value| parse_object::<CommitmentIn>("Commitment", &v).unwrap();
        let asked = c(json!({"satisfies": "https://a.example/r/1#primary"}));
        assert_eq!(asked.resource().as_deref(), Some("https://a.example/r/1"));
        let asked = c(json!({"resourceInventoriedAs": "https://a.example/r/2"}));
        assert_eq!(asked.resource().as_deref(), Some("https://a.example/r/2"));
        assert_eq!(c(json!({})).resource(), None);
    }

    #[test]
    fn a_signature_of_our_protocol_is_checked() {
        let v = json!({"id": "https://a.example/agreements/1", "type": "Agreement",
                       "ownerSigned": {"by": "Claire"}});
        let e = parse_object::<AgreementIn>("Agreement", &v).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the Agreement cannot be read: ownerSigned: missing field `at`"
        );
        let v = json!({"state": 3});
        let e = parse_object::<AgreementIn>("Agreement", &v).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("the Agreement cannot be read: state: invalid type"),
            "{e}"
        );
        let e = parse_object::<AgreementIn>("Agreement", &json!("x")).unwrap_err();
        assert!(e.to_string().contains("expected struct Agreement"), "{e}");
    }

    #[test]
    fn an_accept_result_is_embedded_or_by_id() {
        let a: ActivityIn = parse_object(
            "Accept",
            &json!({"result": "https://a.example/agreements/1"}),
        )
        .unwrap();
        assert_eq!(
            a.result.and_then(|r| r.id).map(String::from).as_deref(),
            Some("https://a.example/agreements/1")
        );
        let bad = json!({"result": {"id": "https://a.example/agreements/1",
                                    "ownerSigned": {"by": "x", "at": "hier"}}});
        let e = parse_object::<ActivityIn>("Accept", &bad).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("the Accept cannot be read: result: "),
            "{e}"
        );
    }
}
