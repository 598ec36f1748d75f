//! The domain's field errors ([`FieldError`]: a code with arguments) in words: as a sentence in
//! the reader's language for pages (`field-<code>` in `locales/<lang>/fields.ftl`), and as the
//! JSON API's English message (the `.api` attribute of the English file), which is also what
//! `Display` and `Serialize` write, so API bodies, logs and federation replies read as before.

use super::{catalogue, Arg, Lang};
use crate::domain::{FieldArg, FieldError};
use std::fmt;

fn args(e: &FieldError) -> Vec<(&str, Arg)> {
    fluent_args(&e.args)
}

/// A domain code's arguments as Fluent arguments (numbers choose plural forms).
pub(super) fn fluent_args<'a>(list: &'a [(&'static str, FieldArg)]) -> Vec<(&'a str, Arg)> {
    list.iter()
        .map(|(name, value)| {
            let value = match value {
                FieldArg::Number(n) => Arg::from(*n),
                FieldArg::Text(t) => Arg::from(t.clone()),
            };
            (*name, value)
        })
        .collect()
}

/// The error as a sentence in `lang`, for the page that shows the form.
pub fn sentence(lang: Lang, e: &FieldError) -> String {
    catalogue::format(lang, &format!("field-{}", e.code), &args(e))
}

/// The error as the JSON API writes it, in English: "must be at most 140 characters long".
pub fn api_message(e: &FieldError) -> String {
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
        for code in FIELD_CODES {
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
        [
            "min",
            "max",
            "value",
            "list",
            "example",
            "chars",
            "hours",
            "days",
            "total",
            "mb",
            "span",
            "count",
            "forms",
            "megapixels",
            "side",
            "place",
            "suggestions",
        ]
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
        let e = FieldError::new("capacity_below_signups").num("count", 1);
        assert_eq!(
            sentence(Lang::Fr, &e),
            "1 personne est inscrite : la capacité ne peut pas être plus basse."
        );
        let e = FieldError::new("capacity_below_signups").num("count", 4);
        assert_eq!(
            sentence(Lang::En, &e),
            "4 people are signed up: the capacity cannot be lower."
        );
        let e = FieldError::new("not_a_weekday").text("value", "someday");
        assert_eq!(
            e.to_string(),
            "someday is not a day of the week (mon, tue, …)"
        );
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

    /// The messages of resources, reservations, files, hours, slots and the pages' forms, word
    /// for word as the services wrote them before they were codes.
    #[test]
    fn the_api_says_what_the_services_said() {
        let cases = [
            (FieldError::new("amount"), "must be an amount in euros, like \"150.00\""),
            (FieldError::new("amount_negative"), "must not be negative"),
            (FieldError::new("amount_decimals"), "must be an amount in euros with at most 2 decimals"),
            (FieldError::new("at_most_chars").num("max", 120), "at most 120 characters"),
            (FieldError::new("loan_mode"), "must be free_loan, rental or exchange"),
            (FieldError::new("approval"), "must be automatic or manual"),
            (FieldError::new("borrowers"), "must be everyone, followed or list"),
            (FieldError::new("not_an_address").text("value", "tables"), "tables is not an address like name@host"),
            (FieldError::new("too_many_associations").num("max", 500), "at most 500 associations"),
            (FieldError::new("no_association_listed"), "name at least one association (name@host)"),
            (FieldError::new("unknown_placeholder").text("value", "{x}").text("list", "{a}, {b}"), "{x} is not known; use {a}, {b}"),
            (FieldError::new("price_for_rental"), "is required for a rental"),
            (FieldError::new("return_after_pickup"), "the return must come after the pickup"),
            (FieldError::new("loan_max_days").num("max", 7), "a loan lasts at most 7 day(s)"),
            (FieldError::new("min_notice").num("hours", 24), "ask at least 24 hour(s) before the pickup"),
            (FieldError::new("only_in_all").num("total", 80), "there are only 80 in all"),
            (FieldError::new("days_range").num("max", 92), "from 1 to 92"),
            (FieldError::new("return_within_year"), "the return must come after the pickup, within a year"),
            (FieldError::new("pickup_and_return"), "give both the pickup and the return, or neither"),
            (FieldError::new("search_day"), "must be a date like 2031-06-14"),
            (FieldError::new("file_unreadable"), "the file cannot be read"),
            (FieldError::new("photo_format"), "send a JPEG or PNG photo"),
            (FieldError::new("photo_unreadable"), "the photo cannot be read (damaged, or too large)"),
            (FieldError::new("photo_unwritable"), "the photo cannot be written"),
            (FieldError::new("file_required"), "choose a file"),
            (FieldError::new("file_too_big").num("mb", 10), "at most 10 MB"),
            (FieldError::new("pdf_only"), "send a PDF document"),
            (FieldError::new("file_kind"), "must be photo or document"),
            (FieldError::new("too_many_files").num("max", 6), "at most 6 files of this kind: remove one first"),
            (FieldError::new("date_time_required").text("example", "2031-06-14T09:00:00+02:00"), "is required, as a date and time like 2031-06-14T09:00:00+02:00"),
            (FieldError::new("borrower_required"), "give the borrowing association's name"),
            (FieldError::new("no_such_association"), "no association of that name on this node"),
            (FieldError::new("own_equipment"), "an association does not borrow its own equipment"),
            (FieldError::new("others_only"), "the owner lends this equipment to other associations only"),
            (FieldError::new("chars_range").num("min", 1).num("max", 200), "1 to 200 characters"),
            (FieldError::new("refusal_reason_required"), "give a reason for the refusal"),
            (FieldError::new("side"), "must be owner or borrower"),
            (FieldError::new("side_required"), "you coordinate both parties: say which one signs (owner or borrower)"),
            (FieldError::new("move_body").text("forms", r#"{"reason": "…"}, {"notes": "…"}, {"side": "owner"}"#), "send {\"reason\": \"…\"}, {\"notes\": \"…\"}, {\"side\": \"owner\"} or nothing"),
            (FieldError::new("action_day_required"), "give the day of the action (YYYY-MM-DD)"),
            (FieldError::new("action_day"), "must be a date like 2025-03-14"),
            (FieldError::new("duration_required"), "give the duration in minutes"),
            (FieldError::new("duration_positive"), "must be more than 0"),
            (FieldError::new("not_in_future"), "cannot be in the future"),
            (FieldError::new("end_before_start_date"), "must not be before the start date"),
            (FieldError::new("span_max_days").num("max", 366), "a span is at most 366 days"),
            (FieldError::new("day_24h").num("hours", 48).num("days", 2), "at most 24 hours per day: 48 hours for 2 day(s)"),
            (FieldError::new("km"), "must be a number of kilometres"),
            (FieldError::new("negative"), "must not be negative"),
            (FieldError::new("km_too_many").num("max", 2000), "at most 2000 km for one entry"),
            (FieldError::new("decimals").num("max", 3), "at most 3 decimals"),
            (FieldError::new("text_too_long").num("max", 500), "at most 500 characters"),
            (FieldError::new("rate_max").num("max", 1000), "at most 1000"),
            (FieldError::new("rate"), "must be a decimal number, like \"11.88\""),
            (FieldError::new("unknown_category"), "unknown category"),
            (FieldError::new("association_unknown"), "no association with this address among the ones you follow or took part with: follow it first"),
            (FieldError::new("no_such_mission"), "no such mission of this association"),
            (FieldError::new("others_hours"), "record someone else's hours through the association (coordinators)"),
            (FieldError::new("association_required"), "give the association's name"),
            (FieldError::new("association_in_address"), "the association is in the address"),
            (FieldError::new("user_or_guest"), "give either user or guest_name, not both"),
            (FieldError::new("no_such_user"), "no such user on this node"),
            (FieldError::new("guest_name_length").num("max", 100), "give a name of 1 to 100 characters"),
            (FieldError::new("user_needed"), "give the user's name, or guest_name for someone without an account"),
            (FieldError::new("refusal_reason").num("max", 500), "give a reason of 1 to 500 characters"),
            (FieldError::new("fixed_volunteer"), "cannot be changed; delete the entry and record a new one"),
            (FieldError::new("period_day"), "must be a date like 2025-01-31"),
            (FieldError::new("year_or_period"), "give either year or from/to"),
            (FieldError::new("year_like"), "must be a year like 2025"),
            (FieldError::new("year_required"), "give the year, like 2025"),
            (FieldError::new("not_before_from"), "must not be before from"),
            (FieldError::new("hours_status"), "must be pending, validated or refused"),
            (FieldError::new("mark_one"), "mark at least one sign-up"),
            (FieldError::new("no_such_signup"), "no accepted sign-up with this id for this slot"),
            (FieldError::new("marked_twice"), "marked twice"),
            (FieldError::new("attestation_ten_years"), "an attestation covers at most ten years"),
            (FieldError::new("no_validated_hours"), "no validated hours with this association in this period"),
            (FieldError::new("date_required").text("example", "2025-01-31"), "is required, as a date like 2025-01-31"),
            (FieldError::new("slot_or_rule"), "give at least one slot or a rule"),
            (FieldError::new("slots_within_mission").text("span", "1–30 June"), "every slot must be within the mission's dates (1–30 June)"),
            (FieldError::new("slot_within_mission").text("span", "1–30 June"), "the slot must be within the mission's dates (1–30 June)"),
            (FieldError::new("capacity_below_signups").num("count", 1), "1 people are signed up: the capacity cannot be lower"),
            (FieldError::new("capacity_below_volunteers").num("count", 3), "3 volunteers already signed up: the capacity cannot be lower"),
            (FieldError::new("guest_name_required").num("max", 100), "is required (at most 100 characters)"),
            (FieldError::new("contact_required").num("max", 200), "a phone number or an email is required (at most 200 characters)"),
            (FieldError::new("whole_number"), "must be a whole number"),
            (FieldError::new("number"), "must be a number"),
            (FieldError::new("max_chars").num("max", 1000), "must be at most 1000 characters long"),
            (FieldError::new("between").num("min", 0).num("max", 8760), "must be between 0 and 8760"),
            (FieldError::new("one_of").text("list", "furniture, other"), "must be one of: furniture, other"),
        ];
        for (e, api) in cases {
            assert_eq!(e.to_string(), api, "{}", e.code);
        }
    }
}
