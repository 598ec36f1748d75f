//! The form that adds or changes a resource: its fields as typed, what the service reads
//! from them, and the page that shows it (with the resource's files and what was refused).

use super::super::{category_label, errors_view, owner_kind_label, words};
use crate::{
    domain::{
        resource::{Resource, ResourceInput, OWNER_KINDS, RESOURCE_CATEGORIES},
        FieldErrors,
    },
    http::web::Page,
    service::files::ResourceFile,
};
use axum::{http::StatusCode, response::Response};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

/// The form's fields, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct ResourceForm {
    name: String,
    description: String,
    category: String,
    owner_kind: String,
    /// Located when saved (no coordinates are typed by hand).
    place: String,
    quantity: String,
    mode: String,
    price_per_day: String,
    deposit: String,
    replacement_value: String,
    conditions: String,
    insurance_required: Option<String>,
    min_notice_hours: String,
    max_days: String,
    turnaround_hours: String,
    approval: String,
    borrowers: String,
    borrower_list: String,
    agreement_template: String,
}

impl ResourceForm {
    pub(super) fn of(r: &Resource) -> ResourceForm {
        let d = &r.draft;
        let money = |m: Option<rust_decimal::Decimal>| m.map(|v| v.to_string()).unwrap_or_default();
        ResourceForm {
            name: d.name.clone(),
            description: d.description.clone(),
            category: d.category.clone(),
            owner_kind: d.owner_kind.clone(),
            place: d.place.clone(),
            quantity: d.quantity.to_string(),
            mode: d.mode.as_str().into(),
            price_per_day: money(d.price_per_day),
            deposit: money(d.deposit),
            replacement_value: money(d.replacement_value),
            conditions: d.conditions.clone(),
            insurance_required: d.insurance_required.then(|| "on".into()),
            min_notice_hours: d.min_notice_hours.to_string(),
            max_days: d.max_days.to_string(),
            turnaround_hours: d.turnaround_hours.to_string(),
            approval: d.approval.as_str().into(),
            borrowers: d.borrowers.as_str().into(),
            borrower_list: d.borrower_list.join("\n"),
            agreement_template: d.agreement_template.clone(),
        }
    }

    pub(super) fn blank() -> ResourceForm {
        ResourceForm {
            category: "furniture".into(),
            owner_kind: "association".into(),
            quantity: "1".into(),
            mode: "free_loan".into(),
            min_notice_hours: "48".into(),
            max_days: "7".into(),
            turnaround_hours: "0".into(),
            approval: "manual".into(),
            borrowers: "everyone".into(),
            ..ResourceForm::default()
        }
    }

    /// What the service reads; numbers that are not numbers are refused here, by field.
    pub(super) fn input(&self) -> Result<ResourceInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let int = |s: &str, f: &str, errors: &mut FieldErrors| {
            let s = s.trim();
            if s.is_empty() {
                return None;
            }
            match s.parse::<i64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.add(f, crate::domain::FieldError::new("whole_number"));
                    None
                }
            }
        };
        let money = |s: &str| Some(serde_json::Value::String(s.trim().to_string()));
        let input = ResourceInput {
            name: Some(self.name.clone()),
            description: Some(self.description.clone()),
            category: Some(self.category.clone()),
            owner_kind: Some(self.owner_kind.clone()),
            place: Some(self.place.clone()),
            latitude: None,
            longitude: None,
            quantity: int(&self.quantity, "quantity", &mut errors),
            replacement_value: money(&self.replacement_value),
            mode: Some(self.mode.clone()),
            price_per_day: money(&self.price_per_day),
            deposit: money(&self.deposit),
            conditions: Some(self.conditions.clone()),
            insurance_required: Some(self.insurance_required.is_some()),
            min_notice_hours: int(&self.min_notice_hours, "min_notice_hours", &mut errors),
            max_days: int(&self.max_days, "max_days", &mut errors),
            turnaround_hours: int(&self.turnaround_hours, "turnaround_hours", &mut errors),
            approval: Some(self.approval.clone()),
            borrowers: Some(self.borrowers.clone()),
            borrower_list: Some(self.borrower_list.lines().map(str::to_string).collect()),
            agreement_template: Some(self.agreement_template.clone()),
        };
        if errors.0.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

const ORDER: [&str; 19] = [
    "name",
    "description",
    "category",
    "owner_kind",
    "place",
    "quantity",
    "mode",
    "price_per_day",
    "deposit",
    "replacement_value",
    "conditions",
    "min_notice_hours",
    "max_days",
    "turnaround_hours",
    "approval",
    "borrowers",
    "borrower_list",
    "agreement_template",
    "file",
];

/// The association whose equipment the form adds to or changes.
pub(super) struct Owner<'a> {
    pub name: &'a str,
    pub label: &'a str,
}

/// The form page: blank, a resource's terms with its files, or as sent with what was refused
/// (422), and a notice after saving.
pub(super) fn form_page(
    page: &Page,
    owner: Owner<'_>,
    resource: Option<(&Resource, &[ResourceFile])>,
    form: &ResourceForm,
    errors: Option<&FieldErrors>,
    notice: Option<String>,
) -> Response {
    let lang = page.lang;
    let (field_errors, error_box) = match errors {
        Some(e) => {
            let (f, b) = errors_view(lang, e, &ORDER, str::to_string);
            (f, Some(b))
        }
        None => (Default::default(), None),
    };
    let categories: Vec<Value> = RESOURCE_CATEGORIES
        .iter()
        .map(|c| context! { value => c, label => category_label(lang, c) })
        .collect();
    let kinds: Vec<Value> = OWNER_KINDS
        .iter()
        .map(|k| context! { value => k, label => owner_kind_label(lang, k) })
        .collect();
    let status = if error_box.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (id, files) = match resource {
        Some((r, files)) => (
            Some(r.id),
            files
                .iter()
                .map(|f| context! { id => f.id, name => f.name, kind => f.kind, photo => f.kind == "photo" })
                .collect(),
        ),
        None => (None, Vec::new()),
    };
    page.render_status(
        "resource_form.html",
        context! {
            e => words(lang), name => owner.name, association => owner.label, id => id,
            values => Value::from_serialize(form), insurance => form.insurance_required.is_some(),
            categories => categories, kinds => kinds, files => files,
            field_errors => field_errors, error_box => error_box, notice => notice,
        },
        status,
    )
}
