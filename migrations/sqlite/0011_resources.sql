-- Issue 4: lendable equipment and its reservations. Money is decimal text, never a float.
CREATE TABLE resource (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id INTEGER NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    owner_kind TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    latitude REAL,
    longitude REAL,
    quantity INTEGER NOT NULL,
    replacement_value TEXT,
    mode TEXT NOT NULL,
    price_per_day TEXT,
    deposit TEXT,
    conditions TEXT NOT NULL DEFAULT '',
    insurance_required BOOLEAN NOT NULL,
    min_notice_hours INTEGER NOT NULL,
    max_days INTEGER NOT NULL,
    turnaround_hours INTEGER NOT NULL,
    approval TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX resource_actor ON resource (actor_id, id);

-- A request for a quantity over a period, decided by the owner's node in one transaction. The
-- offer id (a remote Offer's id, or a local one) is the idempotency key.
CREATE TABLE reservation (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id INTEGER NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
    offer_id TEXT NOT NULL UNIQUE,
    borrower_actor_id INTEGER REFERENCES actor(id) ON DELETE SET NULL,
    quantity INTEGER NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX reservation_resource ON reservation (resource_id, start_time);
