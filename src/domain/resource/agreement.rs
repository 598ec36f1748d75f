//! The lending agreement's template: the text used when the owner wrote none, the
//! `{placeholders}` a template may refer to, and how they are filled.

/// The lending agreement's text when the owner wrote none, kept with the words
/// (`locales/fr/agreement.txt`; agreements are written in French, the node's documents'
/// language). `{placeholders}` are filled from the reservation (see [`AGREEMENT_PLACEHOLDERS`]).
pub const DEFAULT_AGREEMENT: &str = include_str!("../../../locales/fr/agreement.txt");

/// What an agreement template may refer to.
pub const AGREEMENT_PLACEHOLDERS: [&str; 11] = [
    "owner",
    "borrower",
    "resource",
    "quantity",
    "start",
    "end",
    "place",
    "deposit",
    "price",
    "replacement_value",
    "conditions",
];
/// The first `{name}` of a template that is not a known placeholder.
pub(super) fn unknown_placeholder(template: &str) -> Option<String> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !AGREEMENT_PLACEHOLDERS.contains(&name) {
            return Some(name.chars().take(40).collect());
        }
        rest = &after[close + 1..];
    }
    None
}

/// Fills a template's `{placeholders}` from `values` (unknown ones are left as written).
pub fn fill_template(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}
