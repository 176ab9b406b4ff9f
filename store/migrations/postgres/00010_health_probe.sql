-- PostgreSQL twin of ../sqlite/00010_health_probe.sql (same number and name: TestMigrationsSameOnBothEngines).
-- Types spelled for PostgreSQL: identity columns, BIGINT, TIMESTAMPTZ, BYTEA.
-- The write probe of /healthz (Store.WriteProbe): one row, rewritten by
-- every probe through the writer, so that the probe fails where writes fail.

-- +goose Up
CREATE TABLE health_probe (
    id BIGINT      PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE health_probe;
