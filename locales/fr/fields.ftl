# The domain's field errors (codes from domain::validation::FIELD_CODES), as sentences next to
# the field of a form (French, the reference). The JSON API's messages are English only: the
# `.api` attributes of ../en/fields.ftl.

field-required = Ce champ est obligatoire.
field-min_chars = Écrivez au moins { $min } caractères.
field-max_chars = Écrivez au plus { $max } caractères.
field-at_least = Indiquez au moins { $min }.
field-at_most = Indiquez au plus { $max }.
field-between = Indiquez un nombre entre { $min } et { $max }.
field-one_of = Choisissez un domaine dans la liste.
field-skill_too_long = Chaque compétence fait au plus { $max } caractères.
field-too_many_skills = Indiquez au plus { $max } compétences.
field-lat_lon_together = Indiquez la latitude et la longitude, ou aucune des deux.
field-not_on_earth = Ce n'est pas une position sur la Terre : la latitude va de -90 à 90, la longitude de -180 à 180.
field-locality_unless_remote = Indiquez la commune, ou cochez « Mission à distance ».
field-not_date_time = Indiquez une date et une heure, par exemple 14/06/2026 09:00.
field-after_start = La fin doit venir après le début.
field-already_over = Cette date est déjà passée.
field-mission_max_year = Une mission dure au plus un an.
field-capacity_min_or_empty = Indiquez au moins 1, ou laissez vide s'il n'y a pas de limite.
field-join_mode = Choisissez une façon de s'inscrire.
field-mission_status = Choisissez un état : brouillon, publiée, close ou annulée.
field-commitment_required = Indiquez le temps demandé, par exemple 2 heures.
field-commitment_range = Indiquez entre 15 minutes et une semaine.
field-commitment_period = Choisissez par semaine ou par mois.
field-slot_max_day = Un créneau dure au plus 24 heures.
field-date_required = Indiquez une date, par exemple 14/03/2027.
field-time_required = Indiquez une heure, par exemple 09:00.
field-not_a_weekday = Cochez des jours de la semaine dans la liste.
field-end_after_start_same_day = L'heure de fin doit venir après l'heure de début, le même jour.
field-after_first_day = Le dernier jour doit venir après le premier.
field-rule_max_year = Il y a au plus un an entre le premier et le dernier jour.
field-rule_no_future_slot = Ces dates et ces jours ne donnent aucun créneau à venir : vérifiez-les.
field-rule_too_many = Cela ferait plus de { $max } créneaux : raccourcissez la période.
field-repeat_one_day = Seule une mission qui commence et finit le même jour peut se répéter chaque semaine.
field-profile_skills = Indiquez au plus { $max } compétences, de { $chars } caractères au plus chacune.
field-weekday_range = Cochez des moments dans la grille de la semaine.
field-not_a_category = Cochez des domaines dans la liste.
field-name_length = Le nom fait de { $min } à { $max } caractères.
field-name_chars = Le nom ne contient que des lettres minuscules a-z, des chiffres, « - », « _ » et « . ».
field-name_edges = Le nom commence et finit par une lettre, un chiffre ou « _ ».
field-name_reserved = Ce nom est réservé : choisissez-en un autre.
field-email_invalid = Ce n'est pas une adresse e-mail valide.

