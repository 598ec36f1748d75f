# Refusals and errors, as codes from the domain and services, in words (English).

## Why a volunteer cannot take a slot

err-refusal_full = this slot is full
err-refusal_overlaps = you are already signed up for another slot at that time
err-refusal_closed = sign-ups for this mission are closed
err-refusal_over = this slot is over
err-refusal_already_signed_up = you are already signed up for this slot
