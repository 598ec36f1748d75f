//! The domain's field errors ([`FieldError`]: a code with arguments) in words: as a sentence in
//! the reader's language for pages (`field-<code>` in `locales/<lang>/fields.ftl`), and as the
//! JSON API's English message (the `.api` attribute of the English file), which is also what
//! `Display` and `Serialize` write, so API bodies, logs and federation replies read as before.

use super::{catalogue, Arg, Lang};
use crate::domain::{FieldArg, FieldError, TEXT};
use std::fmt;

fn args(e: &FieldError) -> Vec<(&str, Arg)> {
    e.args
        .iter()
        .map(|(name, value)| {
            let value = match value {
                FieldArg::Number(n) => Arg::from(*n),
                FieldArg::Text(t) => Arg::from(t.clone()),
            };
            (*name, value)
        })
        .collect()
}

/// A message still written as a sentence (code [`TEXT`]): the sentence.
pub fn text(e: &FieldError) -> Option<&str> {
    match (e.code, e.arg("message")) {
        (TEXT, Some(FieldArg::Text(t))) => Some(t),
        _ => None,
    }
}

/// The error as a sentence in `lang`, for the page that shows the form.
pub fn sentence(lang: Lang, e: &FieldError) -> String {
    if let Some(t) = text(e) {
        return t.to_string();
    }
    catalogue::format(lang, &format!("field-{}", e.code), &args(e))
}

/// The error as the JSON API writes it, in English: "must be at most 140 characters long".
pub fn api_message(e: &FieldError) -> String {
    if let Some(t) = text(e) {
        return t.to_string();
    }
    catalogue::format_attr(Lang::En, &format!("field-{}", e.code), "api", &args(e))
        .unwrap_or_else(|| e.code.to_string())
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&api_message(self))
    }
}

impl serde::Serialize for FieldError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&api_message(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::FIELD_CODES;

    /// Every code the domain reports has a sentence in French and in English, and an English
    /// message for the API; the catalogue has no code the domain does not know.
    #[test]
    fn every_code_has_words() {
        for code in FIELD_CODES.iter().filter(|c| **c != TEXT) {
            let id = format!("field-{code}");
            assert!(super::super::has(&id), "no {id} in French");
            assert!(catalogue::ids(Lang::En).contains(&id), "no {id} in English");
            assert!(
                catalogue::format_attr(Lang::En, &id, "api", &[]).is_some()
                    || catalogue::format_attr(Lang::En, &id, "api", &dummy()).is_some(),
                "no {id}.api in English"
            );
        }
        for id in catalogue::ids(Lang::Fr) {
            if let Some(code) = id.strip_prefix("field-") {
                assert!(FIELD_CODES.contains(&code), "{id} is no domain code");
            }
        }
    }

    fn dummy() -> Vec<(&'static str, Arg)> {
        ["min", "max", "value", "list", "example", "chars"]
            .into_iter()
            .map(|n| (n, Arg::from(2)))
            .collect()
    }

    #[test]
    fn errors_read_as_sentences_and_api_messages() {
        let e = FieldError::new("max_chars").num("max", 140);
        assert_eq!(e.to_string(), "must be at most 140 characters long");
        assert_eq!(sentence(Lang::Fr, &e), "Écrivez au plus 140 caractères.");
        assert_eq!(sentence(Lang::En, &e), "Write at most 140 characters.");
        let e = FieldError::new("required");
        assert_eq!(e.to_string(), "is required");
        assert_eq!(
            serde_json::to_string(&e).expect("serialises"),
            "\"is required\""
        );
        let e = FieldError::new("between").num("min", -90).num("max", 90);
        assert_eq!(e.to_string(), "must be between -90 and 90");
        let e = FieldError::new("not_a_weekday").text("value", "someday");
        assert_eq!(
            e.to_string(),
            "someday is not a day of the week (mon, tue, …)"
        );
        let e = FieldError::from("give a reason");
        assert_eq!(e.to_string(), "give a reason");
        assert_eq!(sentence(Lang::Fr, &e), "give a reason");
    }

    /// The API's messages, word for word as the domain wrote them before they were codes.
    #[test]
    fn the_api_says_what_it_always_said() {
        let cases = [
            (
                FieldError::new("max_chars").num("max", 20_000usize),
                "must be at most 20000 characters long",
            ),
            (
                FieldError::new("min_chars").num("min", 3),
                "must be at least 3 characters long",
            ),
            (
                FieldError::new("one_of").text("list", "solidarity, other"),
                "must be one of: solidarity, other",
            ),
            (
                FieldError::new("skill_too_long").num("max", 60),
                "each skill must be at most 60 characters long",
            ),
            (
                FieldError::new("too_many_skills").num("max", 20),
                "at most 20 skills",
            ),
            (
                FieldError::new("between").num("min", -180).num("max", 180),
                "must be between -180 and 180",
            ),
            (
                FieldError::new("not_date_time").text("example", "2026-06-14T12:00"),
                "is not a date and time (example: 2026-06-14T12:00)",
            ),
            (
                FieldError::new("at_most").num("max", 10_000),
                "must be at most 10000",
            ),
            (
                FieldError::new("at_least").num("min", 1),
                "must be at least 1",
            ),
            (
                FieldError::new("date_required").text("example", "2026-03-01"),
                "is required, as a date like 2026-03-01",
            ),
            (
                FieldError::new("time_required").text("example", "09:00"),
                "is required, as a time like 09:00",
            ),
            (
                FieldError::new("profile_skills")
                    .num("max", 30)
                    .num("chars", 60),
                "at most 30 skills of at most 60 characters",
            ),
            (
                FieldError::new("not_a_category").text("value", "cats"),
                "cats is not a mission category",
            ),
            (
                FieldError::new("capacity_min_or_empty"),
                "must be at least 1 (leave it empty for no limit)",
            ),
            (
                FieldError::new("commitment_required"),
                "is required for a regular mission (minutes per period)",
            ),
            (
                FieldError::new("weekday_range"),
                "days go from 0 (Monday) to 6 (Sunday)",
            ),
            (
                FieldError::new("locality_unless_remote"),
                "is required unless the mission is done remotely",
            ),
        ];
        let accounts = [
            (
                FieldError::new("name_length").num("min", 1).num("max", 40),
                "must be between 1 and 40 characters",
            ),
            (
                FieldError::new("name_chars"),
                "may only contain lowercase letters a-z, digits, '-', '_' and '.'",
            ),
            (
                FieldError::new("name_edges"),
                "must start and end with a letter, a digit or '_'",
            ),
            (
                FieldError::new("name_reserved"),
                "is reserved, please choose another name",
            ),
            (
                FieldError::new("min_chars").num("min", 8),
                "must be at least 8 characters long",
            ),
            (
                FieldError::new("max_chars").num("max", 256),
                "must be at most 256 characters long",
            ),
            (
                FieldError::new("email_invalid"),
                "is not a valid email address",
            ),
        ];
        for (e, api) in cases.into_iter().chain(accounts) {
            assert_eq!(e.to_string(), api);
        }
    }
}
