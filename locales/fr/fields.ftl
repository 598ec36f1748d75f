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
field-profile_skills = Indiquez au plus { $max } compétences, de { $chars } caractères au plus chacune.
field-weekday_range = Cochez des moments dans la grille de la semaine.
field-not_a_category = Cochez des domaines dans la liste.
field-name_length = Le nom fait de { $min } à { $max } caractères.
field-name_chars = Le nom ne contient que des lettres minuscules a-z, des chiffres, « - », « _ » et « . ».
field-name_edges = Le nom commence et finit par une lettre, un chiffre ou « _ ».
field-name_reserved = Ce nom est réservé : choisissez-en un autre.
field-email_invalid = Ce n'est pas une adresse e-mail valide.
