-- Issue 3: notifications to participants (confirmation, refusal, change, cancellation,
-- reminder). Emails wait here for the mail worker; direct messages on the fediverse are
-- recorded here too (their delivery row is queued in the same transaction), so each notice
-- goes out once whatever the channel.
CREATE TABLE notification (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participation_id INTEGER REFERENCES participation(id) ON DELETE CASCADE,
    -- confirmed, pending, refused, withdrawn, slot_cancelled, slot_moved, reminder, …
    kind TEXT NOT NULL,
    -- 'email' (sent by the mail worker) or 'fediverse' (a direct message in the delivery queue)
    channel TEXT NOT NULL,
    -- an email address, or the actor id of the person
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    -- pending, sent, failed (given up), skipped (mail disabled), federated (handed to delivery)
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    locked_until TEXT,
    sent_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    -- what makes two notices the same one (a reminder is sent once: reminder:<participation>:…)
    dedupe_key TEXT NOT NULL UNIQUE
);
CREATE INDEX notification_due ON notification (status, next_attempt_at);
CREATE INDEX notification_participation ON notification (participation_id, kind);
