# Notices about sign-ups, by email and direct message (English).

## Subject and first sentence of each notice

mail-pending_subject = Request received: { $title }
mail-pending_lead = Your request to take part in “{ $title }” with { $association } has been received. The association will answer you.
mail-confirmed_subject = Sign-up confirmed: { $title }
mail-confirmed_lead = Your sign-up for “{ $title }” with { $association } is confirmed. Thank you!
mail-refused_subject = Sign-up not accepted: { $title }
mail-refused_lead = Your request for “{ $title }” with { $association } was not accepted.
mail-withdrawn_subject = Sign-up cancelled: { $title }
mail-withdrawn_lead = Your sign-up for “{ $title }” with { $association } is cancelled: you are no longer expected on this slot.
mail-slot_cancelled_subject = Slot cancelled: { $title }
mail-slot_cancelled_lead = The association { $association } cancelled the slot of “{ $title }” you signed up for, so your sign-up is cancelled too. Sorry!
mail-slot_moved_subject = Slot changed: { $title }
mail-slot_moved_lead = The time of your slot for “{ $title }” with { $association } has changed. Here is the new time; if you can no longer come, please withdraw on the mission's page.
mail-mission_cancelled_subject = Mission cancelled: { $title }
mail-mission_cancelled_lead = The association { $association } cancelled the mission “{ $title }”: you are no longer expected.
mail-reminder_subject = Reminder: { $title }, { $when }
mail-reminder_lead = A reminder: you are expected for “{ $title }” with { $association }. Thank you for coming!
mail-message_subject = Message from { $association }: { $title }
mail-message_lead = { $association } writes to the people signed up for “{ $title }”:

## Direct messages to people signing up with a fediverse account (HTML is added around them;
## `{ $link }` is the link, `{ $page }` the mission's address)

mail-fedi_link_intro = Hello! You asked to sign up for “{ $title }” with { $association }, on { $when }.
mail-fedi_link_open = To confirm, open this link (valid for 48 hours): { $link }
mail-fedi_link_ignore = If you did not ask for anything, just ignore this message.
mail-fedi_reply_thanks = Thank you for your message: { $association } has received it.
mail-fedi_reply_link = To sign up for “{ $title }”, on { $when }, open this link (valid for 48 hours): { $link }
mail-fedi_reply_no_slot = Thank you for your message: { $association } has received it. “{ $title }” has no slot open for sign-up at the moment.
mail-fedi_accepted = It is confirmed: you are signed up for “{ $title }” with { $association }, on { $when }. Thank you! { $page }
mail-fedi_pending = Your request for “{ $title }” with { $association }, on { $when }, has been received. The association will answer you.
mail-fedi_rejected = Your request for “{ $title }”, on { $when }, was not accepted.
mail-fedi_rejected_reason = Your request for “{ $title }”, on { $when }, was not accepted. The association says: { $reason }
mail-fedi_slot_cancelled = The slot of { $when } for “{ $title }” is cancelled: your sign-up is cancelled too. Sorry!
mail-fedi_withdrawn = Your sign-up for “{ $title }”, on { $when }, is cancelled.

## The rest of a notice

mail-hello = Hello,
mail-hello_person = Hello { $person },
mail-reason_given = Reason given: { $reason }
mail-when = When:
mail-where = Where:
mail-page = Mission:
mail-new_time = New time:
mail-footer = This automatic message was sent to you because you signed up for this mission.

## Notices about reservations of equipment ("2 × Folding tables")

mail-rsv_requested_subject = Request for { $quantity } × { $item }
mail-rsv_requested_lead = { $borrower } asks to borrow { $quantity } × { $item }. Answer on the reservation's page.
mail-rsv_accepted_subject = Reservation accepted: { $quantity } × { $item }
mail-rsv_accepted_lead = { $owner } accepted your request for { $quantity } × { $item }. The lending agreement is ready to be accepted online.
mail-rsv_refused_subject = Reservation refused: { $quantity } × { $item }
mail-rsv_refused_lead = { $owner } did not accept your request for { $quantity } × { $item }.
mail-rsv_cancelled_subject = Reservation cancelled: { $quantity } × { $item }
mail-rsv_cancelled_lead = The reservation of { $quantity } × { $item } between { $owner } and { $borrower } is cancelled.
mail-rsv_pickup_soon_subject = Pickup tomorrow: { $quantity } × { $item }
mail-rsv_pickup_soon_lead = { $quantity ->
    [one] A reminder: { $quantity } × { $item } lent by { $owner } to { $borrower } is picked up soon.
   *[other] A reminder: { $quantity } × { $item } lent by { $owner } to { $borrower } are picked up soon.
}
mail-rsv_return_soon_subject = Return tomorrow: { $quantity } × { $item }
mail-rsv_return_soon_lead = { $quantity ->
    [one] A reminder: { $quantity } × { $item } lent by { $owner } to { $borrower } is due back soon.
   *[other] A reminder: { $quantity } × { $item } lent by { $owner } to { $borrower } are due back soon.
}
mail-rsv_overdue_subject = Overdue: { $quantity } × { $item }
mail-rsv_overdue_lead = { $quantity ->
    [one] { $quantity } × { $item } lent by { $owner } to { $borrower } was due back and is not recorded as returned.
   *[other] { $quantity } × { $item } lent by { $owner } to { $borrower } were due back and are not recorded as returned.
}
mail-rsv_reason = Reason given:
mail-rsv_page = Reservation:
mail-remote = remote

