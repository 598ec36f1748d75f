-- Issue 3: private calendar feeds. One secret address per user; only its SHA-256 is kept,
-- so the address is shown once, when it is made (a new one replaces the old one).
CREATE TABLE calendar_token (
    user_id BIGINT PRIMARY KEY REFERENCES user_account(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);
