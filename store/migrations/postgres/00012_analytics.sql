-- PostgreSQL twin of ../sqlite/00012_analytics.sql (same number and name: TestMigrationsSameOnBothEngines).
-- Types spelled for PostgreSQL: identity columns, BIGINT, TIMESTAMPTZ, BYTEA.
-- The merchant's reports (issue 17): rollup tables that the store keeps in
-- the transaction of every change to a return or an order, so that a report
-- sums a bounded number of rows instead of a million returns. Each table
-- keeps, for every level of block (lvl 0: a UTC day; lvl k >= 1: 4^(k-1)
-- weeks from a Monday; blk is the block's first day, counted from
-- 1970-01-01), one row per combination of the dimensions the reports filter
-- and group by. analytics.Blocks splits a date range into such blocks. A
-- row holds the sums of what the returns (or orders) of its block and
-- dimensions contribute (analytics.Delta); `returns-portal analytics
-- rebuild` (Store.RebuildAnalytics) recounts them all from the raw rows.
--
-- Rows are keyed WITHOUT ROWID on their dimensions: a change is an upsert by
-- key, and a report reads the rows of its blocks in key order.

-- +goose Up
-- Whether the law alone made the return possible (returns.LawOnly), decided
-- when the return is created.
ALTER TABLE returns ADD COLUMN law_only BOOLEAN NOT NULL DEFAULT FALSE;

-- Return items by the day the return was requested, where the order went
-- (country, region), the hub, the refund method, the item's reason and
-- category, the currency and the return's state (analytics.State). What a
-- return counts once (returns, refunds, fees...) is on its first item's row.
CREATE TABLE analytics_returns (
    lvl              BIGINT NOT NULL,
    blk              BIGINT NOT NULL,
    country          TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    hub              TEXT    NOT NULL,
    method           TEXT    NOT NULL,
    reason           TEXT    NOT NULL,
    category         TEXT    NOT NULL,
    currency         TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    items            BIGINT NOT NULL DEFAULT 0,
    units            BIGINT NOT NULL DEFAULT 0,
    value            BIGINT NOT NULL DEFAULT 0,
    inspected_units  BIGINT NOT NULL DEFAULT 0,
    unsellable_units BIGINT NOT NULL DEFAULT 0,
    returns          BIGINT NOT NULL DEFAULT 0,
    statutory        BIGINT NOT NULL DEFAULT 0,
    law_only         BIGINT NOT NULL DEFAULT 0,
    refunds          BIGINT NOT NULL DEFAULT 0,
    refunded         BIGINT NOT NULL DEFAULT 0,
    bonus            BIGINT NOT NULL DEFAULT 0,
    goodwill         BIGINT NOT NULL DEFAULT 0,
    restocking       BIGINT NOT NULL DEFAULT 0,
    return_shipping  BIGINT NOT NULL DEFAULT 0,
    outbound         BIGINT NOT NULL DEFAULT 0,
    deadline_refunds BIGINT NOT NULL DEFAULT 0,
    in_time          BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (lvl, blk, country, region, hub, method, reason, category, currency, state)
);

-- Two projections of analytics_returns, each the sums of its rows over the
-- dimensions it leaves out: without the items' reason and category (the
-- overview, countries and money reports, any filter of place or method),
-- and without the place (reasons, categories, methods). A report reads
-- the smallest table that has every dimension it filters or groups by
-- (store.smallest); a few hundred rows a block instead of tens of
-- thousands.
CREATE TABLE analytics_returns_geo (
    lvl              BIGINT NOT NULL,
    blk              BIGINT NOT NULL,
    country          TEXT    NOT NULL,
    region           TEXT    NOT NULL,
    hub              TEXT    NOT NULL,
    method           TEXT    NOT NULL,
    currency         TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    items            BIGINT NOT NULL DEFAULT 0,
    units            BIGINT NOT NULL DEFAULT 0,
    value            BIGINT NOT NULL DEFAULT 0,
    inspected_units  BIGINT NOT NULL DEFAULT 0,
    unsellable_units BIGINT NOT NULL DEFAULT 0,
    returns          BIGINT NOT NULL DEFAULT 0,
    statutory        BIGINT NOT NULL DEFAULT 0,
    law_only         BIGINT NOT NULL DEFAULT 0,
    refunds          BIGINT NOT NULL DEFAULT 0,
    refunded         BIGINT NOT NULL DEFAULT 0,
    bonus            BIGINT NOT NULL DEFAULT 0,
    goodwill         BIGINT NOT NULL DEFAULT 0,
    restocking       BIGINT NOT NULL DEFAULT 0,
    return_shipping  BIGINT NOT NULL DEFAULT 0,
    outbound         BIGINT NOT NULL DEFAULT 0,
    deadline_refunds BIGINT NOT NULL DEFAULT 0,
    in_time          BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (lvl, blk, country, region, hub, method, currency, state)
);

