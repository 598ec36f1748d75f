# Words of the site pages (English).

## Layout

skip = Skip to main content
menu = Main menu
home = Home
back_home = Back to the home page
login = Log in
logout = Log out
account = Account:
language = Français
footer = Entraide: volunteer missions between associations, as free software.
api_for_developers = API for developers

## Home

associations = The associations
no_associations = No association has signed up here yet.
directory_title = All the associations
directory_end = There is no association after these.
directory_pages = Pages of the directory
directory_first = Back to the start
directory_next = Next associations
directory_all = See all the associations
upcoming = Upcoming missions
no_missions = No upcoming mission for now. Come back soon!
neighbours = Missions from neighbouring associations
neighbours_intro = These missions come from associations on other Entraide sites linked to this one.
my_associations = My associations
no_my_associations = You do not coordinate any association on this site yet.

## Association

follow_title = Follow this association from Mastodon
follow_step1 = Open Mastodon, or another fediverse app such as Mobilizon.
follow_step2 = In the search, type or paste this address:
follow_step3 = Tap “Follow”: its new missions will appear in your timeline.
follow_short = To get its next missions on Mastodon, follow
publish = Publish a mission

## Mission

when = When
where = Where
places = Places
category = Category
skills = Skills
no_skills = No particular skill
signup = Sign-up
signup_free = Direct, no approval needed
signup_restricted = After the association agrees
contact = Contact
good_to_know = Good to know
reduced_mobility = Accessible to people with reduced mobility
open_to_minors = Open to minors
commitment = Commitment
remote = Remote
published_by = Offered by
remote_note = This mission comes from another Entraide site. To take part, go to its home site.
original = See the mission on its home site
cancelled = Cancelled
cancelled_text = This mission is cancelled.
published_ok = Your mission is published. The association's followers will receive it in a few moments.
gone = This mission was deleted by the association.

## Time slots and sign-ups (mission page, "Mes créneaux")

slots = Time slots
no_slots = No time slot yet.
no_open_slot = No open slot
sign_up = Sign me up
login_to_sign_up = Log in to sign up
withdraw = Leave this slot
slot_cancelled = Cancelled
slot_over = Over
your_signup = Your sign-up:
status = Status
reason = Reason
st_accepted = confirmed
st_pending = waiting for the association
st_rejected = declined by the association
st_withdrawn = withdrawn
st_slot_cancelled = slot cancelled by the association
signup_impossible = Sign-up not possible
remote_signup_note = This mission comes from another Entraide site: your request is sent there, and the association answers from its site.
done_signed_up = You are signed up. Thank you! The association is counting on you.
done_pending = Request sent, waiting for the association. Its answer will show in “My slots”.
done_withdrawn = You have left this slot: your place is free again.
done_help_in_progress = You are following this request.
done_help_placed = Request marked as placed. Well done!
done_help_closed = Request closed.
done_help_noted = Note added.
done_help_deleted = Request erased, with its notes and proposals.
done_referent_added = Référent role given.
done_referent_removed = Référent role taken back.
refused_full = This slot is full: no place is left.
refused_overlaps = You are already signed up for another slot at that time.
refused_closed = Sign-ups for this slot are closed (mission or slot cancelled, or mission not published yet).
refused_over = This slot is already over.
refused_already = You are already signed up for this slot.
refused_inactive = This sign-up is no longer active: nothing changed.
refused_not_pending = This request was already answered: nothing changed.
my_space = My volunteer space
my_slots = My slots
my_slots_intro = The slots you signed up for, or asked for.
upcoming_slots = Upcoming
past_slots = Past
no_my_slots = You have no upcoming slot. Some ideas:
no_past_slots = No past slot.

## Profile and matches

my_profile = My profile
my_matches = Missions for me
profile_title = My volunteer profile
profile_intro = This helps us suggest missions that suit you. It stays private, unless you agree to be suggested to associations (at the bottom of the page).
skills_profile_hint = What you can or like to do, separated by commas. Example: cooking, welcoming, accounting.
availability = When I am available
availability_hint = Tick the times of the week when you are often free.
day = Day
morning = morning
afternoon = afternoon
evening = evening
home_area = Where I live
home_town_hint = Example: Brest.
coordinates_hint = Optional. To know how far missions are, also give the latitude and longitude of your home: on openstreetmap.org, right-click on your street, then “Show address”. Example: 48.39 and -4.49.
latitude = Latitude
longitude = Longitude
travel_km = How far I will travel (km)
travel_km_hint = Leave empty if distance does not matter to you.
interests = Categories I care about
suggestable_legend = Being suggested to associations
suggestable = Associations may suggest missions to me
suggestable_hint = If you tick this box, the coordinators of this site's associations see your user name, your skills and why you would fit, for missions that suit you. Otherwise your profile stays private.
save_profile = Save my profile
done_profile_saved = Your profile is saved.
see_matches = See missions for me
matches_intro = The upcoming missions that suit you best according to your profile: distance, skills, availability.
fill_profile = Fill in your profile for better suggestions.
fill_profile_link = Fill in my profile
why = Why
no_matches = No mission suits you for now. Come back soon, or widen the distance in your profile.

