-- Issue 14: people come in by themselves. An account gets a private full name, the language
-- its emails are written in, whether its email was confirmed, and a state (an administrator
-- may have to accept a new account). Accounts made before this were made by an operator:
-- their email counts as confirmed and they are active.
ALTER TABLE user_account ADD COLUMN full_name TEXT NOT NULL DEFAULT '';
ALTER TABLE user_account ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE user_account ADD COLUMN email_confirmed BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE user_account ADD COLUMN state TEXT NOT NULL DEFAULT 'active';
-- One-time links sent by email: confirming an address (`confirm`, with the address it
-- confirms) and resetting a password (`reset`). Only the hash of the secret is kept.
CREATE TABLE account_token (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    email TEXT,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX account_token_user ON account_token (user_id, purpose);
CREATE INDEX user_account_state ON user_account (state);
CREATE INDEX session_by_user ON session (user_id);
