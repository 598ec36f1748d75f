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
    // Time slots and sign-ups (mission page, "Mes créneaux")
    ("slots", "Créneaux", "Time slots"),
    ("no_slots", "Aucun créneau pour le moment.", "No time slot yet."),
    ("no_open_slot", "Aucun créneau ouvert", "No open slot"),
    ("sign_up", "Je m'inscris", "Sign me up"),
    ("login_to_sign_up", "Se connecter pour s'inscrire", "Log in to sign up"),
    ("withdraw", "Me désinscrire", "Leave this slot"),
    ("slot_cancelled", "Annulé", "Cancelled"),
    ("slot_over", "Terminé", "Over"),
    ("your_signup", "Votre inscription :", "Your sign-up:"),
    ("status", "État", "Status"),
    ("reason", "Motif", "Reason"),
    ("st_accepted", "confirmée", "confirmed"),
    ("st_pending", "en attente de l'association", "waiting for the association"),
    ("st_rejected", "refusée par l'association", "declined by the association"),
    ("st_withdrawn", "retirée", "withdrawn"),
    ("st_slot_cancelled", "créneau annulé par l'association", "slot cancelled by the association"),
    ("signup_impossible", "Inscription impossible", "Sign-up not possible"),
    ("remote_signup_note", "Cette mission vient d'un autre site Entraide : votre demande lui est envoyée, et l'association vous répond depuis son site.", "This mission comes from another Entraide site: your request is sent there, and the association answers from its site."),
    ("done_signed_up", "Vous êtes inscrit·e. Merci ! L'association compte sur vous.", "You are signed up. Thank you! The association is counting on you."),
    ("done_pending", "Demande envoyée, en attente de l'association. Sa réponse apparaîtra dans « Mes créneaux ».", "Request sent, waiting for the association. Its answer will show in “My slots”."),
    ("done_withdrawn", "Vous êtes désinscrit·e de ce créneau : votre place est libérée.", "You have left this slot: your place is free again."),
    ("refused_full", "Ce créneau est complet : il ne reste plus de place.", "This slot is full: no place is left."),
    ("refused_overlaps", "Vous êtes déjà inscrit·e sur un autre créneau à ce moment-là.", "You are already signed up for another slot at that time."),
    ("refused_closed", "Les inscriptions à ce créneau sont fermées (mission ou créneau annulé, ou mission pas encore publiée).", "Sign-ups for this slot are closed (mission or slot cancelled, or mission not published yet)."),
    ("refused_over", "Ce créneau est déjà terminé.", "This slot is already over."),
    ("refused_already", "Vous êtes déjà inscrit·e sur ce créneau.", "You are already signed up for this slot."),
    ("refused_inactive", "Cette inscription n'est plus active : rien n'a changé.", "This sign-up is no longer active: nothing changed."),
    ("refused_not_pending", "Cette demande a déjà reçu une réponse : rien n'a changé.", "This request was already answered: nothing changed."),
    ("my_space", "Mon espace bénévole", "My volunteer space"),
    ("my_slots", "Mes créneaux", "My slots"),
    ("my_slots_intro", "Les créneaux où vous êtes inscrit·e, ou que vous avez demandés.", "The slots you signed up for, or asked for."),
    ("upcoming_slots", "À venir", "Upcoming"),
    ("past_slots", "Passés", "Past"),
    ("no_my_slots", "Vous n'avez aucun créneau à venir. Des idées :", "You have no upcoming slot. Some ideas:"),
    ("no_past_slots", "Aucun créneau passé.", "No past slot."),
    // Profile and matches
    ("my_profile", "Mon profil", "My profile"),
    ("my_matches", "Missions pour moi", "Missions for me"),
    ("profile_title", "Mon profil de bénévole", "My volunteer profile"),
    ("profile_intro", "Ces informations servent à vous proposer des missions qui vous vont. Elles restent privées, sauf si vous acceptez d'être proposé·e aux associations (en bas de la page).", "This helps us suggest missions that suit you. It stays private, unless you agree to be suggested to associations (at the bottom of the page)."),
    ("skills_profile_hint", "Ce que vous savez ou aimez faire, séparé par des virgules. Exemple : cuisine, accueil, comptabilité.", "What you can or like to do, separated by commas. Example: cooking, welcoming, accounting."),
    ("availability", "Mes disponibilités", "When I am available"),
    ("availability_hint", "Cochez les moments de la semaine où vous êtes souvent libre.", "Tick the times of the week when you are often free."),
    ("day", "Jour", "Day"),
    ("morning", "matin", "morning"),
    ("afternoon", "après-midi", "afternoon"),
    ("evening", "soir", "evening"),
    ("home_area", "Où j'habite", "Where I live"),
    ("home_town_hint", "Exemple : Brest.", "Example: Brest."),
    ("coordinates_hint", "Facultatif. Pour connaître la distance jusqu'aux missions, donnez aussi la latitude et la longitude de chez vous : sur openstreetmap.org, faites un clic droit sur votre rue, puis « Afficher l'adresse ». Exemple : 48,39 et -4,49.", "Optional. To know how far missions are, also give the latitude and longitude of your home: on openstreetmap.org, right-click on your street, then “Show address”. Example: 48.39 and -4.49."),
    ("latitude", "Latitude", "Latitude"),
    ("longitude", "Longitude", "Longitude"),
    ("travel_km", "Distance maximale (en km)", "How far I will travel (km)"),
    ("travel_km_hint", "Laissez vide si la distance ne compte pas pour vous.", "Leave empty if distance does not matter to you."),
    ("interests", "Domaines qui m'intéressent", "Categories I care about"),
    ("suggestable_legend", "Être proposé·e aux associations", "Being suggested to associations"),
    ("suggestable", "Les associations peuvent me proposer des missions", "Associations may suggest missions to me"),
    ("suggestable_hint", "Si vous cochez cette case, les coordinateurs des associations de ce site voient votre identifiant, vos compétences et pourquoi vous conviendriez, pour les missions qui vous correspondent. Sinon, votre profil reste privé.", "If you tick this box, the coordinators of this site's associations see your user name, your skills and why you would fit, for missions that suit you. Otherwise your profile stays private."),
    ("save_profile", "Enregistrer mon profil", "Save my profile"),
    ("done_profile_saved", "Votre profil est enregistré.", "Your profile is saved."),
    ("see_matches", "Voir les missions pour moi", "See missions for me"),
    ("matches_intro", "Les missions à venir qui vous correspondent le mieux d'après votre profil : distance, compétences, disponibilités.", "The upcoming missions that suit you best according to your profile: distance, skills, availability."),
    ("fill_profile", "Remplissez votre profil pour des propositions plus justes.", "Fill in your profile for better suggestions."),
    ("fill_profile_link", "Remplir mon profil", "Fill in my profile"),
    ("why", "Pourquoi", "Why"),
    ("no_matches", "Aucune mission ne vous correspond pour le moment. Revenez bientôt, ou élargissez la distance dans votre profil.", "No mission suits you for now. Come back soon, or widen the distance in your profile."),
    // Coordinators: dashboard, slots, mission form
    ("dashboard", "Tableau de bord", "Dashboard"),
    ("manage", "Gérer la mission", "Manage the mission"),
    ("add_slots", "Ajouter des créneaux", "Add time slots"),
    ("edit_mission", "Modifier la mission", "Edit the mission"),
    ("mission_word", "Mission", "Mission"),
    ("for_mission", "Pour la mission", "For the mission"),
    ("mission_draft", "Brouillon", "Draft"),
    ("mission_published", "Publiée", "Published"),
    ("mission_closed", "Terminée", "Over"),
    ("mission_cancelled", "Annulée", "Cancelled"),
    ("draft_text", "Cette mission est un brouillon : seuls les coordinateurs la voient, et elle n'est pas envoyée aux abonnés.", "This mission is a draft: only coordinators see it, and it is not sent to followers."),
    ("action_impossible", "Action impossible", "Could not do this"),
    ("pending_requests", "Demandes à traiter", "Requests to answer"),
    ("no_pending", "Aucune demande en attente.", "No request waiting."),
    ("their_message", "Son message", "Their message"),
    ("accept", "Accepter", "Accept"),
    ("refuse", "Refuser", "Decline"),
    ("refuse_reason", "Motif du refus (facultatif, envoyé à la personne)", "Reason (optional, sent to the person)"),
    ("dash_missions", "Missions à venir et brouillons", "Upcoming missions and drafts"),
    ("no_dash_missions", "Aucune mission à venir. Publiez-en une !", "No upcoming mission. Publish one!"),
    ("publish_now", "Publier", "Publish"),
    ("no_participants", "Personne n'est encore inscrit.", "Nobody has signed up yet."),
    ("kind_user", "compte de ce site", "account on this site"),
    ("kind_remote", "compte du fédivers", "fediverse account"),
    ("kind_guest", "sans compte", "no account"),
    ("co_pending", "en attente", "waiting"),
    ("co_accepted", "inscrit·e", "signed up"),
    ("guest_title", "Inscrire une personne sans compte", "Sign up someone without an account"),
    ("guest_name", "Nom", "Name"),
    ("guest_contact", "Téléphone ou e-mail", "Phone or email"),
    ("guest_button", "Inscrire cette personne", "Sign this person up"),
    ("cancel_slot", "Annuler ce créneau", "Cancel this slot"),
    ("cancel_slot_title", "Annuler ce créneau ?", "Cancel this slot?"),
    ("cancel_slot_text", "Les personnes inscrites seront prévenues, et leur inscription sera retirée. On ne peut pas revenir en arrière.", "The people signed up will be told, and their sign-up withdrawn. This cannot be undone."),
    ("cancel_slot_yes", "Oui, annuler le créneau", "Yes, cancel the slot"),
    ("cancel_slot_no", "Non, revenir au tableau de bord", "No, back to the dashboard"),
    ("slot_already_cancelled", "Ce créneau est déjà annulé.", "This slot is already cancelled."),
    ("back_dashboard", "Retour au tableau de bord", "Back to the dashboard"),
    ("suggestions", "Bénévoles qui pourraient convenir", "Volunteers who may fit"),
    ("done_accepted", "Demande acceptée : la personne est prévenue.", "Request accepted: the person is told."),
    ("done_declined", "Demande refusée : la personne est prévenue.", "Request declined: the person is told."),
    ("done_guest_added", "La personne est inscrite.", "The person is signed up."),
    ("done_message_sent", "Votre message est parti aux personnes inscrites (courriel ou message privé).", "Your message was sent to the people signed up (email or private message)."),
    ("refused_message_empty", "Le message est vide ou trop long (5 000 caractères au plus) : rien n'a été envoyé.", "The message is empty or too long (5,000 characters at most): nothing was sent."),
    ("interests_title", "Intérêt exprimé sur le fédivers", "Interest shown on the fediverse"),
    ("interests_link", "voir la réponse", "see the reply"),
    ("message_title", "Écrire aux personnes inscrites", "Write to the people signed up"),
    ("message_label", "Votre message (envoyé par courriel, ou en message privé sur le fédivers)", "Your message (sent by email, or as a private message on the fediverse)"),
    ("message_button", "Envoyer le message", "Send the message"),
    ("done_slot_cancelled", "Créneau annulé : les personnes inscrites sont prévenues.", "Slot cancelled: the people signed up are told."),
    ("done_published", "Mission publiée : les abonnés de l'association la recevront dans quelques instants.", "Mission published: the association's followers will receive it in a few moments."),
    ("done_draft_saved", "Brouillon enregistré. Ajoutez-lui des créneaux, puis publiez-le quand il est prêt.", "Draft saved. Add time slots to it, then publish it when it is ready."),
    ("done_mission_saved", "Modifications enregistrées.", "Changes saved."),
    ("one_slot", "Un seul créneau", "One slot"),
    ("weekly_slots", "Plusieurs créneaux, chaque semaine", "Several slots, every week"),
    ("weekly_hint", "Par exemple : tous les samedis matin de mars. Un créneau est créé pour chaque jour coché entre les deux dates.", "For example: every Saturday morning in March. A slot is made for each ticked day between the two dates."),
    ("within_dates", "Les créneaux doivent être compris dans les dates de la mission :", "Slots must fall within the mission's dates:"),
    ("slot_date", "Date", "Date"),
    ("slot_start", "Heure de début", "Start time"),
    ("slot_end", "Heure de fin", "End time"),
    ("slot_capacity", "Nombre de places", "Number of places"),
    ("rule_from", "Premier jour", "First day"),
    ("rule_to", "Dernier jour", "Last day"),
    ("rule_days", "Les jours", "On these days"),
    ("rule_days_hint", "Si vous ne cochez aucun jour, il y aura un créneau chaque jour.", "If you tick no day, there will be a slot every day."),
    ("rule_capacity_hint", "Pour chaque créneau.", "For each slot."),
    ("add_slot_button", "Ajouter ce créneau", "Add this slot"),
    ("add_rule_button", "Ajouter ces créneaux", "Add these slots"),
    ("rhythm", "Rythme", "Rhythm"),
    ("one_off", "Ponctuelle (à une date précise)", "One-off (on a given date)"),
    ("regular", "Régulière (un engagement dans la durée)", "Regular (an ongoing commitment)"),
    ("commitment_hint", "Pour une mission régulière, le temps demandé : par exemple 2 heures par semaine.", "For a regular mission, the time asked: for example 2 hours per week."),
    ("commitment_time", "Temps demandé", "Time asked"),
    ("hours", "heures", "hours"),
    ("minutes", "minutes", "minutes"),
    ("per", "Par", "Per"),
    ("per_week", "semaine", "week"),
    ("per_month", "mois", "month"),
    ("save_draft", "Enregistrer comme brouillon", "Save as draft"),
    ("save_changes", "Enregistrer les modifications", "Save the changes"),
    ("draft_hint", "Un brouillon n'est visible que par les coordinateurs : vous pourrez le publier plus tard depuis le tableau de bord.", "A draft is seen by coordinators only: you can publish it later from the dashboard."),
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
    // Sign-up with a fediverse (Mastodon) account
    ("fedi_title", "Vous avez un compte Mastodon ou sur le fédivers ?", "Do you have an account on Mastodon or elsewhere on the fediverse?"),
    ("fedi_intro", "Indiquez votre adresse, par exemple @vous@mastodon.social : nous vous enverrons un message privé avec un lien pour confirmer votre inscription.", "Give your address, for example @you@mastodon.social: we will send you a private message with a link to confirm your sign-up."),
    ("fedi_slot", "Créneau du", "Slot on"),
    ("fedi_your_address", "votre adresse", "your address"),
    ("fedi_send", "Recevoir le lien de confirmation", "Get the confirmation link"),
    ("fedi_for", "Pour la mission", "For the mission"),
    ("fedi_back_mission", "Revenir à la mission", "Back to the mission"),
    ("fedi_sent_title", "Regardez vos messages privés", "Check your private messages"),
    ("fedi_sent_text", "Nous vous avons envoyé un message privé sur votre compte : cliquez sur le lien pour confirmer.", "We have sent you a private message on your account: click the link to confirm."),
    ("fedi_sent_account", "Votre compte :", "Your account:"),
    ("fedi_sent_hint", "Le message peut mettre une minute à arriver. Le lien est valable 48 heures et ne sert qu'une fois.", "The message may take a minute to arrive. The link is valid for 48 hours and works only once."),
    ("fedi_mission", "Mission", "Mission"),
    ("fedi_association", "Association", "Association"),
    ("fedi_account", "Votre compte", "Your account"),
    ("fedi_confirm_title", "Confirmer votre inscription", "Confirm your sign-up"),
    ("fedi_confirm_text", "Vérifiez ces informations, puis appuyez sur le bouton pour confirmer.", "Check these details, then press the button to confirm."),
    ("fedi_confirm_button", "Je confirme mon inscription", "I confirm my sign-up"),
    ("fedi_confirm_ignore", "Si vous n'avez rien demandé, fermez simplement cette page : rien ne sera enregistré.", "If you did not ask for anything, just close this page: nothing will be recorded."),
    ("fedi_accepted_title", "C'est confirmé !", "It is confirmed!"),
    ("fedi_accepted_text", "Vous êtes inscrit·e. Merci ! L'association compte sur vous.", "You are signed up. Thank you! The association is counting on you."),
    ("fedi_pending_title", "Demande envoyée", "Request sent"),
    ("fedi_pending_text", "Votre demande est enregistrée. L'association va l'examiner et vous répondra par message privé.", "Your request is recorded. The association will look at it and answer you by private message."),
    ("fedi_refused_title", "Inscription impossible", "Sign-up not possible"),
    ("fedi_gone_title", "Lien déjà utilisé ou expiré", "Link already used or expired"),
    ("fedi_gone_text", "Ce lien a déjà servi, ou il a expiré (il est valable 48 heures). Pour vous inscrire, retournez sur la page de la mission et indiquez de nouveau votre adresse.", "This link was already used, or it has expired (it is valid for 48 hours). To sign up, go back to the mission page and give your address again."),
    ("fedi_err_empty", "Indiquez votre adresse du fédivers, par exemple @vous@mastodon.social.", "Give your fediverse address, for example @you@mastodon.social."),
    ("fedi_err_shape", "Cette adresse n'a pas la bonne forme. Elle ressemble à @vous@mastodon.social : votre nom, puis @, puis le nom de votre serveur.", "This address does not look right. It looks like @you@mastodon.social: your name, then @, then the name of your server."),
    ("fedi_err_too_long", "Cette adresse est trop longue : vérifiez-la.", "This address is too long: please check it."),
    ("fedi_err_local", "Cette adresse est un compte de ce site : connectez-vous pour vous inscrire directement.", "This address is an account of this site: log in to sign up directly."),
    ("fedi_err_blocked", "Ce site n'échange pas avec le serveur de cette adresse.", "This site does not exchange with the server of this address."),
    ("fedi_err_not_found", "Nous n'avons pas trouvé ce compte. Vérifiez l'adresse (elle est écrite sur votre profil Mastodon), puis réessayez.", "We could not find this account. Check the address (it is written on your Mastodon profile), then try again."),
    ("fedi_err_unreachable", "Le serveur de cette adresse ne répond pas. Vérifiez l'adresse, ou réessayez dans quelques minutes.", "The server of this address does not answer. Check the address, or try again in a few minutes."),
    ("fedi_err_not_person", "Cette adresse n'est pas celle d'une personne (c'est peut-être une association ou un serveur).", "This address is not a person's (it may be an association or a server)."),
    ("fedi_err_too_many", "Plusieurs messages ont déjà été envoyés à ce compte dans l'heure. Regardez vos messages privés, ou réessayez plus tard.", "Several messages were already sent to this account within the hour. Check your private messages, or try again later."),
    // Errors
    ("not_found", "Page introuvable", "Page not found"),
    ("not_found_text", "Cette page n'existe pas, ou plus. Vérifiez l'adresse, ou repartez de l'accueil.", "This page does not exist, or no longer does. Check the address, or start again from the home page."),
    ("forbidden", "Accès refusé", "Access denied"),
    ("forbidden_text", "Seuls les coordinateurs et coordinatrices de l'association peuvent voir cette page et gérer ses missions.", "Only the association's coordinators can see this page and manage its missions."),
    ("csrf_failed", "Formulaire expiré", "Form expired"),
    ("csrf_failed_text", "Ce formulaire a expiré ou ne vient pas de ce site. Revenez en arrière, rechargez la page, puis réessayez.", "This form has expired or does not come from this site. Go back, reload the page, then try again."),
    ("error", "Erreur", "Error"),
    // French puts a (non-breaking) space before a colon, English does not.
    ("colon", "\u{a0}:", ":"),
    ("error_text", "Le site ne peut pas répondre pour le moment. Réessayez dans un instant.", "The site cannot answer right now. Please try again in a moment."),
    // Calendars (the rest of their words are in calendar.rs)
    ("my_calendar", "Mon agenda", "My calendar"),
    // Volunteer hours (the rest of their words are in hours.rs)
    ("my_hours", "Mes heures", "My hours"),
    ("association_hours", "Heures des bénévoles", "Volunteer hours"),
    ("see_calendar", "Voir tous les créneaux dans un calendrier", "See every slot in a calendar"),
    ("equipment_link", "Le matériel que l'association prête", "The equipment the association lends"),
    ("equipment_title", "Matériel à partager", "Equipment to share"),
    ("equipment_home", "Tables, tentes, sono, véhicules, salles… : voir ce qui est libre à vos dates et le demander en ligne.", "Tables, tents, sound systems, vans, rooms…: see what is free on your dates and ask for it online."),
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