## Coordinators: dashboard, slots, mission form

dashboard = Dashboard
manage = Manage the mission
add_slots = Add time slots
edit_mission = Edit the mission
mission_word = Mission
for_mission = For the mission
mission_draft = Draft
mission_published = Published
mission_closed = Over
mission_cancelled = Cancelled
draft_text = This mission is a draft: only coordinators see it, and it is not sent to followers.
action_impossible = Could not do this
pending_requests = Sign-ups to accept or refuse
no_pending = No sign-up waiting.
their_message = Their message
accept = Accept
refuse = Decline
refuse_reason = Reason (optional, sent to the person)
dash_missions = Upcoming missions and drafts
no_dash_missions = No upcoming mission. Publish one!
publish_now = Publish
no_participants = Nobody has signed up yet.
kind_user = account on this site
kind_remote = fediverse account
kind_guest = no account
co_pending = waiting
co_accepted = signed up
guest_title = Sign up someone without an account
guest_name = Name
guest_contact = Phone or email
guest_button = Sign this person up
cancel_slot = Cancel this slot
cancel_slot_title = Cancel this slot?
cancel_slot_text = The people signed up will be told, and their sign-up withdrawn. This cannot be undone.
cancel_slot_yes = Yes, cancel the slot
cancel_slot_no = No, back to the dashboard
slot_already_cancelled = This slot is already cancelled.
back_dashboard = Back to the dashboard
suggestions = Volunteers who may fit
done_accepted = Request accepted: the person is told.
done_declined = Request declined: the person is told.
done_guest_added = The person is signed up.
done_message_sent = Your message was sent to the people signed up (email or private message).
refused_message_empty = The message is empty or too long (5,000 characters at most): nothing was sent.
interests_title = Interest shown on the fediverse
interests_link = see the reply
message_title = Write to the people signed up
message_label = Your message (sent by email, or as a private message on the fediverse)
message_button = Send the message
done_slot_cancelled = Slot cancelled: the people signed up are told.
done_published = Mission published: the association's followers will receive it in a few moments.
done_draft_saved = Draft saved. Add time slots to it, then publish it when it is ready.
done_mission_saved = Changes saved.
one_slot = One slot
weekly_slots = Several slots, every week
weekly_hint = For example: every Saturday morning in March. A slot is made for each ticked day between the two dates.
within_dates = Slots must fall within the mission's dates:
slot_date = Date
slot_start = Start time
slot_end = End time
slot_capacity = Number of places
rule_from = First day
rule_to = Last day
rule_days = On these days
rule_days_hint = If you tick no day, there will be a slot every day.
rule_capacity_hint = For each slot.
add_slot_button = Add this slot
add_rule_button = Add these slots
rhythm = Rhythm
one_off = One-off (on a given date)
regular = Regular (an ongoing commitment)
commitment_hint = For a regular mission, the time asked: for example 2 hours per week.
commitment_time = Time asked
hours = hours
minutes = minutes
per = Per
per_week = week
per_month = month
save_draft = Save as draft
save_changes = Save the changes
draft_hint = A draft is seen by coordinators only: you can publish it later from the dashboard.

## Login

login_intro = Log in with your user name (or your email address) and your password.
name = User name
password = Password
login_failed = Wrong user name or password. Check capital letters, then try again.
login_braked = Too many attempts for this account or from this connection. Try again in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}.
name_or_email = User name or email address

## Mission form

