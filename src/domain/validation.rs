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

/// Every code the domain, the services and the pages' form parsing report; each has words in `locales/<lang>/fields.ftl`
/// (`field-<code>`, and the API's English as its `.api` attribute).
pub const FIELD_CODES: &[&str] = &[
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
    "repeat_one_day",
    "pickup_in_past",
    "rule_too_many",
    "profile_skills",
    "weekday_range",
    "not_a_category",
    "name_length",
    "name_chars",
    "name_edges",
    "name_reserved",
    "email_invalid",
    "amount",
    "amount_negative",
    "amount_decimals",
    "at_most_chars",
    "loan_mode",
    "approval",
    "borrowers",
    "not_an_address",
    "too_many_associations",
    "no_association_listed",
    "unknown_placeholder",
    "price_for_rental",
    "return_after_pickup",
    "loan_max_days",
    "min_notice",
    "only_in_all",
    "days_range",
    "return_within_year",
    "pickup_and_return",
    "search_day",
    "file_unreadable",
    "photo_format",
    "photo_unreadable",
    "photo_too_large",
    "photo_unwritable",
    "file_required",
    "file_too_big",
    "pdf_only",
    "file_kind",
    "too_many_files",
    "date_time_required",
    "borrower_required",
    "no_such_association",
    "own_equipment",
    "others_only",
    "chars_range",
    "refusal_reason_required",
    "side",
    "side_required",
    "move_body",
    "action_day_required",
    "action_day",
    "duration_required",
    "duration_positive",
    "whole_hours",
    "not_in_future",
    "end_before_start_date",
    "span_max_days",
    "day_24h",
    "km",
    "negative",
    "km_too_many",
    "decimals",
    "text_too_long",
    "rate_max",
    "rate",
    "unknown_category",
    "association_unknown",
    "no_such_mission",
    "others_hours",
    "association_required",
    "association_in_address",
    "user_or_guest",
    "no_such_user",
    "guest_name_length",
    "user_needed",
    "refusal_reason",
    "fixed_volunteer",
    "period_day",
    "year_or_period",
    "year_like",
    "year_required",
    "not_before_from",
    "hours_status",
    "mark_one",
    "no_such_signup",
    "marked_twice",
    "attestation_ten_years",
    "no_validated_hours",
    "slot_or_rule",
    "slots_within_mission",
    "slot_within_mission",
    "capacity_below_signups",
    "capacity_below_volunteers",
    "guest_name_required",
    "contact_required",
    "whole_number",
    "number",
    "no_control_chars",
    "language_unknown",
    "username_taken",
    "current_password_wrong",
    "passwords_differ",
    "email_unchanged",
    "email_required",
    "phone_invalid",
    "website_invalid",
    "name_taken",
    "invitation_role",
    "not_a_position",
    "not_a_bbox",
    "place_not_found",
    "moderation_target",
    "moderation_severity",
    "report_kind",
    "place_ambiguous",
    // Asking for help (issue 16).
    "help_wish_required",
    "help_contact_required",
    "help_channel_email",
    "help_channel_phone",
    "help_consent_required",
    "help_no_mission",
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

/// Errors per field, in the order of the field names; the first error of a field is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FieldErrors(pub BTreeMap<String, FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        FieldErrors::default()
    }

    pub fn add(&mut self, field: &str, error: FieldError) {
        self.0.entry(field.to_string()).or_insert(error);
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
    /// The person may not do this.
    #[error("not allowed: {0}")]
    Forbidden(super::Denial),
}

impl DomainError {
    pub fn field(field: &str, error: FieldError) -> Self {
        let mut e = FieldErrors::new();
        e.add(field, error);
        DomainError::Invalid(e)
    }
}

#[cfg(test)]
mod tests {
    use super::FIELD_CODES;
    use std::path::Path;

    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("src is readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                out.push((path.display().to_string(), text));
            }
        }
    }

    /// Every field error written in the code names a code of [`FIELD_CODES`] (which has words
    /// in the catalogue), never a sentence: the literal given to `FieldError::new` and the
    /// pages' matches on a code are scanned through the whole source tree.
    #[test]
    fn field_errors_in_the_source_are_codes() {
        let mut files = Vec::new();
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut seen = 0;
        for (path, text) in &files {
            for opening in ["FieldError::new(\"", ".code == \""] {
                for (at, _) in text.match_indices(opening) {
                    let rest = &text[at + opening.len()..];
                    let code = &rest[..rest.find('"').unwrap_or(0)];
                    assert!(
                        FIELD_CODES.contains(&code),
                        "{path}: {code:?} is not a field code (FIELD_CODES)"
                    );
                    seen += 1;
                }
            }
            assert!(
                !text.contains(&format!("impl From<&str> for {}", "FieldError")),
                "{path}: a field error is a code, not a sentence"
            );
        }
        assert!(seen > 100, "the scan found the field errors ({seen})");
    }
}
