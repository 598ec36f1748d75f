# Words of the equipment pages (French, the reference).
eq-equipment = Matériel à partager
eq-equipment_intro = Tables, chaises, tentes, sono, véhicules, salles… prêtés, loués ou échangés entre les associations et les structures du territoire. Cherchez ce qui est libre à vos dates, puis demandez-le en ligne.
eq-guide = Le guide pas à pas du prêt de matériel (en français)
eq-search = Chercher
eq-search_title = Ce qui est libre à vos dates
eq-words = Mots (nom, description, lieu)
eq-category = Catégorie
eq-any_category = Toutes les catégories
eq-from_day = Du (retrait)
eq-to_day = Au (retour)
eq-how_many = Combien au moins
eq-results = Résultats
eq-no_results = Rien ne correspond à cette recherche. Essayez d'autres dates ou moins de mots.
eq-first_results = Depuis le début
eq-next_results = Suivants
eq-result_pages = Pages de résultats
eq-none_here = Rien parmi le matériel examiné pour cette page : la recherche continue avec les suivants.
eq-free_of = libres sur
# "3 libres sur 80": the words between the two numbers
eq-free_count = { $free ->
    [one] libre sur
   *[other] libres sur
}
eq-yes = oui
eq-in_all = en tout
eq-elsewhere = sur un autre site Entraide
eq-lent_by = Prêté par
eq-kind = Structure
eq-place = Lieu de retrait
eq-quantity = Quantité
eq-mode = Conditions
eq-deposit = Dépôt de garantie
eq-value = Valeur de remplacement
eq-per_unit = par unité
eq-per_day = par jour et par unité
eq-notice = Délai de demande
eq-notice_hours = { $n ->
    [one] { $n } heure avant le retrait, au moins
   *[other] { $n } heures avant le retrait, au moins
}
eq-max_days = Durée maximale
eq-days = { $n ->
    [one] { $n } jour
   *[other] { $n } jours
}
eq-buffer = Battement entre deux prêts
eq-hours = { $n ->
    [one] { $n } heure
   *[other] { $n } heures
}
eq-insurance = Assurance demandée à l'emprunteur
eq-approval = Réponse
eq-approval_automatic = automatique si le matériel est libre
eq-approval_manual = par un ou une responsable de l'association
eq-conditions = Conditions particulières
eq-documents = Documents du prêteur
eq-photos = Photos
eq-availability = Disponibilités
eq-availability_intro = Nombre d'unités libres toute la journée, battement entre deux prêts compris.
eq-earlier = Mois précédent
eq-later = Mois suivant
eq-ask_title = Demander ce matériel
eq-ask_login = Connectez-vous pour demander ce matériel au nom de votre association.
eq-ask_no_association = Seul un ou une responsable d'une association de ce site peut demander du matériel. Ce matériel appartient à vos associations.
eq-borrower = Pour l'association
eq-start = Retrait le
eq-start_time = à
eq-end = Retour le
eq-end_time = à
eq-ask = Envoyer la demande
eq-ask_remote_hint = Ce matériel appartient à une association d'un autre site : votre demande lui est envoyée, et sa réponse s'affichera ici.
eq-owner_actions = Pour les responsables
eq-edit = Modifier
eq-delete = Retirer ce matériel
eq-delete_hint = Les demandes et les prêts à venir seront annulés, et les emprunteurs prévenus.
eq-see_reservations = Voir les réservations
eq-our_equipment = Notre matériel
eq-add = Ajouter du matériel
eq-new_title = Ajouter du matériel à prêter
eq-edit_title = Modifier le matériel
eq-name = Nom
eq-description = Description
eq-owner_kind = Votre structure est
eq-place_hint = L'adresse où le matériel est retiré et rendu.
eq-quantity_hint = 1 pour un objet unique ; 80 pour un lot de 80 chaises identiques.
eq-mode_legend = Mode de prêt
eq-free_loan = Prêt gratuit
eq-rental = Location
eq-exchange = Échange
eq-price_per_day = Prix par jour et par unité (€), pour une location
eq-deposit_euros = Dépôt de garantie (€)
eq-value_euros = Valeur de remplacement par unité (€)
eq-insurance_check = L'emprunteur doit être assuré pour ce matériel
eq-min_notice = Délai de demande, en heures
eq-max_days_field = Durée maximale d'un prêt, en jours
eq-buffer_field = Battement entre deux prêts, en heures (nettoyage, transport)
eq-approval_legend = Les demandes sont
eq-approval_auto_label = acceptées automatiquement si le matériel est libre
eq-approval_manual_label = acceptées ou refusées par un ou une responsable
eq-borrowers_legend = Qui peut emprunter
eq-borrowers_everyone = Toutes les associations, de ce site ou d'ailleurs
eq-borrowers_followed = Les associations de ce site, et celles que nous suivons
eq-borrowers_list = Seulement celles de la liste ci-dessous
eq-borrower_list = Associations autorisées (une adresse nom@site par ligne)
eq-template = Texte de la convention de prêt (facultatif)
eq-template_hint = Laissez vide pour le texte standard. Vous pouvez utiliser {"{owner}"}, {"{borrower}"}, {"{resource}"}, {"{quantity}"}, {"{start}"}, {"{end}"}, {"{place}"}, {"{deposit}"}, {"{price}"}, {"{replacement_value}"}, {"{conditions}"}.
eq-save = Enregistrer
eq-files_title = Photos et documents
eq-photo_field = Ajouter une photo (JPEG ou PNG, 10 Mo au plus)
eq-document_field = Ajouter un document : statuts, attestation d'assurance… (PDF, 10 Mo au plus)
eq-file_field = Photo ou document
eq-upload = Envoyer le fichier
eq-remove_file = Retirer
eq-reservations = Réservations de matériel
eq-reservations_intro = Le matériel que votre association prête, et celui qu'elle emprunte.
eq-to_decide = Demandes à traiter
eq-no_to_decide = Aucune demande en attente.
eq-lent = Prêts de notre matériel
eq-no_lent = Aucun prêt en cours ou à venir.
eq-borrowed = Ce que nous empruntons
eq-no_borrowed = Aucun emprunt en cours ou à venir.
eq-past = Terminées
eq-export_csv = Télécharger les réservations (CSV, tableur)
eq-ical = Calendrier des réservations (iCal) à ajouter à votre agenda
eq-ical_how = Quand vous créez l'adresse de votre calendrier privé, la page « Mon calendrier » donne aussi l'adresse des réservations de chaque association dont vous êtes responsable, à ajouter à votre agenda. Elle se termine par
eq-ical_link = Mon calendrier privé
eq-accept = Accepter
eq-refuse = Refuser
eq-refuse_reason = Motif du refus
eq-cancel = Annuler la réservation
eq-cancel_reason = Motif de l'annulation (facultatif)
eq-pickup = Noter le retrait
eq-pickup_notes = État du matériel au retrait (facultatif)
eq-return = Noter le retour
eq-return_notes = État du matériel au retour (facultatif)
eq-sign = J'accepte la convention au nom de l'association
eq-agreement = Convention de prêt
eq-agreement_pdf = Télécharger la convention (PDF)
eq-print = Version imprimable
eq-reservation = Réservation
eq-state = Où en est-elle
eq-st_requested = en attente de réponse
eq-st_accepted = acceptée
eq-st_refused = refusée
eq-st_picked_up = matériel retiré
eq-st_returned = matériel rendu
eq-st_cancelled = annulée
eq-st_overdue = en retard : pas encore rendu

