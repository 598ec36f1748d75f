-- Issue 16 ("Aidez-moi à trouver"): people who ask to be accompanied in finding a mission,
-- the référents of the node who answer them, their notes and the missions they propose.
-- Personal data: read by référents only, purged after `[help] retention_months`.
CREATE TABLE help_referent (
    user_id BIGINT PRIMARY KEY REFERENCES user_account(id) ON DELETE CASCADE,
    granted_at TIMESTAMPTZ NOT NULL
);

-- `wish`: what they would like to do, when and where, as a volunteer profile in JSON
-- (`domain::volunteer::Profile`), so the matching ranks missions for it. `channel`: `email`
-- or `phone`, how they wish to hear of a proposal. `state`: new, in_progress, placed, closed.
CREATE TABLE help_request (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    wishes TEXT NOT NULL,
    when_note TEXT NOT NULL,
    wish TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    channel TEXT NOT NULL,
    language TEXT NOT NULL,
    user_id BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    state TEXT NOT NULL,
    referent_id BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX help_request_state ON help_request (state, created_at);
CREATE INDEX help_request_user ON help_request (user_id);

CREATE TABLE help_note (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES help_request(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX help_note_request ON help_note (request_id);

-- A mission proposed to the person, with the one-click link's hash (the link itself is only
-- in the email or on the référent's page once).
CREATE TABLE help_proposal (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES help_request(id) ON DELETE CASCADE,
    mission_id BIGINT NOT NULL,
    slot_id BIGINT,
    token_hash TEXT NOT NULL UNIQUE,
    referent_id BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    opened_at TIMESTAMPTZ
);
CREATE INDEX help_proposal_request ON help_proposal (request_id);