publish_for = For the association
required = required
title = Mission title
title_hint = In a few words, what volunteers will do. Example: Welcoming at the grocery.
description = Description
description_hint = How it goes, what to bring, whom to ask on site. Leave an empty line between two paragraphs.
start = Start (date and time)
end = End (date and time)
place = Place
online = Remote mission (no place)
place_name = Name of the place
place_name_hint = Example: Village hall.
street = Street address
postal_code = Postal code
locality = Town
locality_hint = Required, except for a remote mission.
capacity = Number of volunteers wanted
capacity_hint = A first slot opens with the mission, at its dates, with this number of places. Leave empty if there is no limit: you will add slots afterwards.
repeat_weeks = Repeat this slot every week, for (number of weeks)
repeat_weeks_hint = 1: only once. For example 4 for the same day and hours during four weeks (52 at most); the mission then ends with the last slot.
skills_hint = Separated by commas. Example: cooking, welcoming. Leave empty if none is needed.
contact_hint = Whom to ask: name, phone or email. Visible to everyone.
signup_legend = How volunteers sign up
save = Publish the mission
cancel = Cancel

## Sign-up with a fediverse (Mastodon) account

fedi_title = Do you have an account on Mastodon or elsewhere on the fediverse?
fedi_intro = Give your address, for example @you@mastodon.social: we will send you a private message with a link to confirm your sign-up.
fedi_slot = Slot on
fedi_your_address = your address
fedi_send = Get the confirmation link
fedi_for = For the mission
fedi_back_mission = Back to the mission
fedi_sent_title = Check your private messages
fedi_sent_text = We have sent you a private message on your account: click the link to confirm.
fedi_sent_account = Your account:
fedi_sent_hint = The message may take a minute to arrive. The link is valid for 48 hours and works only once.
fedi_mission = Mission
fedi_association = Association
fedi_account = Your account
fedi_confirm_title = Confirm your sign-up
fedi_confirm_text = Check these details, then press the button to confirm.
fedi_confirm_button = I confirm my sign-up
fedi_confirm_ignore = If you did not ask for anything, just close this page: nothing will be recorded.
fedi_accepted_title = It is confirmed!
fedi_accepted_text = You are signed up. Thank you! The association is counting on you.
fedi_pending_title = Request sent
fedi_pending_text = Your request is recorded. The association will look at it and answer you by private message.
fedi_refused_title = Sign-up not possible
fedi_gone_title = Link already used or expired
fedi_gone_text = This link was already used, or it has expired (it is valid for 48 hours). To sign up, go back to the mission page and give your address again.
fedi_err_empty = Give your fediverse address, for example @you@mastodon.social.
fedi_err_shape = This address does not look right. It looks like @you@mastodon.social: your name, then @, then the name of your server.
fedi_err_too_long = This address is too long: please check it.
fedi_err_local = This address is an account of this site: log in to sign up directly.
fedi_err_blocked = This site does not exchange with the server of this address.
fedi_err_not_found = We could not find this account. Check the address (it is written on your Mastodon profile), then try again.
fedi_err_unreachable = The server of this address does not answer. Check the address, or try again in a few minutes.
fedi_err_not_person = This address is not a person's (it may be an association or a server).
fedi_err_too_many = Several messages were already sent to this account within the hour. Check your private messages, or try again later.

## Errors

not_found = Page not found
not_found_text = This page does not exist, or no longer does. Check the address, or start again from the home page.
bad_request = Incomplete or mistyped address
bad_request_text = One of the parameters of this address (after the “?”) does not have the expected form. Check the address, or go back to the previous page.
method_not_allowed = Not possible at this address
method_not_allowed_text = This page exists, but does not take this action (perhaps a form sent to the wrong address). Go back to the previous page.
forbidden = Access denied
forbidden_text = Only the association's coordinators can see this page and manage its missions.
csrf_failed = Form expired
csrf_failed_text = This form has expired or does not come from this site. Go back, reload the page, then try again.
conflict = No longer possible
conflict_text = This is no longer possible: the page may have changed meanwhile.
error = Error

## French puts a (non-breaking) space before a colon, English does not.

colon = :
error_text = The site cannot answer right now. Please try again in a moment.

## Calendars (the rest of their words are in calendar.rs)

my_calendar = My calendar

## Volunteer hours (the rest of their words are in hours.rs)

my_hours = My hours
my_tokens = My access
tokens_intro = Each app you connect to your account (a phone app, a script) gets its own access token. Revoke the token of an app you no longer use: it loses access at once.
tokens_list = Your access tokens
tokens_label = App
tokens_created = Made on
tokens_revoke = Revoke
tokens_none = No app is connected to your account.
tokens_new_label = Name of the app (optional)
tokens_new = Make an access token
tokens_made = Your new access token
tokens_made_once = Copy it into your app now: it will not be shown again.
association_hours = Volunteer hours
see_calendar = See every slot in a calendar
equipment_link = The equipment the association lends
equipment_title = Equipment to share
equipment_home = Tables, tents, sound systems, vans, rooms…: see what is free on your dates and ask for it online.

