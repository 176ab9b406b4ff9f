-- Notifications (issue 13): the transactional outbox of e-mails and webhook
-- deliveries, the log of their attempts, the merchant's webhook endpoints,
-- and the shoppers' answers to the survey after a refund.

-- +goose Up
-- A webhook endpoint of the merchant's systems. events is a JSON array of
-- event types. secret signs every delivery (Standard Webhooks: "whsec_" +
-- base64); after a rotation old_secret signs as well until
-- old_secret_until. An endpoint answering 410 is disabled (disabled_reason
-- 'gone'); a deleted one keeps its row (deleted_at) so that its deliveries
-- stay listed.
CREATE TABLE webhook_endpoints (
    id               INTEGER PRIMARY KEY,
    public_id        TEXT      NOT NULL UNIQUE,
    url              TEXT      NOT NULL,
    events           TEXT      NOT NULL,
    enabled          BOOLEAN   NOT NULL DEFAULT TRUE,
    secret           TEXT      NOT NULL,
    old_secret       TEXT      NULL,
    old_secret_until TIMESTAMP NULL,
    disabled_reason  TEXT      NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    deleted_at       TIMESTAMP NULL
);

-- One row per thing to send: an e-mail (channel 'email') or one delivery of
-- an event to one endpoint (channel 'webhook'). It is written in the
-- transaction of the change it announces; a worker claims due rows by
-- setting lease_owner and lease_until (a crashed worker's lease runs out and
-- the row is claimed again), sends, and records the outcome. public_id is
-- the e-mail's Message-ID and the delivery's webhook-id: the same on every
-- attempt, so that a receiver drops a duplicate.
--
-- status: pending (due_at says when), sent, kept (no SMTP server
-- configured: shown in /admin/outbox only), failed (retries exhausted or a
-- permanent refusal), cancelled (a reminder whose return moved on, a
-- delivery to a deleted endpoint).
--
-- payload: for an e-mail, the facts of the event that later changes could
-- alter (JSON); for a webhook, the exact body that is signed and sent.
-- subject, headers, body_text and body_html are the e-mail as rendered at
-- its first attempt, so that every attempt and a resend send the same
-- message (headers: as staff read them in /admin/outbox).
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    public_id   TEXT      NOT NULL UNIQUE,
    channel     TEXT      NOT NULL,
    event       TEXT      NOT NULL,
    return_id   INTEGER   NULL REFERENCES returns (id),
    endpoint_id INTEGER   NULL REFERENCES webhook_endpoints (id),
    recipient   TEXT      NOT NULL DEFAULT '',
    locale      TEXT      NOT NULL DEFAULT '',
    payload     TEXT      NOT NULL,
    status      TEXT      NOT NULL,
    attempts    INTEGER   NOT NULL DEFAULT 0,
    due_at      TIMESTAMP NOT NULL,
    lease_owner TEXT      NULL,
    lease_until TIMESTAMP NULL,
    last_error  TEXT      NOT NULL DEFAULT '',
    last_code   INTEGER   NOT NULL DEFAULT 0,
    subject     TEXT      NOT NULL DEFAULT '',
    headers     TEXT      NOT NULL DEFAULT '',
    body_text   TEXT      NOT NULL DEFAULT '',
    body_html   TEXT      NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    sent_at     TIMESTAMP NULL
);
-- The worker's claim: pending rows in due order.
CREATE INDEX outbox_status_due ON outbox (status, due_at, id);
CREATE INDEX outbox_return ON outbox (return_id, id);
CREATE INDEX outbox_endpoint ON outbox (endpoint_id, id);
CREATE INDEX outbox_channel ON outbox (channel, id);

-- Every attempt at sending an outbox row: when, the answer's code (HTTP
-- status or SMTP reply code, 0 when there was none) and the error.
CREATE TABLE outbox_attempts (
    id          INTEGER PRIMARY KEY,
    outbox_id   INTEGER   NOT NULL REFERENCES outbox (id),
    at          TIMESTAMP NOT NULL,
    code        INTEGER   NOT NULL DEFAULT 0,
    error       TEXT      NOT NULL DEFAULT '',
    duration_ms INTEGER   NOT NULL DEFAULT 0
);
CREATE INDEX outbox_attempts_outbox ON outbox_attempts (outbox_id, id);

-- The shopper's answer to the survey after the refund: one per return
-- (UNIQUE), a score from 1 to 5 and an optional comment.
CREATE TABLE feedback (
    id         INTEGER PRIMARY KEY,
    return_id  INTEGER   NOT NULL UNIQUE REFERENCES returns (id),
    score      INTEGER   NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment    TEXT      NOT NULL DEFAULT '',
    locale     TEXT      NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX feedback_created ON feedback (created_at, id);

-- +goose Down
DROP INDEX feedback_created;
DROP TABLE feedback;
DROP INDEX outbox_attempts_outbox;
DROP TABLE outbox_attempts;
DROP INDEX outbox_channel;
DROP INDEX outbox_endpoint;
DROP INDEX outbox_return;
DROP INDEX outbox_status_due;
DROP TABLE outbox;
DROP TABLE webhook_endpoints;
