-- Issue 3: time slots, participations, volunteer profiles, richer missions.
ALTER TABLE mission ADD COLUMN regular BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE mission ADD COLUMN commitment_minutes INTEGER;
ALTER TABLE mission ADD COLUMN commitment_period TEXT NOT NULL DEFAULT '';
ALTER TABLE mission ADD COLUMN reduced_mobility BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE mission ADD COLUMN open_to_minors BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE mission ADD COLUMN contact TEXT NOT NULL DEFAULT '';

CREATE TABLE slot (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    mission_id INTEGER NOT NULL REFERENCES mission(id) ON DELETE CASCADE,
    local BOOLEAN NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    participant_count INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    updated TEXT NOT NULL,
    CHECK (participant_count >= 0 AND participant_count <= capacity)
);
CREATE INDEX slot_mission ON slot (mission_id, start_time);

-- Who takes part in a slot: a local user, a remote actor, or a person without an account.
CREATE TABLE participation (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slot_id INTEGER NOT NULL REFERENCES slot(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES user_account(id) ON DELETE CASCADE,
    actor_ap_id TEXT,
    guest_name TEXT,
    guest_contact TEXT,
    -- The Join activity id (or a local one): a redelivered Join is one sign-up.
    join_ap_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX participation_slot ON participation (slot_id, status);
CREATE INDEX participation_user ON participation (user_id, status);
CREATE INDEX participation_actor ON participation (actor_ap_id, status);

CREATE TABLE volunteer_profile (
    user_id INTEGER PRIMARY KEY REFERENCES user_account(id) ON DELETE CASCADE,
    profile TEXT NOT NULL,
    suggestable BOOLEAN NOT NULL DEFAULT FALSE,
    updated TEXT NOT NULL
);
