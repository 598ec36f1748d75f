-- Issue 6: finished federation work is purged after `federation.keep_history_days`. A shared
-- document goes once no delivery points to it: that check needs this index.
CREATE INDEX delivery_payload ON delivery (payload_id) WHERE payload_id IS NOT NULL;
-- Given-up deliveries, found by age (delivered ones are found by `delivery_due`).
CREATE INDEX delivery_given_up ON delivery (failed_at) WHERE failed_at IS NOT NULL;