## The iCalendar feed of an association's reservations

eq-feed_name = Matériel – { $association }
eq-feed_about = Ce que { $association } prête et emprunte
eq-feed_loan = Prêt : { $item } → { $other }
eq-feed_borrowing = Emprunt : { $item } ← { $other }
eq-feed_state = État : { $state }
eq-reason = Motif
eq-when = Quand
eq-owner = Prêteur
eq-borrower_party = Emprunteur
eq-between = Entre les parties
eq-object = Objet du prêt
eq-commitments = Engagements
eq-acceptance = Acceptation
eq-for_owner = Pour le prêteur
eq-for_borrower = Pour l'emprunteur
eq-not_signed = pas encore acceptée en ligne
eq-reference = Référence
eq-back = Retour
eq-free_label = Gratuit

## Notices after an action, and why an action no longer fits

eq-done_saved = C'est enregistré.
eq-done_requested = Votre demande est enregistrée.
eq-done_accept = La demande est acceptée.
eq-done_refuse = La demande est refusée.
eq-done_cancel = La réservation est annulée.
eq-done_pickup = Le retrait est noté.
eq-done_return = Le retour est noté.
eq-done_sign = La convention est acceptée en ligne.
eq-done_other = C'est fait.
# English shows the service's own sentence ($message); French says it in its words.

