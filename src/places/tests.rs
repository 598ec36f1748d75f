use super::*;

fn one(text: &str) -> &'static Commune {
    Gazetteer::france()
        .resolve(text, &[])
        .best
        .unwrap_or_else(|| panic!("{text} not found"))
}

#[test]
fn every_commune_of_finistere_has_a_point_in_finistere() {
    let g = Gazetteer::france();
    let finistere: Vec<&Commune> = g
        .communes
        .iter()
        .filter(|c| c.departement == "29" && c.kind == Kind::Commune)
        .collect();
    assert_eq!(finistere.len(), 277);
    for c in finistere {
        let p = c.point;
        assert!(
            (47.6..48.9).contains(&p.latitude) && (-5.2..-3.3).contains(&p.longitude),
            "{} at {p:?}",
            c.name
        );
        assert!(!c.postcodes.is_empty(), "{} has no postcode", c.name);
    }
    assert!(g.len() > 35_000, "all of France: {}", g.len());
}

#[test]
fn communes_of_the_pays_de_brest_by_name() {
    let brest = one("Brest");
    assert_eq!((brest.insee, brest.departement), ("29019", "29"));
    assert!(
        brest.point.distance_km(&Point {
            latitude: 48.39,
            longitude: -4.49
        }) < 3.0
    );
    assert_eq!(one("plouzane").insee, "29212");
    assert_eq!(one("PLOUZANÉ").insee, "29212");
    assert_eq!(one("Locmaria-Plouzané").insee, "29130");
    assert_eq!(one("locmaria plouzane").insee, "29130");
    assert_eq!(one("Le Relecq-Kerhuon").insee, "29235");
    assert_eq!(one("Relecq Kerhuon").insee, "29235");
    assert_eq!(one("Saint-Renan").insee, "29260");
    assert_eq!(one("St Renan").insee, "29260");
    assert_eq!(one("st-renan").insee, "29260");
    let ouessant = one("Ouessant");
    assert_eq!(ouessant.insee, "29155");
    // Out at sea, west of Brest.
    assert!(ouessant.point.longitude < -5.0);
    // Plouzané and Locmaria-Plouzané are two places, a few km apart.
    let d = one("Plouzané")
        .point
        .distance_km(&one("Locmaria-Plouzané").point);
    assert!((1.0..10.0).contains(&d), "{d} km");
}

#[test]
fn postcodes() {
    assert_eq!(one("29200").insee, "29019");
    assert_eq!(
        one("29280").insee,
        "29212",
        "Plouzané is the biggest of 29280"
    );
    assert_eq!(one("29280 Locmaria-Plouzané").insee, "29130");
    assert_eq!(one("Locmaria-Plouzané 29280").insee, "29130");
    let r = Gazetteer::france().resolve("29290", &[]);
    assert!(r.whole);
    assert!(
        r.suggestions.iter().any(|c| c.insee == "29076"),
        "Milizac-Guipronvel shares 29290"
    );
    // A postcode nobody has.
    assert!(locate("00000").is_none());
}

#[test]
fn homonyms_across_departements() {
    let g = Gazetteer::france();
    let r = g.resolve("Saint-Martin", &[]);
    assert!(r.best.is_some());
    assert!(r.suggestions.len() >= 3, "other Saint-Martin are offered");
    // Four communes are named exactly "Saint-Martin" (Gers, Meurthe-et-Moselle,
    // Hautes-Pyrénées, Bas-Rhin).
    let with_dep = g
        .resolve("Saint-Martin (54)", &[])
        .best
        .map(|c| c.departement);
    assert_eq!(with_dep, Some("54"));
    let preferred = g.resolve("Saint-Martin", &["65".to_string()]).best;
    assert_eq!(preferred.map(|c| c.departement), Some("65"));
    // The département at the end, without brackets.
    assert_eq!(
        g.resolve("Saint-Martin 54", &[])
            .best
            .map(|c| c.departement),
        Some("54")
    );
    // A postcode picks among homonyms too.
    let by_postcode = g.resolve("Saint-Martin 65360", &[]).best;
    assert_eq!(by_postcode.map(|c| c.departement), Some("65"));
}

#[test]
fn an_address_is_located_at_its_commune() {
    let r = Gazetteer::france().resolve("12 rue de Siam, 29200 Brest", &[]);
    assert_eq!(r.best.map(|c| c.insee), Some("29019"));
    assert!(!r.whole, "a street was given");
    let r = Gazetteer::france().resolve("Salle Ti Lanvenec, rue de Kerhuel Locmaria-Plouzané", &[]);
    assert_eq!(r.best.map(|c| c.insee), Some("29130"));
    assert!(Gazetteer::france().resolve("Plouzané", &[]).whole);
}

#[test]
fn nothing_found_comes_with_suggestions() {
    let r = Gazetteer::france().resolve("Plouzanet", &[]);
    assert!(r.best.is_none());
    assert!(
        r.suggestions.iter().any(|c| c.insee == "29212"),
        "{:?}",
        r.suggestions.iter().map(|c| c.name).collect::<Vec<_>>()
    );
    assert!(locate("").is_none());
    assert!(locate("zzzz qqqq").is_none());
}

#[test]
fn completion_by_prefix() {
    let g = Gazetteer::france();
    let names: Vec<&str> = g.complete("plouz", 10).iter().map(|c| c.name).collect();
    assert!(names.contains(&"Plouzané"), "{names:?}");
    assert!(
        !names.contains(&"Locmaria-Plouzané"),
        "prefix of the name only"
    );
    let brest = g.complete("brest", 3);
    assert_eq!(
        brest.first().map(|c| c.insee),
        Some("29019"),
        "the exact name first"
    );
    let by_code = g.complete("2920", 5);
    assert!(by_code.iter().any(|c| c.insee == "29019"));
    assert!(g.complete("st ren", 5).iter().any(|c| c.insee == "29260"));
    assert!(g.complete("", 5).is_empty());
    assert_eq!(g.complete("plou", 4).len(), 4);
}

#[test]
fn labels() {
    let g = Gazetteer::france();
    assert_eq!(label(g, one("Brest")), "Brest (29)");
    let guipronvel = g.named("guipronvel");
    let former = guipronvel.iter().find(|c| c.kind == Kind::Former);
    assert_eq!(
        former.map(|c| label(g, c)).as_deref(),
        Some("Guipronvel (Milizac-Guipronvel, 29)")
    );
}

#[test]
fn reading_queries() {
    let q = Query::read("12 rue de Siam, 29200 Brest");
    assert_eq!(q.postcode.as_deref(), Some("29200"));
    assert_eq!(q.parts, vec!["12 rue de siam", "brest"]);
    assert_eq!(q.departement, None, "12 is a street number");
    let q = Query::read("Plouzané (29)");
    assert_eq!(q.departement.as_deref(), Some("29"));
    assert_eq!(q.parts, vec!["plouzane"]);
    let q = Query::read("Ajaccio 2A");
    assert_eq!(q.departement.as_deref(), Some("2A"));
}
