-- Issue 3: people on Mastodon sign up through a one-time link sent by direct message, and
-- their replies to a mission are kept as interest for the coordinators.

-- A one-time link: only the token's hash is kept; it is bound to one slot and one account.
CREATE TABLE fediverse_confirmation (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    slot_id BIGINT NOT NULL REFERENCES slot(id) ON DELETE CASCADE,
    actor_ap_id TEXT NOT NULL,
    -- The sign-up's id, chosen when the link is made: confirming twice is one sign-up.
    join_ap_id TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX fediverse_confirmation_actor ON fediverse_confirmation (actor_ap_id, created_at);

-- A reply to a mission that mentions its association.
CREATE TABLE interest (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mission_id BIGINT NOT NULL REFERENCES mission(id) ON DELETE CASCADE,
    actor_ap_id TEXT NOT NULL,
    note_ap_id TEXT NOT NULL UNIQUE,
    content TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX interest_mission ON interest (mission_id, created_at);
