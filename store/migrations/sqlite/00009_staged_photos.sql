-- Photos a shopper adds on the order form, before the return exists: checked
-- and re-encoded like return_photos (never the bytes sent), kept under a
-- random public id that the review and confirm forms carry, and moved into
-- return_photos in the transaction that creates the return. Staged photos
-- that no return took are deleted after a day (StagePhotos).

-- +goose Up
CREATE TABLE staged_photos (
    id           INTEGER PRIMARY KEY,
    public_id    TEXT      NOT NULL UNIQUE,
    order_id     INTEGER   NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_id      TEXT      NOT NULL,
    content_type TEXT      NOT NULL,
    width        INTEGER   NOT NULL,
    height       INTEGER   NOT NULL,
    size_bytes   INTEGER   NOT NULL,
    data         BLOB      NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX staged_photos_order ON staged_photos (order_id, id);
CREATE INDEX staged_photos_created ON staged_photos (created_at);

-- +goose Down
DROP INDEX staged_photos_created;
DROP INDEX staged_photos_order;
DROP TABLE staged_photos;
