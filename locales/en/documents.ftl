# Words of the documents for the accounts (English): the annual statement of volunteer
# contributions in kind (PDF and spreadsheet), an association's hours as a spreadsheet, and the
# attestation of volunteering. Arguments are text, already formatted.

## Figures and labels shared by the documents

doc-per_hour = { $amount } / hour
doc-per_km = { $amount } / km
doc-km = { $km } km
doc-hourly_rate = Hourly rate
doc-hourly_rate_long = Hourly rate of valuation
doc-category_rate = Hourly rate “{ $category }”
doc-mileage_rate = Mileage allowance
doc-km_travelled = Kilometres travelled
doc-kilometres = Kilometres
doc-time_value = Value of the time given
doc-mileage_value = Mileage costs
doc-total_value = Total contributions
doc-volunteers = Volunteers
doc-no_mission = No mission
doc-summary = Summary
doc-by_category = By category
doc-by_month = By month
doc-by_volunteer = By volunteer
doc-by_mission = By mission

## Columns of the tables and spreadsheets

doc-col_heading = Item
doc-col_value = Value
doc-col_association = Association
doc-col_year = Financial year
doc-col_number = No.
doc-col_date = Date
doc-col_end = End
doc-col_volunteer = Volunteer
doc-col_category = Category
doc-col_month = Month
doc-col_mission = Mission
doc-col_actions = Actions
doc-col_minutes = Minutes
doc-col_hours = Hours
doc-col_km = Km
doc-col_duration = Duration
doc-col_status = Status
doc-col_description = Description
doc-col_time_value = Time value
doc-col_mileage_value = Mileage
doc-col_total = Total

## Where an entry stands, in the spreadsheets

doc-status_pending = pending
doc-status_validated = validated
doc-status_refused = refused

## The annual statement of volunteer contributions in kind

doc-stmt_title = Volunteer contributions in kind { $year } — { $association }
doc-stmt_heading = Volunteer contributions in kind
doc-stmt_subtitle = { $association } — financial year { $year }
doc-stmt_intro = Volunteering from 1 January to 31 December { $year }, from the hours validated by the association on { $site }. Document drawn up on { $date }.
doc-stmt_hours = Hours of volunteering
doc-stmt_entries = Actions recorded
doc-stmt_rates = Rates applied
doc-stmt_accounts = In the accounts
doc-stmt_accounts_text = In French associations' accounts, these amounts are shown below the income statement and in the notes, as volunteer contributions in kind: as resources in account 870 “Bénévolat”, as uses in account 864 “Personnel bénévole” (chart of accounts of associations, ANC regulation no. 2018-06). The hourly rate and the mileage allowance are the ones the association chose; have them approved by your accountant or your auditor.
doc-stmt_sheet_title = Volunteer contributions in kind { $year }
doc-stmt_entries_sheet = Actions
doc-stmt_file = volunteer-contributions-{ $association }-{ $year }

## An association's hours as a spreadsheet

doc-hours_title = Volunteer hours — { $association }
doc-hours_sheet = Hours
doc-hours_file = hours-{ $association }

## The attestation of volunteering

doc-att_title = Attestation of volunteering — { $volunteer } — { $association }
doc-att_heading = Attestation of volunteering
doc-att_text = The association { $association } attests that { $volunteer } volunteered for it from { $from } to { $to }, for the actions and durations below, validated by the association.
doc-att_time = Time given
doc-att_entries = Actions
doc-att_actions = Actions
doc-att_what = Mission or action
doc-att_mission_and_action = { $mission }: { $action }
doc-att_confirmation = Confirmation
doc-att_confirmed = Attestation confirmed online on { $date } at { $time } by { $by }, for { $association }.
doc-att_not_confirmed = NOT CONFIRMED: the association has not confirmed this attestation yet. It does so online; the document downloaded afterwards carries its confirmation.
doc-att_footer = Attestation no. { $number } asked for on { $asked }; document drawn up on { $date } by { $site } ({ $address }).
doc-att_file = volunteering-attestation-{ $association }-{ $number }

## The CSV exports' headings for a French reader (English pages and the API keep the column codes)

doc-csv-id = No.
doc-csv-date = Date
doc-csv-end_date = End date
doc-csv-volunteer = Volunteer
doc-csv-category = Area
doc-csv-mission_id = Mission no.
doc-csv-minutes = Minutes
doc-csv-hours = Hours
doc-csv-distance_km = Distance (km)
doc-csv-status = Status
doc-csv-value_eur = Value (€)
doc-csv-description = Description
doc-csv-association = Association
doc-csv-resource = Equipment
doc-csv-role = Role
doc-csv-other_party = Other party
doc-csv-quantity = Quantity
doc-csv-pickup = Pickup
doc-csv-return = Return
doc-csv-state = Reservation state
doc-csv-reason = Reason
doc-csv-pickup_notes = Pickup notes
doc-csv-return_notes = Return notes
doc-csv-owner_signed_by = Signed for the lender by
doc-csv-owner_signed_at = Signed for the lender on
doc-csv-borrower_signed_by = Signed for the borrower by
doc-csv-borrower_signed_at = Signed for the borrower on
