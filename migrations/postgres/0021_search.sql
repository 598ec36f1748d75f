-- Issue 15: search. Every process keeps its own search index (tantivy, in its data directory)
-- and feeds it from this log of changes, written by triggers in the transaction of the change:
-- whatever writes a mission, a slot, a resource or an association's name, the log has it.
-- Several processes may write at once, and a row with a lower id may commit after one with a
-- higher id; so the log is read in (tx, id) order, and only rows whose transaction is older
-- than every transaction still running (`txid_snapshot_xmin`): no row can appear later below
-- what a reader has passed. `kind` is `mission`, `resource` or `all` (`entraide admin
-- reindex`: every process rebuilds its index).
CREATE TABLE search_change (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx BIGINT NOT NULL DEFAULT txid_current(),
    kind TEXT NOT NULL,
    item_id BIGINT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX search_change_order ON search_change (tx, id);
CREATE INDEX search_change_age ON search_change (changed_at);

-- The highest (tx, id) removed from the log: a process whose index is behind it rebuilds.
CREATE TABLE search_change_pruned (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    tx BIGINT NOT NULL,
    id BIGINT NOT NULL
);
INSERT INTO search_change_pruned (one, tx, id) VALUES (1, 0, 0);

-- A remote `Event` that is not an Entraide mission (Mobilizon, Gancio): searched as an event.
ALTER TABLE mission ADD COLUMN is_event BOOLEAN NOT NULL DEFAULT FALSE;

CREATE FUNCTION search_log_mission() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_change (kind, item_id) VALUES ('mission', OLD.id);
    ELSE
        INSERT INTO search_change (kind, item_id) VALUES ('mission', NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION search_log_slot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_change (kind, item_id) VALUES ('mission', OLD.mission_id);
    ELSE
        INSERT INTO search_change (kind, item_id) VALUES ('mission', NEW.mission_id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION search_log_resource() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_change (kind, item_id) VALUES ('resource', OLD.id);
    ELSE
        INSERT INTO search_change (kind, item_id) VALUES ('resource', NEW.id);
    END IF;
    RETURN NULL;
END $$;

-- An association's name is shown with its missions and equipment.
CREATE FUNCTION search_log_actor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_change (kind, item_id)
        SELECT 'mission', id FROM mission WHERE actor_id = NEW.id AND deleted_at IS NULL;
    INSERT INTO search_change (kind, item_id)
        SELECT 'resource', id FROM resource WHERE actor_id = NEW.id AND deleted_at IS NULL;
    RETURN NULL;
END $$;

CREATE TRIGGER search_mission AFTER INSERT OR UPDATE OR DELETE ON mission
    FOR EACH ROW EXECUTE FUNCTION search_log_mission();
CREATE TRIGGER search_slot AFTER INSERT OR UPDATE OR DELETE ON slot
    FOR EACH ROW EXECUTE FUNCTION search_log_slot();
CREATE TRIGGER search_resource AFTER INSERT OR UPDATE OR DELETE ON resource
    FOR EACH ROW EXECUTE FUNCTION search_log_resource();
CREATE TRIGGER search_actor_name AFTER UPDATE OF display_name, name ON actor
    FOR EACH ROW WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name
                       OR OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION search_log_actor();
