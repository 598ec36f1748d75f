//! The JSON the equipment part of the API sends (resources, reservations, agreements), as
//! types the handlers build and the OpenAPI document derives its schemas from, and how they
//! are made from the domain's. Money is a decimal string (`"150.00"`), never a float.

use crate::domain::{
    actor::Actor,
    resource::{self as domain, Approval, Borrowers, LoanMode, ReservationState},
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A resource (one item or a pool) with its terms.
#[derive(Serialize, ToSchema)]
pub struct Resource {
    pub id: i64,
    #[schema(format = Uri)]
    pub ap_id: String,
    /// The owner's name on its node.
    pub owner: String,
    /// `name@host` of the owner.
    pub owner_address: String,
    pub owner_name: String,
    pub local: bool,
    pub name: String,
    pub description: String,
    pub category: String,
    pub owner_kind: String,
    pub place: String,
    #[schema(required = true)]
    pub latitude: Option<f64>,
    #[schema(required = true)]
    pub longitude: Option<f64>,
    pub quantity: i64,
    #[schema(required = true)]
    pub replacement_value: Option<String>,
    pub mode: LoanMode,
    #[schema(required = true)]
    pub price_per_day: Option<String>,
    #[schema(required = true)]
    pub deposit: Option<String>,
    pub conditions: String,
    pub insurance_required: bool,
    pub min_notice_hours: i64,
    pub max_days: i64,
    pub turnaround_hours: i64,
    pub approval: Approval,
    pub borrowers: Borrowers,
    /// `name@host` of each association allowed; null for another node's resource.
    #[schema(required = true)]
    pub borrower_list: Option<Vec<String>>,
    pub agreement_template: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Search only: how many are free over the period asked (the whole pool without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Resources {
    pub resources: Vec<Resource>,
    /// The cursor of the next page (`?cursor=`): an association's list gives it when the page
    /// is full, the search while some resources were not examined yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// Who signed for one side of a lending agreement, and when.
#[derive(Serialize, ToSchema)]
pub struct Signed {
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A reservation with the names people need (resource, both parties).
#[derive(Serialize, ToSchema)]
pub struct Reservation {
    pub id: i64,
    pub resource_id: i64,
    /// The resource's name.
    pub resource: String,
    #[schema(format = Uri)]
    pub resource_ap_id: String,
    /// `name@host` of the owner.
    pub owner: String,
    /// `name@host` of the borrower.
    #[schema(required = true)]
    pub borrower: Option<String>,
    pub offer_id: String,
    #[schema(required = true)]
    pub agreement_id: Option<String>,
    #[schema(required = true)]
    pub borrower_actor_id: Option<i64>,
    pub quantity: i64,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub state: ReservationState,
    /// The state, or `overdue` when not returned in time.
    pub shown_state: String,
    pub overdue: bool,
    pub reason: String,
    pub pickup_notes: String,
    pub return_notes: String,
    #[schema(required = true)]
    pub owner_signed: Option<Signed>,
    #[schema(required = true)]
    pub borrower_signed: Option<Signed>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct Reservations {
    pub reservations: Vec<Reservation>,
    /// The cursor of the next page (`?cursor=`), when this page is full.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// Day by day, how many of the pool are free all day long.
#[derive(Serialize, ToSchema)]
pub struct ResourceAvailability {
    pub resource_id: i64,
    pub quantity: i64,
    pub days: Vec<crate::service::resources::DayFree>,
}

/// One party of a lending agreement.
#[derive(Serialize, ToSchema)]
pub struct AgreementParty {
    pub name: String,
    pub address: String,
    /// Who signed online for this side, when they did.
    #[schema(required = true)]
    pub signed: Option<String>,
}

/// One line of the agreement's facts (items, quantity, dates, place, deposit, price, value).
#[derive(Serialize, ToSchema)]
pub struct AgreementFact {
    pub label: String,
    pub value: String,
}

/// The lending agreement of an accepted reservation.
#[derive(Serialize, ToSchema)]
pub struct Agreement {
    pub reservation_id: i64,
    pub reference: String,
    pub owner: AgreementParty,
    pub borrower: AgreementParty,
    pub facts: Vec<AgreementFact>,
    /// The owner's text, placeholders filled, by paragraph.
    pub text: Vec<String>,
}

/// An amount as the API writes it: a decimal string.
fn money(d: Option<rust_decimal::Decimal>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// `name@host` of an association.
pub fn address(a: &Actor, domain: &str) -> String {
    if a.local {
        format!("{}@{}", a.name, domain)
    } else {
        format!("{}@{}", a.name, a.host)
    }
}

/// A resource as the API shows it.
pub fn resource(r: &domain::Resource, owner: &Actor, domain: &str) -> Resource {
    let d = &r.draft;
    Resource {
        id: r.id,
        ap_id: r.ap_id.clone(),
        owner: owner.name.clone(),
        owner_address: address(owner, domain),
        owner_name: owner.label().to_string(),
        local: owner.local,
        name: d.name.clone(),
        description: d.description.clone(),
        category: d.category.clone(),
        owner_kind: d.owner_kind.clone(),
        place: d.place.clone(),
        latitude: d.latitude,
        longitude: d.longitude,
        quantity: d.quantity,
        replacement_value: money(d.replacement_value),
        mode: d.mode,
        price_per_day: money(d.price_per_day),
        deposit: money(d.deposit),
        conditions: d.conditions.clone(),
        insurance_required: d.insurance_required,
        min_notice_hours: d.min_notice_hours,
        max_days: d.max_days,
        turnaround_hours: d.turnaround_hours,
        approval: d.approval,
        borrowers: d.borrowers,
        // Who may borrow is the owner's business: not shown for another node's resource.
        borrower_list: owner.local.then(|| d.borrower_list.clone()),
        agreement_template: d.agreement_template.clone(),
        created_at: r.created_at,
        updated_at: r.updated_at,
        free: None,
    }
}

/// A reservation as the API shows it, with its resource and both parties' addresses.
pub fn reservation(
    r: &domain::Reservation,
    resource: domain::Resource,
    owner: String,
    borrower: Option<String>,
    now: DateTime<Utc>,
) -> Reservation {
    let signed = |s: &Option<domain::Signature>| {
        s.as_ref().map(|s| Signed {
            by: s.by.clone(),
            at: s.at,
        })
    };
    Reservation {
        id: r.id,
        resource_id: r.resource_id,
        resource: resource.draft.name,
        resource_ap_id: resource.ap_id,
        owner,
        borrower,
        offer_id: r.offer_id.clone(),
        agreement_id: r.agreement_id.clone(),
        borrower_actor_id: r.borrower_actor_id,
        quantity: r.quantity,
        start: r.start,
        end: r.end,
        state: r.state,
        shown_state: r.shown_state(now).to_string(),
        overdue: r.is_overdue(now),
        reason: r.reason.clone(),
        pickup_notes: r.pickup_notes.clone(),
        return_notes: r.return_notes.clone(),
        owner_signed: signed(&r.owner_signed),
        borrower_signed: signed(&r.borrower_signed),
        created_at: r.created_at,
        updated_at: r.updated_at,
    }
}
