# Words of the equipment pages (English).
eq-equipment = Equipment to share
eq-equipment_intro = Tables, chairs, tents, sound systems, vans, rooms… lent, rented or exchanged between the associations and organisations of the area. Look for what is free on your dates, then ask for it online.
eq-guide = The step-by-step guide to lending equipment (in French)
eq-search = Search
eq-search_title = What is free on your dates
eq-words = Words (name, description, place)
eq-category = Category
eq-any_category = All categories
eq-from_day = From (pickup)
eq-to_day = To (return)
eq-how_many = How many at least
eq-results = Results
eq-no_results = Nothing matches this search. Try other dates or fewer words.
eq-first_results = From the start
eq-next_results = Next
eq-result_pages = Result pages
eq-none_here = Nothing among the equipment examined for this page: the search goes on with the next ones.
eq-free_of = free of
eq-free_count = free of
eq-yes = yes
eq-in_all = in all
eq-elsewhere = on another Entraide site
eq-lent_by = Lent by
eq-kind = Organisation
eq-place = Pickup place
eq-quantity = Quantity
eq-mode = Terms
eq-deposit = Deposit
eq-value = Replacement value
eq-per_unit = per item
eq-per_day = per day and per item
eq-notice = Notice
eq-notice_hours = { $n ->
    [one] { $n } hour before the pickup, at least
   *[other] { $n } hours before the pickup, at least
}
eq-max_days = Longest loan
eq-days = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
eq-buffer = Time between two loans
eq-hours = { $n ->
    [one] { $n } hour
   *[other] { $n } hours
}
eq-insurance = Insurance required from the borrower
eq-approval = Answer
eq-approval_automatic = automatic when the equipment is free
eq-approval_manual = by a coordinator of the association
eq-conditions = Special conditions
eq-documents = The lender's documents
eq-photos = Photos
eq-availability = Availability
eq-availability_intro = How many are free all day long, time between two loans included.
eq-earlier = Previous month
eq-later = Next month
eq-ask_title = Ask for this equipment
eq-ask_login = Log in to ask for this equipment for your association.
eq-ask_no_association = Only a coordinator of an association of this site can ask for equipment. This equipment belongs to your associations.
eq-borrower = For the association
eq-start = Pickup on
eq-start_time = at
eq-end = Return on
eq-end_time = at
eq-ask = Send the request
eq-ask_remote_hint = This equipment belongs to an association of another site: your request is sent there, and its answer will show here.
eq-owner_actions = For coordinators
eq-edit = Edit
eq-delete = Remove this equipment
eq-delete_hint = Requests and loans to come will be cancelled, and the borrowers told.
eq-see_reservations = See the reservations
eq-our_equipment = Our equipment
eq-add = Add equipment
eq-new_title = Add equipment to lend
eq-edit_title = Edit the equipment
eq-name = Name
eq-description = Description
eq-owner_kind = Your organisation is
eq-place_hint = The address where the equipment is picked up and brought back.
eq-quantity_hint = 1 for a unique item; 80 for a pool of 80 identical chairs.
eq-mode_legend = How it is lent
eq-free_loan = Free loan
eq-rental = Rental
eq-exchange = Exchange
eq-price_per_day = Price per day and per item (€), for a rental
eq-deposit_euros = Deposit (€)
eq-value_euros = Replacement value per item (€)
eq-insurance_check = The borrower must be insured for this equipment
eq-min_notice = Notice, in hours
eq-max_days_field = Longest loan, in days
eq-buffer_field = Time between two loans, in hours (cleaning, transport)
eq-approval_legend = Requests are
eq-approval_auto_label = accepted automatically when the equipment is free
eq-approval_manual_label = accepted or refused by a coordinator
eq-borrowers_legend = Who may borrow
eq-borrowers_everyone = Every association, of this site or elsewhere
eq-borrowers_followed = The associations of this site, and those we follow
eq-borrowers_list = Only those listed below
eq-borrower_list = Allowed associations (one name@site address per line)
eq-template = Text of the lending agreement (optional)
eq-template_hint = Leave empty for the standard text. You may use {"{owner}"}, {"{borrower}"}, {"{resource}"}, {"{quantity}"}, {"{start}"}, {"{end}"}, {"{place}"}, {"{deposit}"}, {"{price}"}, {"{replacement_value}"}, {"{conditions}"}.
eq-save = Save
eq-files_title = Photos and documents
eq-photo_field = Add a photo (JPEG or PNG, 10 MB at most)
eq-document_field = Add a document: statutes, insurance certificate… (PDF, 10 MB at most)
eq-file_field = Photo or document
eq-upload = Upload the file
eq-remove_file = Remove
eq-reservations = Equipment reservations
eq-reservations_intro = The equipment your association lends, and the equipment it borrows.
eq-to_decide = Requests to answer
eq-no_to_decide = No request waiting.
eq-lent = Loans of our equipment
eq-no_lent = No loan under way or to come.
eq-borrowed = What we borrow
eq-no_borrowed = No borrowing under way or to come.
eq-past = Finished
eq-export_csv = Download the reservations (CSV, spreadsheet)
eq-ical = Calendar of the reservations (iCal) to add to your calendar app
eq-ical_how = When you make your private calendar address, the page “My calendar” also gives the address of the reservations of each association you coordinate, to add to your calendar app. It ends with
eq-ical_link = My private calendar
eq-accept = Accept
eq-refuse = Refuse
eq-refuse_reason = Why it is refused
eq-cancel = Cancel the reservation
eq-cancel_reason = Why it is cancelled (optional)
eq-pickup = Record the pickup
eq-pickup_notes = Condition at pickup (optional)
eq-return = Record the return
eq-return_notes = Condition at return (optional)
eq-sign = I accept the agreement for the association
eq-agreement = Lending agreement
eq-agreement_pdf = Download the agreement (PDF)
eq-print = Printable version
eq-reservation = Reservation
eq-state = Where it stands
eq-st_requested = waiting for an answer
eq-st_accepted = accepted
eq-st_refused = refused
eq-st_picked_up = picked up
eq-st_returned = returned
eq-st_cancelled = cancelled
eq-st_overdue = overdue: not back yet

