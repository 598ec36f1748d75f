//! French first, English too: the words of the interface, how a page picks its language, and
//! the few sentences that depend on a number or a date (plurals, "mardi 24 novembre").
//!
//! The words are written for people who are not at ease with computers: short sentences, no
//! jargon ("site" rather than "nœud", no "Markdown").

use axum::http::HeaderMap;
use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// `(key, French, English)`. Templates read them as `t.key`; a unit test checks that every
/// `t.key` used in a template is listed here.
const WORDS: &[(&str, &str, &str)] = &[
    // Layout
    ("skip", "Aller au contenu principal", "Skip to main content"),
    ("menu", "Menu principal", "Main menu"),
    ("home", "Accueil", "Home"),
    ("back_home", "Retour à l'accueil", "Back to the home page"),
    ("login", "Se connecter", "Log in"),
    ("logout", "Se déconnecter", "Log out"),
    ("account", "Compte :", "Account:"),
    ("language", "English", "Français"),
    ("footer", "Entraide : missions bénévoles entre associations, en logiciel libre.", "Entraide: volunteer missions between associations, as free software."),
    ("api_for_developers", "API pour les développeurs", "API for developers"),
    // Home
    ("associations", "Les associations", "The associations"),
    ("no_associations", "Aucune association n'est encore inscrite ici.", "No association has signed up here yet."),
    ("upcoming", "Missions à venir", "Upcoming missions"),
    ("no_missions", "Aucune mission à venir pour le moment. Revenez bientôt !", "No upcoming mission for now. Come back soon!"),
    ("neighbours", "Missions d'associations voisines", "Missions from neighbouring associations"),
    ("neighbours_intro", "Ces missions viennent d'associations inscrites sur d'autres sites Entraide reliés à celui-ci.", "These missions come from associations on other Entraide sites linked to this one."),
    ("my_associations", "Mes associations", "My associations"),
    ("no_my_associations", "Vous ne coordonnez encore aucune association sur ce site.", "You do not coordinate any association on this site yet."),
    // Association
    ("follow_title", "Suivre l'association depuis Mastodon", "Follow this association from Mastodon"),
    ("follow_step1", "Ouvrez Mastodon, ou une autre application du fédivers comme Mobilizon.", "Open Mastodon, or another fediverse app such as Mobilizon."),
    ("follow_step2", "Dans la recherche, tapez ou collez cette adresse :", "In the search, type or paste this address:"),
    ("follow_step3", "Appuyez sur « Suivre » : ses nouvelles missions apparaîtront dans votre fil.", "Tap “Follow”: its new missions will appear in your timeline."),
    ("follow_short", "Pour recevoir ses prochaines missions sur Mastodon, suivez", "To get its next missions on Mastodon, follow"),
    ("publish", "Publier une mission", "Publish a mission"),
    // Mission
    ("when", "Quand", "When"),
    ("where", "Où", "Where"),
    ("places", "Places", "Places"),
    ("category", "Domaine", "Category"),
    ("skills", "Compétences", "Skills"),
    ("no_skills", "Aucune compétence particulière", "No particular skill"),
    ("signup", "Inscription", "Sign-up"),
    ("signup_free", "Directe, sans validation", "Direct, no approval needed"),
    ("signup_restricted", "Après accord de l'association", "After the association agrees"),
    ("contact", "Contact", "Contact"),
    ("good_to_know", "Bon à savoir", "Good to know"),
    ("reduced_mobility", "Accessible aux personnes à mobilité réduite", "Accessible to people with reduced mobility"),
    ("open_to_minors", "Ouverte aux mineurs", "Open to minors"),
    ("commitment", "Engagement", "Commitment"),
    ("remote", "À distance", "Remote"),
    ("published_by", "Proposée par", "Offered by"),
    ("remote_note", "Cette mission vient d'un autre site Entraide. Pour y participer, rendez-vous sur son site d'origine.", "This mission comes from another Entraide site. To take part, go to its home site."),
    ("original", "Voir la mission sur son site d'origine", "See the mission on its home site"),
    ("cancelled", "Annulée", "Cancelled"),
    ("cancelled_text", "Cette mission est annulée.", "This mission is cancelled."),
    ("published_ok", "Votre mission est publiée. Les abonnés de l'association la recevront dans quelques instants.", "Your mission is published. The association's followers will receive it in a few moments."),
    ("gone", "Cette mission a été supprimée par l'association.", "This mission was deleted by the association."),
    // Login
    ("login_intro", "Connectez-vous avec l'identifiant et le mot de passe que vous avez reçus.", "Log in with the user name and password you were given."),
    ("name", "Identifiant", "User name"),
    ("password", "Mot de passe", "Password"),
    ("login_failed", "Identifiant ou mot de passe incorrect. Vérifiez les majuscules, puis réessayez.", "Wrong user name or password. Check capital letters, then try again."),
    // Mission form
    ("publish_for", "Pour l'association", "For the association"),
    ("required", "obligatoire", "required"),
    ("title", "Titre de la mission", "Mission title"),
    ("title_hint", "En quelques mots, ce que feront les bénévoles. Exemple : Accueil à l'épicerie.", "In a few words, what volunteers will do. Example: Welcoming at the grocery."),
    ("description", "Description", "Description"),
    ("description_hint", "Le déroulé, ce qu'il faut apporter, à qui s'adresser sur place. Laissez une ligne vide entre deux paragraphes.", "How it goes, what to bring, whom to ask on site. Leave an empty line between two paragraphs."),
    ("start", "Début (date et heure)", "Start (date and time)"),
    ("end", "Fin (date et heure)", "End (date and time)"),
    ("place", "Lieu", "Place"),
    ("online", "Mission à distance (sans lieu)", "Remote mission (no place)"),
    ("place_name", "Nom du lieu", "Name of the place"),
    ("place_name_hint", "Exemple : Salle des fêtes.", "Example: Village hall."),
    ("street", "Adresse (numéro et rue)", "Street address"),
    ("postal_code", "Code postal", "Postal code"),
    ("locality", "Commune", "Town"),
    ("locality_hint", "Obligatoire, sauf pour une mission à distance.", "Required, except for a remote mission."),
    ("capacity", "Nombre de bénévoles recherchés", "Number of volunteers wanted"),
    ("capacity_hint", "Laissez vide s'il n'y a pas de limite.", "Leave empty if there is no limit."),
    ("skills_hint", "Séparées par des virgules. Exemple : cuisine, accueil. Laissez vide si aucune n'est nécessaire.", "Separated by commas. Example: cooking, welcoming. Leave empty if none is needed."),
    ("contact_hint", "La personne à qui s'adresser : nom, téléphone ou e-mail. Visible par tout le monde.", "Whom to ask: name, phone or email. Visible to everyone."),
    ("signup_legend", "Comment les bénévoles s'inscrivent", "How volunteers sign up"),
    ("save", "Publier la mission", "Publish the mission"),
    ("cancel", "Annuler", "Cancel"),
    // Errors
    ("not_found", "Page introuvable", "Page not found"),
    ("not_found_text", "Cette page n'existe pas, ou plus. Vérifiez l'adresse, ou repartez de l'accueil.", "This page does not exist, or no longer does. Check the address, or start again from the home page."),
    ("forbidden", "Accès refusé", "Access denied"),
    ("forbidden_text", "Seuls les coordinateurs et coordinatrices de l'association peuvent publier ses missions.", "Only the association's coordinators can publish its missions."),
    ("csrf_failed", "Formulaire expiré", "Form expired"),
    ("csrf_failed_text", "Ce formulaire a expiré ou ne vient pas de ce site. Revenez en arrière, rechargez la page, puis réessayez.", "This form has expired or does not come from this site. Go back, reload the page, then try again."),
    ("error", "Erreur", "Error"),
    // French puts a (non-breaking) space before a colon, English does not.
    ("colon", "\u{a0}:", ":"),
    ("error_text", "Le site ne peut pas répondre pour le moment. Réessayez dans un instant.", "The site cannot answer right now. Please try again in a moment."),
];

