# Words of the calendar pages (English).
cal-calendar = Calendar
cal-equipment_feeds = The equipment reservations of your associations
cal-equipment_feeds_intro = The same address, for each association you coordinate: what it lends and what it borrows.
cal-subscribe_equipment = Subscribe to the reservations of
cal-calendar_of = Calendar of slots
cal-change_period = Change period
cal-display = Display:
cal-month_view = By month
cal-week_view = By week
cal-prev_month = Previous month
cal-next_month = Next month
cal-this_month = This month
cal-prev_week = Previous week
cal-next_week = Next week
cal-this_week = This week
cal-today = today
cal-no_slot_month = No slot this month.
cal-no_slot_week = No slot this week.
cal-no_slot_day = No slot that day.
cal-cancelled = Cancelled
cal-subscribe = Add these slots to your calendar
cal-subscribe_text = Subscribe the calendar of your phone or computer to this address: new slots will appear in it by themselves.
cal-subscribe_link = Subscribe in my calendar
cal-feed_address = Calendar address:
cal-download = Download the calendar file (.ics)
cal-back_association = Back to the association
cal-my_calendar = My volunteer calendar
cal-my_calendar_intro = See your slots (accepted or waiting for an answer), on this site and on others, in the calendar of your phone or computer.
cal-my_calendar_secret = This address is secret: anyone who knows it sees your slots. It is shown only once: copy it into your calendar now.
cal-my_calendar_lost = For your safety, it cannot be shown again. If you lost it, create a new one: the old one will stop working.
cal-your_address = Your calendar address
cal-make_address = Create my calendar address
cal-new_address = Create a new address
cal-address_made = You made your calendar address on { $date }.

## A period that cannot be read in the address (`{ $value }`: what was typed)

cal-bad_period = This period cannot be shown
cal-bad_month = “{ $value }” is not a month. Write the year then the month, for example ?month=2030-06.
cal-bad_week = “{ $value }” is not a date. Write a day of the week, for example ?view=week&week=2030-06-10.
cal-bad_view = “{ $value }” is not a known display: choose view=month or view=week.

## The iCalendar feeds (calendar software shows these)

cal-feed_association = Volunteer slots of { $association } on { $site }
cal-feed_mine = My slots – { $site }
cal-feed_mine_about = The volunteer slots of { $person }
cal-feed_places = { $remaining ->
    [0] full
    [one] { $remaining } place left of { $capacity }
   *[other] { $remaining } places left of { $capacity }
}
cal-feed_cancelled = This slot is cancelled.
cal-feed_pending = Your sign-up is waiting for the association's answer.
cal-week = Week from { $start } to { $end }
