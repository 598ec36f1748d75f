-- Issue 16: messages by SMS, email and fediverse.
-- A person's phone number (E.164) and what they consented to. Nothing goes by SMS to a
-- number that is not confirmed (confirmed_at) and chosen for that kind of message; STOP
-- (a reply forwarded by the gateway, or the profile) clears both choices and sets stopped_at.
CREATE TABLE phone_contact (
    user_id INTEGER PRIMARY KEY REFERENCES user_account(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    -- sha256 of the confirmation code sent by SMS, while one waits
    code_hash TEXT,
    code_expires_at TEXT,
    code_tries INTEGER NOT NULL DEFAULT 0,
    confirmed_at TEXT,
    -- coordinators' messages by SMS
    messages BOOLEAN NOT NULL DEFAULT FALSE,
    -- the reminder of a slot the day before by SMS
    reminders BOOLEAN NOT NULL DEFAULT FALSE,
    stopped_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX phone_contact_number ON phone_contact (number);

-- A coordinator's message to the volunteers of a slot, a mission or the association; what
-- each person received is in notification (email, fediverse: dedupe_key 'mass:<request_key>:…')
-- and sms_message (mass_message_id).
CREATE TABLE mass_message (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id INTEGER NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    -- slot, mission or association
    scope TEXT NOT NULL,
    scope_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- the form's key: the same message sent twice (a double click, a retried request) is one
    request_key TEXT NOT NULL UNIQUE
);
CREATE INDEX mass_message_actor ON mass_message (actor_id, created_at);

-- Every SMS to send, leased and retried as emails and deliveries are; dedupe_key makes a
-- message recorded once whatever happens.
CREATE TABLE sms_message (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- the association whose daily cap it counts against (none for a confirmation code)
    actor_id INTEGER REFERENCES actor(id) ON DELETE CASCADE,
    mass_message_id INTEGER REFERENCES mass_message(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES user_account(id) ON DELETE CASCADE,
    -- code, message, reminder
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    -- how many SMS it takes (long texts are several)
    parts INTEGER NOT NULL,
    -- pending, sent, failed (given up), refused (by the gateway, for this number), capped
    -- (over the association's daily cap), stopped (STOP arrived before it left)
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    locked_until TEXT,
    sent_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE
);
CREATE INDEX sms_message_due ON sms_message (status, next_attempt_at);
CREATE INDEX sms_message_actor_day ON sms_message (actor_id, created_at);
CREATE INDEX sms_message_mass ON sms_message (mass_message_id);

-- The daily cap the node's administrator set for an association (else sms.daily_cap_default).
CREATE TABLE sms_cap (
    actor_id INTEGER PRIMARY KEY REFERENCES actor(id) ON DELETE CASCADE,
    daily_cap INTEGER NOT NULL
);
