//! Field errors as sentences in the page's language, and the labels of form fields, for the
//! errors shown next to a form.
//!
//! The domain reports field errors as codes with arguments, whose sentences are in the
//! catalogue (`locales/<lang>/fields.ftl`, through [`crate::i18n::fields`]). Service and web
//! code that still write a field message as an English fragment (code `text`, such as
//! "must be a whole number") are matched by [`legacy_sentence`] until they become codes too.

use super::{word, Lang};
use crate::domain::FieldError;
use std::borrow::Cow;

/// What [`field_error`] takes: a field error of the domain, or a message still written as an
/// English fragment (`&str`, `String`).
pub trait AsFieldError {
    fn as_field_error(&self) -> Cow<'_, FieldError>;
}

impl AsFieldError for FieldError {
    fn as_field_error(&self) -> Cow<'_, FieldError> {
        Cow::Borrowed(self)
    }
}

impl AsFieldError for str {
    fn as_field_error(&self) -> Cow<'_, FieldError> {
        Cow::Owned(FieldError::from(self))
    }
}

impl AsFieldError for String {
    fn as_field_error(&self) -> Cow<'_, FieldError> {
        self.as_str().as_field_error()
    }
}

impl<T: AsFieldError + ?Sized> AsFieldError for &T {
    fn as_field_error(&self) -> Cow<'_, FieldError> {
        (**self).as_field_error()
    }
}

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
        other => other,
    };
    word(lang, key)
}

/// A field error as a sentence in the page's language, shown next to the field.
pub fn field_error<E: AsFieldError + ?Sized>(lang: Lang, error: &E) -> String {
    let error = error.as_field_error();
    match crate::i18n::fields::text(&error) {
        Some(message) => legacy_sentence(lang, message),
        None => crate::i18n::fields::sentence(lang, &error),
    }
}

/// A field message still written as an English fragment (such as "must be a whole number") as
/// a sentence in the page's language; unknown ones are shown as they are.
fn legacy_sentence(lang: Lang, message: &str) -> String {
    let en = lang == Lang::En;
    let pick = |fr: &str, e: &str| if en { e.to_string() } else { fr.to_string() };
    // "must be at most N characters long" and "must be at most N" carry a number.
    let number = message
        .split_whitespace()
        .find_map(|w| w.parse::<u64>().ok());
    match message {
        "is required" => pick("Ce champ est obligatoire.", "This field is required."),
        "must be a whole number" => pick(
            "Indiquez un nombre entier, par exemple 5.",
            "Give a whole number, for example 5.",
        ),
        "must be a number" => pick(
            "Indiquez un nombre, par exemple 48,39.",
            "Give a number, for example 48.39.",
        ),
        "is not a position on Earth" => pick(
            "Ce n'est pas une position sur la Terre : la latitude va de -90 à 90, la longitude de -180 à 180.",
            "This is not a position on Earth: latitude goes from -90 to 90, longitude from -180 to 180.",
        ),
        "latitude and longitude go together" => pick(
            "Indiquez la latitude et la longitude, ou aucune des deux.",
            "Give both latitude and longitude, or neither.",
        ),
        "days go from 0 (Monday) to 6 (Sunday)" => pick(
            "Cochez des moments dans la grille de la semaine.",
            "Tick times in the week's grid.",
        ),
        "must be at least 1" => pick("Indiquez au moins 1.", "Give at least 1."),
        "give at least one slot or a rule" => pick(
            "Indiquez au moins un créneau.",
            "Give at least one slot.",
        ),
        "is required (at most 100 characters)" => pick(
            "Indiquez le nom de la personne (100 caractères au plus).",
            "Give the person's name (at most 100 characters).",
        ),
        "a phone number or an email is required (at most 200 characters)" => pick(
            "Indiquez un téléphone ou un e-mail (200 caractères au plus).",
            "Give a phone number or an email (at most 200 characters).",
        ),
        m if m.starts_with("must be one of") => pick(
            "Choisissez un domaine dans la liste.",
            "Choose a category from the list.",
        ),
        m if m.starts_with("must be at most") && m.ends_with("characters long") => match number {
            Some(n) => pick(
                &format!("Écrivez au plus {n} caractères."),
                &format!("Write at most {n} characters."),
            ),
            None => message.to_string(),
        },
        m if m.starts_with("must be at most") => match number {
            Some(n) => pick(
                &format!("Indiquez au plus {n}."),
                &format!("Give at most {n}."),
            ),
            None => message.to_string(),
        },
        // A message this page does not know yet: shown as the domain wrote it.
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_become_sentences() {
        assert_eq!(
            field_error(Lang::Fr, "is required"),
            "Ce champ est obligatoire."
        );
        assert_eq!(
            field_error(Lang::En, "is required"),
            "This field is required."
        );
        assert_eq!(
            field_error(Lang::Fr, "must be at most 200 characters long"),
            "Écrivez au plus 200 caractères."
        );
        assert_eq!(
            field_error(Lang::Fr, "must be at most 10000"),
            "Indiquez au plus 10000."
        );
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
