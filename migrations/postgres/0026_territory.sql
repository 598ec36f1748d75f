-- Issue 15 (the territory's dashboard): the yearly figures each Entraide source publishes
-- (`GET /api/v1/statistics?year=`), as the aggregator last fetched them, one copy per source
-- and year, replaced at each walk. `published` false: the source answered that it does not
-- publish (its `body` is then empty). `body`: the figures, checked, as JSON.
CREATE TABLE territory_statistics (
    source_id BIGINT NOT NULL REFERENCES aggregator_source(id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    published BOOLEAN NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    fetched_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source_id, year)
);
CREATE INDEX territory_statistics_year ON territory_statistics (year);
