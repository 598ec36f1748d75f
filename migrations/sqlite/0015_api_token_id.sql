-- Issue 14: API tokens get an id, so that people can list and revoke theirs through the API;
-- the hash stays unique and is still how a presented token is found. SQLite cannot add an
-- AUTOINCREMENT column to a table, so the table is rebuilt with the same columns plus the id
-- (ids are never reused after a revocation); existing tokens keep working, numbered in the
-- order they were created.
CREATE TABLE api_token_with_id (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO api_token_with_id (token_hash, user_id, label, created_at)
    SELECT token_hash, user_id, label, created_at FROM api_token ORDER BY created_at, rowid;
DROP TABLE api_token;
ALTER TABLE api_token_with_id RENAME TO api_token;
-- A person's tokens, listed on their own.
CREATE INDEX api_token_user ON api_token (user_id);
