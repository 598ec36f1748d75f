//! Field-by-field validation errors, shown to people as they are.

use std::collections::BTreeMap;

/// Messages per field, in the order of the field names.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        FieldErrors::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no error was recorded.
    pub fn into_result<T>(self, value: T) -> Result<T, DomainError> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(DomainError::Invalid(self))
        }
    }
}

/// A rule of the domain was broken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DomainError {
    #[error("some fields are not valid")]
    Invalid(FieldErrors),
    #[error("not allowed: {0}")]
    Forbidden(&'static str),
}

impl DomainError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut e = FieldErrors::new();
        e.add(field, message);
        DomainError::Invalid(e)
    }
}
