-- Issue 14: API tokens get an id, so that people can list and revoke theirs through the API;
-- the hash stays the primary key and is still how a presented token is found. Adding the
-- identity column numbers the existing tokens.
ALTER TABLE api_token ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY;
ALTER TABLE api_token ADD CONSTRAINT api_token_id UNIQUE (id);
-- A person's tokens, listed on their own.
CREATE INDEX api_token_user ON api_token (user_id);
