-- Issue 5: volunteer hours. Dates are `YYYY-MM-DD` text and money/distances decimal text in both
-- back ends, so no value ever passes through a float.
CREATE TABLE hours_entry (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    guest_name TEXT,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    distance_km TEXT,
    category TEXT NOT NULL,
    mission_id BIGINT REFERENCES mission(id) ON DELETE SET NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    slot_id BIGINT REFERENCES slot(id) ON DELETE SET NULL,
    participation_id BIGINT UNIQUE REFERENCES participation(id) ON DELETE SET NULL,
    created_by BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX hours_entry_actor ON hours_entry (actor_id, start_date);
CREATE INDEX hours_entry_user ON hours_entry (user_id, start_date);

-- Every change of an entry, written in the same transaction: who, when, before and after (JSON;
-- `before` is NULL for a creation, `after` NULL for a deletion). Never updated nor deleted.
CREATE TABLE hours_history (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id BIGINT NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES actor(id) ON DELETE CASCADE,
    changed_by BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX hours_history_entry ON hours_history (entry_id, id);

CREATE TABLE hours_settings (
    actor_id BIGINT PRIMARY KEY REFERENCES actor(id) ON DELETE CASCADE,
    moderation BOOLEAN NOT NULL,
    hourly_rate TEXT NOT NULL,
    category_rates TEXT NOT NULL,
    mileage_rate TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- A coordinator's mark for one sign-up of a slot that is over; presence points to its entry.
CREATE TABLE attendance (
    participation_id BIGINT PRIMARY KEY REFERENCES participation(id) ON DELETE CASCADE,
    slot_id BIGINT NOT NULL REFERENCES slot(id) ON DELETE CASCADE,
    present BOOLEAN NOT NULL,
    entry_id BIGINT REFERENCES hours_entry(id) ON DELETE SET NULL,
    marked_by BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    marked_at TIMESTAMPTZ NOT NULL
);
