-- The first schema of the portal. Portable by construction: no SQLite-only
-- types or functions beyond INTEGER PRIMARY KEY / AUTOINCREMENT, which the
-- PostgreSQL migrations will spell as identity columns. Times are TIMESTAMP
-- columns holding UTC; amounts are INTEGER minor units; documents that are
-- read and written whole (addresses, payments, quotes, policies) are JSON text.

-- +goose Up
CREATE TABLE orders (
    id                       INTEGER PRIMARY KEY,
    number                   TEXT      NOT NULL UNIQUE,
    email                    TEXT      NOT NULL,
    customer_name            TEXT      NOT NULL DEFAULT '',
    locale                   TEXT      NOT NULL DEFAULT '',
    currency                 TEXT      NOT NULL,
    placed_at                TIMESTAMP NOT NULL,
    shipped_at               TIMESTAMP NULL,
    delivered_at             TIMESTAMP NULL,
    -- ship_country and ship_region repeat the address's fields as columns so
    -- that reports can group by destination without parsing JSON.
    ship_country             TEXT      NOT NULL DEFAULT '',
    ship_region              TEXT      NOT NULL DEFAULT '',
    address                  TEXT      NOT NULL,
    shipping_amount          INTEGER   NOT NULL DEFAULT 0,
    shipping_method          TEXT      NOT NULL DEFAULT '',
    -- NULL means "not given" (defaults to shipping_amount), unlike 0.
    shipping_standard_amount INTEGER   NULL,
    payment                  TEXT      NOT NULL,
    gift                     BOOLEAN   NOT NULL DEFAULT FALSE,
    created_at               TIMESTAMP NOT NULL,
    updated_at               TIMESTAMP NOT NULL
);

CREATE TABLE order_lines (
    id             INTEGER PRIMARY KEY,
    order_id       INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    line_id        TEXT    NOT NULL,
    sku            TEXT    NOT NULL DEFAULT '',
    name           TEXT    NOT NULL DEFAULT '',
    variant        TEXT    NOT NULL DEFAULT '',
    quantity       INTEGER NOT NULL,
    unit_price     INTEGER NOT NULL,
    discount       INTEGER NOT NULL DEFAULT 0,
    tax            INTEGER NOT NULL DEFAULT 0,
    category       TEXT    NOT NULL DEFAULT '',
    exemption      TEXT    NOT NULL DEFAULT '',
    final_sale     BOOLEAN NOT NULL DEFAULT FALSE,
    hs_code        TEXT    NOT NULL DEFAULT '',
    origin_country TEXT    NOT NULL DEFAULT '',
    weight_grams   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (order_id, line_id)
);

-- Every save of the policy is a new row; a return records the version it was
-- decided under. AUTOINCREMENT so that a version number is never reused.
CREATE TABLE policy_versions (
    version    INTEGER PRIMARY KEY AUTOINCREMENT,
    document   TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT      NOT NULL DEFAULT ''
);

CREATE TABLE returns (
    id                       INTEGER PRIMARY KEY,
    rma                      TEXT      NOT NULL UNIQUE,
    order_id                 INTEGER   NOT NULL REFERENCES orders (id),
    status                   TEXT      NOT NULL,
    basis                    TEXT      NOT NULL DEFAULT '',
    refund_method            TEXT      NOT NULL DEFAULT '',
    consent                  BOOLEAN   NOT NULL DEFAULT FALSE,
    comment                  TEXT      NOT NULL DEFAULT '',
    bank_iban                TEXT      NOT NULL DEFAULT '',
    bank_holder              TEXT      NOT NULL DEFAULT '',
    policy_version           INTEGER   NOT NULL REFERENCES policy_versions (version),
    locale                   TEXT      NOT NULL DEFAULT '',
    currency                 TEXT      NOT NULL,
    total                    INTEGER   NOT NULL DEFAULT 0,
    -- Copied out of the quote so that the order's history (is the outbound
    -- shipping already refunded?) is a plain query, not JSON parsing.
    outbound_shipping_refund INTEGER   NOT NULL DEFAULT 0,
    quote                    TEXT      NOT NULL,
    manual_review            BOOLEAN   NOT NULL DEFAULT FALSE,
    created_at               TIMESTAMP NOT NULL,
    updated_at               TIMESTAMP NOT NULL
);
CREATE INDEX returns_status_updated ON returns (status, updated_at, id);
CREATE INDEX returns_order ON returns (order_id);
CREATE INDEX returns_updated ON returns (updated_at, id);

CREATE TABLE return_items (
    id        INTEGER PRIMARY KEY,
    return_id INTEGER NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    line_id   TEXT    NOT NULL,
    quantity  INTEGER NOT NULL CHECK (quantity > 0),
    reason    TEXT    NOT NULL DEFAULT '',
    refund    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX return_items_return ON return_items (return_id, position);

-- The audit log. return_id is NULL for events that concern no return (a
-- policy saved). No ON DELETE CASCADE: the log outlives what it describes.
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    return_id   INTEGER   NULL REFERENCES returns (id),
    at          TIMESTAMP NOT NULL,
    actor       TEXT      NOT NULL DEFAULT '',
    action      TEXT      NOT NULL,
    from_status TEXT      NOT NULL DEFAULT '',
    to_status   TEXT      NOT NULL DEFAULT '',
    note        TEXT      NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_return ON audit_events (return_id, id);

-- API keys are stored as the hex SHA-256 of the key, never the key itself;
-- prefix is the key's first characters, to tell keys apart in listings.
-- scopes is a JSON array of strings; an empty array means full access.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT      NOT NULL,
    prefix       TEXT      NOT NULL,
    hash         TEXT      NOT NULL UNIQUE,
    scopes       TEXT      NOT NULL DEFAULT '[]',
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP NULL,
    revoked_at   TIMESTAMP NULL
);

CREATE TABLE settings (
    key        TEXT      PRIMARY KEY,
    value      TEXT      NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE api_keys;
DROP TABLE audit_events;
DROP TABLE return_items;
DROP TABLE returns;
DROP TABLE policy_versions;
DROP TABLE order_lines;
DROP TABLE orders;
