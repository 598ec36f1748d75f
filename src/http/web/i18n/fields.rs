//! Field errors as sentences in the page's language, and the labels of form fields, for the
//! errors shown next to a form.
//!
//! Field errors are codes with arguments ([`FieldError`]), whatever reports them (domain,
//! services or the pages' own parsing of a form); their sentences are in the catalogue
//! (`locales/<lang>/fields.ftl`, through [`crate::i18n::fields`]).

use super::{word, Lang};
use crate::domain::FieldError;

/// The label of a form field, for the list of errors at the top of the form.
pub fn field_label(lang: Lang, field: &str) -> String {
    let key = match field {
        "start_time" => "start",
        "end_time" => "end",
        "street_address" => "street",
        "join_mode" => "signup_legend",
        "commitment_hours" | "commitment_minutes" => "commitment_time",
        "commitment_period" => "commitment",
        "home_town" => "locality",
        "home_latitude" => "latitude",
        "home_longitude" => "longitude",
        "rule_start" => "slot_start",
        "rule_end" => "slot_end",
        "rule_capacity" => "slot_capacity",
        "language" => "acc_language",
        // The request for help (issue 16): its fields are named `help_…` on the page.
        other => match other.strip_prefix("help_") {
            Some(f) => return word(lang, &format!("help-{f}")),
            None => other,
        },
    };
    word(lang, key)
}

/// A field error as a sentence in the page's language, shown next to the field.
pub fn field_error(lang: Lang, error: &FieldError) -> String {
    crate::i18n::fields::sentence(lang, error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_become_sentences() {
        let required = FieldError::new("required");
        assert_eq!(
            field_error(Lang::Fr, &required),
            "Ce champ est obligatoire."
        );
        assert_eq!(field_error(Lang::En, &required), "This field is required.");
        let whole = FieldError::new("whole_number");
        assert_eq!(
            field_error(Lang::Fr, &whole),
            "Indiquez un nombre entier, par exemple 5."
        );
        assert_eq!(whole.to_string(), "must be a whole number");
        // The domain's codes read as the English fragments they replace did.
        let when = FieldError::new("not_date_time").text("example", "2026-06-14T09:00");
        assert_eq!(
            field_error(Lang::Fr, &when),
            "Indiquez une date et une heure, par exemple 14/06/2026 09:00."
        );
        let title = FieldError::new("max_chars").num("max", 140);
        assert_eq!(
            field_error(Lang::Fr, &title),
            "Écrivez au plus 140 caractères."
        );
        assert_eq!(
            field_error(Lang::En, &title),
            "Write at most 140 characters."
        );
        let capacity = FieldError::new("at_most").num("max", 10000);
        assert_eq!(field_error(Lang::Fr, &capacity), "Indiquez au plus 10000.");
        assert_eq!(
            field_error(Lang::En, &FieldError::new("required")),
            "This field is required."
        );
        assert_eq!(field_label(Lang::Fr, "start_time"), "Début (date et heure)");
        let day = FieldError::new("not_a_weekday").text("value", "sometimes");
        assert_eq!(
            field_error(Lang::Fr, &day),
            "Cochez des jours de la semaine dans la liste."
        );
        assert_eq!(
            day.to_string(),
            "sometimes is not a day of the week (mon, tue, …)"
        );
        let rule = FieldError::new("rule_too_many").num("max", 366);
        assert_eq!(
            field_error(Lang::En, &rule),
            "That would make more than 366 slots: shorten the period."
        );
        assert_eq!(rule.to_string(), "the rule gives more than 366 slots");
        assert_eq!(field_label(Lang::En, "rule_capacity"), "Number of places");
    }
}