CREATE TABLE analytics_returns_items (
    lvl              BIGINT NOT NULL,
    blk              BIGINT NOT NULL,
    method           TEXT    NOT NULL,
    reason           TEXT    NOT NULL,
    category         TEXT    NOT NULL,
    currency         TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    items            BIGINT NOT NULL DEFAULT 0,
    units            BIGINT NOT NULL DEFAULT 0,
    value            BIGINT NOT NULL DEFAULT 0,
    inspected_units  BIGINT NOT NULL DEFAULT 0,
    unsellable_units BIGINT NOT NULL DEFAULT 0,
    returns          BIGINT NOT NULL DEFAULT 0,
    statutory        BIGINT NOT NULL DEFAULT 0,
    law_only         BIGINT NOT NULL DEFAULT 0,
    refunds          BIGINT NOT NULL DEFAULT 0,
    refunded         BIGINT NOT NULL DEFAULT 0,
    bonus            BIGINT NOT NULL DEFAULT 0,
    goodwill         BIGINT NOT NULL DEFAULT 0,
    restocking       BIGINT NOT NULL DEFAULT 0,
    return_shipping  BIGINT NOT NULL DEFAULT 0,
    outbound         BIGINT NOT NULL DEFAULT 0,
    deadline_refunds BIGINT NOT NULL DEFAULT 0,
    in_time          BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (lvl, blk, method, reason, category, currency, state)
);

