-- Issue 14 (privacy): an account deleted by its owner stays as a tombstone (its name reserved,
-- so nobody takes over its address; everything else erased), and so does a remote actor that
-- deleted itself (a later fetch does not bring it back).
ALTER TABLE user_account ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE actor ADD COLUMN deleted_at TIMESTAMPTZ;
