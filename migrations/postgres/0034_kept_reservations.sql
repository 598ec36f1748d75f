-- Issue 17: the equipment search (`/resources` over dates, `/api/v1/resources`) is kept between
-- requests while the log of changes stands still (`service::kept`). What it shows of a
-- resource of this node depends on its loans, so every change of a reservation (asked,
-- accepted, picked up, returned, cancelled, deleted) is logged as a change of its resource. The
-- search index reads the resource again, harmlessly (it indexes no loan).
CREATE FUNCTION search_log_reservation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_change (kind, item_id) VALUES ('resource', OLD.resource_id);
    ELSE
        INSERT INTO search_change (kind, item_id) VALUES ('resource', NEW.resource_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_reservation AFTER INSERT OR UPDATE OR DELETE ON reservation
    FOR EACH ROW EXECUTE FUNCTION search_log_reservation();
