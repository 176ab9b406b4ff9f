-- Exchanges (issue 18): the shop's catalog for exchanges, the exchanged
-- items of returns with their reservations, the review rules' matches,
-- keep-the-item (returnless) returns and gift returns.

-- +goose Up
-- An order line's product in the catalog ('' : none, not exchangeable).
ALTER TABLE order_lines ADD COLUMN product_id TEXT NOT NULL DEFAULT '';

-- The products the shop pushes (PUT /api/v1/products/{id}); product_id is
-- the shop's id, as order lines name it.
CREATE TABLE products (
    id         INTEGER PRIMARY KEY,
    product_id TEXT      NOT NULL UNIQUE,
    title      TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A product's variants. A SKU belongs to one product. inventory is the
-- shop's figure of units available for exchanges, as last PUT; reserved
-- counts the units open reservations hold (return_exchanges in state
-- 'reserved'), issued the units exchanged since that PUT (the shop's
-- replacement orders have not yet lowered its figure). A reservation is
-- taken by one guarded UPDATE (inventory - reserved - issued >= units), so
-- the last unit cannot be reserved twice on any database. options and
-- prices are JSON documents read whole.
CREATE TABLE product_variants (
    id         INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    sku        TEXT    NOT NULL UNIQUE,
    title      TEXT    NOT NULL DEFAULT '',
    options    TEXT    NOT NULL DEFAULT '{}',
    prices     TEXT    NOT NULL DEFAULT '{}',
    inventory  INTEGER NOT NULL CHECK (inventory >= 0),
    reserved   INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    issued     INTEGER NOT NULL DEFAULT 0 CHECK (issued >= 0)
);
CREATE INDEX product_variants_product ON product_variants (product_id, position);

-- The exchanged items of returns: the line sent back, the variant sent
-- instead (its title and options when reserved) and the state:
-- reserved → issued, or released.
CREATE TABLE return_exchanges (
    id         INTEGER PRIMARY KEY,
    return_id  INTEGER   NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
    position   INTEGER   NOT NULL,
    line_id    TEXT      NOT NULL,
    product_id TEXT      NOT NULL DEFAULT '',
    sku        TEXT      NOT NULL,
    title      TEXT      NOT NULL DEFAULT '',
    options    TEXT      NOT NULL DEFAULT '{}',
    quantity   INTEGER   NOT NULL CHECK (quantity > 0),
    state      TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX return_exchanges_return ON return_exchanges (return_id, position);
CREATE INDEX return_exchanges_sku ON return_exchanges (sku, state);

-- returnless copies the quote's flag for reports (the admin's count);
-- gift_email is where a gift recipient's store credit and messages go
-- ('' : the buyer's own return).
ALTER TABLE returns ADD COLUMN returnless BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE returns ADD COLUMN gift_email TEXT NOT NULL DEFAULT '';
CREATE INDEX returns_returnless ON returns (returnless, status);

-- The review rules a return matched (returns.ReviewMatch as JSON), for
-- staff only.
CREATE TABLE review_flags (
    id        INTEGER PRIMARY KEY,
    return_id INTEGER NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    rule      TEXT    NOT NULL,
    detail    TEXT    NOT NULL
);
CREATE INDEX review_flags_return ON review_flags (return_id, position);

-- +goose Down
DROP INDEX review_flags_return;
DROP TABLE review_flags;
DROP INDEX returns_returnless;
ALTER TABLE returns DROP COLUMN gift_email;
ALTER TABLE returns DROP COLUMN returnless;
DROP INDEX return_exchanges_sku;
DROP INDEX return_exchanges_return;
DROP TABLE return_exchanges;
DROP INDEX product_variants_product;
DROP TABLE product_variants;
DROP TABLE products;
ALTER TABLE order_lines DROP COLUMN product_id;
