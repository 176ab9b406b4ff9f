-- PostgreSQL twin of ../sqlite/00013_rate_counters.sql (same number and name: TestMigrationsSameOnBothEngines).
-- Rate limits shared by every instance on one database (store/ratecount.go),
-- counted per key (a client's network, an order number, an account) in
-- buckets of a sixtieth of the window, with a lock row per key. The service
-- keeps its lookup limits in memory on SQLite (one instance, no write per
-- lookup) and counts here on PostgreSQL.
-- Numbered 00013, the next free one on main; the lead renumbers it after
-- perf, carriers and exchanges (00013-00015): 00016 then.

-- +goose Up
CREATE TABLE rate_counters (
    scope        TEXT      NOT NULL,
    rkey         TEXT      NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    n            BIGINT    NOT NULL,
    PRIMARY KEY (scope, rkey, window_start)
);
CREATE INDEX rate_counters_window ON rate_counters (window_start);

-- +goose Down
DROP INDEX rate_counters_window;
DROP TABLE rate_counters;
