//! The lending agreement (convention de prêt) of an accepted reservation: both parties, the
//! items and quantities, dates, pickup place, deposit, price, conditions, replacement value,
//! and the owner's text (or the standard one) with its placeholders filled. Both sides accept it
//! online; who and when is printed on it. The same text makes the printable page and the PDF.
//!
//! Its words come from the catalogue (`eq-agr_*`), in French: the agreement is a French
//! document, whatever language its reader's pages are in.

use super::{reservations::parties, Result, ServiceError};
use crate::domain::Denial;
use crate::{
    config::Config,
    documents::{pdf::Pdf, Document, PDF},
    domain::{
        account::User,
        resource::{fill_template, LoanMode, ReservationState, Signature, DEFAULT_AGREEMENT},
    },
    i18n::{tr, tr_args, Arg, Lang},
    storage::{ActorStore, ReservationStore, ResourceStore},
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

/// The agreement, ready to be laid out.
#[derive(Debug, Clone, Serialize)]
pub struct Agreement {
    pub reservation_id: i64,
    pub reference: String,
    pub owner: String,
    pub owner_address: String,
    pub borrower: String,
    pub borrower_address: String,
    /// Label and value: items, quantity, dates, place, deposit, price, value.
    pub facts: Vec<(String, String)>,
    /// The owner's text, placeholders filled, by paragraph.
    pub paragraphs: Vec<String>,
    pub owner_signed: Option<String>,
    pub borrower_signed: Option<String>,
    pub state: ReservationState,
    pub is_owner: bool,
    pub is_borrower: bool,
}

/// An amount as a contract writes it: two decimals, a comma, "15,00 €".
fn euros(d: Decimal) -> String {
    format!("{:.2} €", d.round_dp(2)).replace('.', ",")
}

/// The language the agreement is written in.
const LANG: Lang = Lang::Fr;

/// A word or a sentence of the agreement (`eq-agr_<key>`).
fn word(key: &str) -> String {
    tr(LANG, &format!("eq-agr_{key}"))
}

/// A sentence of the agreement with its values (`eq-agr_<key>`); all are texts.
fn sentence(key: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, Arg)> = args.iter().map(|(k, v)| (*k, v.clone().into())).collect();
    tr_args(LANG, &format!("eq-agr_{key}"), &args)
}

fn when(config: &Config, t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&config.timezone());
    sentence(
        "when",
        &[
            ("date", local.format("%d/%m/%Y").to_string()),
            ("time", local.format("%H:%M").to_string()),
        ],
    )
}

fn signed(config: &Config, s: &Option<Signature>) -> Option<String> {
    s.as_ref().map(|s| {
        sentence(
            "signed",
            &[("by", s.by.clone()), ("when", when(config, s.at))],
        )
    })
}

/// Whole days a loan lasts (a started day counts), at least 1.
pub fn loan_days(start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
    let minutes = (end - start).num_minutes().max(1);
    ((minutes + 24 * 60 - 1) / (24 * 60)).max(1)
}

/// The reservation whose agreement this node gave the reference `{base}/agreements/{uuid}`
/// (the reference an agreement shows, and links to): its id, for its page.
pub async fn reservation_of_reference(
    store: &dyn ReservationStore,
    config: &Config,
    uuid: &str,
) -> Result<i64> {
    let reference = format!("{}/agreements/{uuid}", config.base());
    store
        .find_reservation_by_agreement(&reference)
        .await?
        .map(|r| r.id)
        .ok_or(ServiceError::NotFound("agreement"))
}

