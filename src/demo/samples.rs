//! The demo's associations and their coming missions, in the pays de Brest.

/// One sample mission, as the table below lists it.
pub(super) type SampleMission = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    i64,
    u32,
    u32,
    Option<i64>,
    (&'static str, &'static str, &'static str, f64, f64),
);

pub(super) struct Sample {
    pub association: (&'static str, &'static str, &'static str),
    pub missions: &'static [SampleMission],
}

pub(super) const SAMPLES: &[Sample] = &[
    Sample {
        association: ("epicerie-bellevue", "Épicerie solidaire de Bellevue", "Une épicerie où les familles du quartier font leurs courses à petit prix, tenue par des bénévoles."),
        missions: &[
            ("Accueil et caisse à l'épicerie", "Accueillir les familles, tenir la caisse, ranger les rayons. **Aucune expérience demandée** : un binôme vous accompagne la première fois.", "solidarity", &["accueil", "caisse"], 3, 9, 12, Some(4), ("Épicerie solidaire", "12 rue Sisley", "29200", 48.4036, -4.5063)),
            ("Collecte au supermarché", "Présenter la collecte aux clients à l'entrée du magasin et trier les dons.", "solidarity", &["contact", "tri"], 10, 10, 13, Some(8), ("Entrée du supermarché", "Place de Metz", "29200", 48.3994, -4.4921)),
        ],
    },
    Sample {
        association: ("repair-cafe-landerneau", "Repair Café de Landerneau", "Chaque mois, on répare ensemble grille-pain, vélos et vêtements au lieu de les jeter."),
        missions: &[
            ("Réparateur ou réparatrice d'un jour", "Vous savez souder, coudre ou régler un dérailleur ? Venez transmettre votre savoir-faire.", "environment", &["bricolage", "électricité", "couture"], 6, 14, 18, Some(6), ("Salle Saint-Ernel", "Rue Saint-Ernel", "29800", 48.4508, -4.2489)),
            ("Accueil des visiteurs du Repair Café", "Noter les objets apportés, orienter vers le bon atelier, servir le café.", "environment", &["accueil"], 6, 14, 18, Some(2), ("Salle Saint-Ernel", "Rue Saint-Ernel", "29800", 48.4508, -4.2489)),
        ],
    },
    Sample {
        association: ("littoral-plouzane", "Amis du littoral de Plouzané", "Nettoyage des plages et sensibilisation à la protection du littoral de la rade."),
        missions: &[
            ("Nettoyage de la plage du Minou", "Ramassage des déchets laissés par les grandes marées. Gants et sacs fournis, bottes conseillées.", "environment", &[], 13, 9, 12, Some(30), ("Plage du Minou", "", "29280", 48.3417, -4.6153)),
        ],
    },
    Sample {
        association: ("francais-pour-tous", "Français pour tous – Brest", "Cours de français et accompagnement administratif pour les personnes arrivées depuis peu."),
        missions: &[
            ("Animer un atelier de conversation", "Une heure et demie de conversation en petit groupe, avec un support préparé par l'association.", "education", &["pédagogie", "patience"], 2, 18, 20, Some(3), ("Maison de quartier de Saint-Martin", "Rue Bruat", "29200", 48.3945, -4.4856)),
            ("Aide à la comptabilité de l'association", "Tenir le tableau des dépenses et préparer le bilan annuel avec la trésorière. Possible à distance.", "support", &["comptabilité", "tableur"], 4, 18, 20, Some(1), ("", "", "", 0.0, 0.0)),
        ],
    },
];
