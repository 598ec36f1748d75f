//! Loading the Fluent files into one bundle per language, once, and formatting messages.
//! The files are embedded (`include_str!`), so a node carries its words with it.

use super::Lang;
use fluent_bundle::{concurrent::FluentBundle, FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;

/// An argument of a message: a number (which also picks the plural form) or a text.
pub type Arg = FluentValue<'static>;

/// The areas of the catalogue, one `.ftl` file per language each: `(id prefix, French,
/// English)`; the site's common words have no prefix.
pub(super) const FILES: &[(&str, &str, &str)] = &[
    (
        "",
        include_str!("../../locales/fr/site.ftl"),
        include_str!("../../locales/en/site.ftl"),
    ),
    (
        "cal-",
        include_str!("../../locales/fr/calendar.ftl"),
        include_str!("../../locales/en/calendar.ftl"),
    ),
    (
        "hours-",
        include_str!("../../locales/fr/hours.ftl"),
        include_str!("../../locales/en/hours.ftl"),
    ),
    (
        "eq-",
        include_str!("../../locales/fr/equipment.ftl"),
        include_str!("../../locales/en/equipment.ftl"),
    ),
    (
        "mail-",
        include_str!("../../locales/fr/notify.ftl"),
        include_str!("../../locales/en/notify.ftl"),
    ),
    (
        "err-",
        include_str!("../../locales/fr/errors.ftl"),
        include_str!("../../locales/en/errors.ftl"),
    ),
    (
        "doc-",
        include_str!("../../locales/fr/documents.ftl"),
        include_str!("../../locales/en/documents.ftl"),
    ),
    (
        "assoc-",
        include_str!("../../locales/fr/associations.ftl"),
        include_str!("../../locales/en/associations.ftl"),
    ),
    (
        "field-",
        include_str!("../../locales/fr/fields.ftl"),
        include_str!("../../locales/en/fields.ftl"),
    ),
    (
        "search-",
        include_str!("../../locales/fr/search.ftl"),
        include_str!("../../locales/en/search.ftl"),
    ),
    (
        "help-",
        include_str!("../../locales/fr/help.ftl"),
        include_str!("../../locales/en/help.ftl"),
    ),
];

struct Catalogue {
    /// One bundle per language, in [`Lang::ALL`] order.
    bundles: Vec<FluentBundle<FluentResource>>,
    /// Every message id, per language, in file order.
    ids: Vec<Vec<String>>,
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(load)
}

fn load() -> Catalogue {
    let mut bundles = Vec::new();
    let mut ids = Vec::new();
    for lang in Lang::ALL {
        let tag = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![tag]);
        // Unicode isolation marks around arguments would end up in attributes and emails.
        bundle.set_use_isolating(false);
        let mut names = Vec::new();
        for (area, fr, en) in FILES {
            let source = if lang == Lang::En { en } else { fr };
            let resource = match FluentResource::try_new((*source).to_string()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    // A syntax error is a build defect that `every_file_parses` catches; keep
                    // the messages that did parse rather than lose the whole area.
                    tracing::error!(area, lang = %lang, ?errors, "catalogue file does not parse");
                    r
                }
            };
            names.extend(message_ids(&resource));
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(area, lang = %lang, ?errors, "catalogue file repeats ids");
            }
        }
        bundles.push(bundle);
        ids.push(names);
    }
    Catalogue { bundles, ids }
}

fn message_ids(resource: &FluentResource) -> Vec<String> {
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// Every message id of `lang`'s files, in file order.
pub fn ids(lang: Lang) -> &'static [String] {
    &catalogue().ids[lang.index()]
}

pub(super) fn has(id: &str) -> bool {
    catalogue().bundles[Lang::Fr.index()].has_message(id)
}

/// `None` when the message is missing in `lang` or fails to format (an argument missing).
fn try_format(lang: Lang, id: &str, args: Option<&FluentArgs>) -> Option<String> {
    try_format_part(lang, id, None, args)
}

/// The message's value, or its attribute `attr` (`field-required.api`).
fn try_format_part(
    lang: Lang,
    id: &str,
    attr: Option<&str>,
    args: Option<&FluentArgs>,
) -> Option<String> {
    let bundle = &catalogue().bundles[lang.index()];
    let message = bundle.get_message(id)?;
    let pattern = match attr {
        None => message.value()?,
        Some(a) => message.get_attribute(a)?.value(),
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    errors.is_empty().then(|| text.into_owned())
}

fn fluent_args<'a>(args: &[(&'a str, Arg)]) -> Option<FluentArgs<'a>> {
    (!args.is_empty()).then(|| {
        let mut a = FluentArgs::with_capacity(args.len());
        for (k, v) in args {
            a.set(*k, v.clone());
        }
        a
    })
}

/// The attribute `attr` of the message `id` in `lang` (no fallback: `None` when missing).
pub(super) fn format_attr(
    lang: Lang,
    id: &str,
    attr: &str,
    args: &[(&str, Arg)],
) -> Option<String> {
    try_format_part(lang, id, Some(attr), fluent_args(args).as_ref())
}

pub(super) fn format(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let args = fluent_args(args);
    try_format(lang, id, args.as_ref())
        .or_else(|| try_format(Lang::Fr, id, args.as_ref()))
        .unwrap_or_else(|| {
            tracing::warn!(id, lang = %lang, "no words for this message");
            id.to_string()
        })
}

/// The messages that need no argument, id without `prefix` → words; an empty prefix keeps
/// the ids without an area (no `-`).
pub(super) fn plain(lang: Lang, prefix: &str) -> Vec<(String, String)> {
    ids(lang)
        .iter()
        .filter_map(|id| {
            let key = if prefix.is_empty() {
                (!id.contains('-')).then_some(id.as_str())?
            } else {
                id.strip_prefix(prefix)?
            };
            Some((key.to_string(), try_format(lang, id, None)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_file_parses() {
        for (area, fr, en) in FILES {
            for source in [fr, en] {
                if let Err((_, errors)) = FluentResource::try_new((*source).to_string()) {
                    panic!("{area}: {errors:?}");
                }
            }
        }
    }

    /// French is the reference and English complete: the same ids in both, none twice.
    #[test]
    fn both_languages_have_the_same_ids() {
        let fr: BTreeSet<&String> = ids(Lang::Fr).iter().collect();
        let en: BTreeSet<&String> = ids(Lang::En).iter().collect();
        assert_eq!(fr.len(), ids(Lang::Fr).len(), "an id is repeated in French");
        assert_eq!(
            en.len(),
            ids(Lang::En).len(),
            "an id is repeated in English"
        );
        let only_fr: Vec<_> = fr.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&fr).collect();
        assert!(only_fr.is_empty(), "missing in English: {only_fr:?}");
        assert!(only_en.is_empty(), "missing in French: {only_en:?}");
        assert!(fr.len() > 500, "only {} ids: are the files read?", fr.len());
    }

    /// An area's words live in that area's file, under its prefix.
    #[test]
    fn ids_are_filed_by_area() {
        for (prefix, fr, _) in FILES {
            let resource = FluentResource::try_new((*fr).to_string()).unwrap_or_else(|(r, _)| r);
            for id in message_ids(&resource) {
                let area = FILES
                    .iter()
                    .map(|f| f.0)
                    .find(|p| !p.is_empty() && id.starts_with(p))
                    .unwrap_or_default();
                assert_eq!(area, *prefix, "{id} is filed under {prefix:?}");
            }
        }
    }
}