## Counts: the number chooses the form

directory_count = { $n ->
    [0] No association is signed up here.
    [one] { $n } association is signed up here.
   *[other] { $n } associations are signed up here.
}
followers = { $n ->
    [one] { $n } follower
   *[other] { $n } followers
}
places_left = { $remaining ->
    [0] Full
    [one] { $remaining } place left of { $capacity }
   *[other] { $remaining } places left of { $capacity }
}
places_unlimited = No limit on places
places_taken = { $capacity ->
    [one] { $taken } of { $capacity } place taken
   *[other] { $taken } of { $capacity } places taken
}
slots_added = { $n ->
    [one] { $n } slot added.
   *[other] { $n } slots added.
}
people_told = { $n ->
    [0] Nobody has signed up: nobody needs to be told.
    [one] { $n } person signed up will be told.
   *[other] { $n } people signed up will be told.
}
form_errors = { $n ->
    [one] The form was not sent: one field needs fixing.
   *[other] The form was not sent: { $n } fields need fixing.
}
commitment_regular = { $period ->
    [month] Regular: { $amount } per month
   *[week] Regular: { $amount } per week
}

## Dates and times, written out

weekday_0 = Monday
weekday_1 = Tuesday
weekday_2 = Wednesday
weekday_3 = Thursday
weekday_4 = Friday
weekday_5 = Saturday
weekday_6 = Sunday
month_0 = January
month_1 = February
month_2 = March
month_3 = April
month_4 = May
month_5 = June
month_6 = July
month_7 = August
month_8 = September
month_9 = October
month_10 = November
month_11 = December
# How a decimal number separates its fraction: 12.5
decimal_separator = .
date_long = { $weekday } { $day } { $month } { $year }
time_of_day = { $hh }:{ $mm }
span_same_day = { $start_day }, { $start_time } to { $end_time }
span_days = from { $start_day }, { $start_time } to { $end_day }, { $end_time }
time_range = { $start }–{ $end }

## Short dates and a mission's summary line (federation, emails, feeds, the API)

weekday_short_0 = Mon
weekday_short_1 = Tue
weekday_short_2 = Wed
weekday_short_3 = Thu
weekday_short_4 = Fri
weekday_short_5 = Sat
weekday_short_6 = Sun
month_short_0 = Jan
month_short_1 = Feb
month_short_2 = Mar
month_short_3 = Apr
month_short_4 = May
month_short_5 = Jun
month_short_6 = Jul
month_short_7 = Aug
month_short_8 = Sep
month_short_9 = Oct
month_short_10 = Nov
month_short_11 = Dec
date_short = { $weekday } { $day } { $month } { $year }
span_short_same_day = { $start_day }, { $start_time }–{ $end_time }
span_short_days = { $start_day }, { $start_time } – { $end_day }, { $end_time }
summary_line = { $date } · { $place } · { $places }
summary_remote = remote
summary_places = { $remaining ->
    [0] full
    [one] { $remaining } place left of { $capacity }
   *[other] { $remaining } places left of { $capacity }
}
summary_unlimited = open to all
summary_cancelled = CANCELLED – { $line }

## Mission categories (domain codes)

category_solidarity = Solidarity, inclusion
category_environment = Environment
category_culture = Culture, leisure
category_sport = Sport
category_education = Education, training
category_health = Health, care
category_support = Support (accounting, communication…)
category_community = Local life, citizenship
category_emergency = Emergency, rescue
category_other = Other

## Why a mission suits a volunteer

match_remote = remote
match_distance_under_5 = less than 5 km
match_distance_from_5_to_15 = 5 to 15 km
match_distance_from_15_to_30 = 15 to 30 km
match_distance_further = more than 30 km
match_your_skills = { $n ->
    [one] your skill: { $list }
   *[other] your skills: { $list }
}
match_their_skills = { $n ->
    [one] skill: { $list }
   *[other] skills: { $list }
}
match_available = { $weekday } { $part }

