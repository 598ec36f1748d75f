-- Issue 17: a mission's picture is shown on its card, and the cards kept between requests
-- (`service::kept`) are valid while the log of changes stands still; so a new, replaced or
-- removed picture is logged as a change of its mission, like its slots are (the search index
-- reads the mission again, harmlessly).
CREATE TRIGGER search_picture_insert AFTER INSERT ON mission_picture BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('mission', NEW.mission_id);
END;
CREATE TRIGGER search_picture_update AFTER UPDATE ON mission_picture BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('mission', NEW.mission_id);
END;
CREATE TRIGGER search_picture_delete AFTER DELETE ON mission_picture BEGIN
    INSERT INTO search_change (kind, item_id) VALUES ('mission', OLD.mission_id);
END;