-- How long returns took, stage by stage (analytics.StageNames), as
-- histograms: s<stage>_b<bucket> counts the returns whose stage took a
-- duration in that bucket (analytics.BucketBounds). A return counts on its
-- first item's reason and category.
CREATE TABLE analytics_speed (
    lvl      BIGINT NOT NULL,
    blk      BIGINT NOT NULL,
    country  TEXT    NOT NULL,
    region   TEXT    NOT NULL,
    hub      TEXT    NOT NULL,
    method   TEXT    NOT NULL,
    reason   TEXT    NOT NULL,
    category TEXT    NOT NULL,
    s0_b0 BIGINT NOT NULL DEFAULT 0,
    s0_b1 BIGINT NOT NULL DEFAULT 0,
    s0_b2 BIGINT NOT NULL DEFAULT 0,
    s0_b3 BIGINT NOT NULL DEFAULT 0,
    s0_b4 BIGINT NOT NULL DEFAULT 0,
    s0_b5 BIGINT NOT NULL DEFAULT 0,
    s0_b6 BIGINT NOT NULL DEFAULT 0,
    s0_b7 BIGINT NOT NULL DEFAULT 0,
    s0_b8 BIGINT NOT NULL DEFAULT 0,
    s0_b9 BIGINT NOT NULL DEFAULT 0,
    s0_b10 BIGINT NOT NULL DEFAULT 0,
    s0_b11 BIGINT NOT NULL DEFAULT 0,
    s0_b12 BIGINT NOT NULL DEFAULT 0,
    s0_b13 BIGINT NOT NULL DEFAULT 0,
    s0_b14 BIGINT NOT NULL DEFAULT 0,
    s0_b15 BIGINT NOT NULL DEFAULT 0,
    s0_b16 BIGINT NOT NULL DEFAULT 0,
    s1_b0 BIGINT NOT NULL DEFAULT 0,
    s1_b1 BIGINT NOT NULL DEFAULT 0,
    s1_b2 BIGINT NOT NULL DEFAULT 0,
    s1_b3 BIGINT NOT NULL DEFAULT 0,
    s1_b4 BIGINT NOT NULL DEFAULT 0,
    s1_b5 BIGINT NOT NULL DEFAULT 0,
    s1_b6 BIGINT NOT NULL DEFAULT 0,
    s1_b7 BIGINT NOT NULL DEFAULT 0,
    s1_b8 BIGINT NOT NULL DEFAULT 0,
    s1_b9 BIGINT NOT NULL DEFAULT 0,
    s1_b10 BIGINT NOT NULL DEFAULT 0,
    s1_b11 BIGINT NOT NULL DEFAULT 0,
    s1_b12 BIGINT NOT NULL DEFAULT 0,
    s1_b13 BIGINT NOT NULL DEFAULT 0,
    s1_b14 BIGINT NOT NULL DEFAULT 0,
    s1_b15 BIGINT NOT NULL DEFAULT 0,
    s1_b16 BIGINT NOT NULL DEFAULT 0,
    s2_b0 BIGINT NOT NULL DEFAULT 0,
    s2_b1 BIGINT NOT NULL DEFAULT 0,
    s2_b2 BIGINT NOT NULL DEFAULT 0,
    s2_b3 BIGINT NOT NULL DEFAULT 0,
    s2_b4 BIGINT NOT NULL DEFAULT 0,
    s2_b5 BIGINT NOT NULL DEFAULT 0,
    s2_b6 BIGINT NOT NULL DEFAULT 0,
    s2_b7 BIGINT NOT NULL DEFAULT 0,
    s2_b8 BIGINT NOT NULL DEFAULT 0,
    s2_b9 BIGINT NOT NULL DEFAULT 0,
    s2_b10 BIGINT NOT NULL DEFAULT 0,
    s2_b11 BIGINT NOT NULL DEFAULT 0,
    s2_b12 BIGINT NOT NULL DEFAULT 0,
    s2_b13 BIGINT NOT NULL DEFAULT 0,
    s2_b14 BIGINT NOT NULL DEFAULT 0,
    s2_b15 BIGINT NOT NULL DEFAULT 0,
    s2_b16 BIGINT NOT NULL DEFAULT 0,
    s3_b0 BIGINT NOT NULL DEFAULT 0,
    s3_b1 BIGINT NOT NULL DEFAULT 0,
    s3_b2 BIGINT NOT NULL DEFAULT 0,
    s3_b3 BIGINT NOT NULL DEFAULT 0,
    s3_b4 BIGINT NOT NULL DEFAULT 0,
    s3_b5 BIGINT NOT NULL DEFAULT 0,
    s3_b6 BIGINT NOT NULL DEFAULT 0,
    s3_b7 BIGINT NOT NULL DEFAULT 0,
    s3_b8 BIGINT NOT NULL DEFAULT 0,
    s3_b9 BIGINT NOT NULL DEFAULT 0,
    s3_b10 BIGINT NOT NULL DEFAULT 0,
    s3_b11 BIGINT NOT NULL DEFAULT 0,
    s3_b12 BIGINT NOT NULL DEFAULT 0,
    s3_b13 BIGINT NOT NULL DEFAULT 0,
    s3_b14 BIGINT NOT NULL DEFAULT 0,
    s3_b15 BIGINT NOT NULL DEFAULT 0,
    s3_b16 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (lvl, blk, country, region, hub, method, reason, category)
);

