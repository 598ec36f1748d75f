-- Issue 15 (the regional aggregator): the sources an aggregator follows and how fresh each is,
-- the items it took from them (and of what kind: an Entraide mission, a Mobilizon event, a
-- resource), and whether a remote actor consents to being indexed (FEP-5feb).
CREATE TABLE aggregator_source (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    input TEXT NOT NULL,
    actor_ap_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    host TEXT NOT NULL,
    collection TEXT NOT NULL,
    added_at TEXT NOT NULL,
    last_activity_at TEXT,
    last_attempt_at TEXT,
    last_success_at TEXT,
    error_count INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    items INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE aggregated_item (
    ap_id TEXT PRIMARY KEY,
    source_id INTEGER REFERENCES aggregator_source(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    updated TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE INDEX aggregated_item_source ON aggregated_item (source_id);

CREATE TABLE actor_consent (
    actor_ap_id TEXT PRIMARY KEY,
    indexable BOOLEAN NOT NULL,
    checked_at TEXT NOT NULL
);
