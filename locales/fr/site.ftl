# Words of the site pages (French, the reference).

## Layout

skip = Aller au contenu principal
menu = Menu principal
home = Accueil
back_home = Retour à l'accueil
login = Se connecter
logout = Se déconnecter
account = Compte :
language = English
footer = Entraide : missions bénévoles entre associations, en logiciel libre.
api_for_developers = API pour les développeurs

## Home

associations = Les associations
no_associations = Aucune association n'est encore inscrite ici.
directory_title = Toutes les associations
directory_end = Il n'y a plus d'association après celles-ci.
directory_pages = Pages de l'annuaire
directory_first = Revenir au début
directory_next = Associations suivantes
directory_all = Voir toutes les associations
upcoming = Missions à venir
no_missions = Aucune mission à venir pour le moment. Revenez bientôt !
neighbours = Missions d'associations voisines
neighbours_intro = Ces missions viennent d'associations inscrites sur d'autres sites Entraide reliés à celui-ci.
my_associations = Mes associations
no_my_associations = Vous ne coordonnez encore aucune association sur ce site.

## Association

follow_title = Suivre l'association depuis Mastodon
follow_step1 = Ouvrez Mastodon, ou une autre application du fédivers comme Mobilizon.
follow_step2 = Dans la recherche, tapez ou collez cette adresse :
follow_step3 = Appuyez sur « Suivre » : ses nouvelles missions apparaîtront dans votre fil.
follow_short = Pour recevoir ses prochaines missions sur Mastodon, suivez
publish = Publier une mission

## Mission

when = Quand
where = Où
places = Places
category = Domaine
skills = Compétences
no_skills = Aucune compétence particulière
signup = Inscription
signup_free = Directe, sans validation
signup_restricted = Après accord de l'association
contact = Contact
good_to_know = Bon à savoir
reduced_mobility = Accessible aux personnes à mobilité réduite
open_to_minors = Ouverte aux mineurs
commitment = Engagement
remote = À distance
published_by = Proposée par
remote_note = Cette mission vient d'un autre site Entraide. Pour y participer, rendez-vous sur son site d'origine.
original = Voir la mission sur son site d'origine
cancelled = Annulée
cancelled_text = Cette mission est annulée.
published_ok = Votre mission est publiée. Les abonnés de l'association la recevront dans quelques instants.
gone = Cette mission a été supprimée par l'association.

## Time slots and sign-ups (mission page, "Mes créneaux")

slots = Créneaux
no_slots = Aucun créneau pour le moment.
no_open_slot = Aucun créneau ouvert
sign_up = Je m'inscris
login_to_sign_up = Se connecter pour s'inscrire
withdraw = Me désinscrire
slot_cancelled = Annulé
slot_over = Terminé
your_signup = Votre inscription :
status = État
reason = Motif
st_accepted = confirmée
st_pending = en attente de l'association
st_rejected = refusée par l'association
st_withdrawn = retirée
st_slot_cancelled = créneau annulé par l'association
signup_impossible = Inscription impossible
remote_signup_note = Cette mission vient d'un autre site Entraide : votre demande lui est envoyée, et l'association vous répond depuis son site.
done_signed_up = Vous êtes inscrit·e. Merci ! L'association compte sur vous.
done_pending = Demande envoyée, en attente de l'association. Sa réponse apparaîtra dans « Mes créneaux ».
done_withdrawn = Vous êtes désinscrit·e de ce créneau : votre place est libérée.
done_help_in_progress = Vous suivez cette demande.
done_help_placed = Demande marquée comme placée. Bravo !
done_help_closed = Demande close.
done_help_noted = Note ajoutée.
done_help_deleted = Demande effacée, avec ses notes et ses propositions.
done_referent_added = Rôle de référent·e donné.
done_referent_removed = Rôle de référent·e retiré.
refused_full = Ce créneau est complet : il ne reste plus de place.
refused_overlaps = Vous êtes déjà inscrit·e sur un autre créneau à ce moment-là.
refused_closed = Les inscriptions à ce créneau sont fermées (mission ou créneau annulé, ou mission pas encore publiée).
refused_over = Ce créneau est déjà terminé.
refused_already = Vous êtes déjà inscrit·e sur ce créneau.
refused_inactive = Cette inscription n'est plus active : rien n'a changé.
refused_not_pending = Cette demande a déjà reçu une réponse : rien n'a changé.
my_space = Mon espace bénévole
my_slots = Mes créneaux
my_slots_intro = Les créneaux où vous êtes inscrit·e, ou que vous avez demandés.
upcoming_slots = À venir
past_slots = Passés
no_my_slots = Vous n'avez aucun créneau à venir. Des idées :
no_past_slots = Aucun créneau passé.

## Profile and matches

my_profile = Mon profil
my_matches = Missions pour moi
profile_title = Mon profil de bénévole
profile_intro = Ces informations servent à vous proposer des missions qui vous vont. Elles restent privées, sauf si vous acceptez d'être proposé·e aux associations (en bas de la page).
skills_profile_hint = Ce que vous savez ou aimez faire, séparé par des virgules. Exemple : cuisine, accueil, comptabilité.
availability = Mes disponibilités
availability_hint = Cochez les moments de la semaine où vous êtes souvent libre.
day = Jour
morning = matin
afternoon = après-midi
evening = soir
home_area = Où j'habite
home_town_hint = Exemple : Brest.
coordinates_hint = Facultatif. Pour connaître la distance jusqu'aux missions, donnez aussi la latitude et la longitude de chez vous : sur openstreetmap.org, faites un clic droit sur votre rue, puis « Afficher l'adresse ». Exemple : 48,39 et -4,49.
latitude = Latitude
longitude = Longitude
travel_km = Distance maximale (en km)
travel_km_hint = Laissez vide si la distance ne compte pas pour vous.
interests = Domaines qui m'intéressent
suggestable_legend = Être proposé·e aux associations
suggestable = Les associations peuvent me proposer des missions
suggestable_hint = Si vous cochez cette case, les coordinateurs des associations de ce site voient votre identifiant, vos compétences et pourquoi vous conviendriez, pour les missions qui vous correspondent. Sinon, votre profil reste privé.
save_profile = Enregistrer mon profil
done_profile_saved = Votre profil est enregistré.
see_matches = Voir les missions pour moi
matches_intro = Les missions à venir qui vous correspondent le mieux d'après votre profil : distance, compétences, disponibilités.
fill_profile = Remplissez votre profil pour des propositions plus justes.
fill_profile_link = Remplir mon profil
why = Pourquoi
no_matches = Aucune mission ne vous correspond pour le moment. Revenez bientôt, ou élargissez la distance dans votre profil.

