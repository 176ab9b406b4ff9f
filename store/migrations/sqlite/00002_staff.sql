-- The staff area: accounts, server-side sessions, inspections, notes, the
-- refund records that make money movement exactly-once, and the columns and
-- indexes the queue filters and pages by (keyset pagination).

-- +goose Up
-- email is stored lower-cased by the store, so UNIQUE is case-insensitive.
-- password_hash is an argon2id PHC string.
CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    email         TEXT      NOT NULL UNIQUE,
    password_hash TEXT      NOT NULL,
    role          TEXT      NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    disabled_at   TIMESTAMP NULL
);

-- id_hash is the hex SHA-256 of the session id in the cookie (32 random
-- bytes): a stolen database yields no usable session. csrf is the session's
-- anti-CSRF token, sent back in forms and the X-CSRF-Token header.
CREATE TABLE staff_sessions (
    id_hash      TEXT      PRIMARY KEY,
    staff_id     INTEGER   NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    csrf         TEXT      NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- One row per inspected item of a return.
CREATE TABLE inspections (
    id                INTEGER PRIMARY KEY,
    return_id         INTEGER   NOT NULL REFERENCES returns (id),
    line_id           TEXT      NOT NULL,
    accepted_quantity INTEGER   NOT NULL CHECK (accepted_quantity >= 0),
    item_condition    TEXT      NOT NULL,
    notes             TEXT      NOT NULL DEFAULT '',
    actor             TEXT      NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL,
    UNIQUE (return_id, line_id)
);

-- Notes between staff about a return.
CREATE TABLE return_notes (
    id         INTEGER PRIMARY KEY,
    return_id  INTEGER   NOT NULL REFERENCES returns (id),
    actor      TEXT      NOT NULL DEFAULT '',
    body       TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX return_notes_return ON return_notes (return_id, id);

-- A return is paid back at most once: return_id is UNIQUE, whatever
-- idempotency key a request carries. The key is UNIQUE too, with the hash of
-- the request it came with and the response it got, written in the same
-- transaction as the refund, so that a replay gets the same answer.
CREATE TABLE refunds (
    id              INTEGER PRIMARY KEY,
    public_id       TEXT      NOT NULL UNIQUE,
    return_id       INTEGER   NOT NULL UNIQUE REFERENCES returns (id),
    idempotency_key TEXT      NOT NULL UNIQUE,
    request_hash    TEXT      NOT NULL,
    amount          INTEGER   NOT NULL,
    bonus           INTEGER   NOT NULL DEFAULT 0,
    currency        TEXT      NOT NULL,
    method          TEXT      NOT NULL,
    credit_code     TEXT      NULL UNIQUE,
    reference       TEXT      NOT NULL DEFAULT '',
    response        TEXT      NOT NULL,
    actor           TEXT      NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL
);

-- Copies kept for the queue's filters and its deadline column: the
-- destination country (orders.ship_country), when the parcel arrived, the
-- quote as the shopper was given it (before an inspection replaced it), and
-- the legal refund deadline (a local date, and the instant it is overdue).
ALTER TABLE returns ADD COLUMN ship_country TEXT NOT NULL DEFAULT '';
ALTER TABLE returns ADD COLUMN received_at TIMESTAMP NULL;
ALTER TABLE returns ADD COLUMN original_quote TEXT NULL;
ALTER TABLE returns ADD COLUMN refund_due TEXT NULL;
ALTER TABLE returns ADD COLUMN refund_overdue_at TIMESTAMP NULL;
UPDATE returns SET ship_country = (SELECT o.ship_country FROM orders o WHERE o.id = returns.order_id);

CREATE INDEX returns_created ON returns (created_at, id);
CREATE INDEX returns_status_created ON returns (status, created_at, id);
CREATE INDEX returns_country_created ON returns (ship_country, created_at, id);
CREATE INDEX returns_overdue ON returns (refund_overdue_at, id);
CREATE INDEX orders_email_lower ON orders (LOWER(email));
CREATE INDEX return_items_reason ON return_items (reason, return_id);

-- +goose Down
DROP INDEX return_items_reason;
DROP INDEX orders_email_lower;
DROP INDEX returns_overdue;
DROP INDEX returns_country_created;
DROP INDEX returns_status_created;
DROP INDEX returns_created;
ALTER TABLE returns DROP COLUMN refund_overdue_at;
ALTER TABLE returns DROP COLUMN refund_due;
ALTER TABLE returns DROP COLUMN original_quote;
ALTER TABLE returns DROP COLUMN received_at;
ALTER TABLE returns DROP COLUMN ship_country;
DROP TABLE refunds;
DROP TABLE return_notes;
DROP TABLE inspections;
DROP TABLE staff_sessions;
DROP TABLE staff;
