# Refusals and errors, as codes from the domain and services, in words (French, the reference).

## Why a volunteer cannot take a slot

err-refusal_full = ce créneau est complet
err-refusal_overlaps = vous êtes déjà inscrit·e sur un autre créneau à ce moment-là
err-refusal_closed = les inscriptions à cette mission sont fermées
err-refusal_over = ce créneau est terminé
err-refusal_already_signed_up = vous êtes déjà inscrit·e sur ce créneau
