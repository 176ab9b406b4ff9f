-- PostgreSQL twin of ../sqlite/00003_queue_indexes.sql (same number and name: TestMigrationsSameOnBothEngines).
-- Types spelled for PostgreSQL: identity columns, BIGINT, TIMESTAMPTZ, BYTEA.
-- The staff queue at a million returns (`make bench-admin`): indexes for the
-- filter and sort combinations that 00002's do not serve, a normalised e-mail
-- to search orders by, and the counts per status kept up to date by the
-- store in the transaction of every status change, so that the queue does
-- not count a million rows on every page.

-- +goose Up
-- One status sorted by the refund deadline; and the overdue filter (the
-- open statuses, deadline passed), which reads the (created_at, id) of the
-- overdue returns from this index alone and sorts those, not whole rows.
-- (Partial indexes on the open statuses would serve it in order, but
-- SQLite's planner prefers any index that the IN on status can seek.)
CREATE INDEX returns_status_overdue ON returns (status, refund_overdue_at, id, created_at);
-- One status in one country, newest first (both filters can be rare).
CREATE INDEX returns_status_country_created ON returns (status, ship_country, created_at, id);

-- email_norm is the order's e-mail trimmed and lower-cased by the store
-- (store.NormalizeEmail, Unicode-aware, unlike SQLite's ASCII-only LOWER);
-- the search of the queue compares it with the normalised input. Existing
-- rows are filled with SQLite's LOWER, exact for ASCII addresses.
ALTER TABLE orders ADD COLUMN email_norm TEXT NOT NULL DEFAULT '';
UPDATE orders SET email_norm = LOWER(TRIM(email));
CREATE INDEX orders_email_norm ON orders (email_norm);
DROP INDEX orders_email_lower;

-- The number of returns in each status. The store changes it in the same
-- transaction as the return (CreateReturn, Transition and the staff actions),
-- so it is exact, and the queue reads eleven rows instead of counting.
CREATE TABLE return_status_counts (
    status TEXT    PRIMARY KEY,
    n      BIGINT NOT NULL DEFAULT 0
);
INSERT INTO return_status_counts (status, n) SELECT status, COUNT(*) FROM returns GROUP BY status;

-- +goose Down
DROP TABLE return_status_counts;
CREATE INDEX orders_email_lower ON orders (LOWER(email));
DROP INDEX orders_email_norm;
ALTER TABLE orders DROP COLUMN email_norm;
DROP INDEX returns_status_country_created;
DROP INDEX returns_status_overdue;
