-- Photo evidence from shoppers and goodwill overrides by admins.

-- +goose Up
-- Photos are kept in the database, not in files: they are written in the
-- same transaction as the return they belong to (no orphan files, no
-- half-made return), every instance behind a load balancer sees them, and a
-- database backup holds them. data is the re-encoded image (JPEG or PNG,
-- without metadata), never the bytes the shopper sent; public_id is random
-- (the shopper's file name is not kept at all).
CREATE TABLE return_photos (
    id           INTEGER PRIMARY KEY,
    public_id    TEXT      NOT NULL UNIQUE,
    return_id    INTEGER   NOT NULL REFERENCES returns (id),
    line_id      TEXT      NOT NULL,
    content_type TEXT      NOT NULL,
    width        INTEGER   NOT NULL,
    height       INTEGER   NOT NULL,
    size_bytes   INTEGER   NOT NULL,
    data         BLOB      NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX return_photos_return ON return_photos (return_id, id);

-- A goodwill line is money an admin grants on top of a return's quote (an
-- ineligible item approved anyway, or a refund above the quote), with the
-- mandatory reason and who granted it. It is paid with the return's refund
-- and recorded there separately (refunds.goodwill), so that "cash refunds
-- never exceed what was paid, except recorded goodwill" can be checked.
CREATE TABLE goodwill (
    id         INTEGER PRIMARY KEY,
    return_id  INTEGER   NOT NULL REFERENCES returns (id),
    line_id    TEXT      NOT NULL DEFAULT '',
    amount     INTEGER   NOT NULL CHECK (amount > 0),
    currency   TEXT      NOT NULL,
    reason     TEXT      NOT NULL,
    actor      TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX goodwill_return ON goodwill (return_id, id);

ALTER TABLE refunds ADD COLUMN goodwill INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE refunds DROP COLUMN goodwill;
DROP INDEX goodwill_return;
DROP TABLE goodwill;
DROP INDEX return_photos_return;
DROP TABLE return_photos;
