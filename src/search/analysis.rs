//! French analysis, the same on both sides of a search: words are split, lowercased, French
//! stop words dropped, accents folded, stemmed by Snowball's French rules, and a final plural
//! `-s`/`-x` dropped (Snowball keeps `velos`, `numeros` and `jeux` as they are). Folding comes
//! before stemming so that a word typed without its accents stems exactly as the accented one
//! (`benevoles` and `bénévoles`).

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// The analyzer of the text fields (title, description, association, skills, place).
pub const FRENCH: &str = "entraide_fr";
/// The analyzer of whole values compared without case or accents (a skill).
pub const KEYWORD: &str = "entraide_keyword";

/// Words longer than this are dropped (no French word is; a pasted link is).
const LONGEST_WORD: usize = 40;

/// The French analyzer.
pub fn french() -> TextAnalyzer {
    let stop_words = StopWordFilter::new(Language::French)
        .unwrap_or_else(|| StopWordFilter::remove(Vec::<String>::new()));
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(stop_words)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::French))
        .filter(PluralFold)
        .build()
}

/// A whole value, lowercased and folded: `Cuisine` and `cuisine`, `Électricité` and
/// `electricite` are one skill.
pub fn keyword() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The terms a text gives with `analyzer`, in order.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// The French terms of a text (tests and the query side use the same analyzer).
pub fn analyze(text: &str) -> Vec<String> {
    terms(&mut french(), text)
}

/// A whole value as the keyword analyzer makes it.
pub fn keyword_term(value: &str) -> String {
    terms(&mut keyword(), value.trim())
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// Drops a final `s` or `x` of a word of four letters or more: the plural Snowball's French
/// rules keep (`velos`, `jeux`, `numeros`). The same on both sides, so `repas` becoming
/// `repa` matters to nobody.
#[derive(Clone, Copy)]
pub struct PluralFold;

fn fold_plural(word: &mut String) {
    if word.len() >= 4 && (word.ends_with('s') || word.ends_with('x')) {
        word.pop();
    }
}

impl TokenFilter for PluralFold {
    type Tokenizer<T: Tokenizer> = PluralFoldTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> PluralFoldTokenizer<T> {
        PluralFoldTokenizer(tokenizer)
    }
}

#[derive(Clone)]
pub struct PluralFoldTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for PluralFoldTokenizer<T> {
    type TokenStream<'a> = PluralFoldStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        PluralFoldStream(self.0.token_stream(text))
    }
}

pub struct PluralFoldStream<S>(S);

impl<S: TokenStream> TokenStream for PluralFoldStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        fold_plural(&mut self.0.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both texts give the same terms.
    fn same(a: &str, b: &str) {
        assert_eq!(analyze(a), analyze(b), "{a:?} and {b:?}");
        assert!(!analyze(a).is_empty(), "{a:?} gives no term");
    }

    #[test]
    fn singular_and_plural_meet() {
        same("vélo", "vélos");
        same("bénévole", "bénévoles");
        same("jeu", "jeux");
        same("numéro", "numéros");
        same("réparation", "réparations");
        same("association", "associations");
    }

    #[test]
    fn accents_are_folded_on_both_sides() {
        same("velo", "vélos");
        same("benevole", "bénévoles");
        same("numero", "numéros");
        same("epicerie", "Épicerie");
        same("agees", "âgées");
        same("electricite", "électricité");
        same("fete", "fêtes");
    }

    #[test]
    fn case_and_stop_words_do_not_count() {
        assert_eq!(analyze("Réparation de vélos"), analyze("reparation velo"));
        assert_eq!(analyze("le la les des du et"), Vec::<String>::new());
        // Elided articles are split off and dropped.
        assert_eq!(analyze("l'atelier"), analyze("atelier"));
    }

    #[test]
    fn different_words_stay_apart() {
        assert_ne!(analyze("vélo"), analyze("voile"));
        assert_ne!(analyze("jardin"), analyze("jeu"));
        assert_ne!(analyze("cuisine"), analyze("couture"));
    }

    #[test]
    fn a_skill_is_compared_without_case_nor_accents() {
        assert_eq!(keyword_term(" Électricité "), "electricite");
        assert_eq!(keyword_term("Premiers secours"), "premiers secours");
    }

    #[test]
    fn the_plural_fold_keeps_short_words() {
        let mut w = "bus".to_string();
        fold_plural(&mut w);
        assert_eq!(w, "bus");
        let mut w = "jeux".to_string();
        fold_plural(&mut w);
        assert_eq!(w, "jeu");
    }
}