/// One word in the page's language, `None` when the key is unknown (for keys that come from a
/// query string).
pub fn lookup(lang: &str, key: &str) -> Option<String> {
    WORDS
        .iter()
        .find(|w| w.0 == key)
        .map(|w| if lang == "en" { w.2 } else { w.1 }.to_string())
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

/// "3 places prises sur 5", "1 place prise sur 2", "3 of 5 places taken".
pub fn taken(lang: &str, taken: i64, capacity: i64) -> String {
    match lang {
        "en" if capacity == 1 => format!("{taken} of 1 place taken"),
        "en" => format!("{taken} of {capacity} places taken"),
        _ if taken <= 1 => format!("{taken} place prise sur {capacity}"),
        _ => format!("{taken} places prises sur {capacity}"),
    }
}

/// "4 créneaux ajoutés.", "1 slot added."
pub fn slots_added(lang: &str, n: i64) -> String {
    match lang {
        "en" if n == 1 => "1 slot added.".into(),
        "en" => format!("{n} slots added."),
        _ if n <= 1 => format!("{n} créneau ajouté."),
        _ => format!("{n} créneaux ajoutés."),
    }
}

/// Who will be told when a slot is cancelled: "2 personnes inscrites seront prévenues."
pub fn people_told(lang: &str, n: i64) -> String {
    match lang {
        "en" if n == 0 => "Nobody has signed up: nobody needs to be told.".into(),
        "en" if n == 1 => "1 person signed up will be told.".into(),
        "en" => format!("{n} people signed up will be told."),
        _ if n == 0 => "Personne n'est inscrit : personne n'est à prévenir.".into(),
        _ if n == 1 => "1 personne inscrite sera prévenue.".into(),
        _ => format!("{n} personnes inscrites seront prévenues."),
    }
}

/// Slots outside their mission's dates: the message, with the dates written out.
pub fn within_mission(lang: &str, span: &str) -> String {
    match lang {
        "en" => format!("Slots must fall within the mission's dates: {span}."),
        _ => format!("Les créneaux doivent être compris dans les dates de la mission : {span}."),
    }
}

/// A matching reason written for the volunteer ("votre compétence : cuisine"), as a
/// coordinator reads it about them ("compétence : cuisine").
pub fn about_them(reason: &str) -> String {
    for (yours, theirs) in [
        ("votre compétence : ", "compétence : "),
        ("vos compétences : ", "compétences : "),
        ("your skill: ", "skill: "),
        ("your skills: ", "skills: "),
    ] {
        if let Some(rest) = reason.strip_prefix(yours) {
            return format!("{theirs}{rest}");
        }
    }
    reason.to_string()
}

/// "lundi" … "dimanche" (0 = Monday), "Monday" … in English.
pub fn day_name(lang: &str, day: u8) -> String {
    let i = usize::from(day.min(6));
    if lang == "en" {
        DAYS_EN[i].to_string()
    } else {
        DAYS_FR[i].to_string()
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
    let amount = crate::service::text::duration(minutes);
    match (lang, period) {
        ("en", "month") => format!("Regular: {amount} per month"),
        ("en", _) => format!("Regular: {amount} per week"),
        (_, "month") => format!("Régulière : {amount} par mois"),
        _ => format!("Régulière : {amount} par semaine"),
    }
}

pub(crate) const DAYS_FR: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
pub(crate) const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
pub(crate) const MONTHS_FR: [&str; 12] = [
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
pub(crate) const MONTHS_EN: [&str; 12] = [
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
        assert_eq!(taken("fr", 3, 5), "3 places prises sur 5");
        assert_eq!(taken("fr", 1, 2), "1 place prise sur 2");
        assert_eq!(taken("en", 3, 5), "3 of 5 places taken");
        assert_eq!(slots_added("fr", 4), "4 créneaux ajoutés.");
        assert_eq!(slots_added("en", 1), "1 slot added.");
        assert_eq!(day_name("fr", 5), "samedi");
        // The domain's reasons, as coordinators read them about a volunteer.
        let profile = crate::domain::volunteer::Profile {
            skills: vec!["cuisine".into(), "accueil".into()],
            ..Default::default()
        };
        let skills = vec!["cuisine".to_string(), "accueil".to_string()];
        let offer = crate::domain::volunteer::Offer {
            skills: &skills,
            category: "other",
            online: true,
            position: None,
            start_time: chrono::Utc.with_ymd_and_hms(2030, 6, 1, 9, 0, 0).unwrap(),
        };
        for lang in ["fr", "en"] {
            let m =
                crate::domain::volunteer::score(&profile, &offer, chrono_tz::Europe::Paris, lang)
                    .expect("in reach");
            let theirs: Vec<String> = m.reasons.iter().map(|r| about_them(r)).collect();
            assert!(
                theirs
                    .iter()
                    .any(|r| r.starts_with("compétences : ") || r.starts_with("skills: ")),
                "{theirs:?}"
            );
        }
        assert_eq!(
            lookup("fr", "done_signed_up").as_deref(),
            Some("Vous êtes inscrit·e. Merci ! L'association compte sur vous.")
        );
        assert_eq!(lookup("fr", "done_nothing"), None);
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
        assert_eq!(
            field_error("fr", "sometimes is not a day of the week (mon, tue, …)"),
            "Cochez des jours de la semaine dans la liste."
        );
        assert_eq!(
            field_error("en", "the rule gives more than 366 slots"),
            "That would make more than 366 slots: shorten the period."
        );
        assert_eq!(field_label("en", "rule_capacity"), "Number of places");
    }
}
