//! Reading the form that adds slots: dates and hours as people type them ("14/03/2027",
//! "9h30"), the values the form starts from (the mission's own), the slots a submission asks
//! for, and the services' refusals named after the form's fields.

use crate::{
    domain::{
        mission::Mission,
        slot::{SlotInput, SlotRule},
        FieldError, FieldErrors,
    },
    http::web::i18n,
    i18n::Lang,
    service::slots::NewSlots,
};
use chrono::Timelike;
use std::collections::BTreeMap;

/// "14/03/2027" (typed where a browser shows a plain text field) as "2027-03-14"; other text
/// is kept as it is for the service to judge.
pub(super) fn typed_date(s: &str) -> String {
    let s = s.trim();
    let parts: Vec<&str> = s.split('/').collect();
    match parts[..] {
        [d, m, y]
            if [d, m, y]
                .iter()
                .all(|p| p.chars().all(|c| c.is_ascii_digit())) =>
        {
            match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<u32>()) {
                (Ok(d), Ok(m), Ok(y)) if y >= 1000 => format!("{y:04}-{m:02}-{d:02}"),
                _ => s.to_string(),
            }
        }
        _ => s.to_string(),
    }
}

/// "9h30", "9h", "9:30" as "09:30"; other text is kept as it is.
pub(super) fn typed_time(s: &str) -> String {
    let s = s.trim().to_lowercase();
    let (h, m) = match s.split_once(['h', ':']) {
        Some((h, m)) => (h.trim(), if m.trim().is_empty() { "0" } else { m.trim() }),
        None => return s,
    };
    match (h.parse::<u32>(), m.parse::<u32>()) {
        (Ok(h), Ok(m)) if h < 24 && m < 60 => format!("{h:02}:{m:02}"),
        _ => s,
    }
}

/// The codes of the week's days, Monday first, as the weekly rule names them.
pub(super) const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// What the slot forms start from: the mission's own dates and hours.
pub(super) fn slot_defaults(tz: chrono_tz::Tz, m: &Mission) -> BTreeMap<String, String> {
    let (s, e) = (
        m.start_time.with_timezone(&tz),
        m.end_time.with_timezone(&tz),
    );
    let hm = |d: &chrono::DateTime<chrono_tz::Tz>| format!("{:02}:{:02}", d.hour(), d.minute());
    let end = if s.date_naive() == e.date_naive() {
        hm(&e)
    } else {
        String::new()
    };
    [
        ("slot_date", s.format("%Y-%m-%d").to_string()),
        ("slot_start", hm(&s)),
        ("slot_end", end.clone()),
        ("rule_from", s.format("%Y-%m-%d").to_string()),
        ("rule_to", e.format("%Y-%m-%d").to_string()),
        ("rule_start", hm(&s)),
        ("rule_end", end),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The slots a submitted form asks for, and the errors of fields that are missing or not
/// even numbers (the service judges the rest).
pub(super) fn read_slots_form(
    kind: &str,
    values: &BTreeMap<String, String>,
    days: &[String],
) -> (NewSlots, FieldErrors) {
    let mut errors = FieldErrors::new();
    let get = |k: &str| {
        values
            .get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut capacity = |field: &str| {
        let v = get(field);
        if v.is_empty() {
            errors.add(field, FieldError::new("required"));
            None
        } else {
            v.parse::<i64>()
                .map_err(|_| errors.add(field, FieldError::new("whole_number")))
                .ok()
        }
    };
    if kind == "weekly" {
        let capacity = capacity("rule_capacity");
        let filled =
            |k: &str, f: fn(&str) -> String| Some(get(k)).filter(|v| !v.is_empty()).map(|v| f(&v));
        let rule = SlotRule {
            from_date: filled("rule_from", typed_date),
            to_date: filled("rule_to", typed_date),
            weekdays: days.to_vec(),
            start: filled("rule_start", typed_time),
            end: filled("rule_end", typed_time),
            capacity,
        };
        (
            NewSlots {
                slots: Vec::new(),
                rule: Some(rule),
            },
            errors,
        )
    } else {
        let capacity = capacity("slot_capacity");
        for field in ["slot_date", "slot_start", "slot_end"] {
            if get(field).is_empty() {
                errors.add(field, FieldError::new("required"));
            }
        }
        let date = typed_date(&get("slot_date"));
        let at = |field: &str| format!("{date}T{}", typed_time(&get(field)));
        let slot = SlotInput {
            start_time: Some(at("slot_start")),
            end_time: Some(at("slot_end")),
            capacity,
        };
        (
            NewSlots {
                slots: vec![slot],
                rule: None,
            },
            errors,
        )
    }
}

/// The service's field names as the form's ids; the message about the mission's dates gets
/// the dates in the page's language.
pub(super) fn form_errors(
    lang: Lang,
    kind: &str,
    m: &Mission,
    tz: chrono_tz::Tz,
    errors: FieldErrors,
) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (field, message) in errors.0 {
        let id = match field.as_str() {
            "slots[0].start_time" => "slot_start",
            "slots[0].end_time" => "slot_end",
            "slots[0].capacity" => "slot_capacity",
            "rule.from_date" => "rule_from",
            "rule.to_date" => "rule_to",
            "rule.weekdays" => "rule_days",
            "rule.start" => "rule_start",
            "rule.end" => "rule_end",
            "rule.capacity" => "rule_capacity",
            "slots" if kind == "weekly" => "rule_from",
            "slots" => "slot_date",
            other => other,
        };
        let message = if message.code == "slots_within_mission" {
            let span = i18n::long_span(m.start_time, m.end_time, tz, lang);
            FieldError::new("slots_within_mission").text("span", span)
        } else {
            message
        };
        out.add(id, message);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_dates_and_times_are_understood() {
        assert_eq!(typed_date("14/03/2027"), "2027-03-14");
        assert_eq!(typed_date("2027-03-14"), "2027-03-14");
        assert_eq!(typed_date("demain"), "demain");
        assert_eq!(typed_time("9h30"), "09:30");
        assert_eq!(typed_time("9h"), "09:00");
        assert_eq!(typed_time("14:05"), "14:05");
        assert_eq!(typed_time("midi"), "midi");
    }

    #[test]
    fn a_missing_capacity_or_date_is_caught_before_the_service() {
        let values: BTreeMap<String, String> =
            [("slot_capacity".to_string(), "deux".to_string())].into();
        let (_, errors) = read_slots_form("one", &values, &[]);
        for f in ["slot_capacity", "slot_date", "slot_start", "slot_end"] {
            assert!(errors.0.contains_key(f), "{f}: {errors:?}");
        }
        let (input, errors) = read_slots_form(
            "weekly",
            &[("rule_capacity".to_string(), "3".to_string())].into(),
            &["sat".to_string()],
        );
        assert!(errors.is_empty());
        assert_eq!(input.rule.expect("a rule").weekdays, vec!["sat"]);
    }
}
