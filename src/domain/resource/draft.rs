//! What people send to describe a resource ([`ResourceInput`]) and its checked form
//! ([`ResourceDraft`]): the rules a resource's description and terms must follow.

use super::{
    agreement::unknown_placeholder, Approval, Borrowers, LoanMode, AGREEMENT_PLACEHOLDERS,
    OWNER_KINDS, RESOURCE_CATEGORIES,
};
use crate::domain::{DomainError, FieldError, FieldErrors};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

const MAX_NAME: usize = 120;
const MAX_TEXT: usize = 5000;
/// The largest pool (chairs of a whole town).
const MAX_QUANTITY: i64 = 100_000;
/// Money: at most this many euros for a value, a price or a deposit.
const MAX_AMOUNT: i64 = 10_000_000;
/// What people send to describe a resource. Every field may be left out of a change.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ResourceInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
    /// association, cooperative, craftsman, company or local_authority.
    pub owner_kind: Option<String>,
    /// Pickup address, as people write it.
    pub place: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// How many identical items (1 for a unique one).
    pub quantity: Option<i64>,
    /// Euros, as a decimal string or number.
    pub replacement_value: Option<serde_json::Value>,
    /// free_loan, rental or exchange.
    pub mode: Option<String>,
    pub price_per_day: Option<serde_json::Value>,
    pub deposit: Option<serde_json::Value>,
    pub conditions: Option<String>,
    pub insurance_required: Option<bool>,
    /// Hours between the request and the pickup, at least.
    pub min_notice_hours: Option<i64>,
    /// Longest loan, in days.
    pub max_days: Option<i64>,
    /// Hours kept free between two loans (cleaning, transport).
    pub turnaround_hours: Option<i64>,
    /// automatic or manual.
    pub approval: Option<String>,
    /// `everyone`, `followed` or `list`.
    pub borrowers: Option<String>,
    /// Associations allowed when `borrowers` is `list`: `name@host`, one per item.
    pub borrower_list: Option<Vec<String>>,
    /// The lending agreement's text, with `{placeholders}`; empty for the standard one.
    pub agreement_template: Option<String>,
}

/// A checked resource description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceDraft {
    pub name: String,
    pub description: String,
    pub category: String,
    pub owner_kind: String,
    pub place: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub quantity: i64,
    pub replacement_value: Option<Decimal>,
    pub mode: LoanMode,
    pub price_per_day: Option<Decimal>,
    pub deposit: Option<Decimal>,
    pub conditions: String,
    pub insurance_required: bool,
    pub min_notice_hours: i64,
    pub max_days: i64,
    pub turnaround_hours: i64,
    pub approval: Approval,
    pub borrowers: Borrowers,
    pub borrower_list: Vec<String>,
    /// Empty: [`DEFAULT_AGREEMENT`].
    pub agreement_template: String,
}

fn amount(v: &serde_json::Value, field: &str, errors: &mut FieldErrors) -> Option<Decimal> {
    let d = match v {
        serde_json::Value::Null => return None,
        serde_json::Value::String(s) if s.trim().is_empty() => return None,
        serde_json::Value::String(s) => Decimal::from_str(&s.trim().replace(',', ".")).ok(),
        serde_json::Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    };
    match d {
        None => {
            errors.add(field, FieldError::new("amount"));
            None
        }
        Some(d) if d.is_sign_negative() && !d.is_zero() => {
            errors.add(field, FieldError::new("amount_negative"));
            None
        }
        Some(d) if d > Decimal::from(MAX_AMOUNT) || d.scale() > 2 => {
            errors.add(field, FieldError::new("amount_decimals"));
            None
        }
        Some(d) => Some(d),
    }
}

/// A blank item lent for free to everyone, asked 24 hours ahead for at most 7 days, each request
/// answered by a coordinator: what a new resource starts from, and what tests set fields on
/// (`..ResourceDraft::default()`).
impl Default for ResourceDraft {
    fn default() -> Self {
        ResourceDraft {
            name: String::new(),
            description: String::new(),
            category: "other".into(),
            owner_kind: "association".into(),
            place: String::new(),
            latitude: None,
            longitude: None,
            quantity: 1,
            replacement_value: None,
            mode: LoanMode::FreeLoan,
            price_per_day: None,
            deposit: None,
            conditions: String::new(),
            insurance_required: false,
            min_notice_hours: 24,
            max_days: 7,
            turnaround_hours: 0,
            approval: Approval::Manual,
            borrowers: Borrowers::Everyone,
            borrower_list: Vec::new(),
            agreement_template: String::new(),
        }
    }
}

impl ResourceDraft {
    /// A new resource from what was sent.
    pub fn parse(input: &ResourceInput) -> Result<ResourceDraft, DomainError> {
        let base = ResourceDraft::default();
        let mut errors = FieldErrors::new();
        if input
            .name
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .is_empty()
        {
            errors.add("name", FieldError::new("required"));
        }
        match base.apply_into(input, errors) {
            Ok(d) => Ok(d),
            Err(e) => Err(e),
        }
    }

    /// This resource with the fields that were sent changed.
    pub fn apply(&self, input: &ResourceInput) -> Result<ResourceDraft, DomainError> {
        self.apply_into(input, FieldErrors::new())
    }

