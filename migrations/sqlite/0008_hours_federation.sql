-- Issue 5, across servers: hours that a volunteer on another server logs for one of our
-- associations (`Create{EconomicEvent}`), and hours our users log for an association of another
-- server. `remote_actor` is the volunteer's ActivityPub id when they live elsewhere (their name
-- stays in `guest_name`); `ap_id` is the EconomicEvent's id, unique, so a duplicate `Create`
-- is counted once.
ALTER TABLE hours_entry ADD COLUMN remote_actor TEXT;
ALTER TABLE hours_entry ADD COLUMN ap_id TEXT;
CREATE UNIQUE INDEX hours_entry_ap_id ON hours_entry (ap_id);
