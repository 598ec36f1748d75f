# Notices about sign-ups, by email and direct message (French, the reference).

## Subject and first sentence of each notice

mail-pending_subject = Demande reçue : { $title }
mail-pending_lead = Votre demande d'inscription à « { $title } » avec { $association } est bien reçue. L'association va vous répondre.
mail-confirmed_subject = Inscription confirmée : { $title }
mail-confirmed_lead = Votre inscription à « { $title } » avec { $association } est confirmée. Merci !
mail-refused_subject = Inscription non retenue : { $title }
mail-refused_lead = Votre demande d'inscription à « { $title } » avec { $association } n'a pas été retenue.
mail-withdrawn_subject = Désinscription enregistrée : { $title }
mail-withdrawn_lead = Votre inscription à « { $title } » avec { $association } est annulée : vous n'êtes plus attendu·e sur ce créneau.
mail-slot_cancelled_subject = Créneau annulé : { $title }
mail-slot_cancelled_lead = L'association { $association } a annulé le créneau de « { $title } » auquel vous étiez inscrit·e : votre inscription est donc annulée. Désolé !
mail-slot_moved_subject = Créneau modifié : { $title }
mail-slot_moved_lead = L'horaire de votre créneau pour « { $title } » avec { $association } a changé. Voici le nouvel horaire ; si vous ne pouvez plus venir, merci de vous désinscrire sur la page de la mission.
mail-mission_cancelled_subject = Mission annulée : { $title }
mail-mission_cancelled_lead = L'association { $association } a annulé la mission « { $title } » : vous n'êtes plus attendu·e.
mail-reminder_subject = Rappel : { $title }, { $when }
mail-reminder_lead = Petit rappel : vous êtes attendu·e pour « { $title } » avec { $association }. Merci de votre venue !
mail-message_subject = Message de { $association } : { $title }
mail-message_lead = { $association } écrit aux personnes inscrites à « { $title } » :

## Direct messages to people signing up with a fediverse account (HTML is added around them;
## `{ $link }` is the link, `{ $page }` the mission's address)

mail-fedi_link_intro = Bonjour ! Vous avez demandé à vous inscrire à « { $title } » avec { $association }, le { $when }.
mail-fedi_link_open = Pour confirmer, ouvrez ce lien (valable 48 heures) : { $link }
mail-fedi_link_ignore = Si vous n'avez rien demandé, ignorez simplement ce message.
mail-fedi_reply_thanks = Merci pour votre message : { $association } l'a bien reçu.
mail-fedi_reply_link = Pour vous inscrire à « { $title } », le { $when }, ouvrez ce lien (valable 48 heures) : { $link }
mail-fedi_reply_no_slot = Merci pour votre message : { $association } l'a bien reçu. « { $title } » n'a pas de créneau ouvert aux inscriptions pour le moment.
mail-fedi_accepted = C'est confirmé : vous êtes inscrit·e à « { $title } » avec { $association }, le { $when }. Merci ! { $page }
mail-fedi_pending = Votre demande pour « { $title } » avec { $association }, le { $when }, est bien reçue. L'association va vous répondre.
mail-fedi_rejected = Votre demande pour « { $title } », le { $when }, n'a pas été retenue.
mail-fedi_rejected_reason = Votre demande pour « { $title } », le { $when }, n'a pas été retenue. L'association précise : { $reason }
mail-fedi_slot_cancelled = Le créneau du { $when } pour « { $title } » est annulé : votre inscription l'est aussi. Désolé !
mail-fedi_withdrawn = Votre inscription à « { $title } », le { $when }, est annulée.

## The rest of a notice

mail-hello = Bonjour,
mail-hello_person = Bonjour { $person },
mail-reason_given = Motif indiqué : { $reason }
mail-when = Quand :
mail-where = Où :
mail-page = Mission :
mail-new_time = Nouvel horaire :
mail-footer = Ce message automatique vous est envoyé parce que vous vous êtes inscrit·e à cette mission.

## Notices about reservations of equipment ("2 × Tables pliantes")

mail-rsv_requested_subject = Demande de prêt : { $quantity } × { $item }
mail-rsv_requested_lead = { $borrower } demande à emprunter { $quantity } × { $item }. Répondez sur la page de la réservation.
mail-rsv_accepted_subject = Réservation acceptée : { $quantity } × { $item }
mail-rsv_accepted_lead = { $owner } a accepté votre demande de { $quantity } × { $item }. La convention de prêt est prête à être acceptée en ligne.
mail-rsv_refused_subject = Réservation refusée : { $quantity } × { $item }
mail-rsv_refused_lead = { $owner } n'a pas accepté votre demande de { $quantity } × { $item }.
mail-rsv_cancelled_subject = Réservation annulée : { $quantity } × { $item }
mail-rsv_cancelled_lead = La réservation de { $quantity } × { $item } entre { $owner } et { $borrower } est annulée.
mail-rsv_pickup_soon_subject = Retrait demain : { $quantity } × { $item }
mail-rsv_pickup_soon_lead = { $quantity ->
    [one] Petit rappel : { $quantity } × { $item } prêté par { $owner } à { $borrower } est retiré bientôt.
   *[other] Petit rappel : { $quantity } × { $item } prêtés par { $owner } à { $borrower } sont retirés bientôt.
}
mail-rsv_return_soon_subject = Retour demain : { $quantity } × { $item }
mail-rsv_return_soon_lead = { $quantity ->
    [one] Petit rappel : { $quantity } × { $item } prêté par { $owner } à { $borrower } doit être rendu bientôt.
   *[other] Petit rappel : { $quantity } × { $item } prêtés par { $owner } à { $borrower } doivent être rendus bientôt.
}
mail-rsv_overdue_subject = En retard : { $quantity } × { $item }
mail-rsv_overdue_lead = { $quantity ->
    [one] { $quantity } × { $item } prêté par { $owner } à { $borrower } devait être rendu et n'est pas noté comme rendu.
   *[other] { $quantity } × { $item } prêtés par { $owner } à { $borrower } devaient être rendus et ne sont pas notés comme rendus.
}
mail-rsv_reason = Motif indiqué :
mail-rsv_page = Réservation :
mail-remote = à distance

