-- Issue 17: indexes that serve the filters and the order of the main lists, so a page costs
-- what it shows and not what the node holds.

-- Home page and API: this node's (or other nodes') missions in order of start. Partial, so
-- that only the lists that say `local` or `NOT local` read them (on `(local, start_time)`,
-- SQLite, which plans without statistics, would read all of a node's missions for an
-- association's calendar rather than that association's).
CREATE INDEX mission_local_start ON mission (start_time) WHERE local;
CREATE INDEX mission_remote_start ON mission (start_time) WHERE NOT local;
-- Missions lasting more than a day, by end: with the start indexes they find the missions
-- under way without reading the node's history (storage/missions.rs, `long_mission`).
CREATE INDEX mission_long_end ON mission (end_time)
    WHERE julianday(end_time) - julianday(start_time) > 1.0;
-- The search of equipment reads the resources in order of name (storage/resources.rs).
CREATE INDEX resource_name ON resource (name);
-- The dashboard's count of hours waiting for a decision.
CREATE INDEX hours_entry_actor_status ON hours_entry (actor_id, status);