# My data (issue 14)
my_data = My data
my_data_intro = Everything this site keeps about you is yours: you may take it with you or have it erased.
data_export = Take my data
data_export_text = A zip archive with a data.json file (your account, your profile, your associations and roles, your sign-ups, your hours, your attestations, the emails sent to you, your access tokens: their name and date only) and your documents (your attestations as PDF, your hours as CSV).
data_export_button = Download my data
delete_account = Delete my account
delete_account_text = Your email address, password, profile, access and sign-ups to come are erased (the places are freed). Hours already validated stay in the associations' accounts, under "former volunteer". Servers that follow you are told. Your user name stays reserved. This cannot be undone.
delete_password = Your password, to confirm
delete_button = Delete my account for good
delete_wrong_password = This is not your account's password: nothing was deleted.
delete_last_coordinator = { $n ->
    [one] You are the last coordinator of { $list }. Name another coordinator first, then delete your account.
   *[other] You are the last coordinator of these associations: { $list }. Name another coordinator in each first, then delete your account.
}
account_deleted = Account deleted
account_deleted_text = Your account and your personal data were erased. Thank you for your commitment.
former_volunteer = former volunteer
privacy = Privacy
privacy_intro = What { $node } keeps about you, for how long, and who sees it. This text describes what the software does; the association or person running this site is responsible for it.
privacy_account = Your account
privacy_account_text = Your user name, email address, password (only its hash, never the password itself) and the day it was made. Only you and the site's administrator see them. Kept until you delete your account.
privacy_sessions = Logins and access
privacy_sessions_text = A login lasts { $days } days (a session cookie, and a cookie for the language you chose: no other cookie, no tracker). Apps' access tokens and your calendar address are kept until you revoke them or delete your account; the site keeps only a hash of them.
privacy_profile = Your volunteer profile
privacy_profile_text = Your skills, availability, town and how far you are willing to travel are used to suggest missions. Coordinators see you in their suggestions only if you agreed, and see only a rough distance (less than 5 km, 5 to 15 km, 15 to 30 km, further), never your address.
privacy_activity = Sign-ups, hours and attestations
privacy_activity_text = Your sign-ups are seen by the coordinators of the association concerned; your hours and attestations by you and those coordinators. Validated hours are part of the association's accounts (the annual statement of volunteer contributions): if you delete your account, they stay, without your name. Every change of an hours entry is written to a history.
privacy_messages = Emails and messages
privacy_messages_text = The emails sent to you (confirmations, reminders) are kept with their text until you delete your account.
privacy_federation = The fediverse
privacy_federation_text = Your sign-ups to missions of other servers are sent to them (your identifier and your message). Activities exchanged with other servers are kept { $days } days, then erased. Of other servers' people, the site keeps the public profile of those who sign up or write here; when one of them deletes their account, their data is erased here the same way.
privacy_rights = Your rights
privacy_rights_text = From "My data" you take everything the site keeps about you (a zip archive) and delete your account. After the deletion, the key of your fediverse identity is erased once the last messages announcing it have left (at least { $hours } hour). For anything else, write to the site's administrator.

## The dashboard's work list (the number is shown before the words, larger)

work_title = To do
work_nothing = Nothing is waiting for an answer right now.
work_equipment = Equipment
work_reservations_page = Reservations
work_sign_ups = { $n ->
    [one] sign-up to accept or refuse
   *[other] sign-ups to accept or refuse
}
work_hours = { $n ->
    [one] hours record to validate
   *[other] hours records to validate
}
work_attestations = { $n ->
    [one] attestation to confirm
   *[other] attestations to confirm
}
work_reservations = { $n ->
    [one] reservation request to answer
   *[other] reservation requests to answer
}
work_pickups = { $n ->
    [one] loan to hand over within two days
   *[other] loans to hand over within two days
}
work_returns = { $n ->
    [one] return due within two days
   *[other] returns due within two days
}
work_overdue = { $n ->
    [one] overdue loan
   *[other] overdue loans
}

## The home page's tagline, when the administrator wrote no description

tagline = Volunteer missions and equipment shared between associations.

## Accounts: registration, links sent by email, "My account", administrators

