-- Issue 17: the cards and lists kept between requests (`service::kept`) are valid while the
-- log of changes stands still, so three more things they show are logged. A mission's picture
-- (new, replaced or removed) is logged as a change of its mission, like its slots are; the
-- search index reads the mission again, harmlessly.
CREATE TRIGGER search_picture AFTER INSERT OR UPDATE OR DELETE ON mission_picture
    FOR EACH ROW EXECUTE FUNCTION search_log_slot(); -- it logs the row's mission_id

-- The API's lists show each mission's association with its summary and address: a change of
-- either is logged for its missions and resources, as a change of its name is (0021).
CREATE TRIGGER search_actor_profile AFTER UPDATE OF summary, url ON actor
    FOR EACH ROW WHEN (OLD.summary IS DISTINCT FROM NEW.summary OR OLD.url IS DISTINCT FROM NEW.url)
    EXECUTE FUNCTION search_log_actor();

-- A volunteer's private feed shows their sign-ups, waiting or accepted: every change of one is
-- logged as a change of its slot's mission (a sign-up accepted also changes the slot's count).
CREATE FUNCTION search_log_participation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO search_change (kind, item_id)
            SELECT 'mission', mission_id FROM slot WHERE id = OLD.slot_id;
    ELSE
        INSERT INTO search_change (kind, item_id)
            SELECT 'mission', mission_id FROM slot WHERE id = NEW.slot_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_participation AFTER INSERT OR UPDATE OR DELETE ON participation
    FOR EACH ROW EXECUTE FUNCTION search_log_participation();
