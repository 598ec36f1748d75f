-- Issue 18 (ready for a public node): moderation. Rules set at run time by the administrators
-- (a whole host or one remote actor, blocked or silenced), the reports (`Flag`) made here or
-- received from other servers, the remote missions and resources an administrator removed
-- (never imported again until restored), and the log of every moderation action. Every
-- process reads the rules into memory and reloads them when the log's highest id changes.
CREATE TABLE moderation_rule (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    target TEXT NOT NULL UNIQUE,
    severity TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE moderation_report (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reporter TEXT NOT NULL,
    origin TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target TEXT NOT NULL,
    target_actor TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    flag_ap_id TEXT UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    resolved_at TIMESTAMPTZ,
    resolved_by TEXT,
    forwarded_at TIMESTAMPTZ
);
CREATE INDEX moderation_report_open ON moderation_report (resolved_at, id);

CREATE TABLE moderation_removed (
    ap_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    removed_by TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    removed_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE moderation_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    by_name TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
