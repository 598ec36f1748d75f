# Associations : demandes, page et réglages, invitations (français).

assoc-role_member = membre
assoc-role_coordinator = coordinateur·rice
assoc-role_owner = coordinateur·rice

## The page an invitation's link opens
assoc-invitation_title = Invitation
assoc-invitation_heading = Rejoindre { $association }
assoc-invitation_lead = { $association } invite { $email } à la rejoindre en tant que { $role }.
assoc-invitation_accept = Accepter l'invitation
assoc-invitation_account = Pour accepter, connectez-vous avec le compte de cette adresse e-mail, ou créez-en un : vous reviendrez ici.
assoc-invitation_login = Se connecter
assoc-invitation_register = Créer un compte

## The association's page
assoc-details = Qui sommes-nous
assoc-address = Adresse
assoc-contact = Contact
assoc-website = Site web
assoc-fields = Domaines d'action
assoc-logo_alt = Logo de { $association }

## Asking for a new association (/associations/new)
assoc-menu_new = Créer une association
assoc-new_title = Créer une association
assoc-new_lead = Présentez votre association : les administrateurs du site valident la demande, puis vous en devenez coordinateur·rice. Vous recevrez la réponse par e-mail.
assoc-new_link = Demander une autre association
assoc-new_submit = Envoyer la demande
assoc-field_name = Adresse de la page
assoc-name_hint = Lettres minuscules, chiffres et tirets, par exemple entraide-brest : la page sera /g/entraide-brest. Elle ne change plus ensuite.
assoc-field_display_name = Nom de l'association
assoc-display_name_hint = Tel qu'il s'affiche, par exemple « Entraide Brest ».
assoc-field_summary = Présentation
assoc-summary_hint = Quelques phrases : ce que fait l'association, pour qui.
assoc-field_address = Adresse postale
assoc-address_hint = Facultatif, par exemple 2 rue de Siam, 29200 Brest.
assoc-field_email = E-mail de contact
assoc-email_hint = Facultatif, affiché sur la page de l'association.
assoc-field_phone = Téléphone
assoc-field_website = Site web
assoc-website_hint = Facultatif, commençant par https://
assoc-field_categories = Domaines d'action
assoc-categories_hint = Cochez ceux qui vous concernent.
assoc-field_logo = Logo
assoc-field_logo_change = Remplacer le logo
assoc-logo_hint = Facultatif : une image JPEG ou PNG de 10 Mo au plus. Après une erreur, choisissez le fichier à nouveau.
assoc-field_role = Rôle
assoc-remove_logo = Retirer le logo

## One's requests (/associations/requests)
assoc-requests_title = Mes demandes d'association
assoc-requests_none = Vous n'avez demandé aucune association.
assoc-sent_heading = Demande envoyée
assoc-sent_text = Merci ! Les administrateurs du site vont l'examiner ; vous recevrez leur réponse par e-mail.
assoc-request_state_pending = Demandée le { $date }, en attente de validation.
assoc-request_state_approved = Demandée le { $date }, acceptée.
assoc-request_state_refused = Demandée le { $date }, refusée.
assoc-reason = Motif
assoc-settings_link = Réglages de l'association

## The administrators' page (/admin/associations)
assoc-menu_admin = Associations à valider
assoc-admin_title = Associations à valider
assoc-admin_lead = Les demandes de création d'association en attente. Accepter crée l'association, son auteur en devient coordinateur·rice ; refuser demande un motif. La personne est prévenue par e-mail.
assoc-admin_none = Aucune demande en attente.
assoc-asked_by = Demandée par
assoc-approve = Accepter
assoc-refuse = Refuser
assoc-reason_label = Motif du refus
assoc-reason_hint = Obligatoire pour refuser ; il est envoyé à la personne.
assoc-admin_done_approved = L'association est créée ; son auteur est prévenu.
assoc-admin_done_refused = La demande est refusée ; son auteur est prévenu.

## The coordinators' settings (/g/{name}/settings)
assoc-settings_title = Réglages de { $association }
assoc-settings_see_page = Voir la page publique
assoc-settings_dashboard = Tableau de bord
assoc-settings_profile = Page de l'association
assoc-settings_save = Enregistrer
assoc-settings_done_saved = Modifications enregistrées.
assoc-settings_done_invited = Invitation envoyée par e-mail.
assoc-settings_done_revoked = Invitation retirée.
assoc-team = Équipe
assoc-team_lead = Invitez une personne par e-mail : le lien reçu est valable 7 jours, une seule fois.
assoc-invite_email = Adresse e-mail
assoc-invite_role = Rôle
assoc-invite_submit = Inviter
assoc-invitations_pending = Invitations en attente
assoc-invitations_none = Aucune invitation en attente.
assoc-invitation_until = Valable jusqu'au
assoc-invitation_expired = Expirée
assoc-invitation_withdraw = Retirer l'invitation