register = Create my account
register_link = Create an account
register_intro = An account lets you sign up for the associations' time slots and find your sign-ups and volunteer hours again. We will send you an email to confirm your address.
register_approval = On this site, an administrator accepts each new account: you will get an email when it is done.
register_no_mail = This site cannot send emails yet: an administrator will confirm your address by hand. Meanwhile you can log in but not sign up for slots.
register_closed = Registration closed
register_closed_text = This site does not take new accounts for now. Ask the association or the site's administrators for an account.
register_submit = Create my account
register_have_account = Already have an account?
register_guide = Guide (in French): create my account, sign up, find my hours
register_sent = Account created: check your email
register_sent_text = If these details are right, an email is on its way with a link to confirm your address (it works for 48 hours). You can log in already; signing up for slots opens once the address is confirmed.
register_sent_approval = If these details are right, an email is on its way with a link to confirm your address (it works for 48 hours). An administrator must also accept your account: you will get an email when it is done.
register_sent_no_mail = Your request is recorded. This site cannot send emails yet: an administrator will confirm your address. You can log in already.
username = User name
username_hint = Public: it is part of your address on the fediverse. 1 to 40 lower-case letters without accents, digits, "-", "_" or ".".
full_name = Full name
full_name_hint = Optional and private: shown to the coordinators of the associations you work with, and printed on your attestations, lending agreements and hours statements (else your user name is).
display_name = Display name
display_name_hint = Public: the name others see next to your user name (else your user name).
email = Email address
email_hint = To confirm your account and recover your password. It is never shown.
password_hint = At least 8 characters. A sentence of a few words is easy to remember and hard to guess.
confirm_title = Confirm my email address
confirm_intro = Press the button to confirm that this address is yours.
confirm_submit = Confirm my address
confirmed = Address confirmed
confirmed_text = Thank you! Your email address is confirmed: you can sign up for the associations' time slots.
link_invalid = Link expired or already used
link_invalid_text = This link does not work any more: it was used already or it has expired. Ask for a new one (from "My account" or "Forgot your password?").
forgot_link = Forgot your password?
login_no_account = No account yet?
forgot_title = Forgot your password
forgot_intro = Give your account's email address: we will send a link there to choose a new password. It works for one hour, once.
forgot_no_mail = This site cannot send emails yet: ask an administrator of the site for a new password.
forgot_submit = Send me the link
forgot_sent = Check your email
forgot_sent_text = If an account uses this address, an email is on its way with a link to choose a new password. It works for one hour. Look in your spam folder too.
reset_title = Choose a new password
reset_intro = Choose your new password. You will be logged out everywhere else.
reset_submit = Save the new password
reset_done = Password changed
reset_done_text = Your new password is saved and all your open sessions are closed. You can log in.
new_password = New password
current_password = Current password
email_password = Current password
password_change_hint = At least 8 characters. Your other sessions will be closed.
my_account = My account
account_names = My names and language
acc_language = Language of my emails
acc_language_node = The site's
email_now = Current address
new_email = New email address
new_email_hint = We will send a link to the new address; the old one stays the account's until you follow it, and it is told.
change_email = Change address
change_password = Change password
resend_confirmation = Send the confirmation email again
acc_unconfirmed = Email address to confirm
acc_unconfirmed_text = Confirm your email address with the link we sent you to sign up for slots. Nothing came? Look in your spam folder, or ask for a new email.
acc_waiting = Account waiting
acc_waiting_text = An administrator of the site still has to accept your account. You will get an email when it is done.
acc_refused = Account refused
acc_refused_text = An administrator of the site did not accept this account.
acc_braked = Too many requests of this kind. Try again in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}.
login_email_unconfirmed = Your email address is not confirmed yet.
login_awaiting_approval = Your account is still waiting for an administrator of the site to accept it. You will get an email when it is done.
login_account_refused = This account was refused by an administrator of the site.
refused_unconfirmed = Confirm your email address first to sign up for a slot: follow the link in the email we sent you, or ask for a new one below.
done_account_saved = Saved.
done_password_changed = Password changed. Your other sessions are closed.
done_email_link_sent = A link is on its way to the new address: follow it to finish the change (it works for 48 hours).
done_confirmation_sent = A new confirmation email is on its way (the link works for 48 hours).
done_resend_braked = You already asked for several emails: wait an hour before asking again.
admin_accounts = Accounts waiting
admin_accounts_intro = People who registered and wait for your decision. They get an email either way.
admin_accounts_waiting = Accounts waiting for a decision
admin_accounts_since = Asked on
admin_accounts_decision = Decision
admin_accounts_none = No account is waiting for a decision.
approve = Accept
done_account_approved = Account accepted: the person is told by email.
done_account_refused = Account refused: the person is told by email.