# Resources, reservations, files, volunteer hours, slots and the forms of the pages.
field-amount = Indiquez un montant en euros, comme 150 ou 150,50.
field-amount_negative = Le montant ne peut pas être négatif.
field-amount_decimals = Indiquez un montant en euros avec au plus 2 décimales.
field-at_most_chars = Écrivez au plus { $max } caractères.
field-loan_mode = Choisissez un prêt gratuit, une location ou un échange.
field-approval = Choisissez une acceptation automatique ou manuelle.
field-borrowers = Choisissez qui peut emprunter.
field-not_an_address = { $value } n'est pas une adresse de la forme nom@site.
field-too_many_associations = Indiquez au plus { $max } associations.
field-no_association_listed = Indiquez au moins une association (nom@site).
field-unknown_placeholder = { $value } n'est pas connu : utilisez { $list }.
field-price_for_rental = Indiquez le prix par jour d'une location.
field-return_after_pickup = Le retour doit venir après le retrait.
field-loan_max_days = Un prêt dure au plus { $max } jour(s).
field-min_notice = Demandez au moins { $hours } heure(s) avant le retrait.
field-pickup_in_past = Ce retrait est déjà passé : choisissez un moment à venir.
field-only_in_all = Il n'y en a que { $total } en tout.
field-days_range = Indiquez de 1 à { $max } jours.
field-return_within_year = Le retour doit venir après le retrait, dans l'année.
field-pickup_and_return = Indiquez le retrait et le retour, ou aucun des deux.
field-search_day = Indiquez une date, comme 14/06/2031.
field-file_unreadable = Le fichier ne peut pas être lu.
field-photo_format = Envoyez une photo JPEG ou PNG.
field-photo_unreadable = La photo ne peut pas être lue (abîmée, ou trop grande).
field-photo_too_large = Cette photo a trop de pixels : envoyez-en une d'au plus { $megapixels } mégapixels et { $side } pixels de côté (les photos habituelles d'un téléphone sont plus petites).
field-photo_unwritable = La photo ne peut pas être enregistrée.
field-file_required = Choisissez un fichier.
field-file_too_big = Le fichier dépasse { $mb } Mo.
field-pdf_only = Envoyez un document PDF.
field-file_kind = Choisissez une photo ou un document.
field-too_many_files = { $max } fichiers au plus de ce type : retirez-en un d'abord.
field-date_time_required = Indiquez la date et l'heure.
field-borrower_required = Choisissez l'association qui emprunte.
field-no_such_association = Aucune association de ce nom sur ce site.
field-own_equipment = Une association n'emprunte pas son propre matériel.
field-others_only = Le prêteur réserve ce matériel à d'autres associations.
field-chars_range = Écrivez de { $min } à { $max } caractères.
field-refusal_reason_required = Indiquez le motif du refus.
field-side = Choisissez le prêteur ou l'emprunteur.
field-side_required = Vous coordonnez les deux parties : dites laquelle signe (prêteur ou emprunteur).
field-move_body = Envoyez { $forms } ou rien.
field-action_day_required = Indiquez le jour, par exemple 14/03/2026.
field-action_day = Indiquez le jour, par exemple 14/03/2026.
field-duration_required = Indiquez une durée, par exemple 2 heures.
field-duration_positive = Indiquez une durée, par exemple 2 heures.
field-whole_hours = Indiquez des heures entières, et des minutes de 0 à 59.
field-not_in_future = Cette date n'est pas encore arrivée : notez les heures une fois l'action faite.
field-end_before_start_date = Le dernier jour vient après le premier.
field-span_max_days = Notez une action d'au plus { $max } jours à la fois.
field-day_24h = Une journée compte au plus 24 heures : vérifiez la durée, ou indiquez le dernier jour.
field-km = Indiquez un nombre de kilomètres, par exemple 12,5.
field-negative = Indiquez un nombre positif.
field-km_too_many = C'est beaucoup de kilomètres pour une action : vérifiez le nombre.
field-decimals = Trop de chiffres après la virgule.
field-text_too_long = Ce texte est trop long.
field-rate_max = Indiquez au plus { $max }.
field-rate = Indiquez un nombre, par exemple 11,88.
field-unknown_category = Ce domaine n'existe pas.
field-association_unknown = Cette association n'est pas parmi celles que vous suivez ou avec qui vous avez participé.
field-no_such_mission = Cette mission n'est pas une mission de l'association.
field-others_hours = Les heures d'une autre personne se notent depuis l'association (coordination).
field-association_required = Choisissez l'association.
field-association_in_address = L'association est déjà dans l'adresse.
field-user_or_guest = Indiquez un nom de compte ou un nom et prénom, pas les deux.
field-no_such_user = Aucun compte de ce nom sur ce site. Sans compte, indiquez plutôt le nom et prénom.
field-guest_name_length = Le nom fait au plus { $max } caractères.
field-user_needed = Indiquez un nom de compte, ou un nom et prénom.
field-refusal_reason = Indiquez un motif ({ $max } caractères au plus).
field-fixed_volunteer = Ce champ ne change pas : supprimez l'action et notez-en une nouvelle.
field-period_day = Indiquez une date, par exemple 31/01/2025.
field-year_or_period = Indiquez une année ou une période, pas les deux.
field-year_like = Indiquez une année, par exemple 2025.
field-year_required = Indiquez l'année, par exemple 2025.
field-not_before_from = La fin de la période vient après son début.
field-hours_status = Choisissez en attente, validées ou refusées.
field-mark_one = Cochez au moins une inscription.
field-no_such_signup = Cette inscription n'est pas acceptée pour ce créneau.
field-marked_twice = Cette inscription est cochée deux fois.
field-attestation_ten_years = Une attestation couvre au plus dix ans.
field-no_validated_hours = Aucune heure validée avec cette association sur cette période.
field-slot_or_rule = Indiquez au moins un créneau.
field-slots_within_mission = Les créneaux doivent être compris dans les dates de la mission : { $span }.
field-slot_within_mission = Le créneau doit être compris dans les dates de la mission : { $span }.
field-capacity_below_signups = { $count ->
        [one] { $count } personne est inscrite
       *[other] { $count } personnes sont inscrites
    } : la capacité ne peut pas être plus basse.
