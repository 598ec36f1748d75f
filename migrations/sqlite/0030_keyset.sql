-- Issue 17: an association's resources in pages by name, then id (`?cursor=`): read from
-- this index in order, so a deep page costs what the first costs.
CREATE INDEX resource_actor_name ON resource (actor_id, name, id);
