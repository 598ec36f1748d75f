-- Issue 14 (people come in by themselves): a person asks for a new association and the node's
-- administrators answer; an association shows its logo, address, contact and fields of action;
-- coordinators invite people by email; a mission may carry a picture.
CREATE TABLE association_request (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    summary TEXT NOT NULL,
    address TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    website TEXT NOT NULL,
    categories TEXT NOT NULL,
    logo BLOB,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor_id INTEGER REFERENCES actor(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX association_request_status ON association_request (status, id);
-- One request waiting per name.
CREATE UNIQUE INDEX association_request_pending_name ON association_request (name)
    WHERE status = 'pending';

CREATE TABLE association_profile (
    actor_id INTEGER PRIMARY KEY REFERENCES actor(id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    website TEXT NOT NULL,
    categories TEXT NOT NULL,
    logo BLOB,
    logo_updated_at TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE invitation (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id INTEGER NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT,
    accepted_by INTEGER REFERENCES user_account(id) ON DELETE SET NULL,
    revoked_at TEXT
);
CREATE INDEX invitation_actor ON invitation (actor_id, id);

CREATE TABLE mission_picture (
    mission_id INTEGER PRIMARY KEY REFERENCES mission(id) ON DELETE CASCADE,
    bytes BLOB NOT NULL,
    updated_at TEXT NOT NULL
);
