-- The write probe of /healthz (Store.WriteProbe): one row, rewritten by
-- every probe through the writer, so that the probe fails where writes fail.

-- +goose Up
CREATE TABLE health_probe (
    id INTEGER   PRIMARY KEY,
    at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE health_probe;
