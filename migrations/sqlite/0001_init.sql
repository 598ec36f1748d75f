-- Entraide schema, SQLite flavour. Timestamps are RFC 3339 text written by the application.
CREATE TABLE user_account (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    email TEXT,
    password_hash TEXT,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL
);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_token (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE actor (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    host TEXT NOT NULL,
    display_name TEXT NOT NULL,
    summary TEXT NOT NULL,
    inbox TEXT NOT NULL,
    shared_inbox TEXT,
    outbox TEXT,
    followers TEXT,
    url TEXT,
    public_key_pem TEXT NOT NULL,
    private_key_pem TEXT,
    local BOOLEAN NOT NULL,
    user_id INTEGER REFERENCES user_account(id) ON DELETE CASCADE,
    published TEXT NOT NULL,
    last_refreshed_at TEXT NOT NULL
);
-- One local actor per kind and name (a Group and a Person may share a name).
CREATE UNIQUE INDEX actor_local_name ON actor (kind, name) WHERE local;

CREATE TABLE membership (
    actor_id INTEGER NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (actor_id, user_id)
);

CREATE TABLE follower (
    actor_id INTEGER NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    follower_ap_id TEXT NOT NULL,
    inbox TEXT NOT NULL,
    shared_inbox TEXT,
    follow_ap_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (actor_id, follower_ap_id)
);

CREATE TABLE following (
    local_actor_id INTEGER NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    target_ap_id TEXT NOT NULL,
    follow_ap_id TEXT NOT NULL UNIQUE,
    accepted BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (local_actor_id, target_ap_id)
);

CREATE TABLE mission (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id INTEGER NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    local BOOLEAN NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    content_html TEXT NOT NULL,
    remote_summary TEXT NOT NULL,
    category TEXT NOT NULL,
    skills TEXT NOT NULL,
    place_name TEXT NOT NULL,
    street_address TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    locality TEXT NOT NULL,
    country TEXT NOT NULL,
    latitude REAL,
    longitude REAL,
    online BOOLEAN NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    capacity INTEGER,
    participant_count INTEGER NOT NULL DEFAULT 0,
    join_mode TEXT NOT NULL,
    status TEXT NOT NULL,
    url TEXT NOT NULL,
    published TEXT NOT NULL,
    updated TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX mission_actor ON mission (actor_id, start_time);
CREATE INDEX mission_start ON mission (start_time);

-- Activity ids already processed: a redelivered activity has one effect.
CREATE TABLE received_activity (
    ap_id TEXT PRIMARY KEY,
    received_at TEXT NOT NULL
);

-- What happened, written with the change; turned into deliveries by the federation worker.
CREATE TABLE outbox_event (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    locked_until TEXT,
    processed_at TEXT
);
CREATE INDEX outbox_event_pending ON outbox_event (processed_at, id);

-- One signed POST to make: an activity to one inbox.
CREATE TABLE delivery (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_ap_id TEXT NOT NULL,
    signer_actor_id INTEGER NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    inbox TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    locked_until TEXT,
    last_error TEXT,
    delivered_at TEXT,
    failed_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (activity_ap_id, inbox)
);
CREATE INDEX delivery_due ON delivery (delivered_at, failed_at, next_attempt_at);