## Coordinators: dashboard, slots, mission form

dashboard = Tableau de bord
manage = Gérer la mission
add_slots = Ajouter des créneaux
edit_mission = Modifier la mission
mission_word = Mission
for_mission = Pour la mission
mission_draft = Brouillon
mission_published = Publiée
mission_closed = Terminée
mission_cancelled = Annulée
draft_text = Cette mission est un brouillon : seuls les coordinateurs la voient, et elle n'est pas envoyée aux abonnés.
action_impossible = Action impossible
pending_requests = Inscriptions à accepter ou refuser
no_pending = Aucune inscription en attente.
their_message = Son message
accept = Accepter
refuse = Refuser
refuse_reason = Motif du refus (facultatif, envoyé à la personne)
dash_missions = Missions à venir et brouillons
no_dash_missions = Aucune mission à venir. Publiez-en une !
publish_now = Publier
no_participants = Personne n'est encore inscrit.
kind_user = compte de ce site
kind_remote = compte du fédivers
kind_guest = sans compte
co_pending = en attente
co_accepted = inscrit·e
guest_title = Inscrire une personne sans compte
guest_name = Nom
guest_contact = Téléphone ou e-mail
guest_button = Inscrire cette personne
cancel_slot = Annuler ce créneau
cancel_slot_title = Annuler ce créneau ?
cancel_slot_text = Les personnes inscrites seront prévenues, et leur inscription sera retirée. On ne peut pas revenir en arrière.
cancel_slot_yes = Oui, annuler le créneau
cancel_slot_no = Non, revenir au tableau de bord
slot_already_cancelled = Ce créneau est déjà annulé.
back_dashboard = Retour au tableau de bord
suggestions = Bénévoles qui pourraient convenir
done_accepted = Demande acceptée : la personne est prévenue.
done_declined = Demande refusée : la personne est prévenue.
done_guest_added = La personne est inscrite.
done_message_sent = Votre message est parti aux personnes inscrites (courriel ou message privé).
refused_message_empty = Le message est vide ou trop long (5 000 caractères au plus) : rien n'a été envoyé.
interests_title = Intérêt exprimé sur le fédivers
interests_link = voir la réponse
message_title = Écrire aux personnes inscrites
message_label = Votre message (envoyé par courriel, ou en message privé sur le fédivers)
message_button = Envoyer le message
done_slot_cancelled = Créneau annulé : les personnes inscrites sont prévenues.
done_published = Mission publiée : les abonnés de l'association la recevront dans quelques instants.
done_draft_saved = Brouillon enregistré. Ajoutez-lui des créneaux, puis publiez-le quand il est prêt.
done_mission_saved = Modifications enregistrées.
one_slot = Un seul créneau
weekly_slots = Plusieurs créneaux, chaque semaine
weekly_hint = Par exemple : tous les samedis matin de mars. Un créneau est créé pour chaque jour coché entre les deux dates.
within_dates = Les créneaux doivent être compris dans les dates de la mission :
slot_date = Date
slot_start = Heure de début
slot_end = Heure de fin
slot_capacity = Nombre de places
rule_from = Premier jour
rule_to = Dernier jour
rule_days = Les jours
rule_days_hint = Si vous ne cochez aucun jour, il y aura un créneau chaque jour.
rule_capacity_hint = Pour chaque créneau.
add_slot_button = Ajouter ce créneau
add_rule_button = Ajouter ces créneaux
rhythm = Rythme
one_off = Ponctuelle (à une date précise)
regular = Régulière (un engagement dans la durée)
commitment_hint = Pour une mission régulière, le temps demandé : par exemple 2 heures par semaine.
commitment_time = Temps demandé
hours = heures
minutes = minutes
per = Par
per_week = semaine
per_month = mois
save_draft = Enregistrer comme brouillon
save_changes = Enregistrer les modifications
draft_hint = Un brouillon n'est visible que par les coordinateurs : vous pourrez le publier plus tard depuis le tableau de bord.

## Login

login_intro = Connectez-vous avec votre identifiant (ou votre adresse e-mail) et votre mot de passe.
name = Identifiant
password = Mot de passe
login_failed = Identifiant ou mot de passe incorrect. Vérifiez les majuscules, puis réessayez.
login_braked = Trop d'essais pour ce compte ou depuis cette connexion. Réessayez dans { $minutes ->
    [one] une minute
   *[other] { $minutes } minutes
}.
name_or_email = Identifiant ou adresse e-mail

## Mission form

publish_for = Pour l'association
required = obligatoire
title = Titre de la mission
title_hint = En quelques mots, ce que feront les bénévoles. Exemple : Accueil à l'épicerie.
description = Description
description_hint = Le déroulé, ce qu'il faut apporter, à qui s'adresser sur place. Laissez une ligne vide entre deux paragraphes.
start = Début (date et heure)
end = Fin (date et heure)
place = Lieu
online = Mission à distance (sans lieu)
place_name = Nom du lieu
place_name_hint = Exemple : Salle des fêtes.
street = Adresse (numéro et rue)
postal_code = Code postal
locality = Commune
locality_hint = Obligatoire, sauf pour une mission à distance.
capacity = Nombre de bénévoles recherchés
capacity_hint = Un premier créneau ouvre avec la mission, à ses dates, avec ce nombre de places. Laissez vide s'il n'y a pas de limite : vous ajouterez les créneaux ensuite.
repeat_weeks = Répéter ce créneau chaque semaine, pendant (nombre de semaines)
repeat_weeks_hint = 1 : une seule fois. Par exemple 4 pour le même jour et les mêmes heures pendant quatre semaines (52 au plus) ; la mission finit alors avec le dernier créneau.
skills_hint = Séparées par des virgules. Exemple : cuisine, accueil. Laissez vide si aucune n'est nécessaire.
contact_hint = La personne à qui s'adresser : nom, téléphone ou e-mail. Visible par tout le monde.
signup_legend = Comment les bénévoles s'inscrivent
save = Publier la mission
cancel = Annuler

