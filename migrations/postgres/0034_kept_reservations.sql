-- Issue 17: the equipment search (`/resources` over dates, `/api/v1/resources`) is kept between
-- requests while the log of changes stands still (`service::kept`). What it shows of a
-- resource of this node depends on its loans, so every change of a reservation (asked,
-- accepted, picked up, returned, cancelled, deleted) is logged as a change of its resource. The
-- search index reads the resource again, harmlessly (it indexes no loan).
--
-- One function for any table whose rows are logged as another item's change: the trigger
-- names the kind logged and the column that holds the item's id.
CREATE FUNCTION search_log_item() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN changed := to_jsonb(OLD); ELSE changed := to_jsonb(NEW); END IF;
    INSERT INTO search_change (kind, item_id)
        VALUES (TG_ARGV[0], (changed ->> TG_ARGV[1])::bigint);
    RETURN NULL;
END $$;
CREATE TRIGGER search_reservation AFTER INSERT OR UPDATE OR DELETE ON reservation
    FOR EACH ROW EXECUTE FUNCTION search_log_item('resource', 'resource_id');
