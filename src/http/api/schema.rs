//! The JSON the API sends, as types: each handler builds one of these and serialises it, and
//! the OpenAPI document derives its schemas from the same types (`ToSchema`), so the two cannot
//! drift apart. Field order is the order the API has always sent.

use crate::domain::{
    mission::{JoinMode, MissionStatus, Place},
    slot::{Participant, ParticipationStatus, SlotStatus},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::{
    openapi::{schema::SchemaType, KnownFormat, ObjectBuilder, RefOr, Schema, SchemaFormat, Type},
    PartialSchema, ToSchema,
};

/// Every error of the API (`ApiError`): a code for programs, a message for people, and a
/// message per invalid field on 422.
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// Machine-readable code (`not_found`, `validation_failed`, `slot_full`, …).
    pub error: String,
    /// What went wrong, for people.
    pub message: String,
    /// A message per invalid field (422).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}

/// Declares an error answer that many operations share, once, so each lists it by name and
/// its words are the same everywhere (`ApiError` writes the body; these only document it).
macro_rules! error_response {
    ($($(#[$doc:meta])* $name:ident = $status:literal;)*) => {$(
        $(#[$doc])*
        #[allow(dead_code)] // only documents: `ApiError` writes the body
        #[derive(utoipa::IntoResponses)]
        #[response(status = $status)]
        pub struct $name(pub ErrorBody);
    )*};
}

error_response! {
    /// no valid token
    NoToken = 401;
    /// a token was sent and is not valid (the call needs none)
    BadOptionalToken = 401;
    /// a message per invalid field
    InvalidFields = 422;
    /// the body is not JSON
    NotJson = 400;
    /// not a coordinator
    NotCoordinator = 403;
    /// not an administrator
    NotAdministrator = 403;
    /// bad period
    BadPeriod = 422;
    /// no such association
    NoSuchAssociation = 404;
    /// no such resource
    NoSuchResource = 404;
    /// no such local mission
    NoSuchLocalMission = 404;
    /// no such local slot
    NoSuchLocalSlot = 404;
    /// no such entry
    NoSuchEntry = 404;
    /// no such request
    NoSuchRequest = 404;
}

/// The bytes of a file (PDF, spreadsheet, CSV, photo), sent as they are: only a schema.
pub enum FileBytes {}

impl PartialSchema for FileBytes {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for FileBytes {}

/// An association (a local or remote Group actor).
#[derive(Serialize, ToSchema)]
pub struct Association {
    pub name: String,
    /// `@name@host`.
    pub handle: String,
    pub display_name: String,
    pub summary: String,
    #[schema(format = Uri)]
    pub ap_id: String,
    pub local: bool,
    pub url: String,
    /// Only on `GET /api/v1/associations/{name}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub followers_count: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AssociationList {
    pub associations: Vec<Association>,
}

/// A mission, ours or from a node we follow.
#[derive(Serialize, ToSchema)]
pub struct Mission {
    pub id: i64,
    #[schema(format = Uri)]
    pub ap_id: String,
    pub url: String,
    pub local: bool,
    pub association: Association,
    pub title: String,
    /// Markdown.
    pub description: String,
    pub content_html: String,
    /// Date · place · places left.
    pub summary: String,
    pub category: String,
    pub skills: Vec<String>,
    pub place: Place,
    pub online: bool,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    #[schema(required = true)]
    pub capacity: Option<i64>,
    pub participant_count: i64,
    #[schema(required = true)]
    pub remaining: Option<i64>,
    pub join_mode: JoinMode,
    pub status: MissionStatus,
    pub regular: bool,
    #[schema(required = true)]
    pub commitment_minutes: Option<i64>,
    pub commitment_period: String,
    pub reduced_mobility: bool,
    pub open_to_minors: bool,
    pub contact: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct MissionList {
    pub missions: Vec<Mission>,
    /// The cursor of the next page (`?cursor=`), when this page is full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// The same page, borrowed from a page kept between requests (serialised alike).
#[derive(Serialize)]
pub struct MissionListOf<'a> {
    pub missions: Vec<&'a Mission>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<&'a str>,
}

/// A time slot of a mission, with its places left.
#[derive(Serialize, ToSchema)]
pub struct Slot {
    pub id: i64,
    #[schema(format = Uri)]
    pub ap_id: String,
    pub mission_id: i64,
    pub local: bool,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub capacity: i64,
    pub participant_count: i64,
    pub remaining: i64,
    pub status: SlotStatus,
}

#[derive(Serialize, ToSchema)]
pub struct SlotList {
    pub slots: Vec<Slot>,
}

/// A cancelled slot and how many sign-ups it withdrew.
#[derive(Serialize, ToSchema)]
pub struct CancelledSlot {
    pub slot: Slot,
    pub withdrawn: usize,
}

/// A sign-up for a slot.
#[derive(Serialize, ToSchema)]
pub struct Participation {
    pub id: i64,
    pub slot_id: i64,
    /// Kind `user` (user_id), `remote` (actor_ap_id) or `guest` (name, contact).
    #[schema(value_type = Participant)]
    pub participant: Value,
    pub status: ParticipationStatus,
    pub message: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    #[schema(required = true)]
    pub decided_at: Option<DateTime<Utc>>,
}

/// Who signed up for a slot.
#[derive(Serialize, ToSchema)]
pub struct SlotParticipations {
    pub slot: Slot,
    pub participations: Vec<Participation>,
}

/// One of my sign-ups with its slot.
#[derive(Serialize, ToSchema)]
pub struct MyParticipation {
    #[serde(flatten)]
    pub participation: Participation,
    pub slot: Slot,
}

#[derive(Serialize, ToSchema)]
pub struct MyParticipations {
    pub participations: Vec<MyParticipation>,
}

/// How many people a message to a slot reaches.
#[derive(Serialize, ToSchema)]
pub struct Recipients {
    pub recipients: usize,
}

/// My private calendar address.
#[derive(Serialize, ToSchema)]
pub struct CalendarToken {
    /// Shown only when just made.
    #[schema(format = Uri)]
    #[schema(required = true)]
    pub feed_url: Option<String>,
    #[schema(required = true)]
    pub created_at: Option<DateTime<Utc>>,
    pub new: bool,
    pub message: String,
}

/// A reply from the fediverse that mentions the association, kept as interest.
#[derive(Serialize, ToSchema)]
pub struct Interest {
    pub id: i64,
    #[schema(format = Uri)]
    pub actor_ap_id: String,
    /// `@name@server`, when the account is known.
    #[schema(required = true)]
    pub handle: Option<String>,
    #[schema(required = true)]
    pub name: Option<String>,
    /// The reply.
    #[schema(format = Uri)]
    pub note_ap_id: String,
    /// The reply's text (plain text, at most 2000 characters).
    pub content: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct MissionInterests {
    pub mission_id: i64,
    /// Oldest first.
    pub interests: Vec<Interest>,
}

/// A follow sent (or already there).
#[derive(Serialize, ToSchema)]
pub struct FollowDone {
    #[schema(format = Uri)]
    pub follower: String,
    #[schema(format = Uri)]
    pub target: String,
    pub handle: String,
    /// False when the follow was there already.
    pub new: bool,
}

/// A follow removed (an `Undo{Follow}` is sent).
#[derive(Serialize, ToSchema)]
pub struct FollowRemoved {
    #[schema(format = Uri)]
    pub follower: String,
    #[schema(format = Uri)]
    pub target: String,
    pub removed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct FollowList {
    pub follows: Vec<crate::domain::actor::Following>,
}

/// A volunteer's action (hours).
#[derive(Serialize, ToSchema)]
pub struct HoursEntry {
    pub id: i64,
    /// Its name here, `name@host` when it is on another server.
    #[schema(required = true)]
    pub association: Option<String>,
    /// The EconomicEvent id when the entry crosses servers.
    #[schema(required = true)]
    pub ap_id: Option<String>,
    pub volunteer: crate::domain::hours::Volunteer,
    pub volunteer_name: String,
    pub date: NaiveDate,
    pub end_date: NaiveDate,
    pub minutes: i64,
    /// A decimal number, dot separated.
    #[schema(required = true)]
    pub distance_km: Option<String>,
    pub category: String,
    #[schema(required = true)]
    pub mission_id: Option<i64>,
    pub description: String,
    pub status: crate::domain::hours::HoursStatus,
    pub reason: String,
    #[schema(required = true)]
    pub slot_id: Option<i64>,
    #[schema(required = true)]
    pub participation_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct HoursEntries {
    pub entries: Vec<HoursEntry>,
    /// The cursor of the next page (`?cursor=`), when this page is full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// An association's moderation and rates; money is a decimal string, dot separated.
#[derive(Serialize, ToSchema)]
pub struct HoursSettings {
    pub association: String,
    pub moderation: bool,
    pub currency: String,
    pub hourly_rate: String,
    pub category_rates: BTreeMap<String, String>,
    pub mileage_rate: String,
}

/// An attestation of a volunteer's hours with an association.
#[derive(Serialize, ToSchema)]
pub struct Attestation {
    pub id: i64,
    pub association: String,
    #[schema(required = true)]
    pub volunteer: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub requested_at: DateTime<Utc>,
    pub confirmed: bool,
    #[schema(required = true)]
    pub confirmed_by: Option<String>,
    #[schema(required = true)]
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Where its PDF is.
    pub pdf: String,
}

#[derive(Serialize, ToSchema)]
pub struct Attestations {
    pub attestations: Vec<Attestation>,
}

/// A photo or a document of a resource.
#[derive(Serialize, ToSchema)]
pub struct ResourceFile {
    pub id: i64,
    /// `photo` or `document`.
    pub kind: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub url: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct ResourceFiles {
    pub files: Vec<ResourceFile>,
}

/// An upcoming mission ranked for the token's user, with the reasons.
#[derive(Serialize, ToSchema)]
pub struct MatchedMission {
    pub mission: Mission,
    /// The slot that fits best, when the mission has slots.
    #[schema(required = true)]
    pub slot: Option<Slot>,
    /// Higher is better.
    pub score: f64,
    pub reasons: Vec<String>,
    /// The reasons in one line.
    pub why: String,
}

#[derive(Serialize, ToSchema)]
pub struct Matches {
    pub matches: Vec<MatchedMission>,
}

/// Volunteers who opted in and fit a mission.
#[derive(Serialize, ToSchema)]
pub struct Suggestions {
    pub suggestions: Vec<SuggestedVolunteer>,
}

/// A volunteer who fits a mission, with the reasons in words (the node's language).
#[derive(Serialize, ToSchema)]
pub struct SuggestedVolunteer {
    pub name: String,
    pub skills: Vec<String>,
    /// Higher is better.
    pub score: f64,
    pub reasons: Vec<String>,
}

/// One change of an hours entry.
#[derive(Serialize, ToSchema)]
pub struct HoursChange {
    pub id: i64,
    pub changed_at: DateTime<Utc>,
    /// Who (null for a change that came from another server).
    #[schema(required = true)]
    pub changed_by: Option<String>,
    /// The entry before (null for a creation).
    #[schema(required = true)]
    pub before: Option<Value>,
    /// The entry after (null for a deletion).
    #[schema(required = true)]
    pub after: Option<Value>,
}

/// An entry and every change of it, oldest first.
#[derive(Serialize, ToSchema)]
pub struct HoursHistory {
    pub entry: HoursEntry,
    pub history: Vec<HoursChange>,
}

/// Validated entries added up, with their value; decimals are strings, dot separated.
#[derive(Serialize, ToSchema)]
pub struct Tally {
    pub entries: i64,
    pub minutes: i64,
    pub hours: String,
    pub distance_km: String,
    pub time_value: String,
    pub mileage_value: String,
    pub value: String,
}

/// A tally and what it is the tally of (`volunteer`, `category` and `label`, `mission_id` and
/// `title`, `month` or `year`).
#[derive(Serialize, ToSchema)]
pub struct TallyOf<K> {
    #[serde(flatten)]
    pub tally: Tally,
    #[serde(flatten)]
    pub key: K,
}

#[derive(Serialize, ToSchema)]
pub struct ByVolunteer {
    pub volunteer: String,
}

#[derive(Serialize, ToSchema)]
pub struct ByCategory {
    pub category: String,
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct ByMission {
    #[schema(required = true)]
    pub mission_id: Option<i64>,
    #[schema(required = true)]
    pub title: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ByMonth {
    /// `YYYY-MM`.
    pub month: String,
}

#[derive(Serialize, ToSchema)]
pub struct ByYear {
    pub year: i32,
}

/// Totals of an association's validated entries, overall and by volunteer, category, mission,
/// month and year.
#[derive(Serialize, ToSchema)]
pub struct HoursTotals {
    pub association: String,
    pub rates: HoursSettings,
    pub overall: Tally,
    pub by_volunteer: Vec<TallyOf<ByVolunteer>>,
    pub by_category: Vec<TallyOf<ByCategory>>,
    pub by_mission: Vec<TallyOf<ByMission>>,
    pub by_month: Vec<TallyOf<ByMonth>>,
    pub by_year: Vec<TallyOf<ByYear>>,
}

/// What marking one sign-up did.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum AttendanceMark {
    /// Recorded now; the new entry for a presence.
    Recorded {
        participation_id: i64,
        recorded: bool,
        present: bool,
        entry: Option<Box<HoursEntry>>,
    },
    /// Marked before: nothing changed.
    AlreadyMarked {
        participation_id: i64,
        recorded: bool,
        present: bool,
        entry_id: Option<i64>,
    },
}

#[derive(Serialize, ToSchema)]
pub struct AttendanceMarks {
    pub marks: Vec<AttendanceMark>,
}
