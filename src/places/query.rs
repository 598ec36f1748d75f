//! Reading what someone typed: a postcode, a département in brackets, a commune's name, maybe
//! after a street ("12 rue de Siam, 29200 Brest").

use super::fold::fold;
use super::gazetteer::{Commune, Gazetteer, Kind};

/// What was read in the text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// A five-digit postcode.
    pub postcode: Option<String>,
    /// A département: "(29)", or two digits (or 2A, 2B, 97x) at the very end.
    pub departement: Option<String>,
    /// The rest, by comma-separated part, folded, without the numbers read above.
    pub parts: Vec<String>,
}

impl Query {
    pub fn read(text: &str) -> Query {
        let mut q = Query::default();
        // "(29)" anywhere.
        if let Some(open) = text.find('(') {
            if let Some(close) = text[open..].find(')') {
                let inner = text[open + 1..open + close].trim();
                if is_departement(inner) {
                    q.departement = Some(inner.to_ascii_uppercase());
                }
            }
        }
        let parts: Vec<Vec<String>> = text
            .split([',', ';', '\n'])
            .map(|p| fold(p).split(' ').map(str::to_string).collect())
            .collect();
        let last_part = parts.iter().rposition(|p| p.iter().any(|w| !w.is_empty()));
        for (n, words) in parts.into_iter().enumerate() {
            let mut kept = Vec::new();
            let count = words.len();
            for (i, w) in words.into_iter().enumerate() {
                if w.len() == 5 && w.chars().all(|c| c.is_ascii_digit()) {
                    q.postcode.get_or_insert(w);
                } else if Some(n) == last_part
                    && i + 1 == count
                    && i > 0
                    && q.departement.is_none()
                    && is_departement(&w)
                {
                    q.departement = Some(w.to_ascii_uppercase());
                } else if is_departement(&w)
                    && q.departement.as_deref() == Some(w.to_ascii_uppercase().as_str())
                {
                    // "(29)", read above.
                } else {
                    kept.push(w);
                }
            }
            let kept = kept.join(" ").trim().to_string();
            if !kept.is_empty() {
                q.parts.push(kept);
            }
        }
        q
    }
}

fn is_departement(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    match s.len() {
        2 => s.chars().all(|c| c.is_ascii_digit()) || s == "2a" || s == "2b",
        3 => s.starts_with("97") && s.chars().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// What the gazetteer makes of a text.
#[derive(Debug, Clone, Default)]
pub struct Resolution<'a> {
    /// The place meant: among homonyms, the one in the département given, else in a preferred
    /// département, else the biggest.
    pub best: Option<&'a Commune>,
    /// The text was nothing but a commune and/or a postcode (no street, no other words).
    pub whole: bool,
    /// Other places it could be (homonyms), or, when nothing matched, names close to it.
    pub suggestions: Vec<&'a Commune>,
}

impl Gazetteer {
    /// Reads `text` and finds the place it names. `prefer` lists départements to choose first
    /// among homonyms (a node's own territory).
    pub fn resolve<'a>(&'a self, text: &str, prefer: &[String]) -> Resolution<'a> {
        let q = Query::read(text);
        let by_postcode = q
            .postcode
            .as_deref()
            .map(|p| self.with_postcode(p))
            .unwrap_or_default();
        // The longest run of words ending a part that names a place, the last part first.
        let mut named: Vec<&Commune> = Vec::new();
        let mut whole = true;
        'parts: for part in q.parts.iter().rev() {
            let words: Vec<&str> = part.split(' ').collect();
            for start in 0..words.len() {
                let candidates =
                    self.fitting(self.named(&words[start..].join(" ")), &q, &by_postcode);
                if !candidates.is_empty() {
                    named = candidates;
                    whole = start == 0 && q.parts.len() == 1;
                    break 'parts;
                }
            }
        }
        if named.is_empty() && !q.parts.is_empty() {
            whole = false;
        }
        let mut found = if named.is_empty() {
            self.fitting(by_postcode.clone(), &q, &by_postcode)
        } else {
            named
        };
        // Homonyms: the preferred départements first, the order (biggest first) kept otherwise.
        found.sort_by_key(|c| !prefer.iter().any(|d| d == c.departement));
        if let Some(best) = found.first().copied() {
            return Resolution {
                best: Some(best),
                whole,
                suggestions: found.into_iter().skip(1).take(5).collect(),
            };
        }
        // Nothing: names starting like the last part typed.
        let typed = q.parts.last().cloned().unwrap_or_default();
        let mut suggestions = self.complete(&typed, 5);
        let mut prefix: String = typed.chars().take(5).collect();
        while suggestions.is_empty() && prefix.chars().count() >= 3 {
            suggestions = self.complete(&prefix, 5);
            prefix.pop();
        }
        Resolution {
            best: None,
            whole: false,
            suggestions,
        }
    }

    /// The candidates agreeing with the postcode and the département read, if any were.
    fn fitting<'a>(
        &self,
        candidates: Vec<&'a Commune>,
        q: &Query,
        by_postcode: &[&'a Commune],
    ) -> Vec<&'a Commune> {
        candidates
            .into_iter()
            .filter(|c| {
                q.departement.as_deref().is_none_or(|d| c.departement == d)
                    && (q.postcode.is_none()
                        || by_postcode.iter().any(|p| p.insee == c.insee)
                        || (c.kind == Kind::Former
                            && by_postcode.iter().any(|p| p.insee == c.parent)))
            })
            .collect()
    }
}