-- Its projections, as for the returns.
CREATE TABLE analytics_speed_geo (
    lvl      BIGINT NOT NULL,
    blk      BIGINT NOT NULL,
    country  TEXT    NOT NULL,
    region   TEXT    NOT NULL,
    hub      TEXT    NOT NULL,
    method   TEXT    NOT NULL,
    s0_b0 BIGINT NOT NULL DEFAULT 0,
    s0_b1 BIGINT NOT NULL DEFAULT 0,
    s0_b2 BIGINT NOT NULL DEFAULT 0,
    s0_b3 BIGINT NOT NULL DEFAULT 0,
    s0_b4 BIGINT NOT NULL DEFAULT 0,
    s0_b5 BIGINT NOT NULL DEFAULT 0,
    s0_b6 BIGINT NOT NULL DEFAULT 0,
    s0_b7 BIGINT NOT NULL DEFAULT 0,
    s0_b8 BIGINT NOT NULL DEFAULT 0,
    s0_b9 BIGINT NOT NULL DEFAULT 0,
    s0_b10 BIGINT NOT NULL DEFAULT 0,
    s0_b11 BIGINT NOT NULL DEFAULT 0,
    s0_b12 BIGINT NOT NULL DEFAULT 0,
    s0_b13 BIGINT NOT NULL DEFAULT 0,
    s0_b14 BIGINT NOT NULL DEFAULT 0,
    s0_b15 BIGINT NOT NULL DEFAULT 0,
    s0_b16 BIGINT NOT NULL DEFAULT 0,
    s1_b0 BIGINT NOT NULL DEFAULT 0,
    s1_b1 BIGINT NOT NULL DEFAULT 0,
    s1_b2 BIGINT NOT NULL DEFAULT 0,
    s1_b3 BIGINT NOT NULL DEFAULT 0,
    s1_b4 BIGINT NOT NULL DEFAULT 0,
    s1_b5 BIGINT NOT NULL DEFAULT 0,
    s1_b6 BIGINT NOT NULL DEFAULT 0,
    s1_b7 BIGINT NOT NULL DEFAULT 0,
    s1_b8 BIGINT NOT NULL DEFAULT 0,
    s1_b9 BIGINT NOT NULL DEFAULT 0,
    s1_b10 BIGINT NOT NULL DEFAULT 0,
    s1_b11 BIGINT NOT NULL DEFAULT 0,
    s1_b12 BIGINT NOT NULL DEFAULT 0,
    s1_b13 BIGINT NOT NULL DEFAULT 0,
    s1_b14 BIGINT NOT NULL DEFAULT 0,
    s1_b15 BIGINT NOT NULL DEFAULT 0,
    s1_b16 BIGINT NOT NULL DEFAULT 0,
    s2_b0 BIGINT NOT NULL DEFAULT 0,
    s2_b1 BIGINT NOT NULL DEFAULT 0,
    s2_b2 BIGINT NOT NULL DEFAULT 0,
    s2_b3 BIGINT NOT NULL DEFAULT 0,
    s2_b4 BIGINT NOT NULL DEFAULT 0,
    s2_b5 BIGINT NOT NULL DEFAULT 0,
    s2_b6 BIGINT NOT NULL DEFAULT 0,
    s2_b7 BIGINT NOT NULL DEFAULT 0,
    s2_b8 BIGINT NOT NULL DEFAULT 0,
    s2_b9 BIGINT NOT NULL DEFAULT 0,
    s2_b10 BIGINT NOT NULL DEFAULT 0,
    s2_b11 BIGINT NOT NULL DEFAULT 0,
    s2_b12 BIGINT NOT NULL DEFAULT 0,
    s2_b13 BIGINT NOT NULL DEFAULT 0,
    s2_b14 BIGINT NOT NULL DEFAULT 0,
    s2_b15 BIGINT NOT NULL DEFAULT 0,
    s2_b16 BIGINT NOT NULL DEFAULT 0,
    s3_b0 BIGINT NOT NULL DEFAULT 0,
    s3_b1 BIGINT NOT NULL DEFAULT 0,
    s3_b2 BIGINT NOT NULL DEFAULT 0,
    s3_b3 BIGINT NOT NULL DEFAULT 0,
    s3_b4 BIGINT NOT NULL DEFAULT 0,
    s3_b5 BIGINT NOT NULL DEFAULT 0,
    s3_b6 BIGINT NOT NULL DEFAULT 0,
    s3_b7 BIGINT NOT NULL DEFAULT 0,
    s3_b8 BIGINT NOT NULL DEFAULT 0,
    s3_b9 BIGINT NOT NULL DEFAULT 0,
    s3_b10 BIGINT NOT NULL DEFAULT 0,
    s3_b11 BIGINT NOT NULL DEFAULT 0,
    s3_b12 BIGINT NOT NULL DEFAULT 0,
    s3_b13 BIGINT NOT NULL DEFAULT 0,
    s3_b14 BIGINT NOT NULL DEFAULT 0,
    s3_b15 BIGINT NOT NULL DEFAULT 0,
    s3_b16 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (lvl, blk, country, region, hub, method)
);

