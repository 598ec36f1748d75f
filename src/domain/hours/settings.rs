//! An association's choices for volunteer hours: moderation, and the rates the hours and
//! kilometres are valued at.

use super::{decimal_from_json, DEFAULT_HOURLY_RATE, DEFAULT_MILEAGE_RATE};
use crate::domain::{mission::CATEGORIES, DomainError, FieldError, FieldErrors};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, str::FromStr};

/// Highest rate accepted, per hour or per km.
const MAX_RATE: i64 = 1000;
/// An association's choices: moderation and rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursSettings {
    /// Entries by volunteers wait for a coordinator (true) or count at once (false).
    pub moderation: bool,
    /// Euros per hour.
    pub hourly_rate: Decimal,
    /// Euros per hour for some categories, instead of `hourly_rate`.
    pub category_rates: BTreeMap<String, Decimal>,
    /// Euros per km.
    pub mileage_rate: Decimal,
}

impl Default for HoursSettings {
    fn default() -> Self {
        HoursSettings {
            moderation: true,
            hourly_rate: Decimal::from_str(DEFAULT_HOURLY_RATE).unwrap_or_default(),
            category_rates: BTreeMap::new(),
            mileage_rate: Decimal::from_str(DEFAULT_MILEAGE_RATE).unwrap_or_default(),
        }
    }
}

/// A change of settings; fields left out stay as they are.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SettingsInput {
    pub moderation: Option<bool>,
    pub hourly_rate: Option<serde_json::Value>,
    /// Replaces all category rates.
    pub category_rates: Option<BTreeMap<String, serde_json::Value>>,
    pub mileage_rate: Option<serde_json::Value>,
}

fn rate(v: &serde_json::Value, field: &str, errors: &mut FieldErrors) -> Option<Decimal> {
    match decimal_from_json(v) {
        Some(r) if r.is_sign_negative() && !r.is_zero() => {
            errors.add(field, FieldError::new("negative"));
            None
        }
        Some(r) if r > Decimal::from(MAX_RATE) => {
            errors.add(field, FieldError::new("rate_max").num("max", MAX_RATE));
            None
        }
        Some(r) if r.scale() > 4 => {
            errors.add(field, FieldError::new("decimals").num("max", 4));
            None
        }
        Some(r) => Some(r.normalize()),
        None => {
            errors.add(field, FieldError::new("rate"));
            None
        }
    }
}

impl HoursSettings {
    pub fn apply(&self, input: &SettingsInput) -> Result<HoursSettings, DomainError> {
        let mut errors = FieldErrors::new();
        let mut s = self.clone();
        if let Some(m) = input.moderation {
            s.moderation = m;
        }
        if let Some(v) = &input.hourly_rate {
            if let Some(r) = rate(v, "hourly_rate", &mut errors) {
                s.hourly_rate = r;
            }
        }
        if let Some(v) = &input.mileage_rate {
            if let Some(r) = rate(v, "mileage_rate", &mut errors) {
                s.mileage_rate = r;
            }
        }
        if let Some(rates) = &input.category_rates {
            s.category_rates.clear();
            for (code, v) in rates {
                let field = format!("category_rates.{code}");
                if !CATEGORIES.iter().any(|k| k.0 == code) {
                    errors.add(&field, FieldError::new("unknown_category"));
                } else if let Some(r) = rate(v, &field, &mut errors) {
                    s.category_rates.insert(code.clone(), r);
                }
            }
        }
        errors.into_result(s)
    }

    /// The hourly rate of a category.
    pub fn rate_for(&self, category: &str) -> Decimal {
        self.category_rates
            .get(category)
            .copied()
            .unwrap_or(self.hourly_rate)
    }
}
