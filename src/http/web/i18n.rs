//! French first, English too: the words of the interface, and how a page picks its language.

use axum::http::HeaderMap;

/// `(key, French, English)`.
const WORDS: &[(&str, &str, &str)] = &[
    ("skip", "Aller au contenu", "Skip to content"),
    ("home", "Accueil", "Home"),
    ("login", "Se connecter", "Log in"),
    ("logout", "Se déconnecter", "Log out"),
    ("associations", "Associations", "Associations"),
    ("no_associations", "Aucune association n'est encore inscrite sur ce nœud.", "No association is registered on this node yet."),
    ("upcoming", "Missions à venir", "Upcoming missions"),
    ("no_missions", "Aucune mission à venir pour le moment.", "No upcoming mission for now."),
    ("neighbours", "Chez nos voisins", "From neighbouring nodes"),
    ("neighbours_intro", "Missions publiées sur d'autres nœuds que ce nœud suit.", "Missions published on other nodes this node follows."),
    ("follow_from_fediverse", "Suivre depuis Mastodon ou le fédivers", "Follow from Mastodon or the fediverse"),
    ("follow_howto", "Cherchez cette adresse dans votre application (Mastodon, Mobilizon…) et abonnez-vous : les nouvelles missions apparaîtront dans votre fil.", "Search for this address in your app (Mastodon, Mobilizon…) and follow it: new missions will show up in your timeline."),
    ("followers", "abonnés", "followers"),
    ("publish", "Publier une mission", "Publish a mission"),
    ("when", "Quand", "When"),
    ("where", "Où", "Where"),
    ("places", "Places", "Places"),
    ("category", "Domaine", "Category"),
    ("skills", "Compétences", "Skills"),
    ("remote", "À distance", "Remote"),
    ("published_by", "Proposée par", "Offered by"),
    ("original", "Voir la mission sur son site d'origine", "See the mission on its home site"),
    ("cancelled", "Annulée", "Cancelled"),
    ("full", "Complet", "Full"),
    ("unlimited", "Sans limite", "No limit"),
    ("left_of", "restantes sur", "left of"),
    ("name", "Identifiant", "User name"),
    ("password", "Mot de passe", "Password"),
    ("login_failed", "Identifiant ou mot de passe incorrect.", "Wrong user name or password."),
    ("title", "Titre", "Title"),
    ("title_hint", "Ce que les bénévoles feront, en quelques mots.", "What volunteers will do, in a few words."),
    ("description", "Description", "Description"),
    ("description_hint", "Le déroulé, ce qu'il faut apporter, à qui s'adresser. Mise en forme Markdown possible.", "How it goes, what to bring, whom to ask. Markdown formatting allowed."),
    ("start", "Début", "Start"),
    ("end", "Fin", "End"),
    ("place_name", "Nom du lieu", "Place name"),
    ("street", "Adresse", "Street address"),
    ("postal_code", "Code postal", "Postal code"),
    ("locality", "Commune", "Town"),
    ("online", "Mission à distance", "Remote mission"),
    ("capacity", "Nombre de bénévoles recherchés", "Number of volunteers wanted"),
    ("capacity_hint", "Laisser vide s'il n'y a pas de limite.", "Leave empty for no limit."),
    ("skills_hint", "Séparées par des virgules, par exemple : cuisine, accueil.", "Comma separated, for example: cooking, welcoming."),
    ("join_mode", "Inscription", "Sign-up"),
    ("join_free", "Directe", "Immediate"),
    ("join_restricted", "Après accord du coordinateur", "After the coordinator agrees"),
    ("save", "Publier", "Publish"),
    ("form_errors", "Le formulaire contient des erreurs : corrigez les champs signalés.", "The form has errors: please fix the fields marked below."),
    ("not_found", "Page introuvable", "Page not found"),
    ("not_found_text", "Cette page n'existe pas ou plus.", "This page does not exist, or no longer does."),
    ("forbidden", "Accès refusé", "Access denied"),
    ("forbidden_text", "Seuls les coordinateurs de l'association peuvent faire cela.", "Only the association's coordinators may do this."),
    ("error", "Erreur", "Error"),
    ("error_text", "Le serveur ne peut pas répondre pour le moment. Réessayez dans un instant.", "The server cannot answer right now. Please try again in a moment."),
    ("language", "English", "Français"),
    ("my_associations", "Mes associations", "My associations"),
    ("gone", "Cette mission a été supprimée.", "This mission was deleted."),
    ("node_actor", "Ce nœud sur le fédivers", "This node on the fediverse"),
    ("required", "obligatoire", "required"),
];

pub fn word(lang: &str, key: &str) -> String {
    WORDS
        .iter()
        .find(|w| w.0 == key)
        .map(|w| if lang == "en" { w.2 } else { w.1 })
        .unwrap_or(key)
        .to_string()
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
    if let Some(accept) = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) {
        for part in accept.split(',') {
            let tag = part.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
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

    #[test]
    fn language_choice() {
        let mut h = HeaderMap::new();
        assert_eq!(pick(None, &h, "fr"), "fr");
        h.insert("accept-language", "en-GB,en;q=0.9,fr;q=0.5".parse().expect("header"));
        assert_eq!(pick(None, &h, "fr"), "en");
        h.insert("cookie", "lang=fr".parse().expect("header"));
        assert_eq!(pick(None, &h, "fr"), "fr");
        assert_eq!(pick(Some("en"), &h, "fr"), "en");
        assert_eq!(pick(Some("de"), &h, "fr"), "fr");
    }

    #[test]
    fn every_word_has_both_languages() {
        for (k, fr, en) in WORDS {
            assert!(!fr.is_empty() && !en.is_empty(), "{k}");
        }
        assert_eq!(word("en", "login"), "Log in");
        assert_eq!(word("fr", "login"), "Se connecter");
    }
}