CREATE TABLE analytics_speed_items (
    lvl      BIGINT NOT NULL,
    blk      BIGINT NOT NULL,
    method   TEXT    NOT NULL,
    reason   TEXT    NOT NULL,
    category TEXT    NOT NULL,
    s0_b0 BIGINT NOT NULL DEFAULT 0,
    s0_b1 BIGINT NOT NULL DEFAULT 0,
    s0_b2 BIGINT NOT NULL DEFAULT 0,
    s0_b3 BIGINT NOT NULL DEFAULT 0,
    s0_b4 BIGINT NOT NULL DEFAULT 0,
    s0_b5 BIGINT NOT NULL DEFAULT 0,
    s0_b6 BIGINT NOT NULL DEFAULT 0,
    s0_b7 BIGINT NOT NULL DEFAULT 0,
    s0_b8 BIGINT NOT NULL DEFAULT 0,
    s0_b9 BIGINT NOT NULL DEFAULT 0,
    s0_b10 BIGINT NOT NULL DEFAULT 0,
    s0_b11 BIGINT NOT NULL DEFAULT 0,
    s0_b12 BIGINT NOT NULL DEFAULT 0,
    s0_b13 BIGINT NOT NULL DEFAULT 0,
    s0_b14 BIGINT NOT NULL DEFAULT 0,
    s0_b15 BIGINT NOT NULL DEFAULT 0,
    s0_b16 BIGINT NOT NULL DEFAULT 0,
    s1_b0 BIGINT NOT NULL DEFAULT 0,
    s1_b1 BIGINT NOT NULL DEFAULT 0,
    s1_b2 BIGINT NOT NULL DEFAULT 0,
    s1_b3 BIGINT NOT NULL DEFAULT 0,
    s1_b4 BIGINT NOT NULL DEFAULT 0,
    s1_b5 BIGINT NOT NULL DEFAULT 0,
    s1_b6 BIGINT NOT NULL DEFAULT 0,
    s1_b7 BIGINT NOT NULL DEFAULT 0,
    s1_b8 BIGINT NOT NULL DEFAULT 0,
    s1_b9 BIGINT NOT NULL DEFAULT 0,
    s1_b10 BIGINT NOT NULL DEFAULT 0,
    s1_b11 BIGINT NOT NULL DEFAULT 0,
    s1_b12 BIGINT NOT NULL DEFAULT 0,
    s1_b13 BIGINT NOT NULL DEFAULT 0,
    s1_b14 BIGINT NOT NULL DEFAULT 0,
    s1_b15 BIGINT NOT NULL DEFAULT 0,
    s1_b16 BIGINT NOT NULL DEFAULT 0,
    s2_b0 BIGINT NOT NULL DEFAULT 0,
    s2_b1 BIGINT NOT NULL DEFAULT 0,
    s2_b2 BIGINT NOT NULL DEFAULT 0,
    s2_b3 BIGINT NOT NULL DEFAULT 0,
    s2_b4 BIGINT NOT NULL DEFAULT 0,
    s2_b5 BIGINT NOT NULL DEFAULT 0,
    s2_b6 BIGINT NOT NULL DEFAULT 0,
    s2_b7 BIGINT NOT NULL DEFAULT 0,
    s2_b8 BIGINT NOT NULL DEFAULT 0,
    s2_b9 BIGINT NOT NULL DEFAULT 0,
    s2_b10 BIGINT NOT NULL DEFAULT 0,
    s2_b11 BIGINT NOT NULL DEFAULT 0,
    s2_b12 BIGINT NOT NULL DEFAULT 0,
    s2_b13 BIGINT NOT NULL DEFAULT 0,
    s2_b14 BIGINT NOT NULL DEFAULT 0,
    s2_b15 BIGINT NOT NULL DEFAULT 0,
    s2_b16 BIGINT NOT NULL DEFAULT 0,
    s3_b0 BIGINT NOT NULL DEFAULT 0,
    s3_b1 BIGINT NOT NULL DEFAULT 0,
    s3_b2 BIGINT NOT NULL DEFAULT 0,
    s3_b3 BIGINT NOT NULL DEFAULT 0,
    s3_b4 BIGINT NOT NULL DEFAULT 0,
    s3_b5 BIGINT NOT NULL DEFAULT 0,
    s3_b6 BIGINT NOT NULL DEFAULT 0,
    s3_b7 BIGINT NOT NULL DEFAULT 0,
    s3_b8 BIGINT NOT NULL DEFAULT 0,
    s3_b9 BIGINT NOT NULL DEFAULT 0,
    s3_b10 BIGINT NOT NULL DEFAULT 0,
    s3_b11 BIGINT NOT NULL DEFAULT 0,
    s3_b12 BIGINT NOT NULL DEFAULT 0,
    s3_b13 BIGINT NOT NULL DEFAULT 0,
    s3_b14 BIGINT NOT NULL DEFAULT 0,
    s3_b15 BIGINT NOT NULL DEFAULT 0,
    s3_b16 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (lvl, blk, method, reason, category)
);

