-- Issue 6: an activity sent to many inboxes is stored once, not once per delivery (a mission
-- to 1,000 followers was 1,000 copies of the same 5 KB document).
CREATE TABLE outgoing_payload (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payload TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
-- Set: the document is in outgoing_payload and delivery.payload is empty. Unset (older rows,
-- single deliveries): delivery.payload holds it.
ALTER TABLE delivery ADD COLUMN payload_id BIGINT REFERENCES outgoing_payload(id);
