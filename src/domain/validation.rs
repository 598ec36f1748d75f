//! Field-by-field validation errors. The domain says what is wrong as a code with arguments
//! ([`FieldError`]: `max_chars` with `max = 140`); the words are in the catalogue
//! (`locales/<lang>/fields.ftl`), in the reader's language for pages and in English for the
//! JSON API (`crate::i18n::fields` renders both, and gives `FieldError` its `Display`).

use std::collections::BTreeMap;

/// An argument of a field error: a number (which may choose a plural form) or a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldArg {
    Number(i64),
    Text(String),
}

/// What is wrong with one field: a code of [`FIELD_CODES`] and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub code: &'static str,
    pub args: Vec<(&'static str, FieldArg)>,
}

/// The code of a message that is still a sentence rather than a code (argument `message`):
/// what service and web code send until their messages become codes too.
pub const TEXT: &str = "text";

/// Every code the domain reports; each has words in `locales/<lang>/fields.ftl`
/// (`field-<code>`, and the API's English as its `.api` attribute).
pub const FIELD_CODES: &[&str] = &[
    TEXT,
    "required",
    "min_chars",
    "max_chars",
    "at_least",
    "at_most",
    "between",
    "one_of",
    "skill_too_long",
    "too_many_skills",
    "lat_lon_together",
    "not_on_earth",
    "locality_unless_remote",
    "not_date_time",
    "after_start",
    "already_over",
    "mission_max_year",
    "capacity_min_or_empty",
    "join_mode",
    "mission_status",
    "commitment_required",
    "commitment_range",
    "commitment_period",
    "slot_max_day",
    "date_required",
    "time_required",
    "not_a_weekday",
    "end_after_start_same_day",
    "after_first_day",
    "rule_max_year",
    "rule_no_future_slot",
    "rule_too_many",
    "profile_skills",
    "weekday_range",
    "not_a_category",
    "name_length",
    "name_chars",
    "name_edges",
    "name_reserved",
    "email_invalid",
];

impl FieldError {
    /// An error without arguments: `FieldError::new("required")`.
    pub fn new(code: &'static str) -> Self {
        debug_assert!(FIELD_CODES.contains(&code), "unknown field code {code}");
        FieldError {
            code,
            args: Vec::new(),
        }
    }

    /// With a number argument: `FieldError::new("max_chars").num("max", 140)`.
    pub fn num(mut self, name: &'static str, value: impl TryInto<i64>) -> Self {
        let value = value.try_into().unwrap_or(i64::MAX);
        self.args.push((name, FieldArg::Number(value)));
        self
    }

    /// With a text argument: `FieldError::new("not_a_weekday").text("value", "someday")`.
    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, FieldArg::Text(value.into())));
        self
    }

    /// The argument `name`, if given.
    pub fn arg(&self, name: &str) -> Option<&FieldArg> {
        self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// A message still written as a sentence (code [`TEXT`]).
impl From<&str> for FieldError {
    fn from(message: &str) -> Self {
        FieldError::new(TEXT).text("message", message)
    }
}

impl From<String> for FieldError {
    fn from(message: String) -> Self {
        FieldError::new(TEXT).text("message", message)
    }
}

/// Errors per field, in the order of the field names; the first error of a field is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FieldErrors(pub BTreeMap<String, FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        FieldErrors::default()
    }

    pub fn add(&mut self, field: &str, error: impl Into<FieldError>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| error.into());
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
    pub fn field(field: &str, error: impl Into<FieldError>) -> Self {
        let mut e = FieldErrors::new();
        e.add(field, error);
        DomainError::Invalid(e)
    }
}