-- Counted return items per SKU (over every reason; name is a name the
-- product was sold under, the greatest) and per SKU and reason (the reasons
-- of given SKUs are sought by reason and SKU in the key).
CREATE TABLE analytics_skus (
    lvl              BIGINT NOT NULL,
    blk              BIGINT NOT NULL,
    sku              TEXT    NOT NULL,
    category         TEXT    NOT NULL,
    units            BIGINT NOT NULL DEFAULT 0,
    value            BIGINT NOT NULL DEFAULT 0,
    inspected_units  BIGINT NOT NULL DEFAULT 0,
    unsellable_units BIGINT NOT NULL DEFAULT 0,
    name             TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (lvl, blk, sku, category)
);

CREATE TABLE analytics_sku_reasons (
    lvl              BIGINT NOT NULL,
    blk              BIGINT NOT NULL,
    reason           TEXT    NOT NULL,
    sku              TEXT    NOT NULL,
    category         TEXT    NOT NULL,
    units            BIGINT NOT NULL DEFAULT 0,
    value            BIGINT NOT NULL DEFAULT 0,
    inspected_units  BIGINT NOT NULL DEFAULT 0,
    unsellable_units BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (lvl, blk, reason, sku, category)
);

-- Order lines sold, by the day the order was placed.
CREATE TABLE analytics_sales (
    lvl      BIGINT NOT NULL,
    blk      BIGINT NOT NULL,
    country  TEXT    NOT NULL,
    region   TEXT    NOT NULL,
    category TEXT    NOT NULL,
    currency TEXT    NOT NULL,
    lines    BIGINT NOT NULL DEFAULT 0,
    units    BIGINT NOT NULL DEFAULT 0,
    value    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (lvl, blk, country, region, category, currency)
);

CREATE TABLE analytics_sku_sales (
    lvl      BIGINT NOT NULL,
    blk      BIGINT NOT NULL,
    sku      TEXT    NOT NULL,
    category TEXT    NOT NULL,
    lines    BIGINT NOT NULL DEFAULT 0,
    units    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (lvl, blk, sku, category)
);

-- Every shopper (normalised e-mail), all time: counted returns and their
-- units, orders and the units bought. The customers report reads the top
-- of returns_rank.
CREATE TABLE analytics_shoppers (
    email          TEXT    NOT NULL PRIMARY KEY,
    returns        BIGINT NOT NULL DEFAULT 0,
    units_returned BIGINT NOT NULL DEFAULT 0,
    orders         BIGINT NOT NULL DEFAULT 0,
    units_bought   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX analytics_shoppers_rank ON analytics_shoppers (returns, units_returned, email);

-- +goose Down
DROP INDEX analytics_shoppers_rank;
DROP TABLE analytics_shoppers;
DROP TABLE analytics_sku_sales;
DROP TABLE analytics_sales;
DROP TABLE analytics_sku_reasons;
DROP TABLE analytics_skus;
DROP TABLE analytics_speed_items;
DROP TABLE analytics_speed_geo;
DROP TABLE analytics_speed;
DROP TABLE analytics_returns_items;
DROP TABLE analytics_returns_geo;
DROP TABLE analytics_returns;
ALTER TABLE returns DROP COLUMN law_only;
