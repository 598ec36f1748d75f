-- Issue 17: what a node does at rest costs the same whatever it holds. The scans that run
-- once a minute read a range of an index instead of a whole table:
-- the reminders of sign-ups read the slots starting in the next day, then their sign-ups
-- (`participation_slot`), not every sign-up the node ever had;
CREATE INDEX slot_start ON slot (start_time);
-- the reservation reminders read the accepted reservations starting soon and the picked-up
-- ones ending soon (only the open ones are in these indexes), not every reservation.
CREATE INDEX reservation_to_start ON reservation (start_time) WHERE state = 'accepted';
CREATE INDEX reservation_to_return ON reservation (end_time) WHERE state = 'picked_up';