## Emails about an account ($link: the page to open, $hours: how long the link works)

mail-acc_footer = Ce message automatique vient de { $instance }. Si vous n'êtes pas à l'origine de cette demande, vous pouvez l'ignorer.
mail-acc_confirm_subject = Confirmez votre adresse e-mail sur { $instance }
mail-acc_confirm_body = Bienvenue ! Pour confirmer votre adresse et pouvoir vous inscrire aux créneaux des associations, ouvrez ce lien puis appuyez sur « Confirmer mon adresse » :

    { $link }

    Le lien marche { $hours } heures, une seule fois.
mail-acc_new_address_subject = Confirmez votre nouvelle adresse e-mail sur { $instance }
mail-acc_new_address_body = Vous avez demandé que votre compte utilise désormais cette adresse. Pour terminer, ouvrez ce lien puis appuyez sur « Confirmer mon adresse » :

    { $link }

    Le lien marche { $hours } heures, une seule fois.
mail-acc_address_changing_subject = Changement d'adresse demandé sur { $instance }
mail-acc_address_changing_body = Quelqu'un connecté à votre compte a demandé à le faire passer à une autre adresse e-mail. Votre compte garde cette adresse-ci tant que la nouvelle n'est pas confirmée. Si ce n'est pas vous, changez votre mot de passe : { $link }
mail-acc_address_in_use_subject = Tentative d'inscription avec votre adresse sur { $instance }
mail-acc_address_in_use_body = Quelqu'un a essayé de créer un compte (ou d'y mettre cette adresse) avec l'adresse { $address }, qui est déjà celle d'un compte. Si c'était vous, connectez-vous avec votre compte existant ; mot de passe oublié : { $link }
mail-acc_reset_subject = Nouveau mot de passe sur { $instance }
mail-acc_reset_body = Pour choisir un nouveau mot de passe, ouvrez ce lien :

    { $link }

    Le lien marche { $hours ->
        [one] une heure
       *[other] { $hours } heures
    }, une seule fois. Vos connexions ouvertes seront fermées.
mail-acc_approved_subject = Votre compte est accepté sur { $instance }
mail-acc_approved_body = Bonne nouvelle : votre compte est accepté. Vous pouvez vous connecter : { $link }
mail-acc_refused_subject = Votre compte n'est pas accepté sur { $instance }
mail-acc_refused_body = Un·e administrateur·rice du site n'a pas accepté votre compte. Pour en savoir plus, contactez le site : { $link }
## Associations coming in (issue 14)

mail-association_approved_subject = Votre association { $name } est ouverte sur { $instance }
mail-association_approved_body = Bonjour,

    Votre demande est acceptée : l'association { $name } a désormais sa page sur { $instance }, et vous en êtes coordinateur·rice.

    { $page }

    Depuis ses réglages, vous pouvez compléter sa page et inviter d'autres membres.
mail-association_refused_subject = Votre demande pour { $name } sur { $instance }
mail-association_refused_body = Bonjour,

    Votre demande de nouvelle association, { $name }, n'a pas été acceptée. La raison donnée par les administrateur·rices :

    { $reason }

    Vous pouvez envoyer une nouvelle demande : { $page }
mail-invitation_subject = Invitation à rejoindre { $association }
mail-invitation_body = Bonjour,

    { $association } vous invite à la rejoindre sur { $instance } en tant que { $role }.

    Pour accepter, suivez ce lien (il sert une fois, jusqu'au { $until }) :
    { $link }

    Si vous n'y avez pas encore de compte, la page vous proposera d'en créer un avec cette adresse e-mail.

## Coordinators' messages and text messages (SMS)

mail-mass_subject = Message de { $association }
mail-mass_lead = { $association } vous écrit :
mail-mass_footer = Ce message vous est envoyé par { $association } parce que vous êtes inscrit·e à l’une de ses missions.
mail-mass_footer_node = Ce message vous est envoyé par { $association } parce que vous coordonnez une association inscrite sur ce site.
mail-sms_stop = Répondez STOP pour ne plus en recevoir.
mail-sms_reminder = rappel : votre créneau "{ $title }", { $when }. Merci !
mail-sms_code = Votre code Entraide : { $code } (valable 30 minutes).
# "Aidez-moi à trouver": a référent's proposal.
mail-help_proposal_subject = { $count ->
    [one] Une mission bénévole pour vous sur { $instance }
   *[other] { $count } missions bénévoles pour vous sur { $instance }
}
mail-help_proposal_body = Vous avez demandé de l'aide pour trouver une mission bénévole. Voici { $count ->
    [one] une mission qui pourrait vous convenir
   *[other] des missions qui pourraient vous convenir
} :
mail-help_proposal_how = Chaque lien mène à la mission et au créneau choisi pour vous ; un bouton suffit pour vous inscrire (si vous n'avez pas encore de compte, la page vous propose d'en créer un). Les liens marchent { $days } jours.
mail-help_proposal_sms = { $instance } : { $person }, voici { $count ->
    [one] une mission bénévole
   *[other] des missions bénévoles
} pour vous (liens valables { $days } jours) :
mail-help_footer = Ce message vient de { $instance }, en réponse à votre demande d'accompagnement. Pour ne plus être contacté·e, dites-le simplement à la personne qui vous accompagne.
