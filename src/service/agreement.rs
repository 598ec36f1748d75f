//! The lending agreement (convention de prêt) of an accepted reservation: both parties, the
//! items and quantities, dates, pickup place, deposit, price, conditions, replacement value,
//! and the owner's text (or the standard one) with its placeholders filled. Both sides accept it
//! online; who and when is printed on it. The same text makes the printable page and the PDF.

use super::{reservations::parties, Result, ServiceError};
use crate::{
    config::Config,
    documents::{pdf::Pdf, Document, PDF},
    domain::{
        account::User,
        resource::{fill_template, LoanMode, ReservationState, Signature, DEFAULT_AGREEMENT},
    },
    storage::Store,
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

fn when(config: &Config, t: DateTime<Utc>) -> String {
    t.with_timezone(&config.timezone())
        .format("%d/%m/%Y à %H:%M")
        .to_string()
}

fn signed(config: &Config, s: &Option<Signature>) -> Option<String> {
    s.as_ref()
        .map(|s| format!("Acceptée en ligne par {} le {}", s.by, when(config, s.at)))
}

/// Whole days a loan lasts (a started day counts), at least 1.
pub fn loan_days(start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
    let minutes = (end - start).num_minutes().max(1);
    ((minutes + 24 * 60 - 1) / (24 * 60)).max(1)
}

/// The agreement of reservation `id`, for one of its parties, once accepted.
pub async fn agreement(
    store: &dyn Store,
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
        return Err(ServiceError::Conflict(
            "the lending agreement exists once the request is accepted".into(),
        ));
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
        LoanMode::FreeLoan => "gratuit (prêt)".to_string(),
        LoanMode::Exchange => "échange (contrepartie convenue entre les parties)".to_string(),
        LoanMode::Rental => {
            let per_day = d.price_per_day.unwrap_or_default();
            let total = per_day * Decimal::from(days) * Decimal::from(r.quantity);
            format!(
                "{} par jour et par unité × {days} jour(s) × {} = {}",
                euros(per_day),
                r.quantity,
                euros(total)
            )
        }
    };
    let deposit = d.deposit.map(euros).unwrap_or_else(|| "aucun".to_string());
    let value = d
        .replacement_value
        .map(|v| format!("{} par unité", euros(v)))
        .unwrap_or_else(|| "non précisée".to_string());
    let place = if d.place.is_empty() {
        "à convenir entre les parties".to_string()
    } else {
        d.place.clone()
    };
    let conditions = if d.conditions.is_empty() {
        "aucune".to_string()
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
        ("Matériel".to_string(), d.name.clone()),
        ("Quantité".to_string(), r.quantity.to_string()),
        ("Retrait".to_string(), when(config, r.start)),
        ("Retour".to_string(), when(config, r.end)),
        ("Lieu de retrait et de retour".to_string(), place),
        ("Dépôt de garantie".to_string(), deposit),
        ("Prix".to_string(), price),
        ("Valeur de remplacement".to_string(), value),
    ];
    if d.insurance_required {
        facts.push((
            "Assurance".to_string(),
            "l'emprunteur est assuré pour ce matériel".to_string(),
        ));
    }
    if !r.pickup_notes.is_empty() {
        facts.push(("État au retrait".to_string(), r.pickup_notes.clone()));
    }
    if !r.return_notes.is_empty() {
        facts.push(("État au retour".to_string(), r.return_notes.clone()));
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
    let mut pdf = Pdf::new(&format!("Convention de prêt — {}", a.owner))?;
    pdf.heading(1, "Convention de prêt de matériel");
    pdf.text(&format!("Référence : {}", a.reference), 9.0, false);
    pdf.space(6.0);
    pdf.heading(2, "Entre les parties");
    pdf.facts(&[
        (
            "Le prêteur".into(),
            format!("{} ({})", a.owner, a.owner_address),
        ),
        (
            "L'emprunteur".into(),
            format!("{} ({})", a.borrower, a.borrower_address),
        ),
    ]);
    pdf.heading(2, "Objet du prêt");
    pdf.facts(&a.facts);
    pdf.heading(2, "Engagements");
    for p in &a.paragraphs {
        pdf.paragraph(p);
    }
    pdf.heading(2, "Acceptation");
    pdf.paragraph(&format!(
        "Pour le prêteur : {}",
        a.owner_signed
            .clone()
            .unwrap_or_else(|| "EN ATTENTE d'acceptation en ligne".into())
    ));
    pdf.paragraph(&format!(
        "Pour l'emprunteur : {}",
        a.borrower_signed
            .clone()
            .unwrap_or_else(|| "EN ATTENTE d'acceptation en ligne".into())
    ));
    Ok(Document {
        filename: format!("convention-de-pret-{}.pdf", a.reservation_id),
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
