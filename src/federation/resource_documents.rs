//! The documents of shared equipment we publish (see [`super::resources`] for what they mean):
//! a resource's `Page` with its busy periods, the `Agreement` of a reservation, and the
//! `Offer{Agreement}` our association sends to borrow. Built from the wire structs of
//! [`super::protocol::resource`].

use super::{
    error::FedError,
    outbox::followers_of,
    protocol::{
        Activity, ActivityType, Agreement, Attachment, Commitment, Intent, OrderedCollection, Page,
        PlaceJson, Quantity, Signed, PUBLIC,
    },
};
use crate::{
    domain::{
        actor::Actor,
        resource::{BusyPeriod, LoanMode, Reservation, Resource, Signature},
    },
    service::resources,
    state::Context,
    storage::ResourceFile,
};
use serde_json::Value;

/// The busy periods as an ordered collection (no borrower named).
pub fn availability_collection(r: &Resource, busy: &[BusyPeriod]) -> OrderedCollection<Commitment> {
    let items = busy
        .iter()
        .map(|b| Commitment {
            kind: "Commitment".into(),
            action: "use".into(),
            satisfies: None,
            resource_inventoried_as: None,
            provider: None,
            receiver: None,
            resource_quantity: Quantity::items(b.quantity),
            has_beginning: b.start.to_rfc3339(),
            has_end: b.end.to_rfc3339(),
        })
        .collect();
    OrderedCollection::of(format!("{}/availability", r.ap_id), items)
}

/// A one-line summary Mastodon shows under the name.
fn summary(r: &Resource) -> String {
    let d = &r.draft;
    let mode = match d.mode {
        LoanMode::FreeLoan => "prêt gratuit".to_string(),
        LoanMode::Rental => format!(
            "location {} €/jour",
            d.price_per_day.map(|p| p.to_string()).unwrap_or_default()
        ),
        LoanMode::Exchange => "échange".to_string(),
    };
    let mut parts = vec![format!("{} × {}", d.quantity, d.name), mode];
    if !d.place.is_empty() {
        parts.push(d.place.clone());
    }
    parts.join(" · ")
}

/// The `Page` of one of our resources.
pub fn resource_page(
    ctx: &Context,
    r: &Resource,
    owner: &Actor,
    busy: &[BusyPeriod],
    files: &[ResourceFile],
) -> Page {
    let d = &r.draft;
    let escape = crate::service::text::escape_html;
    let mut content = format!("<p>{}</p>", escape(&d.description).replace('\n', "<br>"));
    if !d.conditions.is_empty() {
        content.push_str(&format!(
            "<p>Conditions : {}</p>",
            escape(&d.conditions).replace('\n', "<br>")
        ));
    }
    let attachment = files
        .iter()
        .map(|f| Attachment {
            kind: if f.kind == "photo" {
                "Image"
            } else {
                "Document"
            }
            .into(),
            media_type: f.content_type.clone(),
            url: format!("{}/files/{}", ctx.config.base(), f.id),
            name: f.name.clone(),
        })
        .collect();
    let location = (!d.place.is_empty() || d.latitude.is_some()).then(|| {
        let (latitude, longitude) = match (d.latitude, d.longitude) {
            (Some(lat), Some(lon)) => (Some(lat), Some(lon)),
            _ => (None, None),
        };
        PlaceJson {
            kind: "Place".into(),
            name: Some(d.place.clone()),
            address: Some(Value::String(d.place.clone())),
            latitude,
            longitude,
        }
    });
    Page {
        id: r.ap_id.clone(),
        kind: "Page".into(),
        attributed_to: owner.ap_id.clone(),
        name: d.name.clone(),
        summary: summary(r),
        content,
        media_type: "text/html".into(),
        url: r.ap_id.clone(),
        to: vec![PUBLIC.to_string()],
        cc: vec![followers_of(owner)],
        published: r.created_at.to_rfc3339(),
        updated: r.updated_at.to_rfc3339(),
        purpose: "offer".into(),
        unit_based: true,
        publishes: Intent {
            id: format!("{}#primary", r.ap_id),
            kind: "Intent".into(),
            action: "use".into(),
            resource_conforms_to: format!("{}{}", super::context::ENTRAIDE_NS, d.category),
            resource_quantity: Quantity::items(d.quantity),
            available_quantity: Quantity::items(d.quantity),
            minimum_quantity: Quantity::items(1),
        },
        category: d.category.clone(),
        owner_kind: d.owner_kind.clone(),
        loan_mode: d.mode.as_str().into(),
        price_per_day: d.price_per_day.map(|m| m.to_string()),
        deposit: d.deposit.map(|m| m.to_string()),
        replacement_value: d.replacement_value.map(|m| m.to_string()),
        conditions: d.conditions.clone(),
        description: d.description.clone(),
        insurance_required: d.insurance_required,
        min_notice_hours: d.min_notice_hours,
        max_days: d.max_days,
        turnaround_hours: d.turnaround_hours,
        approval: d.approval.as_str().into(),
        borrowers: d.borrowers.as_str().into(),
        // The owner's text of the lending agreement (empty: the standard one), so that the
        // borrower's server prints the same agreement.
        agreement_template: d.agreement_template.clone(),
        availability: availability_collection(r, busy),
        attachment,
        location,
    }
}