## Emails about an account ($link: the page to open, $hours: how long the link works)

mail-acc_footer = This automatic message comes from { $instance }. If you did not ask for it, you may ignore it.
mail-acc_confirm_subject = Confirm your email address on { $instance }
mail-acc_confirm_body = Welcome! To confirm your address and sign up for the associations' time slots, open this link and press "Confirm my address":

    { $link }

    The link works for { $hours } hours, once.
mail-acc_new_address_subject = Confirm your new email address on { $instance }
mail-acc_new_address_body = You asked for your account to use this address from now on. To finish, open this link and press "Confirm my address":

    { $link }

    The link works for { $hours } hours, once.
mail-acc_address_changing_subject = Change of address asked on { $instance }
mail-acc_address_changing_body = Someone logged in to your account asked to move it to another email address. Your account keeps this address until the new one is confirmed. If it was not you, change your password: { $link }
mail-acc_address_in_use_subject = Registration attempt with your address on { $instance }
mail-acc_address_in_use_body = Someone tried to create an account (or to move one) with the address { $address }, which an account uses already. If it was you, log in with your existing account; forgot your password: { $link }
mail-acc_reset_subject = New password on { $instance }
mail-acc_reset_body = To choose a new password, open this link:

    { $link }

    The link works for { $hours ->
        [one] one hour
       *[other] { $hours } hours
    }, once. Your open sessions will be closed.
mail-acc_approved_subject = Your account is accepted on { $instance }
mail-acc_approved_body = Good news: your account is accepted. You can log in: { $link }
mail-acc_refused_subject = Your account is not accepted on { $instance }
mail-acc_refused_body = An administrator of the site did not accept your account. To know more, contact the site: { $link }
## Associations coming in (issue 14)

mail-association_approved_subject = Your association { $name } is open on { $instance }
mail-association_approved_body = Hello,

    Your request is approved: the association { $name } now has its page on { $instance }, and you are its coordinator.

    { $page }

    From its settings you can complete its page and invite other members.
mail-association_refused_subject = Your request for { $name } on { $instance }
mail-association_refused_body = Hello,

    Your request for a new association, { $name }, was not approved. The administrators' reason:

    { $reason }

    You may send a new request: { $page }
mail-invitation_subject = Invitation to join { $association }
mail-invitation_body = Hello,

    { $association } invites you to join it on { $instance } as { $role }.

    To accept, follow this link (it works once, until { $until }):
    { $link }

    If you have no account there yet, the page will offer to create one with this email address.

## Coordinators' messages and text messages (SMS)

mail-mass_subject = Message from { $association }
mail-mass_lead = { $association } writes to you:
mail-mass_footer = { $association } sends you this message because you signed up for one of its missions.
mail-mass_footer_node = { $association } sends you this message because you coordinate an association on this site.
mail-sms_stop = Reply STOP to stop
mail-sms_reminder = reminder: your slot "{ $title }", { $when }. Thank you!
mail-sms_code = Your Entraide code: { $code } (valid for 30 minutes).
# "Aidez-moi à trouver": a référent's proposal.
mail-help_proposal_subject = { $count ->
    [one] A volunteering mission for you on { $instance }
   *[other] { $count } volunteering missions for you on { $instance }
}
mail-help_proposal_body = You asked for help in finding a volunteering mission. Here { $count ->
    [one] is a mission that may suit you
   *[other] are missions that may suit you
}:
mail-help_proposal_how = Each link leads to the mission and to the slot chosen for you; one button signs you up (if you have no account yet, the page offers to create one). The links work for { $days } days.
mail-help_proposal_sms = { $instance }: { $person }, { $count ->
    [one] a volunteering mission
   *[other] volunteering missions
} for you (links valid for { $days } days):
mail-help_footer = This message comes from { $instance }, in answer to your request for help. To be contacted no more, just tell the person who accompanies you.
