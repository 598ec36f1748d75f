//! The domain's field messages (English fragments such as "is required") as sentences in the
//! page's language, and the labels of form fields, for the errors shown next to a form.
//!
//! Why it still matches English fragments: the domain's validation reports its rules as text
//! (`FieldErrors`); turning those into codes with arguments is the next step of issue 13's
//! part 5, after which this table goes into the catalogue.

use super::{word, Lang};

/// The label of a form field, for the list of errors at the top of the form.
pub fn field_label(lang: Lang, field: &str) -> String {
    let key = match field {
        "start_time" => "start",
        "end_time" => "end",
        "street_address" => "street",
        "join_mode" => "signup_legend",
        "commitment_hours" | "commitment_minutes" => "commitment_time",
        "commitment_period" => "commitment",
        "home_town" => "locality",
        "home_latitude" => "latitude",
        "home_longitude" => "longitude",
        "rule_start" => "slot_start",
        "rule_end" => "slot_end",
        "rule_capacity" => "slot_capacity",
        other => other,
    };
    word(lang, key)
}

/// A field message of the domain (an English fragment such as "is required") as a sentence in
/// the page's language, shown next to the field.
pub fn field_error(lang: Lang, message: &str) -> String {
    let en = lang == Lang::En;
    let pick = |fr: &str, e: &str| if en { e.to_string() } else { fr.to_string() };
    // "must be at most N characters long" and "must be at most N" carry a number.
    let number = message
        .split_whitespace()
        .find_map(|w| w.parse::<u64>().ok());
    match message {
        "is required" => pick("Ce champ est obligatoire.", "This field is required."),
        "must be at least 3 characters long" => pick(
            "Écrivez au moins 3 caractères.",
            "Write at least 3 characters.",
        ),
        "must be after the start" => pick(
            "La fin doit venir après le début.",
            "The end must come after the start.",
        ),
        "is already over" => pick("Cette date est déjà passée.", "This date is already past."),
        "is required unless the mission is done remotely" => pick(
            "Indiquez la commune, ou cochez « Mission à distance ».",
            "Give the town, or tick “Remote mission”.",
        ),
        "must be at least 1 (leave it empty for no limit)" => pick(
            "Indiquez au moins 1, ou laissez vide s'il n'y a pas de limite.",
            "Give at least 1, or leave empty for no limit.",
        ),
        "a mission lasts at most one year" => pick(
            "Une mission dure au plus un an.",
            "A mission lasts at most one year.",
        ),
        "must be a whole number" => pick(
            "Indiquez un nombre entier, par exemple 5.",
            "Give a whole number, for example 5.",
        ),
        "each skill must be at most 60 characters long" => pick(
            "Chaque compétence fait au plus 60 caractères.",
            "Each skill is at most 60 characters long.",
        ),
        "at most 20 skills" => pick(
            "Indiquez au plus 20 compétences.",
            "Give at most 20 skills.",
        ),
        "must be free or restricted" => pick(
            "Choisissez une façon de s'inscrire.",
            "Choose how volunteers sign up.",
        ),
        "is required for a regular mission (minutes per period)" => pick(
            "Indiquez le temps demandé, par exemple 2 heures.",
            "Give the time asked, for example 2 hours.",
        ),
        "must be between 15 minutes and one week" => pick(
            "Indiquez entre 15 minutes et une semaine.",
            "Give between 15 minutes and one week.",
        ),
        "must be week or month for a regular mission" => pick(
            "Choisissez par semaine ou par mois.",
            "Choose per week or per month.",
        ),
        "must be a number" => pick(
            "Indiquez un nombre, par exemple 48,39.",
            "Give a number, for example 48.39.",
        ),
        "is not a position on Earth" => pick(
            "Ce n'est pas une position sur la Terre : la latitude va de -90 à 90, la longitude de -180 à 180.",
            "This is not a position on Earth: latitude goes from -90 to 90, longitude from -180 to 180.",
        ),
        "latitude and longitude go together" => pick(
            "Indiquez la latitude et la longitude, ou aucune des deux.",
            "Give both latitude and longitude, or neither.",
        ),
        "must be between 0 and 1000" => pick(
            "Indiquez un nombre entre 0 et 1000.",
            "Give a number between 0 and 1000.",
        ),
        "at most 30 skills of at most 60 characters" => pick(
            "Indiquez au plus 30 compétences, de 60 caractères au plus chacune.",
            "Give at most 30 skills, each at most 60 characters long.",
        ),
        "days go from 0 (Monday) to 6 (Sunday)" => pick(
            "Cochez des moments dans la grille de la semaine.",
            "Tick times in the week's grid.",
        ),
        "must be at least 1" => pick("Indiquez au moins 1.", "Give at least 1."),
        "a slot lasts at most 24 hours" => pick(
            "Un créneau dure au plus 24 heures.",
            "A slot lasts at most 24 hours.",
        ),
        "is required, as a date like 2026-03-01" => pick(
            "Indiquez une date, par exemple 14/03/2027.",
            "Give a date, for example 14/03/2027.",
        ),
        "is required, as a time like 09:00" => pick(
            "Indiquez une heure, par exemple 09:00.",
            "Give a time, for example 09:00.",
        ),
        "must be after the start (slots end the same day)" => pick(
            "L'heure de fin doit venir après l'heure de début, le même jour.",
            "The end time must come after the start time, on the same day.",
        ),
        "must be on or after the first day" => pick(
            "Le dernier jour doit venir après le premier.",
            "The last day must come after the first.",
        ),
        "a rule spans at most one year" => pick(
            "Il y a au plus un an entre le premier et le dernier jour.",
            "There is at most one year between the first and the last day.",
        ),
        "the rule gives no slot in the future" => pick(
            "Ces dates et ces jours ne donnent aucun créneau à venir : vérifiez-les.",
            "These dates and days give no upcoming slot: please check them.",
        ),
        "give at least one slot or a rule" => pick(
            "Indiquez au moins un créneau.",
            "Give at least one slot.",
        ),
        "is required (at most 100 characters)" => pick(
            "Indiquez le nom de la personne (100 caractères au plus).",
            "Give the person's name (at most 100 characters).",
        ),
        "a phone number or an email is required (at most 200 characters)" => pick(
            "Indiquez un téléphone ou un e-mail (200 caractères au plus).",
            "Give a phone number or an email (at most 200 characters).",
        ),
        m if m.ends_with("is not a day of the week (mon, tue, …)") => pick(
            "Cochez des jours de la semaine dans la liste.",
            "Tick days of the week in the list.",
        ),
        m if m.ends_with("is not a mission category") => pick(
            "Cochez des domaines dans la liste.",
            "Tick categories in the list.",
        ),
        m if m.starts_with("the rule gives more than") => match number {
            Some(n) => pick(
                &format!("Cela ferait plus de {n} créneaux : raccourcissez la période."),
                &format!("That would make more than {n} slots: shorten the period."),
            ),
            None => message.to_string(),
        },
        m if m.starts_with("is not a date and time") => pick(
            "Indiquez une date et une heure, par exemple 14/06/2026 09:00.",
            "Give a date and a time, for example 14/06/2026 09:00.",
        ),
        m if m.starts_with("must be one of") => pick(
            "Choisissez un domaine dans la liste.",
            "Choose a category from the list.",
        ),
        m if m.starts_with("must be at most") && m.ends_with("characters long") => match number {
            Some(n) => pick(
                &format!("Écrivez au plus {n} caractères."),
                &format!("Write at most {n} characters."),
            ),
            None => message.to_string(),
        },
        m if m.starts_with("must be at most") => match number {
            Some(n) => pick(
                &format!("Indiquez au plus {n}."),
                &format!("Give at most {n}."),
            ),
            None => message.to_string(),
        },
        // A message this page does not know yet: shown as the domain wrote it.
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_become_sentences() {
        assert_eq!(
            field_error(Lang::Fr, "is required"),
            "Ce champ est obligatoire."
        );
        assert_eq!(
            field_error(Lang::En, "is required"),
            "This field is required."
        );
        assert_eq!(
            field_error(Lang::Fr, "must be at most 200 characters long"),
            "Écrivez au plus 200 caractères."
        );
        assert_eq!(
            field_error(Lang::Fr, "must be at most 10000"),
            "Indiquez au plus 10000."
        );
        assert_eq!(
            field_error(
                Lang::Fr,
                "is not a date and time (example: 2026-06-14T09:00)"
            ),
            "Indiquez une date et une heure, par exemple 14/06/2026 09:00."
        );
        assert_eq!(field_label(Lang::Fr, "start_time"), "Début (date et heure)");
        assert_eq!(
            field_error(Lang::Fr, "sometimes is not a day of the week (mon, tue, …)"),
            "Cochez des jours de la semaine dans la liste."
        );
        assert_eq!(
            field_error(Lang::En, "the rule gives more than 366 slots"),
            "That would make more than 366 slots: shorten the period."
        );
        assert_eq!(field_label(Lang::En, "rule_capacity"), "Number of places");
    }
}
