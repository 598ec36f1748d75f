# Words of the calendar pages (French, the reference).
cal-calendar = Calendrier
cal-equipment_feeds = Les réservations de matériel de vos associations
cal-equipment_feeds_intro = La même adresse, pour chaque association dont vous êtes responsable : ce qu'elle prête et ce qu'elle emprunte.
cal-subscribe_equipment = S'abonner aux réservations de
cal-calendar_of = Calendrier des créneaux
cal-change_period = Changer de période
cal-display = Affichage :
cal-month_view = Par mois
cal-week_view = Par semaine
cal-prev_month = Mois précédent
cal-next_month = Mois suivant
cal-this_month = Ce mois-ci
cal-prev_week = Semaine précédente
cal-next_week = Semaine suivante
cal-this_week = Cette semaine
cal-today = aujourd'hui
cal-no_slot_month = Aucun créneau ce mois-ci.
cal-no_slot_week = Aucun créneau cette semaine.
cal-no_slot_day = Aucun créneau ce jour-là.
cal-cancelled = Annulé
cal-subscribe = Ajouter ces créneaux à votre agenda
cal-subscribe_text = Abonnez l'agenda de votre téléphone ou de votre ordinateur à cette adresse : les nouveaux créneaux y apparaîtront d'eux-mêmes.
cal-subscribe_link = S'abonner dans mon agenda
cal-feed_address = Adresse de l'agenda :
cal-download = Télécharger le fichier agenda (.ics)
cal-back_association = Retour à l'association
cal-my_calendar = Mon agenda de bénévole
cal-my_calendar_intro = Retrouvez vos créneaux (acceptés ou en attente de réponse), sur ce site et sur les autres, dans l'agenda de votre téléphone ou de votre ordinateur.
cal-my_calendar_secret = Cette adresse est secrète : toute personne qui la connaît voit vos créneaux. Elle n'est affichée qu'une seule fois : copiez-la maintenant dans votre agenda.
cal-my_calendar_lost = Pour votre sécurité, elle ne peut pas être affichée à nouveau. Si vous l'avez perdue, créez-en une nouvelle : l'ancienne cessera de fonctionner.
cal-your_address = Votre adresse d'agenda
cal-make_address = Créer mon adresse d'agenda
cal-new_address = Créer une nouvelle adresse
cal-address_made = Vous avez créé votre adresse d'agenda le { $date }.

## A period that cannot be read in the address (`{ $value }`: what was typed)

cal-bad_period = Cette période ne peut pas être affichée
cal-bad_month = « { $value } » n'est pas un mois. Écrivez l'année puis le mois, par exemple ?month=2030-06.
cal-bad_week = « { $value } » n'est pas une date. Écrivez un jour de la semaine, par exemple ?view=week&week=2030-06-10.
cal-bad_view = « { $value } » n'est pas un affichage connu : choisissez view=month ou view=week.

## The iCalendar feeds (calendar software shows these)

cal-feed_association = Créneaux bénévoles de { $association } sur { $site }
cal-feed_mine = Mes créneaux – { $site }
cal-feed_mine_about = Les créneaux bénévoles de { $person }
cal-feed_places = { $remaining ->
    [0] complet
    [one] { $remaining } place restante sur { $capacity }
   *[other] { $remaining } places restantes sur { $capacity }
}
cal-feed_cancelled = Ce créneau est annulé.
cal-feed_pending = Votre inscription attend la réponse de l'association.
cal-week = Semaine du { $start } au { $end }
