//! The lending agreement's template: the text used when the owner wrote none, the
//! `{placeholders}` a template may refer to, and how they are filled.

/// The lending agreement's text when the owner wrote none. `{placeholders}` are filled from
/// the reservation (see [`AGREEMENT_PLACEHOLDERS`]).
pub const DEFAULT_AGREEMENT: &str = "Le prêteur met à disposition de l'emprunteur {quantity} × {resource}, du {start} au {end}. Le matériel est retiré et rendu à l'adresse suivante : {place}.

L'emprunteur s'engage à utiliser le matériel avec soin, pour l'usage prévu, et à le rendre propre et complet à la date convenue. Toute perte, casse ou dégradation est signalée sans délai ; le matériel perdu ou hors d'usage est remboursé à sa valeur de remplacement ({replacement_value}).

Dépôt de garantie : {deposit}. Prix : {price}.

Conditions particulières du prêteur : {conditions}";

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