/// One word in the page's language (English for `en`, French otherwise); the key when unknown.
pub fn word(lang: &str, key: &str) -> String {
    WORDS
        .iter()
        .find(|w| w.0 == key)
        .map(|w| if lang == "en" { w.2 } else { w.1 })
        .unwrap_or(key)
        .to_string()
}

/// Every word in one language, for the templates (`t.key`).
pub fn all(lang: &str) -> BTreeMap<&'static str, &'static str> {
    WORDS
        .iter()
        .map(|w| (w.0, if lang == "en" { w.2 } else { w.1 }))
        .collect()
}

/// "3 places restantes sur 3", "1 place restante sur 4", "Complet", "Pas de limite de places".
pub fn places(lang: &str, remaining: Option<i64>, capacity: Option<i64>) -> String {
    match (remaining, capacity, lang) {
        (Some(0), _, "en") => "Full".into(),
        (Some(0), _, _) => "Complet".into(),
        (Some(1), Some(c), "en") => format!("1 place left of {c}"),
        (Some(r), Some(c), "en") => format!("{r} places left of {c}"),
        (Some(1), Some(c), _) => format!("1 place restante sur {c}"),
        (Some(r), Some(c), _) => format!("{r} places restantes sur {c}"),
        (_, _, "en") => "No limit on places".into(),
        _ => "Pas de limite de places".into(),
    }
}