## Sign-up with a fediverse (Mastodon) account

fedi_title = Vous avez un compte Mastodon ou sur le fédivers ?
fedi_intro = Indiquez votre adresse, par exemple @vous@mastodon.social : nous vous enverrons un message privé avec un lien pour confirmer votre inscription.
fedi_slot = Créneau du
fedi_your_address = votre adresse
fedi_send = Recevoir le lien de confirmation
fedi_for = Pour la mission
fedi_back_mission = Revenir à la mission
fedi_sent_title = Regardez vos messages privés
fedi_sent_text = Nous vous avons envoyé un message privé sur votre compte : cliquez sur le lien pour confirmer.
fedi_sent_account = Votre compte :
fedi_sent_hint = Le message peut mettre une minute à arriver. Le lien est valable 48 heures et ne sert qu'une fois.
fedi_mission = Mission
fedi_association = Association
fedi_account = Votre compte
fedi_confirm_title = Confirmer votre inscription
fedi_confirm_text = Vérifiez ces informations, puis appuyez sur le bouton pour confirmer.
fedi_confirm_button = Je confirme mon inscription
fedi_confirm_ignore = Si vous n'avez rien demandé, fermez simplement cette page : rien ne sera enregistré.
fedi_accepted_title = C'est confirmé !
fedi_accepted_text = Vous êtes inscrit·e. Merci ! L'association compte sur vous.
fedi_pending_title = Demande envoyée
fedi_pending_text = Votre demande est enregistrée. L'association va l'examiner et vous répondra par message privé.
fedi_refused_title = Inscription impossible
fedi_gone_title = Lien déjà utilisé ou expiré
fedi_gone_text = Ce lien a déjà servi, ou il a expiré (il est valable 48 heures). Pour vous inscrire, retournez sur la page de la mission et indiquez de nouveau votre adresse.
fedi_err_empty = Indiquez votre adresse du fédivers, par exemple @vous@mastodon.social.
fedi_err_shape = Cette adresse n'a pas la bonne forme. Elle ressemble à @vous@mastodon.social : votre nom, puis @, puis le nom de votre serveur.
fedi_err_too_long = Cette adresse est trop longue : vérifiez-la.
fedi_err_local = Cette adresse est un compte de ce site : connectez-vous pour vous inscrire directement.
fedi_err_blocked = Ce site n'échange pas avec le serveur de cette adresse.
fedi_err_not_found = Nous n'avons pas trouvé ce compte. Vérifiez l'adresse (elle est écrite sur votre profil Mastodon), puis réessayez.
fedi_err_unreachable = Le serveur de cette adresse ne répond pas. Vérifiez l'adresse, ou réessayez dans quelques minutes.
fedi_err_not_person = Cette adresse n'est pas celle d'une personne (c'est peut-être une association ou un serveur).
fedi_err_too_many = Plusieurs messages ont déjà été envoyés à ce compte dans l'heure. Regardez vos messages privés, ou réessayez plus tard.

## Errors

not_found = Page introuvable
not_found_text = Cette page n'existe pas, ou plus. Vérifiez l'adresse, ou repartez de l'accueil.
bad_request = Adresse incomplète ou mal écrite
bad_request_text = Un des paramètres de cette adresse (après le « ? ») n'a pas la forme attendue. Vérifiez l'adresse, ou repartez de la page précédente.
method_not_allowed = Action impossible à cette adresse
method_not_allowed_text = Cette page existe, mais ne se prête pas à cette action (un formulaire envoyé à la mauvaise adresse, peut-être). Repartez de la page précédente.
forbidden = Accès refusé
forbidden_text = Seuls les coordinateurs et coordinatrices de l'association peuvent voir cette page et gérer ses missions.
csrf_failed = Formulaire expiré
csrf_failed_text = Ce formulaire a expiré ou ne vient pas de ce site. Revenez en arrière, rechargez la page, puis réessayez.
conflict = Plus possible
conflict_text = Ce n'est plus possible : la page a peut-être changé entre-temps.
error = Erreur

## French puts a (non-breaking) space before a colon, English does not.

colon =  :
error_text = Le site ne peut pas répondre pour le moment. Réessayez dans un instant.

## Calendars (the rest of their words are in calendar.rs)

my_calendar = Mon agenda

## Volunteer hours (the rest of their words are in hours.rs)

my_hours = Mes heures
my_tokens = Mes accès
tokens_intro = Les applications que vous connectez à votre compte (une application mobile, un script) reçoivent chacune un jeton d'accès. Révoquez celui d'une application que vous n'utilisez plus : elle perd l'accès aussitôt.
tokens_list = Vos jetons d'accès
tokens_label = Application
tokens_created = Créé le
tokens_revoke = Révoquer
tokens_none = Aucune application n'est connectée à votre compte.
tokens_new_label = Nom de l'application (facultatif)
tokens_new = Créer un jeton d'accès
tokens_made = Votre nouveau jeton d'accès
tokens_made_once = Copiez-le maintenant dans votre application : il ne sera plus affiché.
association_hours = Heures des bénévoles
see_calendar = Voir tous les créneaux dans un calendrier
equipment_link = Le matériel que l'association prête
equipment_title = Matériel à partager
equipment_home = Tables, tentes, sono, véhicules, salles… : voir ce qui est libre à vos dates et le demander en ligne.

## Counts: the number chooses the form (CLDR: in French, 0 and 1 are singular)

directory_count = { $n ->
    [0] Aucune association n'est inscrite ici.
    [one] { $n } association est inscrite ici.
   *[other] { $n } associations sont inscrites ici.
}
followers = { $n ->
    [one] { $n } abonné
   *[other] { $n } abonnés
}
places_left = { $remaining ->
    [0] Complet
    [one] { $remaining } place restante sur { $capacity }
   *[other] { $remaining } places restantes sur { $capacity }
}
places_unlimited = Pas de limite de places
places_taken = { $taken ->
    [one] { $taken } place prise sur { $capacity }
   *[other] { $taken } places prises sur { $capacity }
}
slots_added = { $n ->
    [one] { $n } créneau ajouté.
   *[other] { $n } créneaux ajoutés.
}
people_told = { $n ->
    [0] Personne n'est inscrit : personne n'est à prévenir.
    [one] { $n } personne inscrite sera prévenue.
   *[other] { $n } personnes inscrites seront prévenues.
}
form_errors = { $n ->
    [1] Le formulaire n'a pas été envoyé : un champ est à corriger.
   *[other] Le formulaire n'a pas été envoyé : { $n } champs sont à corriger.
}
commitment_regular = { $period ->
    [month] Régulière : { $amount } par mois
   *[week] Régulière : { $amount } par semaine
}

## Dates and times, written out

weekday_0 = lundi
weekday_1 = mardi
weekday_2 = mercredi
weekday_3 = jeudi
weekday_4 = vendredi
weekday_5 = samedi
weekday_6 = dimanche
month_0 = janvier
month_1 = février
month_2 = mars
month_3 = avril
month_4 = mai
month_5 = juin
month_6 = juillet
month_7 = août
month_8 = septembre
month_9 = octobre
month_10 = novembre
month_11 = décembre
# How a decimal number separates its fraction: 12,5
decimal_separator = ,
# "1er décembre", "2 décembre"
date_long = { $weekday } { $day ->
    [1] 1er
   *[other] { $day }
} { $month } { $year }
time_of_day = { $minute ->
    [0] { $hour } h
   *[other] { $hour } h { $mm }
}
span_same_day = { $start_day }, de { $start_time } à { $end_time }
span_days = du { $start_day } à { $start_time } au { $end_day } à { $end_time }
time_range = { $start } – { $end }

## Short dates and a mission's summary line (federation, emails, feeds, the API)

weekday_short_0 = lun.
weekday_short_1 = mar.
weekday_short_2 = mer.
weekday_short_3 = jeu.
weekday_short_4 = ven.
weekday_short_5 = sam.
weekday_short_6 = dim.
month_short_0 = janv.
month_short_1 = févr.
month_short_2 = mars
month_short_3 = avr.
month_short_4 = mai
month_short_5 = juin
month_short_6 = juil.
month_short_7 = août
month_short_8 = sept.
month_short_9 = oct.
month_short_10 = nov.
month_short_11 = déc.
# "sam. 14 juin 2026"
date_short = { $weekday } { $day } { $month } { $year }
# "sam. 14 juin 2026, 09:00–12:00"
span_short_same_day = { $start_day }, de { $start_time } à { $end_time }
# "sam. 14 juin 2026, 09:00 – dim. 15 juin 2026, 18:00"
span_short_days = du { $start_day } à { $start_time } au { $end_day } à { $end_time }
# The line Mastodon shows under a mission's title: "date · place · places left"
summary_line = { $date } · { $place } · { $places }
summary_remote = à distance
summary_places = { $remaining ->
    [0] complet
    [one] { $remaining } place restante sur { $capacity }
   *[other] { $remaining } places restantes sur { $capacity }
}
summary_unlimited = places illimitées
summary_cancelled = ANNULÉE – { $line }

## Mission categories (domain codes)

category_solidarity = Solidarité, insertion
category_environment = Environnement
category_culture = Culture, loisirs
category_sport = Sport
category_education = Éducation, formation
category_health = Santé, soin
category_support = Fonctions support (compta, communication…)
category_community = Vie locale, citoyenneté
category_emergency = Urgence, secours
category_other = Autre

## Why a mission suits a volunteer

match_remote = à distance
match_distance_under_5 = moins de 5 km
match_distance_from_5_to_15 = 5 à 15 km
match_distance_from_15_to_30 = 15 à 30 km
match_distance_further = plus de 30 km
match_your_skills = { $n ->
    [one] votre compétence : { $list }
   *[other] vos compétences : { $list }
}
match_their_skills = { $n ->
    [one] compétence : { $list }
   *[other] compétences : { $list }
}
# "samedi matin"
match_available = { $weekday } { $part }

# Mes données (issue 14)
my_data = Mes données
my_data_intro = Tout ce que ce site garde à votre sujet vous appartient : vous pouvez l'emporter ou le faire effacer.
data_export = Emporter mes données
data_export_text = Une archive zip avec un fichier data.json (votre compte, votre profil, vos associations et rôles, vos inscriptions, vos heures, vos attestations, les courriels qui vous ont été envoyés, vos jetons d'accès : leur nom et leur date seulement) et vos documents (vos attestations en PDF, vos heures en CSV).
data_export_button = Télécharger mes données
delete_account = Supprimer mon compte
delete_account_text = Votre adresse électronique, votre mot de passe, votre profil, vos accès et vos inscriptions à venir sont effacés (les places sont libérées). Les heures déjà validées restent dans les comptes des associations, au nom d'« ancien·ne bénévole ». Les serveurs qui vous suivent en sont informés. Votre nom d'utilisateur reste réservé. C'est définitif.
delete_password = Votre mot de passe, pour confirmer
delete_button = Supprimer définitivement mon compte
delete_wrong_password = Ce n'est pas le mot de passe de votre compte : rien n'a été supprimé.
delete_last_coordinator = { $n ->
    [one] Vous êtes la dernière personne qui coordonne { $list }. Nommez d'abord une autre coordinatrice ou un autre coordinateur, puis supprimez votre compte.
   *[other] Vous êtes la dernière personne qui coordonne ces associations : { $list }. Nommez d'abord une autre coordinatrice ou un autre coordinateur dans chacune, puis supprimez votre compte.
}
account_deleted = Compte supprimé
account_deleted_text = Votre compte et vos données personnelles ont été effacés. Merci pour votre engagement.
former_volunteer = ancien·ne bénévole
privacy = Vie privée
privacy_intro = Ce que { $node } garde sur vous, combien de temps, et qui le voit. Ce texte décrit ce que fait le logiciel ; l'association ou la personne qui gère ce site en est responsable.
privacy_account = Votre compte
privacy_account_text = Votre nom d'utilisateur, votre adresse électronique, votre mot de passe (seulement son empreinte, jamais le mot de passe lui-même) et la date de création. Seuls vous et l'administrateur du site les voient. Gardés jusqu'à ce que vous supprimiez votre compte.
privacy_sessions = Connexions et accès
privacy_sessions_text = Une connexion dure { $days } jours (un cookie de session, et un cookie pour la langue choisie : aucun autre cookie, aucun traceur). Les jetons d'accès des applications et l'adresse de votre agenda sont gardés jusqu'à ce que vous les révoquiez ou supprimiez votre compte ; le site n'en garde qu'une empreinte.
privacy_profile = Votre profil de bénévole
privacy_profile_text = Vos compétences, disponibilités, votre commune et la distance que vous acceptez de parcourir servent à vous proposer des missions. Les coordinateurs ne vous voient dans leurs suggestions que si vous l'avez accepté, et n'y voient qu'un ordre de grandeur de la distance (moins de 5 km, 5 à 15 km, 15 à 30 km, plus loin), jamais votre adresse.
privacy_activity = Inscriptions, heures et attestations
privacy_activity_text = Vos inscriptions sont vues par les coordinateurs de l'association concernée ; vos heures et attestations par vous et ces coordinateurs. Les heures validées font partie des comptes de l'association (bilan annuel des contributions bénévoles) : si vous supprimez votre compte, elles restent, sans votre nom. Chaque modification d'une heure est inscrite dans un historique.
privacy_messages = Courriels et messages
privacy_messages_text = Les courriels qui vous sont envoyés (confirmations, rappels) sont gardés avec leur texte jusqu'à la suppression de votre compte.
privacy_federation = Le fédivers
privacy_federation_text = Vos inscriptions à des missions d'autres serveurs leur sont transmises (votre identifiant et votre message). Les activités échangées avec d'autres serveurs sont gardées { $days } jours, puis effacées. Des autres serveurs, le site garde le profil public des personnes qui s'inscrivent ou écrivent ici ; quand l'une d'elles supprime son compte, ses données sont effacées ici de la même façon.
privacy_rights = Vos droits
privacy_rights_text = Depuis « Mes données », vous emportez tout ce que le site garde sur vous (archive zip) et vous supprimez votre compte. Après la suppression, la clé de votre identité sur le fédivers est effacée dès que les derniers messages l'annonçant sont partis (au moins { $hours } heure). Pour toute autre demande, écrivez à l'administrateur du site.

## The dashboard's work list (the number is shown before the words, larger)

work_title = À traiter
work_nothing = Rien n'attend de réponse pour le moment.
work_equipment = Matériel
work_reservations_page = Réservations
work_sign_ups = { $n ->
    [one] inscription à accepter ou refuser
   *[other] inscriptions à accepter ou refuser
}
work_hours = { $n ->
    [one] déclaration d'heures à valider
   *[other] déclarations d'heures à valider
}
work_attestations = { $n ->
    [one] attestation à confirmer
   *[other] attestations à confirmer
}
work_reservations = { $n ->
    [one] demande de réservation à traiter
   *[other] demandes de réservation à traiter
}
work_pickups = { $n ->
    [one] prêt à remettre d'ici deux jours
   *[other] prêts à remettre d'ici deux jours
}
work_returns = { $n ->
    [one] retour attendu d'ici deux jours
   *[other] retours attendus d'ici deux jours
}
work_overdue = { $n ->
    [one] prêt en retard
   *[other] prêts en retard
}

## The home page's tagline, when the administrator wrote no description

tagline = Missions bénévoles et matériel partagé entre associations.

## Accounts: registration, links sent by email, "Mon compte", administrators

register = Créer mon compte
register_link = Créer un compte
register_intro = Un compte vous permet de vous inscrire aux créneaux des associations, de retrouver vos inscriptions et vos heures de bénévolat. Nous vous enverrons un e-mail pour confirmer votre adresse.
register_approval = Sur ce site, un·e administrateur·rice accepte chaque nouveau compte : vous recevrez un e-mail quand ce sera fait.
register_no_mail = Ce site ne peut pas encore envoyer d'e-mails : un·e administrateur·rice confirmera votre adresse à la main. En attendant, vous pouvez vous connecter mais pas vous inscrire aux créneaux.
register_closed = Inscriptions fermées
register_closed_text = Ce site n'accepte pas de nouveaux comptes pour le moment. Demandez un compte à l'association ou aux administrateur·rices du site.
register_submit = Créer mon compte
register_have_account = Vous avez déjà un compte ?
register_guide = Guide : créer mon compte, m'inscrire, retrouver mes heures
register_sent = Compte créé : vérifiez vos e-mails
register_sent_text = Si ces informations sont bonnes, un e-mail est en route avec un lien pour confirmer votre adresse (il marche 48 heures). Vous pouvez déjà vous connecter ; l'inscription aux créneaux s'ouvre une fois l'adresse confirmée.
register_sent_approval = Si ces informations sont bonnes, un e-mail est en route avec un lien pour confirmer votre adresse (il marche 48 heures). Un·e administrateur·rice doit aussi accepter votre compte : vous recevrez un e-mail quand ce sera fait.
register_sent_no_mail = Votre demande est enregistrée. Ce site ne peut pas encore envoyer d'e-mails : un·e administrateur·rice confirmera votre adresse. Vous pouvez déjà vous connecter.
username = Identifiant
username_hint = Public : il apparaît dans votre adresse sur le fédivers. De 1 à 40 lettres minuscules sans accents, chiffres, « - », « _ » ou « . ».
full_name = Nom complet
full_name_hint = Facultatif et privé : montré aux coordinateur·rices des associations avec lesquelles vous agissez, et imprimé sur vos attestations, conventions de prêt et relevés d'heures (à défaut, votre identifiant).
display_name = Nom affiché
display_name_hint = Public : le nom que les autres voient à côté de votre identifiant (à défaut, votre identifiant).
email = Adresse e-mail
email_hint = Pour confirmer votre compte et retrouver votre mot de passe. Elle n'est jamais affichée.
password_hint = Au moins 8 caractères. Une phrase de quelques mots est facile à retenir et difficile à deviner.
confirm_title = Confirmer mon adresse e-mail
confirm_intro = Appuyez sur le bouton pour confirmer que cette adresse est bien la vôtre.
confirm_submit = Confirmer mon adresse
confirmed = Adresse confirmée
confirmed_text = Merci ! Votre adresse e-mail est confirmée : vous pouvez vous inscrire aux créneaux des associations.
link_invalid = Lien expiré ou déjà utilisé
link_invalid_text = Ce lien ne marche plus : il a déjà servi ou il a expiré. Demandez-en un nouveau (depuis « Mon compte » ou « Mot de passe oublié »).
forgot_link = Mot de passe oublié ?
login_no_account = Pas encore de compte ?
forgot_title = Mot de passe oublié
forgot_intro = Indiquez l'adresse e-mail de votre compte : nous y enverrons un lien pour choisir un nouveau mot de passe. Il marche une heure, une seule fois.
forgot_no_mail = Ce site ne peut pas encore envoyer d'e-mails : demandez un nouveau mot de passe à un·e administrateur·rice du site.
forgot_submit = Recevoir le lien
forgot_sent = Vérifiez vos e-mails
forgot_sent_text = Si un compte utilise cette adresse, un e-mail est en route avec un lien pour choisir un nouveau mot de passe. Il marche une heure. Pensez à regarder dans les indésirables.
reset_title = Choisir un nouveau mot de passe
reset_intro = Choisissez votre nouveau mot de passe. Vous serez déconnecté·e partout ailleurs.
reset_submit = Enregistrer le nouveau mot de passe
reset_done = Mot de passe changé
reset_done_text = Votre nouveau mot de passe est enregistré, et toutes vos connexions ouvertes sont fermées. Vous pouvez vous connecter.
new_password = Nouveau mot de passe
current_password = Mot de passe actuel
email_password = Mot de passe actuel
password_change_hint = Au moins 8 caractères. Vos autres connexions seront fermées.
my_account = Mon compte
account_names = Mes noms et ma langue
acc_language = Langue de mes e-mails
acc_language_node = Celle du site
email_now = Adresse actuelle
new_email = Nouvelle adresse e-mail
new_email_hint = Nous enverrons un lien à la nouvelle adresse ; l'ancienne reste celle du compte jusqu'à ce que vous le suiviez, et elle est prévenue.
change_email = Changer d'adresse
change_password = Changer de mot de passe
resend_confirmation = Renvoyer l'e-mail de confirmation
acc_unconfirmed = Adresse e-mail à confirmer
acc_unconfirmed_text = Confirmez votre adresse e-mail avec le lien que nous vous avons envoyé pour pouvoir vous inscrire aux créneaux. Pas reçu ? Regardez dans les indésirables, ou demandez un nouvel e-mail.
acc_waiting = Compte en attente
acc_waiting_text = Un·e administrateur·rice du site doit encore accepter votre compte. Vous recevrez un e-mail quand ce sera fait.
acc_refused = Compte refusé
acc_refused_text = Un·e administrateur·rice du site n'a pas accepté ce compte.
acc_braked = Trop de demandes de ce type. Réessayez dans { $minutes ->
    [one] une minute
   *[other] { $minutes } minutes
}.
login_email_unconfirmed = Votre adresse e-mail n'est pas encore confirmée.
login_awaiting_approval = Votre compte attend encore l'accord d'un·e administrateur·rice du site. Vous recevrez un e-mail quand ce sera fait.
login_account_refused = Ce compte a été refusé par un·e administrateur·rice du site.
refused_unconfirmed = Confirmez d'abord votre adresse e-mail pour vous inscrire à un créneau : suivez le lien de l'e-mail que nous vous avons envoyé, ou demandez-en un nouveau ci-dessous.
done_account_saved = C'est enregistré.
done_password_changed = Mot de passe changé. Vos autres connexions sont fermées.
done_email_link_sent = Un lien est en route vers la nouvelle adresse : suivez-le pour terminer le changement (il marche 48 heures).
done_confirmation_sent = Un nouvel e-mail de confirmation est en route (le lien marche 48 heures).
done_resend_braked = Vous avez déjà demandé plusieurs e-mails : attendez une heure avant d'en demander un autre.
admin_accounts = Comptes en attente
admin_accounts_intro = Les personnes qui se sont inscrites et attendent votre accord. Elles reçoivent un e-mail dans les deux cas.
admin_accounts_waiting = Comptes qui attendent une décision
admin_accounts_since = Demandé le
admin_accounts_decision = Décision
admin_accounts_none = Aucun compte n'attend de décision.
approve = Accepter
done_account_approved = Compte accepté : la personne est prévenue par e-mail.
done_account_refused = Compte refusé : la personne est prévenue par e-mail.

## A mission's picture (issue 14)
picture = Image de la mission
picture_alt = Image de la mission « { $title } »
picture_hint = Facultatif : une photo JPEG ou PNG de 10 Mo au plus, montrée sur la page de la mission et sa carte.
picture_change = Remplacer l'image
picture_submit = Enregistrer l'image
picture_remove = Retirer l'image
done_picture_saved = Image enregistrée.
done_picture_removed = Image retirée.
admin_sources = Sources de l'agrégateur
admin_sources_intro = Les nœuds, instances Mobilizon et groupes que cet agrégateur suit. Ce qu'ils publient arrive au fil de l'eau, et chaque source est relue chaque nuit. Une source qui ne dit plus rien depuis longtemps est signalée comme silencieuse.
admin_sources_list = Sources suivies
admin_sources_source = Source
admin_sources_kind = Type
admin_sources_items = Éléments
admin_sources_heard = Dernières nouvelles
admin_sources_walked = Dernière relecture complète
admin_sources_errors = Erreurs
admin_sources_state = État
admin_sources_silent = Silencieuse
admin_sources_fresh = À jour
admin_sources_never = jamais
admin_sources_none = Aucune source pour l'instant : ajoutez la première ci-dessous.
admin_sources_remove = Ne plus suivre
admin_sources_add = Ajouter une source
admin_sources_target = Adresse de la source
admin_sources_target_hint = Un nœud ou une instance Mobilizon (https://son.adresse) ou un groupe (@groupe@son.adresse).
admin_sources_add_button = Suivre cette source
admin_sources_kind_entraide = Nœud Entraide
admin_sources_kind_mobilizon = Instance Mobilizon
admin_sources_kind_group = Groupe
admin_sources_kind_other = Autre serveur
admin_sources_err_empty = Indiquez l'adresse d'un nœud, d'une instance Mobilizon ou d'un groupe.
admin_sources_err_not_found = Rien à suivre n'a été trouvé à cette adresse. Vérifiez-la, puis réessayez.
admin_sources_err_unreachable = Le serveur à cette adresse ne répond pas. Vérifiez l'adresse, ou réessayez dans quelques minutes.
admin_sources_err_blocked = Ce nœud n'échange pas avec ce serveur.
done_source_added = La source est suivie. Ce qu'elle publie arrive dans les minutes qui viennent.
done_source_removed = La source n'est plus suivie.
admin_sources_menu = Sources
busy = Beaucoup de monde en même temps
busy_text = Le site reçoit beaucoup de demandes comme la vôtre en ce moment. Réessayez dans quelques secondes.

## Le territoire en chiffres (agrégateur, issue 15)
territory_menu = Le territoire en chiffres
territory_title = Le territoire en chiffres
territory_intro = Ce que les associations du territoire ont fait ensemble cette année, d'après les chiffres que chaque site choisit de publier. Ce ne sont que des nombres : aucun nom, aucune personne.
territory_year = Année
territory_show = Afficher
territory_all_communes = Toutes les communes
territory_headline = L'essentiel
territory_missions_published = Missions publiées
territory_missions_filled = Missions complètes
territory_volunteers = Bénévoles mobilisés
territory_loans = Prêts de matériel
territory_loan_value = Valeur du matériel prêté
territory_hours = Heures de bénévolat
territory_hours_value = Valeur des heures
territory_by_month = Mois par mois
territory_month = Mois
territory_total = Total
territory_chart_months = Heures de bénévolat par mois en { $year }
territory_chart_caption = Heures de bénévolat validées, par mois. Le tableau ci-dessous donne tous les chiffres.
territory_by_commune = Commune par commune
territory_commune = Commune
territory_chart_communes = Heures de bénévolat par commune en { $year }
territory_chart_communes_caption = Les communes où le plus d'heures ont été données. Le tableau ci-dessous les donne toutes.
territory_no_commune = En ligne, à distance ou lieu inconnu
territory_nothing = Rien n'a encore été compté pour cette année.
territory_sources = D'où viennent ces chiffres
territory_sources_intro = Chaque site du territoire publie, s'il le souhaite, ses totaux de l'année. Les bénévoles sont comptés une fois par site : une personne active sur deux sites compte deux fois.
territory_no_sources = Aucun site n'est encore suivi.
territory_not_publishing = ne publie pas ses chiffres
territory_not_fetched = chiffres pas encore relevés
territory_fetched_on = chiffres relevés le { $date }
territory_api = Ces chiffres pour les développeurs (JSON)
mod_menu = Modération
mod_title = Modération
mod_intro = Les serveurs et comptes bloqués ou mis en sourdine, les signalements à traiter, les contenus retirés de ce nœud et le journal de chaque décision.
mod_reports = Signalements
mod_reports_open = Signalements à traiter
mod_reports_none = Aucun signalement à traiter.
mod_reported = Objet signalé
mod_comment = Commentaire
mod_reporter = Signalé par
mod_when = Date
mod_decision = Décision
mod_from_server = un autre serveur
mod_forwarded = transmis le
mod_note = Ce qui a été fait
mod_resolve = Marquer comme traité
mod_forward = Transmettre au serveur concerné
mod_rules = Serveurs et comptes bloqués ou en sourdine
mod_rules_help = Bloquer : plus rien n'est accepté, demandé ni envoyé ; ses abonnements et ce que ce nœud gardait de lui disparaissent. Mettre en sourdine : ses messages arrivent encore, mais ses missions et son matériel ne paraissent plus dans les listes publiques ni dans la recherche (seulement par lien direct).
mod_rules_none = Aucun serveur ni compte bloqué.
mod_target = Serveur ou compte
mod_target_hint = Un serveur (exemple.org), un compte (@nom@exemple.org) ou l'adresse d'un compte.
mod_severity = Mesure
mod_reason = Raison
mod_by = Par
mod_from_config = fichier de configuration (lecture seule)
mod_lift = Lever
mod_add = Bloquer ou mettre en sourdine
mod_add_button = Appliquer
mod_block = Bloquer
mod_silence = Mettre en sourdine
mod_block_hint = plus aucun échange
mod_silence_hint = hors des listes publiques et de la recherche
mod_kind_host = serveur
mod_kind_actor = compte
mod_removed = Contenus retirés de ce nœud
mod_removed_none = Aucun contenu retiré.
mod_item = Adresse de la mission ou du matériel
mod_item_hint = L'adresse d'une mission ou d'un matériel venu d'un autre serveur : il disparaît de ce nœud et n'est plus repris, jusqu'à ce que vous le rétablissiez.
mod_remove_button = Retirer de ce nœud
mod_restore = Rétablir
mod_log = Journal de modération
mod_log_none = Aucune décision pour l'instant.
mod_action = Action
mod_action_block = blocage
mod_action_silence = mise en sourdine
mod_action_unblock = levée
mod_action_remove = retrait
mod_action_restore = rétablissement
mod_action_resolve = signalement traité
mod_action_forward = signalement transmis
mod_report_mission = Mission
mod_report_resource = Matériel
mod_report_actor = Compte
mod_err_not_found = Aucun compte n'a été trouvé à cette adresse.
mod_err_no_item = Aucune mission ni aucun matériel venu d'un autre serveur n'a cette adresse ici.
done_mod_block = C'est bloqué : plus rien n'est échangé avec lui.
done_mod_silence = C'est en sourdine : ses contenus ne paraissent plus dans les listes publiques.
done_mod_lifted = La mesure est levée.
done_mod_resolved = Le signalement est marqué comme traité.
done_mod_forwarded = Le signalement part vers le serveur concerné.
done_mod_removed = Le contenu est retiré de ce nœud.
done_mod_restored = Le contenu est rétabli ; il revient avec sa prochaine mise à jour.
report_title = Signaler un contenu
report_intro = Votre signalement va aux administrateur·rices de ce nœud, qui décident quoi en faire. Dites ce qui ne va pas.
report_kind = Vous signalez
report_target = Adresse de ce que vous signalez
report_comment = Ce qui ne va pas
report_button = Envoyer le signalement
report_sent = Merci : votre signalement est transmis aux administrateur·rices.
report_link = Signaler

## Text messages (SMS) and coordinators' messages

my_sms = SMS
sms_title = Recevoir des SMS
sms_off = Ce site n'envoie pas de SMS.
sms_intro = Si vous lisez vos SMS plus volontiers que vos e-mails, donnez votre numéro de portable : les associations pourront vous écrire par SMS, seulement si vous le choisissez. Vous pouvez arrêter à tout moment.
sms_number_title = Votre numéro
phone = Numéro de portable
phone_hint = Par exemple 06 12 34 56 78, ou +32 470 12 34 56 hors de France. Un code vous sera envoyé par SMS pour le confirmer.
sms_send_code = Recevoir un code par SMS
sms_confirmed = confirmé
sms_unconfirmed = pas encore confirmé
sms_code_title = Confirmer le numéro
code = Code reçu par SMS
code_hint = Six chiffres, valables 30 minutes.
sms_confirm = Confirmer
sms_save = Enregistrer mes choix
sms_choices = Ce que je reçois par SMS
sms_choices_legend = Cochez ce que vous voulez recevoir par SMS
sms_choice_messages = Les messages des associations à leurs bénévoles
sms_choice_reminders = Le rappel de mes créneaux, la veille
sms_stopped_on = Vous avez arrêté les SMS le
sms_stop_title = Ne plus recevoir de SMS
sms_stop_text = Vous pouvez aussi répondre STOP à l'un de nos SMS.
sms_stop_button = Arrêter les SMS
done_sms_code_sent = Un code vient de vous être envoyé par SMS.
done_sms_confirmed = Votre numéro est confirmé. Choisissez ce que vous voulez recevoir par SMS.
done_sms_choices = Vos choix sont enregistrés.
done_sms_stopped = Vous ne recevrez plus de SMS.
mass_write = Écrire aux bénévoles
mass_write_slot = Écrire aux inscrits par SMS, e-mail ou fédivers
mass_title = Écrire aux bénévoles
mass_title_node = Écrire aux associations
mass_admin_menu = Écrire aux associations
mass_intro = Chaque personne reçoit le message comme elle l'a choisi : par e-mail, en message privé sur son compte du fédivers, ou par SMS. Voyez d'abord combien de personnes il atteint, puis envoyez.
mass_scope_slot = aux personnes inscrites à ce créneau
mass_scope_mission = aux personnes inscrites à cette mission
mass_scope_association = aux personnes inscrites aux créneaux à venir de l'association
mass_scope_node = aux coordinateur·rices et responsables de toutes les associations du site
mass_text = Votre message
mass_text_hint = 1600 caractères au plus. Un SMS compte 160 caractères (70 avec des émojis ou certains accents) : un message plus long en coûte plusieurs.
mass_preview_button = Voir qui il atteint
mass_send_button = Envoyer
mass_reach_title = Aperçu
mass_reach_people = Personnes inscrites
mass_reach_parts = SMS en tout
mass_reach_each = par personne
mass_reach_left = reste aujourd'hui
mass_reach_unreachable = Sans moyen de les joindre
mass_channel = Canal
mass_channel_email = E-mail
mass_channel_fediverse = Fédivers
mass_channel_sms = SMS
mass_recipient = Destinataire
mass_status = État
mass_error = Erreur
mass_status_pending = en attente
mass_status_sent = envoyé
mass_status_failed = abandonné
mass_status_refused = refusé pour ce numéro
mass_status_capped = au-delà du plafond du jour
mass_status_stopped = arrêté (STOP)
mass_status_skipped = non envoyé (e-mails désactivés)
mass_status_federated = remis au fédivers
mass_log_title = Message envoyé
mass_log_caption = Qui le reçoit, par quel canal
mass_log_empty = Personne n'était joignable.
mass_again = Écrire un autre message
done_mass_sent = Votre message part : voici qui le reçoit.
