-- Carrier labels and tracking (issue 15): the parcel of a return whose hub
-- buys its labels from a carrier platform (a hub's label_provider other than
-- "own"), the tracking events the platforms post, and the work done for
-- them outside any request's transaction (buy a label, void one, refund on
-- a trigger).

-- +goose Up
-- One row per return whose label is bought from a carrier platform,
-- written in the transaction that approves the return.
--
-- label_status: pending (being bought), bought, failed (staff see
-- last_error and may retry), voided and void_failed (after a cancellation),
-- cancelled (the return ended before the label was bought).
-- provider_shipment_id and provider_parcel_id are saved by the purchase
-- before it pays (EasyPost's shp_..., Sendcloud's return and parcel ids),
-- so that a retried purchase continues the same shipment.
-- The documents are the carrier's own: the label for a 4x6 in (A6) printer,
-- on A4 where offered, the QR code of label-free drop-off (PNG) and the
-- customs document, where the carrier gives them.
-- state .. delivered_at is where the parcel is (returns.Progress over its
-- tracking events), at the carrier's time and place; NULL before any event.
CREATE TABLE shipments (
    id                   INTEGER PRIMARY KEY,
    return_id            INTEGER   NOT NULL UNIQUE REFERENCES returns (id),
    provider             TEXT      NOT NULL,
    label_status         TEXT      NOT NULL,
    provider_shipment_id TEXT      NOT NULL DEFAULT '',
    provider_parcel_id   TEXT      NOT NULL DEFAULT '',
    tracking_number      TEXT      NULL,
    carrier              TEXT      NOT NULL DEFAULT '',
    service              TEXT      NOT NULL DEFAULT '',
    price                INTEGER   NULL,
    price_currency       TEXT      NOT NULL DEFAULT '',
    label_pdf            BLOB      NULL,
    label_a4             BLOB      NULL,
    qr_png               BLOB      NULL,
    customs_pdf          BLOB      NULL,
    last_error           TEXT      NOT NULL DEFAULT '',
    state                TEXT      NULL,
    state_at             TIMESTAMP NULL,
    state_place          TEXT      NOT NULL DEFAULT '',
    first_scan_at        TIMESTAMP NULL,
    delivered_at         TIMESTAMP NULL,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
-- A webhook finds its shipment by tracking number.
CREATE INDEX shipments_tracking ON shipments (provider, tracking_number);
-- The queue's filters "in transit" and "delivered, not yet received".
CREATE INDEX shipments_state ON shipments (state, return_id);

-- Every tracking event a platform posted, once: dedupe_key is a hash of the
-- platform, tracking number, carrier time, status and message, so that a
-- webhook sent twice, or an update repeating the earlier scans (EasyPost
-- sends the whole history each time), adds nothing. An event whose
-- tracking number matches no shipment is kept with shipment_id NULL and
-- attached when a label with that number is recorded.
CREATE TABLE tracking_events (
    id              INTEGER PRIMARY KEY,
    provider        TEXT      NOT NULL,
    dedupe_key      TEXT      NOT NULL UNIQUE,
    shipment_id     INTEGER   NULL REFERENCES shipments (id),
    tracking_number TEXT      NOT NULL,
    event_id        TEXT      NOT NULL DEFAULT '',
    state           TEXT      NOT NULL DEFAULT '',
    code            TEXT      NOT NULL DEFAULT '',
    message         TEXT      NOT NULL DEFAULT '',
    place           TEXT      NOT NULL DEFAULT '',
    occurred_at     TIMESTAMP NOT NULL,
    received_at     TIMESTAMP NOT NULL
);
CREATE INDEX tracking_events_shipment ON tracking_events (shipment_id, occurred_at, id);
CREATE INDEX tracking_events_number ON tracking_events (provider, tracking_number);

-- Work done by the carrier worker outside any transaction: buy a return's
-- label (kind 'label'), void it ('void'), pay it back on a refund trigger
-- ('refund', payload: the trigger). Written in the transaction of the change
-- that calls for it; at most one of each kind per return (UNIQUE), so that a
-- trigger firing twice (two webhooks at once) is still one refund. Claimed
-- under a lease like the outbox; retried on a schedule; a failed row stays
-- for staff. status: pending, done, failed, cancelled.
CREATE TABLE carrier_jobs (
    id          INTEGER PRIMARY KEY,
    return_id   INTEGER   NOT NULL REFERENCES returns (id),
    kind        TEXT      NOT NULL,
    status      TEXT      NOT NULL,
    payload     TEXT      NOT NULL DEFAULT '',
    attempts    INTEGER   NOT NULL DEFAULT 0,
    due_at      TIMESTAMP NOT NULL,
    lease_owner TEXT      NULL,
    lease_until TIMESTAMP NULL,
    last_error  TEXT      NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (return_id, kind)
);
CREATE INDEX carrier_jobs_due ON carrier_jobs (status, due_at, id);

-- +goose Down
DROP INDEX carrier_jobs_due;
DROP TABLE carrier_jobs;
DROP INDEX tracking_events_number;
DROP INDEX tracking_events_shipment;
DROP TABLE tracking_events;
DROP INDEX shipments_state;
DROP INDEX shipments_tracking;
DROP TABLE shipments;