/// "0 abonné", "2 abonnés", "1 follower".
pub fn followers(lang: &str, n: i64) -> String {
    match lang {
        "en" if n == 1 => "1 follower".into(),
        "en" => format!("{n} followers"),
        _ if n <= 1 => format!("{n} abonné"),
        _ => format!("{n} abonnés"),
    }
}

/// The line above a form with errors: how many fields to fix.
pub fn form_errors(lang: &str, n: usize) -> String {
    match lang {
        "en" if n == 1 => "The form was not sent: one field needs fixing.".into(),
        "en" => format!("The form was not sent: {n} fields need fixing."),
        _ if n == 1 => "Le formulaire n'a pas été envoyé : un champ est à corriger.".into(),
        _ => format!("Le formulaire n'a pas été envoyé : {n} champs sont à corriger."),
    }
}

/// A regular mission's commitment: "Régulière : 2 h 30 par semaine", "Regular: 45 min per month".
pub fn commitment(lang: &str, minutes: i64, period: &str) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let amount = match (h, m) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02}"),
    };
    match (lang, period) {
        ("en", "month") => format!("Regular: {amount} per month"),
        ("en", _) => format!("Regular: {amount} per week"),
        (_, "month") => format!("Régulière : {amount} par mois"),
        _ => format!("Régulière : {amount} par semaine"),
    }
}

const DAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A mission's dates written out in full, for people rather than machines:
/// "mardi 24 novembre 2026, de 18 h à 20 h 30", "du samedi 1er août 2026 à 9 h au dimanche 2 août 2026 à 18 h",
/// "Tuesday 24 November 2026, 18:00 to 20:30".
pub fn long_span(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz, lang: &str) -> String {
    let (s, e) = (start.with_timezone(&tz), end.with_timezone(&tz));
    let day = |d: &DateTime<Tz>| {
        let (wd, m) = (
            d.weekday().num_days_from_monday() as usize,
            d.month0() as usize,
        );
        if lang == "en" {
            format!("{} {} {} {}", DAYS_EN[wd], d.day(), MONTHS_EN[m], d.year())
        } else {
            let n = if d.day() == 1 {
                "1er".to_string()
            } else {
                d.day().to_string()
            };
            format!("{} {} {} {}", DAYS_FR[wd], n, MONTHS_FR[m], d.year())
        }
    };
    let time = |d: &DateTime<Tz>| match (lang, d.minute()) {
        ("en", _) => format!("{:02}:{:02}", d.hour(), d.minute()),
        (_, 0) => format!("{} h", d.hour()),
        (_, m) => format!("{} h {m:02}", d.hour()),
    };
    match (s.date_naive() == e.date_naive(), lang) {
        (true, "en") => format!("{}, {} to {}", day(&s), time(&s), time(&e)),
        (true, _) => format!("{}, de {} à {}", day(&s), time(&s), time(&e)),
        (false, "en") => format!(
            "from {}, {} to {}, {}",
            day(&s),
            time(&s),
            day(&e),
            time(&e)
        ),
        (false, _) => format!(
            "du {} à {} au {} à {}",
            day(&s),
            time(&s),
            day(&e),
            time(&e)
        ),
    }
}

/// The label of a form field, for the list of errors at the top of the form.
pub fn field_label(lang: &str, field: &str) -> String {
    let key = match field {
        "start_time" => "start",
        "end_time" => "end",
        "street_address" => "street",
        "join_mode" => "signup_legend",
        other => other,
    };
    word(lang, key)
}

