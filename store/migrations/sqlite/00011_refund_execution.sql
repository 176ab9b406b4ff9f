-- Refunds executed at a payment provider (claim → call → finalise), orders
-- arriving by shop webhooks, and the refunds made in the shop itself.

-- +goose Up
-- A refund row is claimed 'pending' before the provider is called (with the
-- row's public_id as the provider's idempotency key) and finalised
-- 'succeeded' or 'failed'. The rows stored before this migration were paid
-- in their own transaction: 'succeeded' by the built-in manual executor.
-- response is the API's answer to the Idempotency-Key the row was claimed
-- with ('' while pending), response_status its HTTP status. lease_until is
-- when a pending row may be taken over by the resume worker (the caller
-- that claimed it is presumed dead); attempts counts the provider calls.
ALTER TABLE refunds ADD COLUMN state TEXT NOT NULL DEFAULT 'succeeded';
ALTER TABLE refunds ADD COLUMN executor TEXT NOT NULL DEFAULT 'manual';
ALTER TABLE refunds ADD COLUMN target_status TEXT NOT NULL DEFAULT '';
ALTER TABLE refunds ADD COLUMN provider_refund_id TEXT NOT NULL DEFAULT '';
ALTER TABLE refunds ADD COLUMN error_code TEXT NOT NULL DEFAULT '';
ALTER TABLE refunds ADD COLUMN error_message TEXT NOT NULL DEFAULT '';
ALTER TABLE refunds ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
ALTER TABLE refunds ADD COLUMN lease_until TIMESTAMP NULL;
ALTER TABLE refunds ADD COLUMN response_status INTEGER NOT NULL DEFAULT 201;
ALTER TABLE refunds ADD COLUMN updated_at TIMESTAMP NULL;
UPDATE refunds SET updated_at = created_at,
    target_status = (SELECT r.status FROM returns r WHERE r.id = refunds.return_id);
-- The resume worker's pending rows, and the queue's "refund failed" filter.
CREATE INDEX refunds_state ON refunds (state, lease_until, return_id);

-- Every delivery of a shop's webhook, once: (platform, delivery_id) is the
-- sender's id, so a redelivery is answered 2xx and dropped. outcome is
-- applied, ignored or unmapped (with the reason, and the payload kept for
-- staff); a payload is kept only when it could not be mapped.
CREATE TABLE webhook_receipts (
    id           INTEGER PRIMARY KEY,
    platform     TEXT      NOT NULL,
    delivery_id  TEXT      NOT NULL,
    topic        TEXT      NOT NULL,
    outcome      TEXT      NOT NULL,
    reason       TEXT      NOT NULL DEFAULT '',
    order_number TEXT      NOT NULL DEFAULT '',
    payload      TEXT      NOT NULL DEFAULT '',
    received_at  TIMESTAMP NOT NULL,
    UNIQUE (platform, delivery_id)
);
CREATE INDEX webhook_receipts_outcome ON webhook_receipts (outcome, id);

-- A shop's own id of an order (Shopify's numeric id, WooCommerce's post id)
-- for the webhooks that name the order only by it (fulfillments, refunds,
-- deletions).
CREATE TABLE platform_orders (
    platform    TEXT    NOT NULL,
    external_id TEXT    NOT NULL,
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    PRIMARY KEY (platform, external_id)
);

-- Refunds made in the shop, outside the portal (Shopify's refunds/create):
-- they count against what the portal may still refund of the order
-- (returns.CheckRefundCap). Refunds the portal made itself are not recorded
-- here (their note carries the portal's refund id).
CREATE TABLE external_refunds (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER   NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    platform    TEXT      NOT NULL,
    external_id TEXT      NOT NULL,
    amount      INTEGER   NOT NULL CHECK (amount >= 0),
    currency    TEXT      NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (platform, external_id)
);
CREATE INDEX external_refunds_order ON external_refunds (order_id);

-- +goose Down
DROP INDEX external_refunds_order;
DROP TABLE external_refunds;
DROP TABLE platform_orders;
DROP INDEX webhook_receipts_outcome;
DROP TABLE webhook_receipts;
DROP INDEX refunds_state;
ALTER TABLE refunds DROP COLUMN updated_at;
ALTER TABLE refunds DROP COLUMN response_status;
ALTER TABLE refunds DROP COLUMN lease_until;
ALTER TABLE refunds DROP COLUMN attempts;
ALTER TABLE refunds DROP COLUMN error_message;
ALTER TABLE refunds DROP COLUMN error_code;
ALTER TABLE refunds DROP COLUMN provider_refund_id;
ALTER TABLE refunds DROP COLUMN target_status;
ALTER TABLE refunds DROP COLUMN executor;
ALTER TABLE refunds DROP COLUMN state;
