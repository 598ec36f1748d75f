//! The statement's figures and words, as the documents print them.

use super::*;
use std::str::FromStr;

#[test]
fn amounts_read_the_french_way() {
    let d = |s: &str| Decimal::from_str(s).expect("a decimal");
    assert_eq!(euros(d("1234.5")), "1\u{a0}234,50 €");
    assert_eq!(euros(d("47.13")), "47,13 €");
    assert_eq!(euros(d("0")), "0,00 €");
    assert_eq!(euros(d("1234567.891")), "1\u{a0}234\u{a0}567,89 €");
    assert_eq!(duration(9150), "152 h 30");
    assert!(year_of(None).is_err());
    assert!(year_of(Some("deux mille")).is_err());
    assert_eq!(year_of(Some("2025")).ok(), Some(2025));
}

/// The documents read as they did before their words moved to the catalogue.
#[test]
fn documents_keep_their_french_words() {
    assert_eq!(
        word_with(
            "stmt_subtitle",
            &[("association", "Épicerie"), ("year", "2025")]
        ),
        "Épicerie — exercice 2025"
    );
    assert_eq!(
        word_with(
            "stmt_intro",
            &[
                ("year", "2025"),
                ("site", "Entraide"),
                ("date", "14/03/2026")
            ]
        ),
        "Bénévolat du 1er janvier au 31 décembre 2025, d'après les heures validées par \
         l'association sur Entraide. Document établi le 14/03/2026."
    );
    assert_eq!(
        category_rate("solidarity"),
        "Taux horaire « Solidarité, insertion »"
    );
    assert_eq!(month("2025-08"), "août");
    assert_eq!(month("2025-12"), "décembre");
    assert_eq!(mission_label(&Default::default(), None), "Hors mission");
    assert_eq!(
        entry_header().join(","),
        "N°,Date,Fin,Bénévole,Domaine,Mission,Minutes,Heures,Km,État,Valeur,Description"
    );
    assert_eq!(
        word_with(
            "att_footer",
            &[
                ("number", "7"),
                ("asked", "01/03/2026"),
                ("date", "14/03/2026"),
                ("site", "Entraide"),
                ("address", "https://entraide.example"),
            ]
        ),
        "Attestation n° 7 demandée le 01/03/2026 ; document établi le 14/03/2026 par \
         Entraide (https://entraide.example)."
    );
    assert_eq!(
        word_with(
            "stmt_file",
            &[("association", "epicerie"), ("year", "2025")]
        ),
        "contributions-benevoles-epicerie-2025"
    );
}
