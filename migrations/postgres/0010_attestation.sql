-- Issue 5: a volunteer asks an association for an attestation of their missions and hours over
-- a period; a coordinator confirms it online. Who confirmed and when is shown on the document
-- (the name is kept as it was, even if the account goes).
CREATE TABLE hours_attestation (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    confirmed_by BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    confirmed_by_name TEXT,
    confirmed_at TIMESTAMPTZ
);
CREATE INDEX hours_attestation_actor ON hours_attestation (actor_id, id);
CREATE INDEX hours_attestation_user ON hours_attestation (user_id, id);
