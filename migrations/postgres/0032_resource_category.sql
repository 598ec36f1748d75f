-- Issue 17: the equipment search of one category reads that category's resources in order of
-- name (a range of this index from the keyset cursor on), instead of walking every resource
-- by name and dropping the others: a rare category cost as much as reading them all.
CREATE INDEX resource_category_name ON resource (category, name, id) WHERE deleted_at IS NULL;