field-capacity_below_volunteers = { $count ->
        [one] { $count } bénévole est déjà inscrit
       *[other] { $count } bénévoles sont déjà inscrits
    } : la capacité ne peut pas être plus basse.
field-guest_name_required = Indiquez le nom de la personne ({ $max } caractères au plus).
field-contact_required = Indiquez un téléphone ou un e-mail ({ $max } caractères au plus).
field-whole_number = Indiquez un nombre entier, par exemple 5.
field-number = Indiquez un nombre, par exemple 48,39.

# Accounts.
field-no_control_chars = Retirez les caractères invisibles (retours à la ligne, tabulations).
field-language_unknown = Choisissez le français, l'anglais ou la langue du site.
field-username_taken = Cet identifiant est déjà pris : choisissez-en un autre.
field-current_password_wrong = Ce n'est pas votre mot de passe actuel.
field-passwords_differ = Les deux mots de passe ne sont pas les mêmes.
field-email_unchanged = C'est déjà l'adresse de votre compte.
field-email_required = Indiquez votre adresse e-mail.
# Associations: requests, details, invitations (issue 14).
field-phone_invalid = Écrivez un numéro de téléphone en chiffres, par exemple +33 2 98 00 00 00.
field-website_invalid = Écrivez une adresse web commençant par https://, par exemple https://mon-association.fr.
field-name_taken = Le nom { $value } est déjà pris ou demandé : choisissez-en un autre.
field-invitation_role = Choisissez membre ou coordinateur·rice.

# Search (issue 15).
field-not_a_position = Donnez une position sous la forme latitude,longitude, par exemple 48.39,-4.49.
field-not_a_bbox = Donnez une zone sous la forme nord,ouest:sud,est, par exemple 48.5,-4.8:48.3,-4.3.
# Places (issue 15): a commune, a postcode or an address that was not found.
field-place_not_found = { $count ->
        [0] Commune introuvable : « { $place } ». Indiquez une commune ou un code postal.
       *[other] Commune introuvable : « { $place } ». Vouliez-vous dire : { $suggestions } ?
    }
field-moderation_target = Indiquez un serveur (exemple.org), un compte (@nom@exemple.org) ou l’adresse d’un compte.
field-report_kind = Choisissez ce que vous signalez : une mission, du matériel ou un compte.
field-moderation_severity = Choisissez « bloquer » ou « mettre en sourdine ».
field-place_ambiguous = Plusieurs communes s'appellent « { $place } » : { $suggestions }. Ajoutez le code postal ou le département, par exemple « { $example } ».

# Asking for help (issue 16).
field-help_wish_required = Dites ce que vous aimeriez faire, en quelques mots ou en cochant un domaine.
field-help_contact_required = Donnez un numéro de téléphone ou une adresse e-mail pour que l'on puisse vous joindre.
field-help_channel_email = Vous avez choisi d'être joint·e par e-mail : donnez votre adresse e-mail.
field-help_channel_phone = Vous avez choisi d'être joint·e par téléphone : donnez votre numéro.
field-help_consent_required = Cochez la case pour accepter d'être contacté·e : sans cela, personne ne peut vous répondre.
field-help_no_mission = La mission n° { $value } n'existe pas ou n'est plus publiée.
