-- Issue 4: lendable equipment and its reservations. Money is decimal text, never a float.
CREATE TABLE resource (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ap_id TEXT NOT NULL UNIQUE,
    actor_id BIGINT NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    owner_kind TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    quantity BIGINT NOT NULL,
    replacement_value TEXT,
    mode TEXT NOT NULL,
    price_per_day TEXT,
    deposit TEXT,
    conditions TEXT NOT NULL DEFAULT '',
    insurance_required BOOLEAN NOT NULL,
    min_notice_hours BIGINT NOT NULL,
    max_days BIGINT NOT NULL,
    turnaround_hours BIGINT NOT NULL,
    approval TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX resource_actor ON resource (actor_id, id);

-- A request for a quantity over a period, decided by the owner's node in one transaction. The
-- offer id (a remote Offer's id, or a local one) is the idempotency key.
CREATE TABLE reservation (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    resource_id BIGINT NOT NULL REFERENCES resource(id) ON DELETE CASCADE,
    offer_id TEXT NOT NULL UNIQUE,
    borrower_actor_id BIGINT REFERENCES actor(id) ON DELETE SET NULL,
    quantity BIGINT NOT NULL,
    start_time TIMESTAMPTZ NOT NULL,
    end_time TIMESTAMPTZ NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX reservation_resource ON reservation (resource_id, start_time);
