-- Issue 15: search. Every process keeps its own search index (tantivy, in its data directory)
-- and feeds it from this log of changes, written by triggers in the transaction of the change:
-- whatever writes a mission, a slot, a resource or an association's name, the log has it.
-- `tx` orders the log on PostgreSQL (see the PostgreSQL file); SQLite has one writer at a
-- time, so the id alone orders it and `tx` stays 0. `kind` is `mission`, `resource` or `all`
-- (`entraide admin reindex`: every process rebuilds its index).
CREATE TABLE search_change (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tx INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX search_change_age ON search_change (changed_at);

-- The highest (tx, id) removed from the log: a process whose index is behind it rebuilds.
CREATE TABLE search_change_pruned (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    tx INTEGER NOT NULL,
    id INTEGER NOT NULL
);
INSERT INTO search_change_pruned (one, tx, id) VALUES (1, 0, 0);

-- A remote `Event` that is not an Entraide mission (Mobilizon, Gancio): searched as an event.
ALTER TABLE mission ADD COLUMN is_event BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TRIGGER search_mission_insert AFTER INSERT ON mission BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('mission', NEW.id);
END;
CREATE TRIGGER search_mission_update AFTER UPDATE ON mission BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('mission', NEW.id);
END;
CREATE TRIGGER search_mission_delete AFTER DELETE ON mission BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('mission', OLD.id);
END;
CREATE TRIGGER search_slot_insert AFTER INSERT ON slot BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('mission', NEW.mission_id);
END;
CREATE TRIGGER search_slot_update AFTER UPDATE ON slot BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('mission', NEW.mission_id);
END;
CREATE TRIGGER search_slot_delete AFTER DELETE ON slot BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('mission', OLD.mission_id);
END;
CREATE TRIGGER search_resource_insert AFTER INSERT ON resource BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('resource', NEW.id);
END;
CREATE TRIGGER search_resource_update AFTER UPDATE ON resource BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('resource', NEW.id);
END;
CREATE TRIGGER search_resource_delete AFTER DELETE ON resource BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('resource', OLD.id);
END;
-- An association's name is shown with its missions and equipment.
CREATE TRIGGER search_actor_name AFTER UPDATE OF display_name, name ON actor
WHEN OLD.display_name IS NOT NEW.display_name OR OLD.name IS NOT NEW.name BEGIN
    INSERT INTO search_change (kind, item_id)
        SELECT 'mission', id FROM mission WHERE actor_id = NEW.id AND deleted_at IS NULL;
    INSERT INTO search_change (kind, item_id)
        SELECT 'resource', id FROM resource WHERE actor_id = NEW.id AND deleted_at IS NULL;
END;
