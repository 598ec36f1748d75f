# Refusals and errors, as codes from the domain and services, in words (French, the reference).

## Why a volunteer cannot take a slot

err-refusal_full = ce créneau est complet
err-refusal_overlaps = vous êtes déjà inscrit·e sur un autre créneau à ce moment-là
err-refusal_closed = les inscriptions à cette mission sont fermées
err-refusal_over = ce créneau est terminé
err-refusal_already_signed_up = vous êtes déjà inscrit·e sur ce créneau

## Pourquoi une action n'est pas faite (codes de domain::denial::DENIAL_CODES).

err-deny_coordinators_only = Seuls les coordinateurs et coordinatrices de l'association peuvent faire cela.
err-deny_coordinators_manage_missions = Seuls les coordinateurs et coordinatrices de l'association gèrent ses missions.
err-deny_coordinators_manage_slots = Seuls les coordinateurs et coordinatrices de l'association gèrent ses créneaux.
err-deny_coordinators_validate_hours = Seuls les coordinateurs et coordinatrices de l'association valident les heures.
err-deny_coordinators_confirm_attestation = Seuls les coordinateurs et coordinatrices de l'association confirment une attestation.
err-deny_coordinators_see_interest = Seuls les coordinateurs et coordinatrices de l'association voient qui s'est montré intéressé.
err-deny_coordinators_see_suggestions = Seuls les coordinateurs et coordinatrices de l'association voient les bénévoles suggérés.
err-deny_not_coordinator = Vous ne coordonnez pas cette association.
err-deny_hours_members_only = Seuls les membres et les personnes qui ont participé à ses créneaux déclarent des heures pour une association.
err-deny_validated_entry_locked = Ces heures sont validées : seuls les coordinateurs et coordinatrices de l'association peuvent encore les modifier.
err-deny_links_remote_accounts = Les liens s'envoient à des comptes d'autres serveurs, pour des créneaux de celui-ci.
err-deny_resource_remote_owner = Ce matériel appartient à un autre serveur : seul son propriétaire, là-bas, le modifie.
err-deny_owner_coordinators_only = Seuls les coordinateurs et coordinatrices du propriétaire peuvent faire cela.
err-deny_owner_coordinators_see_reservations = Seuls les coordinateurs et coordinatrices du propriétaire voient toutes les réservations de ce matériel.
err-deny_owner_server_decides = C'est le serveur du propriétaire qui décide : d'ici, vous pouvez seulement retirer la demande.
err-deny_owner_answers = Seul le propriétaire du matériel répond à une demande.
err-deny_borrower_coordinators_ask = Seuls les coordinateurs et coordinatrices de l'association qui emprunte demandent du matériel.
err-deny_asker_withdraws = Seule l'association qui a fait la demande peut la retirer.
err-deny_agreement_party_only = Seule une des deux parties accepte la convention.
err-deny_other_party = Vous coordonnez l'autre partie de cette réservation.
err-deny_hours_other_sender = Ces heures ont été envoyées par quelqu'un d'autre ou à une autre association.
err-deny_hours_receiver_answers = Seule l'association à qui les heures ont été envoyées peut répondre.
err-deny_hours_sender_withdraws = Seul·e le ou la bénévole qui a envoyé ces heures peut les retirer.
err-deny_exists = Cela existe déjà.
err-deny_user_exists = Le nom { $name } est déjà pris.
err-deny_association_exists = Une association nommée { $name } existe déjà.
err-deny_sign_up_inactive = Cette inscription n'est plus active.
err-deny_attendance_after_slot = La présence se note une fois le créneau terminé.
err-deny_entry_already = Ces heures ont déjà été traitées.
err-deny_hours_exist = Ces heures existent déjà.
err-deny_attestation_confirmed = Cette attestation est déjà confirmée.
err-deny_reservation_state = Ce n'est plus possible dans l'état actuel de la réservation.
err-deny_pool_taken = Le matériel n'est plus libre sur cette période : refusez la demande, ou annulez une autre réservation.
err-deny_reservation_moved = Quelqu'un a modifié cette réservation entre-temps : la page est à jour.
err-deny_agreement_after_accept = La convention se signe une fois la demande acceptée.
err-deny_answer_not_arrived = La réponse à cette demande n'est pas encore arrivée ici.
err-deny_agreement_not_yet = La convention de prêt existe une fois la demande acceptée.
err-deny_account_decided = Le compte { $name } n'attend plus de décision.
err-deny_admins_only = Seuls les administrateur·rices du nœud peuvent faire cela.
err-deny_request_answered = Cette demande a déjà reçu une réponse.
err-deny_invitation_used = Cette invitation a déjà servi.
err-deny_invitation_revoked = L'association a retiré cette invitation.
err-deny_invitation_expired = Cette invitation a expiré : demandez-en une nouvelle à l'association.
err-deny_invitation_other_person = Cette invitation a été envoyée à une autre adresse e-mail que celle de votre compte.
err-deny_aggregator_off = Ce nœud n'est pas un agrégateur : activez [aggregator] enabled = true dans sa configuration.
err-deny_source_not_allowed = { $name } ne fait pas partie des hôtes autorisés de l'agrégateur.
err-deny_source_exists = Cette source est déjà suivie ({ $name }).
err-deny_agreement_not_owners = Une convention de prêt est désignée par une adresse du serveur de son propriétaire, et ne désigne qu'une réservation.
err-deny_moderation_rule_exists = Une règle existe déjà pour { $name } : retirez-la avant d’en poser une autre.
err-deny_moderation_own_node = Ce nœud ne peut pas se bloquer lui-même.
err-deny_moderation_not_remote = Seules les missions et le matériel venus d’autres serveurs peuvent être retirés ici.
err-deny_moderation_report_resolved = Ce signalement est déjà traité.
err-deny_moderation_not_forwardable = Ce signalement porte sur ce nœud-ci ou vient d’un autre serveur : il n’y a rien à transférer.
err-deny_referents_only = Seul·es les référent·es du nœud voient les demandes d'accompagnement.
err-deny_help_off = Ce nœud ne reçoit pas de demandes d'accompagnement.
err-deny_help_state = Cette demande a changé entre-temps (quelqu'un l'a peut-être déjà prise ou close) : rechargez la page pour voir où elle en est.