## A mission's picture (issue 14)
picture = Mission picture
picture_alt = Picture of the mission "{ $title }"
picture_hint = Optional: a JPEG or PNG photo of at most 10 MB, shown on the mission's page and card.
picture_change = Replace the picture
picture_submit = Save the picture
picture_remove = Remove the picture
done_picture_saved = Picture saved.
done_picture_removed = Picture removed.
admin_sources = Sources of the aggregator
admin_sources_intro = The nodes, Mobilizon instances and groups this aggregator follows. What they publish arrives as it happens, and each source is read again every night. A source that has said nothing for a long time is marked silent.
admin_sources_list = Sources followed
admin_sources_source = Source
admin_sources_kind = Kind
admin_sources_items = Items
admin_sources_heard = Last heard from
admin_sources_walked = Last read in full
admin_sources_errors = Errors
admin_sources_state = State
admin_sources_silent = Silent
admin_sources_fresh = Up to date
admin_sources_never = never
admin_sources_none = No source yet: add the first one below.
admin_sources_remove = Stop following
admin_sources_add = Add a source
admin_sources_target = Address of the source
admin_sources_target_hint = A node or a Mobilizon instance (https://its.address) or a group (@group@its.address).
admin_sources_add_button = Follow this source
admin_sources_kind_entraide = Entraide node
admin_sources_kind_mobilizon = Mobilizon instance
admin_sources_kind_group = Group
admin_sources_kind_other = Other server
admin_sources_err_empty = Give the address of a node, a Mobilizon instance or a group.
admin_sources_err_not_found = Nothing to follow was found at this address. Check it, then try again.
admin_sources_err_unreachable = The server at this address does not answer. Check the address, or try again in a few minutes.
admin_sources_err_blocked = This node does not exchange with that server.
done_source_added = The source is followed. What it publishes now arrives in the coming minutes.
done_source_removed = The source is no longer followed.
admin_sources_menu = Sources
busy = Many people at once
busy_text = The site is receiving many requests like yours right now. Please try again in a few seconds.

## The territory in figures (aggregator, issue 15)
territory_menu = The territory in figures
territory_title = The territory in figures
territory_intro = What the associations of the territory did together this year, from the figures each site chooses to publish. Only numbers: no name, no person.
territory_year = Year
territory_show = Show
territory_all_communes = All communes
territory_headline = At a glance
territory_missions_published = Missions published
territory_missions_filled = Missions filled
territory_volunteers = Volunteers involved
territory_loans = Equipment loans
territory_loan_value = Value of the equipment lent
territory_hours = Volunteer hours
territory_hours_value = Value of the hours
territory_by_month = Month by month
territory_month = Month
territory_total = Total
territory_chart_months = Volunteer hours per month in { $year }
territory_chart_caption = Validated volunteer hours, per month. The table below gives every figure.
territory_by_commune = Commune by commune
territory_commune = Commune
territory_chart_communes = Volunteer hours per commune in { $year }
territory_chart_communes_caption = The communes where the most hours were given. The table below lists them all.
territory_no_commune = Online, remote or unknown place
territory_nothing = Nothing has been counted for this year yet.
territory_sources = Where these figures come from
territory_sources_intro = Each site of the territory publishes, if it wishes, its totals for the year. Volunteers are counted once per site: someone active on two sites counts twice.
territory_no_sources = No site is followed yet.
territory_not_publishing = does not publish its figures
territory_not_fetched = figures not fetched yet
territory_fetched_on = figures fetched on { $date }
territory_api = These figures for developers (JSON)
mod_menu = Moderation
mod_title = Moderation
mod_intro = Servers and accounts blocked or silenced, reports to handle, content removed from this node, and the log of every decision.
mod_reports = Reports
mod_reports_open = Reports to handle
mod_reports_none = No report to handle.
mod_reported = Reported
mod_comment = Comment
mod_reporter = Reported by
mod_when = Date
mod_decision = Decision
mod_from_server = another server
mod_forwarded = forwarded on
mod_note = What was done
mod_resolve = Mark as resolved
mod_forward = Forward to the server concerned
mod_rules = Blocked or silenced servers and accounts
mod_rules_help = Block: nothing is accepted from, fetched from or sent to it any more; its follows and what this node kept of it are gone. Silence: its messages still arrive, but its missions and equipment no longer show in public lists nor in search (only by direct link).
mod_rules_none = No server or account is blocked.
mod_target = Server or account
mod_target_hint = A server (example.org), an account (@name@example.org) or an account's address.
mod_severity = Measure
mod_reason = Reason
mod_by = By
mod_from_config = configuration file (read-only)
mod_lift = Lift
mod_add = Block or silence
mod_add_button = Apply
mod_block = Block
mod_silence = Silence
mod_block_hint = no exchange at all
mod_silence_hint = out of public lists and search
mod_kind_host = server
mod_kind_actor = account
mod_removed = Content removed from this node
mod_removed_none = No content removed.
mod_item = Address of the mission or equipment
mod_item_hint = The address of a mission or equipment from another server: it leaves this node and is not taken again until you restore it.
mod_remove_button = Remove from this node
mod_restore = Restore
mod_log = Moderation log
mod_log_none = No decision yet.
mod_action = Action
mod_action_block = block
mod_action_silence = silence
mod_action_unblock = lifted
mod_action_remove = removal
mod_action_restore = restored
mod_action_resolve = report resolved
mod_action_forward = report forwarded
mod_report_mission = Mission
mod_report_resource = Equipment
mod_report_actor = Account
mod_err_not_found = No account was found at this address.
mod_err_no_item = No mission or equipment from another server has this address here.
done_mod_block = Blocked: nothing is exchanged with it any more.
done_mod_silence = Silenced: its content no longer shows in public lists.
done_mod_lifted = The measure is lifted.
done_mod_resolved = The report is marked as resolved.
done_mod_forwarded = The report is on its way to the server concerned.
done_mod_removed = The content is removed from this node.
done_mod_restored = The content is restored; it comes back with its next update.
report_title = Report content
report_intro = Your report goes to this node's administrators, who decide what to do. Say what is wrong.
report_kind = You report
report_target = Address of what you report
report_comment = What is wrong
report_button = Send the report
report_sent = Thank you: your report was passed on to the administrators.
report_link = Report

## Text messages (SMS) and coordinators' messages

my_sms = Text messages
sms_title = Receive text messages
sms_off = This site sends no text messages.
sms_intro = If you read text messages more readily than emails, give your mobile number: associations can then text you, only if you choose so. You can stop at any time.
sms_number_title = Your number
phone = Mobile number
phone_hint = For example 06 12 34 56 78, or +32 470 12 34 56 outside France. A code is texted to you to confirm it.
sms_send_code = Text me a code
sms_confirmed = confirmed
sms_unconfirmed = not confirmed yet
sms_code_title = Confirm the number
code = Code received by text
code_hint = Six digits, valid for 30 minutes.
sms_confirm = Confirm
sms_save = Save my choices
sms_choices = What I receive by text
sms_choices_legend = Tick what you want to receive by text message
sms_choice_messages = Associations' messages to their volunteers
sms_choice_reminders = The reminder of my slots, the day before
sms_stopped_on = You stopped text messages on
sms_stop_title = Stop text messages
sms_stop_text = You can also reply STOP to one of our text messages.
sms_stop_button = Stop text messages
done_sms_code_sent = A code was just texted to you.
done_sms_confirmed = Your number is confirmed. Choose what you want to receive by text.
done_sms_choices = Your choices are saved.
done_sms_stopped = You will receive no more text messages.
mass_write = Write to volunteers
mass_write_slot = Write to those signed up, by text, email or fediverse
mass_title = Write to volunteers
mass_title_node = Write to the associations
mass_admin_menu = Write to the associations
mass_intro = Each person receives the message as they chose: by email, as a private message on their fediverse account, or by text message. First see how many people it reaches, then send.
mass_scope_slot = to the people signed up for this slot
mass_scope_mission = to the people signed up for this mission
mass_scope_association = to the people signed up for the association's coming slots
mass_scope_node = to the coordinators and owners of every association of the site
mass_text = Your message
mass_text_hint = 1600 characters at most. A text message holds 160 characters (70 with emoji or some accents): a longer message costs several.
mass_preview_button = See whom it reaches
mass_send_button = Send
mass_reach_title = Preview
mass_reach_people = People signed up
mass_reach_parts = Text messages in all
mass_reach_each = per person
mass_reach_left = left today
mass_reach_unreachable = With no way to reach them
mass_channel = Channel
mass_channel_email = Email
mass_channel_fediverse = Fediverse
mass_channel_sms = Text message
mass_recipient = Recipient
mass_status = Status
mass_error = Error
mass_status_pending = waiting
mass_status_sent = sent
mass_status_failed = given up
mass_status_refused = refused for this number
mass_status_capped = over the day's cap
mass_status_stopped = stopped (STOP)
mass_status_skipped = not sent (emails are off)
mass_status_federated = handed to the fediverse
mass_log_title = Message sent
mass_log_caption = Who receives it, by which channel
mass_log_empty = Nobody could be reached.
mass_again = Write another message
done_mass_sent = Your message is on its way: here is who receives it.