/// The agreement of reservation `id`, for one of its parties, once accepted.
pub async fn agreement<S: ActorStore + ReservationStore + ResourceStore + ?Sized>(
    store: &S,
    config: &Config,
    user: &User,
    id: i64,
) -> Result<Agreement> {
    let p = parties(store, user, id).await?;
    let r = &p.reservation;
    if !matches!(
        r.state,
        ReservationState::Accepted | ReservationState::PickedUp | ReservationState::Returned
    ) {
        return Err(ServiceError::Conflict(Denial::new("agreement_not_yet")));
    }
    let d = &p.resource.draft;
    let borrower = p
        .borrower
        .as_ref()
        .ok_or(ServiceError::NotFound("borrower"))?;
    let address = |a: &crate::domain::actor::Actor| {
        if a.local {
            format!("{}@{}", a.name, config.domain())
        } else {
            format!("{}@{}", a.name, a.host)
        }
    };
    let days = loan_days(r.start, r.end);
    let price = match d.mode {
        LoanMode::FreeLoan => word("price_free"),
        LoanMode::Exchange => word("price_exchange"),
        LoanMode::Rental => {
            let per_day = d.price_per_day.unwrap_or_default();
            let total = per_day * Decimal::from(days) * Decimal::from(r.quantity);
            sentence(
                "price_rental",
                &[
                    ("per_day", euros(per_day)),
                    ("days", days.to_string()),
                    ("quantity", r.quantity.to_string()),
                    ("total", euros(total)),
                ],
            )
        }
    };
    let deposit = d.deposit.map(euros).unwrap_or_else(|| word("no_deposit"));
    let value = d
        .replacement_value
        .map(|v| sentence("value_per_unit", &[("value", euros(v))]))
        .unwrap_or_else(|| word("no_value"));
    let place = if d.place.is_empty() {
        word("place_to_agree")
    } else {
        d.place.clone()
    };
    let conditions = if d.conditions.is_empty() {
        word("no_conditions")
    } else {
        d.conditions.clone()
    };
    let values = [
        ("owner", p.owner.label().to_string()),
        ("borrower", borrower.label().to_string()),
        ("resource", d.name.clone()),
        ("quantity", r.quantity.to_string()),
        ("start", when(config, r.start)),
        ("end", when(config, r.end)),
        ("place", place.clone()),
        ("deposit", deposit.clone()),
        ("price", price.clone()),
        ("replacement_value", value.clone()),
        ("conditions", conditions.clone()),
    ];
    let template = if d.agreement_template.is_empty() {
        DEFAULT_AGREEMENT
    } else {
        &d.agreement_template
    };
    let paragraphs = fill_template(template, &values)
        .split("\n\n")
        .map(|p| p.trim().replace('\n', " "))
        .filter(|p| !p.is_empty())
        .collect();
    let mut facts = vec![
        (word("items"), d.name.clone()),
        (word("quantity"), r.quantity.to_string()),
        (word("pickup"), when(config, r.start)),
        (word("return"), when(config, r.end)),
        (word("place"), place),
        (word("deposit"), deposit),
        (word("price"), price),
        (word("value"), value),
    ];
    if d.insurance_required {
        facts.push((word("insurance"), word("insured")));
    }
    if !r.pickup_notes.is_empty() {
        facts.push((word("state_at_pickup"), r.pickup_notes.clone()));
    }
    if !r.return_notes.is_empty() {
        facts.push((word("state_at_return"), r.return_notes.clone()));
    }
    Ok(Agreement {
        reservation_id: r.id,
        reference: r.agreement_id.clone().unwrap_or_else(|| r.offer_id.clone()),
        owner: p.owner.label().to_string(),
        owner_address: address(&p.owner),
        borrower: borrower.label().to_string(),
        borrower_address: address(borrower),
        facts,
        paragraphs,
        owner_signed: signed(config, &r.owner_signed),
        borrower_signed: signed(config, &r.borrower_signed),
        state: r.state,
        is_owner: p.is_owner,
        is_borrower: p.is_borrower,
    })
}

/// The agreement as a PDF.
pub fn pdf(a: &Agreement) -> Result<Document> {
    let party = |name: &str, address: &str| {
        sentence(
            "party",
            &[("name", name.to_string()), ("address", address.to_string())],
        )
    };
    let acceptance = |signed: &Option<String>| signed.clone().unwrap_or_else(|| word("pending"));
    let mut pdf = Pdf::new(&sentence("pdf_title", &[("owner", a.owner.clone())]))?;
    pdf.heading(1, &word("title"));
    pdf.text(
        &sentence("reference", &[("reference", a.reference.clone())]),
        9.0,
        false,
    );
    pdf.space(6.0);
    pdf.heading(2, &word("between"));
    pdf.facts(&[
        (word("lender"), party(&a.owner, &a.owner_address)),
        (word("borrower"), party(&a.borrower, &a.borrower_address)),
    ]);
    pdf.heading(2, &word("object"));
    pdf.facts(&a.facts);
    pdf.heading(2, &word("commitments"));
    for p in &a.paragraphs {
        pdf.paragraph(p);
    }
    pdf.heading(2, &word("acceptance"));
    pdf.paragraph(&sentence(
        "for_lender",
        &[("signed", acceptance(&a.owner_signed))],
    ));
    pdf.paragraph(&sentence(
        "for_borrower",
        &[("signed", acceptance(&a.borrower_signed))],
    ));
    Ok(Document {
        filename: sentence("filename", &[("id", a.reservation_id.to_string())]),
        content_type: PDF,
        bytes: pdf.finish()?,
    })
}

#[cfg(test)]
mod tests {
    use super::loan_days;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn a_started_day_counts() {
        let s = Utc
            .with_ymd_and_hms(2031, 6, 14, 9, 0, 0)
            .single()
            .expect("date");
        assert_eq!(loan_days(s, s + Duration::hours(9)), 1);
        assert_eq!(loan_days(s, s + Duration::hours(24)), 1);
        assert_eq!(loan_days(s, s + Duration::hours(25)), 2);
        assert_eq!(loan_days(s, s + Duration::days(3)), 3);
    }
}
