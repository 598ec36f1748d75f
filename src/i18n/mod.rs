//! The words of Entraide, in every language it speaks: the [`Lang`] a reader reads, and the
//! catalogue of Fluent messages (`locales/<lang>/<area>.ftl`, embedded at compile time) that
//! pages, emails, the API's messages and federation summaries take their sentences from.
//!
//! French is the reference: every message exists in French, and English has the same ids (a
//! test fails otherwise). Counts go through Fluent's plural selection (CLDR rules, so French
//! says "0 place", "1 place", "2 places" and English "0 places", "1 place"). Ids are
//! `area-key` for an area's words (`eq-quantity`, `hours-total`, `mail-signup_accepted`) and
//! plain `key` for the site's common words.
//!
//! This module knows no HTTP, no template engine and no storage: the web layer, notify and
//! federation call it.

mod catalogue;
pub mod denials;
pub mod fields;
mod summary;

pub use catalogue::{ids, Arg};
pub use summary::{mission_summary, short_span, time_of_day, time_range};

use serde::Serialize;
use std::fmt;

/// A language Entraide speaks. French first: it is the reference and the fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    /// Every language, the reference first.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The BCP 47 code: `fr`, `en` (what `?lang=`, the cookie and `lang=""` carry).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// `fr`, `en`, or a tag starting with them (`fr-BE`, `en-GB`); `None` for any other.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("fr") {
            Some(Lang::Fr)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// A configured language (`instance.default_language`): French when it is not one we speak.
    pub fn or_reference(tag: &str) -> Lang {
        Lang::parse(tag).unwrap_or_default()
    }

    /// The language a page offers to switch to.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The message `id` in `lang`, without arguments. A message missing in `lang` falls back to
/// French, and an unknown id shows as itself (the catalogue tests keep both from happening).
pub fn tr(lang: Lang, id: &str) -> String {
    catalogue::format(lang, id, &[])
}

/// The message `id` in `lang` with its arguments: `tr_args(lang, "followers", &[("n", 2.into())])`.
/// A number argument chooses the plural form (`{ $n -> [one] … *[other] … }`).
pub fn tr_args(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    catalogue::format(lang, id, args)
}

/// The message `id` in `lang`, `None` when the catalogue has no such id (for ids built from a
/// query string or a code).
pub fn lookup(lang: Lang, id: &str) -> Option<String> {
    catalogue::has(id).then(|| tr(lang, id))
}

/// Why a volunteer cannot take a slot, in words: "ce créneau est complet".
pub fn refusal(lang: Lang, r: crate::domain::slot::Refusal) -> String {
    tr(lang, &format!("err-refusal_{}", r.code()))
}

/// A volunteer's name as shown: a person whose account was deleted has none and is shown as
/// "ancien·ne bénévole" (`domain::hours::Volunteer::Former`, whose name is empty).
pub fn volunteer_name(lang: Lang, name: &str) -> String {
    if name.is_empty() {
        tr(lang, "former_volunteer")
    } else {
        name.to_string()
    }
}

/// A mission category's label ("Environnement"); the code itself when it is not one of ours.
pub fn category(lang: Lang, code: &str) -> String {
    lookup(lang, &format!("category_{code}")).unwrap_or_else(|| code.to_string())
}

/// Why a mission suits a volunteer, in words: as the volunteer reads it ("votre compétence :
/// cuisine"), or as a coordinator reads it about them (`about_them`: "compétence : cuisine").
pub fn match_reason(
    lang: Lang,
    reason: &crate::domain::volunteer::Reason,
    about_them: bool,
) -> String {
    use crate::domain::volunteer::Reason;
    match reason {
        Reason::Remote => tr(lang, "match_remote"),
        Reason::Distance { band } => tr(lang, &format!("match_distance_{}", band.code())),
        Reason::Skills(skills) => {
            let n = i64::try_from(skills.len()).unwrap_or(i64::MAX);
            let id = if about_them {
                "match_their_skills"
            } else {
                "match_your_skills"
            };
            tr_args(
                lang,
                id,
                &[("n", n.into()), ("list", skills.join(", ").into())],
            )
        }
        Reason::Available { day, part } => tr_args(
            lang,
            "match_available",
            &[
                (
                    "weekday",
                    tr(lang, &format!("weekday_{}", (*day).min(6))).into(),
                ),
                ("part", tr(lang, part.code()).into()),
            ],
        ),
    }
}

/// Whether the catalogue has the message `id` (in the reference language).
pub fn has(id: &str) -> bool {
    catalogue::has(id)
}

/// Every message of `lang` whose id starts with `prefix` and that needs no argument, by id
/// without the prefix: `words(Lang::En, "eq-")["quantity"] == "Quantity"`. With an empty
/// prefix, the site's words (ids without an area).
pub fn words(lang: Lang, prefix: &str) -> Vec<(String, String)> {
    catalogue::plain(lang, prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_read_from_tags() {
        assert_eq!(Lang::parse("fr"), Some(Lang::Fr));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("FR_be"), Some(Lang::Fr));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::or_reference("de"), Lang::Fr);
        assert_eq!(Lang::En.other(), Lang::Fr);
        assert_eq!(Lang::En.to_string(), "en");
        assert_eq!(
            serde_json::to_string(&Lang::Fr).expect("serialises"),
            "\"fr\""
        );
    }

    #[test]
    fn plurals_follow_each_language() {
        let n = |lang, n: i64| tr_args(lang, "followers", &[("n", n.into())]);
        assert_eq!(n(Lang::Fr, 0), "0 abonné");
        assert_eq!(n(Lang::Fr, 1), "1 abonné");
        assert_eq!(n(Lang::Fr, 2), "2 abonnés");
        assert_eq!(n(Lang::En, 0), "0 followers");
        assert_eq!(n(Lang::En, 1), "1 follower");
        assert_eq!(n(Lang::En, 72), "72 followers");
    }

    /// A loan reminder agrees with the quantity lent, in both languages.
    #[test]
    fn notices_agree_with_their_quantity() {
        let lead = |lang, q: i64| {
            tr_args(
                lang,
                "mail-rsv_overdue_lead",
                &[
                    ("quantity", q.into()),
                    ("item", "Tente".into()),
                    ("owner", "Épicerie".into()),
                    ("borrower", "Club".into()),
                ],
            )
        };
        assert_eq!(
            lead(Lang::Fr, 1),
            "1 × Tente prêté par Épicerie à Club devait être rendu et n'est pas noté comme rendu."
        );
        assert!(lead(Lang::Fr, 3).starts_with("3 × Tente prêtés par Épicerie à Club devaient"));
        assert!(lead(Lang::En, 1).contains("was due back and is not"));
        assert!(lead(Lang::En, 2).contains("were due back and are not"));
    }

    #[test]
    fn unknown_ids_show_as_themselves() {
        assert_eq!(tr(Lang::En, "no-such-word"), "no-such-word");
        assert_eq!(lookup(Lang::En, "no-such-word"), None);
        assert_eq!(lookup(Lang::En, "login").as_deref(), Some("Log in"));
    }
}
