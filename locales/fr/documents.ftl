# Words of the documents for the accounts (French, the reference): the annual statement of
# volunteer contributions in kind (PDF and spreadsheet), an association's hours as a
# spreadsheet, and the attestation of volunteering. Arguments are text, already formatted.

## Figures and labels shared by the documents

doc-per_hour = { $amount } / heure
doc-per_km = { $amount } / km
doc-km = { $km } km
doc-hourly_rate = Taux horaire
doc-hourly_rate_long = Taux horaire de valorisation
doc-category_rate = Taux horaire « { $category } »
doc-mileage_rate = Indemnité kilométrique
doc-km_travelled = Kilomètres parcourus
doc-kilometres = Kilomètres
doc-time_value = Valeur du temps donné
doc-mileage_value = Frais kilométriques
doc-total_value = Total des contributions
doc-volunteers = Bénévoles
doc-no_mission = Hors mission
doc-summary = Synthèse
doc-by_category = Par domaine
doc-by_month = Par mois
doc-by_volunteer = Par bénévole
doc-by_mission = Par mission

## Columns of the tables and spreadsheets

doc-col_heading = Rubrique
doc-col_value = Valeur
doc-col_association = Association
doc-col_year = Exercice
doc-col_number = N°
doc-col_date = Date
doc-col_end = Fin
doc-col_volunteer = Bénévole
doc-col_category = Domaine
doc-col_month = Mois
doc-col_mission = Mission
doc-col_actions = Actions
doc-col_minutes = Minutes
doc-col_hours = Heures
doc-col_km = Km
doc-col_duration = Durée
doc-col_status = État
doc-col_description = Description
doc-col_time_value = Valeur du temps
doc-col_mileage_value = Frais km
doc-col_total = Total

## Where an entry stands, in the spreadsheets

doc-status_pending = en attente
doc-status_validated = validée
doc-status_refused = refusée

## The annual statement of volunteer contributions in kind

doc-stmt_title = Contributions volontaires en nature { $year } — { $association }
doc-stmt_heading = Contributions volontaires en nature
doc-stmt_subtitle = { $association } — exercice { $year }
doc-stmt_intro = Bénévolat du 1er janvier au 31 décembre { $year }, d'après les heures validées par l'association sur { $site }. Document établi le { $date }.
doc-stmt_hours = Heures de bénévolat
doc-stmt_entries = Actions enregistrées
doc-stmt_rates = Taux appliqués
doc-stmt_accounts = Présentation dans les comptes
doc-stmt_accounts_text = Ces montants se présentent au pied du compte de résultat et dans l'annexe, en contributions volontaires en nature : en ressources au compte 870 « Bénévolat », en emplois au compte 864 « Personnel bénévole » (plan comptable des associations, règlement ANC n° 2018-06). Le taux horaire et l'indemnité kilométrique sont ceux que l'association a choisis ; faites-les valider par votre expert-comptable ou votre commissaire aux comptes.
doc-stmt_sheet_title = Contributions volontaires en nature { $year }
doc-stmt_entries_sheet = Actions
doc-stmt_file = contributions-benevoles-{ $association }-{ $year }

## An association's hours as a spreadsheet

doc-hours_title = Heures de bénévolat — { $association }
doc-hours_sheet = Heures
doc-hours_file = heures-{ $association }

## The attestation of volunteering

doc-att_title = Attestation de bénévolat — { $volunteer } — { $association }
doc-att_heading = Attestation de bénévolat
doc-att_text = L'association { $association } atteste que { $volunteer } a agi bénévolement pour elle du { $from } au { $to }, pour les actions et les durées ci-dessous, validées par l'association.
doc-att_time = Temps donné
doc-att_entries = Actions
doc-att_actions = Actions
doc-att_what = Mission ou action
doc-att_mission_and_action = { $mission } : { $action }
doc-att_confirmation = Confirmation
doc-att_confirmed = Attestation confirmée en ligne le { $date } à { $time } par { $by }, pour { $association }.
doc-att_not_confirmed = NON CONFIRMÉE : l'association n'a pas encore confirmé cette attestation. Elle le fait en ligne ; le document téléchargé ensuite porte sa confirmation.
doc-att_footer = Attestation n° { $number } demandée le { $asked } ; document établi le { $date } par { $site } ({ $address }).
doc-att_file = attestation-benevolat-{ $association }-{ $number }

## The CSV exports' headings for a French reader (English pages and the API keep the column codes)

doc-csv-id = N°
doc-csv-date = Date
doc-csv-end_date = Date de fin
doc-csv-volunteer = Bénévole
doc-csv-category = Domaine
doc-csv-mission_id = N° de mission
doc-csv-minutes = Minutes
doc-csv-hours = Heures
doc-csv-distance_km = Distance (km)
doc-csv-status = État
doc-csv-value_eur = Valeur (€)
doc-csv-description = Description
doc-csv-association = Association
doc-csv-resource = Matériel
doc-csv-role = Rôle
doc-csv-other_party = Autre partie
doc-csv-quantity = Quantité
doc-csv-pickup = Retrait
doc-csv-return = Retour
doc-csv-state = État de la réservation
doc-csv-reason = Motif
doc-csv-pickup_notes = Notes au retrait
doc-csv-return_notes = Notes au retour
doc-csv-owner_signed_by = Signé pour le prêteur par
doc-csv-owner_signed_at = Signé pour le prêteur le
doc-csv-borrower_signed_by = Signé pour l'emprunteur par
doc-csv-borrower_signed_at = Signé pour l'emprunteur le
