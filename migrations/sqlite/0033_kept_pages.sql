-- Issue 17: the cards and lists kept between requests (`service::kept`) are valid while the
-- log of changes stands still, so three more things they show are logged. A mission's picture
-- (new, replaced or removed) is logged as a change of its mission, like its slots are; the
-- search index reads the mission again, harmlessly.
CREATE TRIGGER search_picture_insert AFTER INSERT ON mission_picture BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('mission', NEW.mission_id);
END;
CREATE TRIGGER search_picture_update AFTER UPDATE ON mission_picture BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('mission', NEW.mission_id);
END;
CREATE TRIGGER search_picture_delete AFTER DELETE ON mission_picture BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('mission', OLD.mission_id);
END;

-- The API's lists show each mission's association with its summary and address: a change of
-- either is logged for its missions and resources, as a change of its name is (0021).
CREATE TRIGGER search_actor_profile AFTER UPDATE OF summary, url ON actor
WHEN OLD.summary IS NOT NEW.summary OR OLD.url IS NOT NEW.url BEGIN
    INSERT INTO search_change (kind, item_id)
        SELECT 'mission', id FROM mission WHERE actor_id = NEW.id AND deleted_at IS NULL;
    INSERT INTO search_change (kind, item_id)
        SELECT 'resource', id FROM resource WHERE actor_id = NEW.id AND deleted_at IS NULL;
END;

-- A volunteer's private feed shows their sign-ups, waiting or accepted: every change of one is
-- logged as a change of its slot's mission (a sign-up accepted also changes the slot's count).
CREATE TRIGGER search_participation_insert AFTER INSERT ON participation BEGIN
    INSERT INTO search_change (kind, item_id)
        SELECT 'mission', mission_id FROM slot WHERE id = NEW.slot_id;
END;
CREATE TRIGGER search_participation_update AFTER UPDATE ON participation BEGIN
    INSERT INTO search_change (kind, item_id)
        SELECT 'mission', mission_id FROM slot WHERE id = NEW.slot_id;
END;
CREATE TRIGGER search_participation_delete AFTER DELETE ON participation BEGIN
    INSERT INTO search_change (kind, item_id)
        SELECT 'mission', mission_id FROM slot WHERE id = OLD.slot_id;
END;
