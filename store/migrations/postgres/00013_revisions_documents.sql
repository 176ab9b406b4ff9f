-- PostgreSQL twin of ../sqlite/00013_revisions_documents.sql (same number and name: TestMigrationsSameOnBothEngines).
-- Types spelled for PostgreSQL: identity columns, BIGINT, TIMESTAMPTZ, BYTEA.
-- What the read paths need to do less: an order's revision, so that a return
-- decided from the order as read before the write transaction can check in
-- it that the order is still the same; and the documents rendered once and
-- served from here afterwards.

-- +goose Up
-- revision counts the updates of an order (UpsertOrder and SetOrderTimes add one).
ALTER TABLE orders ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- A return's rendered documents (its label, per paper size and language).
-- fingerprint is a hash of everything the document prints and of the code
-- that rendered it: a stored document whose fingerprint no longer matches
-- what would be printed now is rendered again and replaced, so nothing
-- needs invalidating when an order, a translation or the renderer changes.
CREATE TABLE return_documents (
    return_id   BIGINT  NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
    kind        TEXT      NOT NULL,
    variant     TEXT      NOT NULL,
    fingerprint TEXT      NOT NULL,
    data        BYTEA     NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (return_id, kind, variant)
);

-- +goose Down
DROP TABLE return_documents;
ALTER TABLE orders DROP COLUMN revision;
