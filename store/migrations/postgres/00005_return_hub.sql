-- PostgreSQL twin of ../sqlite/00005_return_hub.sql (same number and name: TestMigrationsSameOnBothEngines).
-- Types spelled for PostgreSQL: identity columns, BIGINT, TIMESTAMPTZ, BYTEA.
-- The hub a return's parcel goes to, for the queue's hub filter: the hub of
-- the effective policy (returns.Policy.Effective) for the return's
-- destination country under the policy version the return was decided
-- under. The store writes it with the return (setRefundDue); the returns
-- that exist before this migration are filled by Store.Migrate in Go
-- (backfillHubs), since the policy documents are JSON that SQL cannot
-- evaluate. NULL means "not computed yet"; '' means the policy names no hub.

-- +goose Up
ALTER TABLE returns ADD COLUMN hub TEXT NULL;
-- One hub, newest first (and the keyset's cursor); also finds the returns
-- that the backfill has not computed (hub IS NULL).
CREATE INDEX returns_hub_created ON returns (hub, created_at, id);
-- The overdue filter with a hub filter still picks its page from this index
-- alone (00003's, widened by the hub).
DROP INDEX returns_status_overdue;
CREATE INDEX returns_status_overdue ON returns (status, refund_overdue_at, id, created_at, hub);

-- +goose Down
DROP INDEX returns_status_overdue;
CREATE INDEX returns_status_overdue ON returns (status, refund_overdue_at, id, created_at);
DROP INDEX returns_hub_created;
ALTER TABLE returns DROP COLUMN hub;