## Dates, times and amounts on the equipment pages

# A day of the availability calendar: "14 juin"
eq-day_label = { $day } { $month }
# The month the calendar shows: "juin 2031"
eq-month_title = { $month } { $year }
# A moment in a list of reservations: "14/06/2031 09:00"
eq-moment = { $dd }/{ $mo }/{ $yyyy } { $hh }:{ $mi }
# An amount in euros: "47,13 €" ($amount already has the separator below)
eq-euros = { $amount } €
eq-decimal_separator = ,
eq-weekday_short_0 = lun.
eq-weekday_short_1 = mar.
eq-weekday_short_2 = mer.
eq-weekday_short_3 = jeu.
eq-weekday_short_4 = ven.
eq-weekday_short_5 = sam.
eq-weekday_short_6 = dim.

## The lending agreement (printable page and PDF): a French document

eq-agr_title = Convention de prêt de matériel
eq-agr_pdf_title = Convention de prêt — { $owner }
eq-agr_filename = convention-de-pret-{ $id }.pdf
eq-agr_reference = Référence : { $reference }
eq-agr_between = Entre les parties
eq-agr_lender = Le prêteur
eq-agr_borrower = L'emprunteur
# A party: its name and its address (name@host)
eq-agr_party = { $name } ({ $address })
eq-agr_object = Objet du prêt
eq-agr_commitments = Engagements
eq-agr_acceptance = Acceptation
eq-agr_for_lender = Pour le prêteur : { $signed }
eq-agr_for_borrower = Pour l'emprunteur : { $signed }
eq-agr_pending = EN ATTENTE d'acceptation en ligne
eq-agr_signed = Acceptée en ligne par { $by } le { $when }
eq-agr_when = { $date } à { $time }
eq-agr_items = Matériel
eq-agr_quantity = Quantité
eq-agr_pickup = Retrait
eq-agr_return = Retour
eq-agr_place = Lieu de retrait et de retour
eq-agr_deposit = Dépôt de garantie
eq-agr_price = Prix
eq-agr_value = Valeur de remplacement
eq-agr_insurance = Assurance
eq-agr_insured = l'emprunteur est assuré pour ce matériel
eq-agr_state_at_pickup = État au retrait
eq-agr_state_at_return = État au retour
eq-agr_price_free = gratuit (prêt)
eq-agr_price_exchange = échange (contrepartie convenue entre les parties)
eq-agr_price_rental = { $per_day } par jour et par unité × { $days } jour(s) × { $quantity } = { $total }
eq-agr_no_deposit = aucun
eq-agr_value_per_unit = { $value } par unité
eq-agr_no_value = non précisée
eq-agr_place_to_agree = à convenir entre les parties
eq-agr_no_conditions = aucune

## Categories of equipment and kinds of owners

eq-cat_furniture = Tables et chaises
eq-cat_tent = Tentes et barnums
eq-cat_stage = Scènes et podiums
eq-cat_sound_light = Son et lumière
eq-cat_vehicle = Véhicules
eq-cat_room = Salles
eq-cat_kitchen = Cuisine et vaisselle
eq-cat_other = Autre
eq-owner_cooperative = Coopérative
eq-owner_craftsman = Artisan
eq-owner_company = Entreprise
eq-owner_local_authority = Collectivité
eq-owner_association = Association
# A request refused because the pool is taken over its period.
eq-pool_taken = Seulement { $free } sur { $total } de libres sur cette période.

## Reasons written by a node, not by a person (domain::reservation::NodeReason)
eq-reason_not_lent_here = Ce matériel n'est pas prêté par le serveur sollicité.
eq-reason_owned_elsewhere = Ce matériel appartient à un autre serveur : demandez-le à son propriétaire là-bas.
eq-reason_not_for_you = Le propriétaire ne prête ce matériel qu'à d'autres associations.
eq-reason_withdrawn = Demande retirée par l'association qui empruntait.
eq-reason_no_longer_lent = Le propriétaire ne prête plus ce matériel.
