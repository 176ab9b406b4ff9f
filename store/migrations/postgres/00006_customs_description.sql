-- PostgreSQL twin of ../sqlite/00006_customs_description.sql (same number and name: TestMigrationsSameOnBothEngines).
-- Types spelled for PostgreSQL: identity columns, BIGINT, TIMESTAMPTZ, BYTEA.
-- An order line's description for customs declarations, in English (Latin
-- script), as the shop sends it (returns.Line.CustomsDescription); '' when the
-- shop sent none: the declaration then describes the goods by their HS
-- heading.

-- +goose Up
ALTER TABLE order_lines ADD COLUMN customs_description TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE order_lines DROP COLUMN customs_description;