/// The `Page` of one of our resources, with what it needs read from the store.
pub async fn resource_document(ctx: &Context, r: &Resource) -> Result<Page, FedError> {
    let owner = ctx.store.get_actor(r.actor_id).await?;
    let busy = resources::busy_periods(ctx.store.as_ref(), r, ctx.clock.now()).await?;
    let files = ctx.store.list_resource_files(r.id).await?;
    Ok(resource_page(ctx, r, &owner, &busy, &files))
}

/// What a reservation stipulates: the use of `quantity` of the resource over its period.
fn commitment(r: &Reservation, resource: &Resource, owner: &Actor, borrower: &Actor) -> Commitment {
    Commitment {
        kind: "Commitment".into(),
        action: "use".into(),
        satisfies: Some(format!("{}#primary", resource.ap_id)),
        resource_inventoried_as: Some(resource.ap_id.clone()),
        provider: Some(owner.ap_id.clone()),
        receiver: Some(borrower.ap_id.clone()),
        resource_quantity: Quantity::items(r.quantity),
        has_beginning: r.start.to_rfc3339(),
        has_end: r.end.to_rfc3339(),
    }
}

/// Who accepted the agreement, as sent.
pub fn signed(s: &Signature) -> Signed {
    Signed {
        by: s.by.clone(),
        at: s.at.to_rfc3339(),
    }
}

/// The `Agreement` of an accepted reservation, as the owner publishes it to the borrower.
pub fn agreement(
    r: &Reservation,
    resource: &Resource,
    owner: &Actor,
    borrower: &Actor,
) -> Agreement {
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Agreement {
        attributed_to: Some(owner.ap_id.clone()),
        to: Some(vec![borrower.ap_id.clone()]),
        url: r.agreement_id.clone(),
        stipulates: Some(commitment(r, resource, owner, borrower)),
        state: Some(r.state.as_str().into()),
        pickup_notes: text(&r.pickup_notes),
        return_notes: text(&r.return_notes),
        owner_signed: r.owner_signed.as_ref().map(signed),
        borrower_signed: r.borrower_signed.as_ref().map(signed),
        ..Agreement::named(r.agreement_id.clone())
    }
}

/// The `Offer{Agreement}` our association sends for another node's resource.
pub fn offer(
    r: &Reservation,
    resource: &Resource,
    owner: &Actor,
    borrower: &Actor,
) -> Activity<Agreement> {
    let agreement = Agreement {
        stipulates: Some(commitment(r, resource, owner, borrower)),
        ..Agreement::named(None)
    };
    Activity::new(
        r.offer_id.clone(),
        ActivityType::Offer,
        &borrower.ap_id,
        vec![owner.ap_id.clone()],
        agreement,
    )
    .dated(r.created_at.to_rfc3339())
}
