-- Issue 17: the dashboard counts the sign-ups waiting for an answer on the slots not over yet.
-- Slots lie within their mission's dates, so only the association's missions not over yet can
-- hold one: read by this index, the count no longer walks every mission the association ever
-- published (storage/read_model.rs, `work_counts_sql`; checked by `storage::plans`).
CREATE INDEX mission_actor_end ON mission (actor_id, end_time);
