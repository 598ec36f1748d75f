-- Issue 4: who may borrow, the lending agreement, resources of other nodes, files.
ALTER TABLE resource ADD COLUMN borrowers TEXT NOT NULL DEFAULT 'everyone';
-- Allowed associations (name@host), one per line, when borrowers = 'list'.
ALTER TABLE resource ADD COLUMN borrower_list TEXT NOT NULL DEFAULT '';
ALTER TABLE resource ADD COLUMN agreement_template TEXT NOT NULL DEFAULT '';
-- A removed resource answers 410 with a Tombstone; its reservations stay for the records.
ALTER TABLE resource ADD COLUMN deleted_at TEXT;
-- Another node's resource: the busy periods (JSON) it last published.
ALTER TABLE resource ADD COLUMN remote_busy TEXT NOT NULL DEFAULT '[]';

ALTER TABLE reservation ADD COLUMN agreement_id TEXT;
ALTER TABLE reservation ADD COLUMN pickup_notes TEXT NOT NULL DEFAULT '';
ALTER TABLE reservation ADD COLUMN return_notes TEXT NOT NULL DEFAULT '';
ALTER TABLE reservation ADD COLUMN owner_signed_by TEXT;
ALTER TABLE reservation ADD COLUMN owner_signed_at TEXT;
ALTER TABLE reservation ADD COLUMN borrower_signed_by TEXT;
ALTER TABLE reservation ADD COLUMN borrower_signed_at TEXT;
CREATE INDEX reservation_borrower ON reservation (borrower_actor_id, start_time);

-- Photos (resized, metadata stripped) and the owner's contract documents.
CREATE TABLE resource_file (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX resource_file_resource ON resource_file (resource_id, kind, id);