    fn apply_into(
        &self,
        input: &ResourceInput,
        mut errors: FieldErrors,
    ) -> Result<ResourceDraft, DomainError> {
        let mut d = self.clone();
        if let Some(n) = &input.name {
            d.name = n.trim().to_string();
            if d.name.is_empty() {
                errors.add("name", FieldError::new("required"));
            } else if d.name.chars().count() > MAX_NAME {
                errors.add(
                    "name",
                    FieldError::new("at_most_chars").num("max", MAX_NAME),
                );
            }
        }
        for (field, given, slot) in [
            ("description", &input.description, &mut d.description),
            ("conditions", &input.conditions, &mut d.conditions),
            ("place", &input.place, &mut d.place),
        ] {
            if let Some(v) = given {
                *slot = v.trim().to_string();
                if slot.chars().count() > MAX_TEXT {
                    errors.add(field, FieldError::new("at_most_chars").num("max", MAX_TEXT));
                }
            }
        }
        if let Some(c) = &input.category {
            if RESOURCE_CATEGORIES.contains(&c.as_str()) {
                d.category = c.clone();
            } else {
                errors.add(
                    "category",
                    FieldError::new("one_of").text("list", RESOURCE_CATEGORIES.join(", ")),
                );
            }
        }
        if let Some(k) = &input.owner_kind {
            if OWNER_KINDS.contains(&k.as_str()) {
                d.owner_kind = k.clone();
            } else {
                errors.add(
                    "owner_kind",
                    FieldError::new("one_of").text("list", OWNER_KINDS.join(", ")),
                );
            }
        }
        if input.latitude.is_some() || input.longitude.is_some() {
            match (input.latitude, input.longitude) {
                (Some(lat), Some(lon))
                    if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
                {
                    d.latitude = Some(lat);
                    d.longitude = Some(lon);
                }
                (Some(_), Some(_)) => errors.add("latitude", FieldError::new("not_on_earth")),
                _ => errors.add("latitude", FieldError::new("lat_lon_together")),
            }
        }
        if let Some(q) = input.quantity {
            if (1..=MAX_QUANTITY).contains(&q) {
                d.quantity = q;
            } else {
                errors.add(
                    "quantity",
                    FieldError::new("between")
                        .num("min", 1)
                        .num("max", MAX_QUANTITY),
                );
            }
        }
        if let Some(m) = &input.mode {
            match LoanMode::parse(m) {
                Some(m) => d.mode = m,
                None => errors.add("mode", FieldError::new("loan_mode")),
            }
        }
        if let Some(a) = &input.approval {
            match Approval::parse(a) {
                Some(a) => d.approval = a,
                None => errors.add("approval", FieldError::new("approval")),
            }
        }
        if let Some(v) = &input.replacement_value {
            d.replacement_value = amount(v, "replacement_value", &mut errors);
        }
        if let Some(v) = &input.price_per_day {
            d.price_per_day = amount(v, "price_per_day", &mut errors);
        }
        if let Some(v) = &input.deposit {
            d.deposit = amount(v, "deposit", &mut errors);
        }
        if let Some(b) = input.insurance_required {
            d.insurance_required = b;
        }
        for (field, given, slot, max) in [
            (
                "min_notice_hours",
                input.min_notice_hours,
                &mut d.min_notice_hours,
                24 * 365,
            ),
            ("max_days", input.max_days, &mut d.max_days, 366),
            (
                "turnaround_hours",
                input.turnaround_hours,
                &mut d.turnaround_hours,
                24 * 31,
            ),
        ] {
            if let Some(v) = given {
                if (0..=max).contains(&v) {
                    *slot = v;
                } else {
                    errors.add(
                        field,
                        FieldError::new("between").num("min", 0).num("max", max),
                    );
                }
            }
        }
        if let Some(b) = &input.borrowers {
            match Borrowers::parse(b) {
                Some(b) => d.borrowers = b,
                None => errors.add("borrowers", FieldError::new("borrowers")),
            }
        }
        if let Some(list) = &input.borrower_list {
            let mut clean = Vec::new();
            for item in list {
                let a = item.trim().trim_start_matches('@').to_lowercase();
                if a.is_empty() {
                    continue;
                }
                match a.split_once('@') {
                    Some((n, h)) if !n.is_empty() && !h.is_empty() && !h.contains('@') => {
                        if !clean.contains(&a) {
                            clean.push(a)
                        }
                    }
                    _ => errors.add(
                        "borrower_list",
                        FieldError::new("not_an_address").text("value", item.trim()),
                    ),
                }
            }
            if clean.len() > 500 {
                errors.add(
                    "borrower_list",
                    FieldError::new("too_many_associations").num("max", 500),
                );
            }
            d.borrower_list = clean;
        }
        if d.borrowers == Borrowers::List && d.borrower_list.is_empty() {
            errors.add("borrower_list", FieldError::new("no_association_listed"));
        }
        if let Some(t) = &input.agreement_template {
            d.agreement_template = t.trim().to_string();
            if d.agreement_template.chars().count() > MAX_TEXT * 4 {
                errors.add(
                    "agreement_template",
                    FieldError::new("at_most_chars").num("max", MAX_TEXT * 4),
                );
            }
            if let Some(bad) = unknown_placeholder(&d.agreement_template) {
                errors.add(
                    "agreement_template",
                    FieldError::new("unknown_placeholder")
                        .text("value", format!("{{{bad}}}"))
                        .text(
                            "list",
                            AGREEMENT_PLACEHOLDERS
                                .iter()
                                .map(|p| format!("{{{p}}}"))
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                );
            }
        }
        if d.max_days < 1 {
            errors.add("max_days", FieldError::new("at_least").num("min", 1));
        }
        if d.mode == LoanMode::Rental && d.price_per_day.is_none() {
            errors.add("price_per_day", FieldError::new("price_for_rental"));
        }
        errors.into_result(d)
    }
}
