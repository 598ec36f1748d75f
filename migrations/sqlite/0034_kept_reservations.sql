-- Issue 17: the equipment search (`/resources` over dates, `/api/v1/resources`) is kept between
-- requests while the log of changes stands still (`service::kept`). What it shows of a
-- resource of this node depends on its loans, so every change of a reservation (asked,
-- accepted, picked up, returned, cancelled, deleted) is logged as a change of its resource. The
-- search index reads the resource again, harmlessly (it indexes no loan).
CREATE TRIGGER search_reservation_insert AFTER INSERT ON reservation BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('resource', NEW.resource_id);
END;
CREATE TRIGGER search_reservation_update AFTER UPDATE ON reservation BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('resource', NEW.resource_id);
END;
CREATE TRIGGER search_reservation_delete AFTER DELETE ON reservation BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('resource', OLD.resource_id);
END;
