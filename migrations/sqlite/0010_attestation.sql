-- Issue 5: a volunteer asks an association for an attestation of their missions and hours over
-- a period; a coordinator confirms it online. Who confirmed and when is shown on the document
-- (the name is kept as it was, even if the account goes).
CREATE TABLE hours_attestation (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id INTEGER NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    confirmed_by INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    confirmed_by_name TEXT,
    confirmed_at TEXT
);
CREATE INDEX hours_attestation_actor ON hours_attestation (actor_id, id);
CREATE INDEX hours_attestation_user ON hours_attestation (user_id, id);