## The iCalendar feed of an association's reservations

eq-feed_name = Equipment – { $association }
eq-feed_about = What { $association } lends and borrows
eq-feed_loan = Loan: { $item } → { $other }
eq-feed_borrowing = Borrowing: { $item } ← { $other }
eq-feed_state = State: { $state }
eq-reason = Reason
eq-when = When
eq-owner = Lender
eq-borrower_party = Borrower
eq-between = Between the parties
eq-object = What is lent
eq-commitments = Commitments
eq-acceptance = Acceptance
eq-for_owner = For the lender
eq-for_borrower = For the borrower
eq-not_signed = not accepted online yet
eq-reference = Reference
eq-back = Back
eq-free_label = Free

## Notices after an action, and why an action no longer fits

eq-done_saved = Saved.
eq-done_requested = Your request is recorded.
eq-done_accept = The request is accepted.
eq-done_refuse = The request is refused.
eq-done_cancel = The reservation is cancelled.
eq-done_pickup = The pickup is recorded.
eq-done_return = The return is recorded.
eq-done_sign = The agreement is accepted online.
eq-done_other = Done.
# English shows the service's own sentence ($message); French says it in its words.

## Dates, times and amounts on the equipment pages

# A day of the availability calendar: "Saturday 14 June"
eq-day_label = { $weekday } { $day } { $month }
# The month the calendar shows: "June 2031"
eq-month_title = { $month } { $year }
# A moment in a list of reservations: "2031-06-14 09:00"
eq-moment = { $yyyy }-{ $mo }-{ $dd } { $hh }:{ $mi }
# An amount in euros: "€47.13" ($amount already has the separator below)
eq-euros = €{ $amount }
eq-decimal_separator = .
eq-weekday_short_0 = Mon
eq-weekday_short_1 = Tue
eq-weekday_short_2 = Wed
eq-weekday_short_3 = Thu
eq-weekday_short_4 = Fri
eq-weekday_short_5 = Sat
eq-weekday_short_6 = Sun

## The lending agreement (printable page and PDF): a French document

eq-agr_title = Equipment lending agreement
eq-agr_pdf_title = Lending agreement — { $owner }
eq-agr_filename = lending-agreement-{ $id }.pdf
eq-agr_reference = Reference: { $reference }
eq-agr_between = Between the parties
eq-agr_lender = The lender
eq-agr_borrower = The borrower
# A party: its name and its address (name@host)
eq-agr_party = { $name } ({ $address })
eq-agr_object = What is lent
eq-agr_commitments = Commitments
eq-agr_acceptance = Acceptance
eq-agr_for_lender = For the lender: { $signed }
eq-agr_for_borrower = For the borrower: { $signed }
eq-agr_pending = AWAITING online acceptance
eq-agr_signed = Accepted online by { $by } on { $when }
eq-agr_when = { $date } at { $time }
eq-agr_items = Equipment
eq-agr_quantity = Quantity
eq-agr_pickup = Pickup
eq-agr_return = Return
eq-agr_place = Place of pickup and return
eq-agr_deposit = Deposit
eq-agr_price = Price
eq-agr_value = Replacement value
eq-agr_insurance = Insurance
eq-agr_insured = the borrower is insured for this equipment
eq-agr_state_at_pickup = Condition at pickup
eq-agr_state_at_return = Condition at return
eq-agr_price_free = free (loan)
eq-agr_price_exchange = exchange (a return agreed between the parties)
eq-agr_price_rental = { $per_day } per day and per unit × { $days } day(s) × { $quantity } = { $total }
eq-agr_no_deposit = none
eq-agr_value_per_unit = { $value } per unit
eq-agr_no_value = not given
eq-agr_place_to_agree = to be agreed between the parties
eq-agr_no_conditions = none

## Categories of equipment and kinds of owners

eq-cat_furniture = Tables and chairs
eq-cat_tent = Tents and marquees
eq-cat_stage = Stages
eq-cat_sound_light = Sound and light
eq-cat_vehicle = Vehicles
eq-cat_room = Rooms
eq-cat_kitchen = Kitchen and tableware
eq-cat_other = Other
eq-owner_cooperative = Cooperative
eq-owner_craftsman = Craftsman
eq-owner_company = Company
eq-owner_local_authority = Local authority
eq-owner_association = Association
# A request refused because the pool is taken over its period.
eq-pool_taken = only { $free } of { $total } free over this period

## Reasons written by a node, not by a person (domain::reservation::NodeReason)
eq-reason_not_lent_here = This equipment is not lent by the server that was asked.
eq-reason_owned_elsewhere = This equipment belongs to another server: ask its owner there.
eq-reason_not_for_you = The owner lends this equipment to other associations only.
eq-reason_withdrawn = Withdrawn by the borrowing association.
eq-reason_no_longer_lent = The owner no longer lends this equipment.
