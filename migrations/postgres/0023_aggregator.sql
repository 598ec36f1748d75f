-- Issue 15 (the regional aggregator): the sources an aggregator follows and how fresh each is,
-- the items it took from them (and of what kind: an Entraide mission, a Mobilizon event, a
-- resource), and whether a remote actor consents to being indexed (FEP-5feb).
CREATE TABLE aggregator_source (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    input TEXT NOT NULL,
    actor_ap_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    host TEXT NOT NULL,
    collection TEXT NOT NULL,
    added_at TIMESTAMPTZ NOT NULL,
    last_activity_at TIMESTAMPTZ,
    last_attempt_at TIMESTAMPTZ,
    last_success_at TIMESTAMPTZ,
    error_count BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    items BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE aggregated_item (
    ap_id TEXT PRIMARY KEY,
    source_id BIGINT REFERENCES aggregator_source(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    updated TIMESTAMPTZ NOT NULL,
    received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX aggregated_item_source ON aggregated_item (source_id);

CREATE TABLE actor_consent (
    actor_ap_id TEXT PRIMARY KEY,
    indexable BOOLEAN NOT NULL,
    checked_at TIMESTAMPTZ NOT NULL
);
