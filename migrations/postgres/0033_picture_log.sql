-- Issue 17: a mission's picture is shown on its card, and the cards kept between requests
-- (`service::kept`) are valid while the log of changes stands still; so a new, replaced or
-- removed picture is logged as a change of its mission, like its slots are (the search index
-- reads the mission again, harmlessly). The slots' function logs `mission_id` already.
CREATE TRIGGER search_picture AFTER INSERT OR UPDATE OR DELETE ON mission_picture
    FOR EACH ROW EXECUTE FUNCTION search_log_slot();
