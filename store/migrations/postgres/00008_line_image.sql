-- PostgreSQL twin of ../sqlite/00008_line_image.sql (same number and name: TestMigrationsSameOnBothEngines).
-- Types spelled for PostgreSQL: identity columns, BIGINT, TIMESTAMPTZ, BYTEA.
-- An order line's picture for the shopper's pages (returns.Line.ImageURL): an
-- https URL on a host the settings allow, '' when the shop sent none. The
-- index lists the countries orders go to without reading every order (the
-- policy page offers each of them).

-- +goose Up
ALTER TABLE order_lines ADD COLUMN image_url TEXT NOT NULL DEFAULT '';
CREATE INDEX orders_ship_country ON orders (ship_country);

-- +goose Down
DROP INDEX orders_ship_country;
ALTER TABLE order_lines DROP COLUMN image_url;