/// A field message of the domain (an English fragment such as "is required") as a sentence in
/// the page's language, shown next to the field.
pub fn field_error(lang: &str, message: &str) -> String {
    let en = lang == "en";
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

/// `?lang=` first, then the `lang` cookie, then the browser's preference, then the node's.
pub fn pick(query_lang: Option<&str>, headers: &HeaderMap, default: &str) -> String {
    if let Some(l) = query_lang.filter(|l| matches!(*l, "fr" | "en")) {
        return l.to_string();
    }
    let cookie = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == "lang")
        .map(|(_, v)| v.to_string());
    if let Some(l) = cookie.filter(|l| matches!(l.as_str(), "fr" | "en")) {
        return l;
    }
    if let Some(accept) = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    {
        for part in accept.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("fr") {
                return "fr".into();
            }
            if tag.starts_with("en") {
                return "en".into();
            }
        }
    }
    default.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn language_choice() {
        let mut h = HeaderMap::new();
        assert_eq!(pick(None, &h, "fr"), "fr");
        h.insert(
            "accept-language",
            "en-GB,en;q=0.9,fr;q=0.5".parse().expect("header"),
        );
        assert_eq!(pick(None, &h, "fr"), "en");
        h.insert("cookie", "lang=fr".parse().expect("header"));
        assert_eq!(pick(None, &h, "fr"), "fr");
        assert_eq!(pick(Some("en"), &h, "fr"), "en");
        assert_eq!(pick(Some("de"), &h, "fr"), "fr");
    }

    #[test]
    fn every_word_has_both_languages_once() {
        for (i, (k, fr, en)) in WORDS.iter().enumerate() {
            assert!(!fr.is_empty() && !en.is_empty(), "{k}");
            assert!(!WORDS[..i].iter().any(|w| w.0 == *k), "{k} is listed twice");
        }
        assert_eq!(word("en", "login"), "Log in");
        assert_eq!(word("fr", "login"), "Se connecter");
    }

    #[test]
    fn places_are_counted_in_words() {
        assert_eq!(places("fr", Some(3), Some(3)), "3 places restantes sur 3");
        assert_eq!(places("fr", Some(1), Some(4)), "1 place restante sur 4");
        assert_eq!(places("fr", Some(0), Some(4)), "Complet");
        assert_eq!(places("fr", None, None), "Pas de limite de places");
        assert_eq!(places("en", Some(2), Some(5)), "2 places left of 5");
        assert_eq!(places("en", Some(1), Some(5)), "1 place left of 5");
        assert_eq!(followers("fr", 0), "0 abonné");
        assert_eq!(followers("fr", 2), "2 abonnés");
        assert_eq!(followers("en", 1), "1 follower");
        assert_eq!(
            commitment("fr", 150, "week"),
            "Régulière : 2 h 30 par semaine"
        );
        assert_eq!(commitment("en", 45, "month"), "Regular: 45 min per month");
        assert_eq!(
            form_errors("fr", 2),
            "Le formulaire n'a pas été envoyé : 2 champs sont à corriger."
        );
    }

    #[test]
    fn dates_are_written_out() {
        let tz: Tz = "Europe/Paris".parse().expect("tz");
        let at = |d: u32, h: u32, m: u32| {
            tz.with_ymd_and_hms(2026, 12, d, h, m, 0)
                .single()
                .expect("date")
                .with_timezone(&Utc)
        };
        assert_eq!(
            long_span(at(1, 9, 0), at(1, 12, 30), tz, "fr"),
            "mardi 1er décembre 2026, de 9 h à 12 h 30"
        );
        assert_eq!(
            long_span(at(1, 9, 0), at(1, 12, 30), tz, "en"),
            "Tuesday 1 December 2026, 09:00 to 12:30"
        );
        assert_eq!(
            long_span(at(5, 9, 0), at(6, 18, 0), tz, "fr"),
            "du samedi 5 décembre 2026 à 9 h au dimanche 6 décembre 2026 à 18 h"
        );
    }

    #[test]
    fn field_errors_become_sentences() {
        assert_eq!(
            field_error("fr", "is required"),
            "Ce champ est obligatoire."
        );
        assert_eq!(field_error("en", "is required"), "This field is required.");
        assert_eq!(
            field_error("fr", "must be at most 200 characters long"),
            "Écrivez au plus 200 caractères."
        );
        assert_eq!(
            field_error("fr", "must be at most 10000"),
            "Indiquez au plus 10000."
        );
        assert_eq!(
            field_error("fr", "is not a date and time (example: 2026-06-14T09:00)"),
            "Indiquez une date et une heure, par exemple 14/06/2026 09:00."
        );
        assert_eq!(field_label("fr", "start_time"), "Début (date et heure)");
    }
}
