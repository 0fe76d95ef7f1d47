-- Opinion analysis (民意研判): staff corrections of topic categories and the models
-- retrained from them, near-duplicate clusters, and emerging-issue alerts.
-- Keep in step with migrations/postgres/0003_analysis.sql.

-- A category a person set by hand; written with the `category_corrected` event.
CREATE TABLE category_corrections (
    id            INTEGER PRIMARY KEY,
    appeal_id     INTEGER NOT NULL REFERENCES appeals (id),
    from_category TEXT,
    to_category   TEXT NOT NULL,
    staff_id      INTEGER REFERENCES staff (id),
    at            BIGINT NOT NULL
);
CREATE INDEX category_corrections_appeal ON category_corrections (appeal_id);

-- Category models retrained from the corrections; the newest row is in use.
CREATE TABLE text_models (
    id                  INTEGER PRIMARY KEY,
    trained_at          BIGINT NOT NULL,
    -- The last correction id the model learned from.
    corrections_through BIGINT NOT NULL,
    corrections         BIGINT NOT NULL,
    model               TEXT NOT NULL
);

-- 一事多诉 "many people, one problem": appeals.cluster_id points here.
CREATE TABLE clusters (
    id              INTEGER PRIMARY KEY,
    first_appeal_id INTEGER NOT NULL REFERENCES appeals (id),
    unit_path       TEXT NOT NULL,
    category        TEXT,
    -- Keywords naming the problem, space separated.
    label           TEXT NOT NULL,
    size            BIGINT NOT NULL,
    first_at        BIGINT NOT NULL,
    last_at         BIGINT NOT NULL
);
CREATE INDEX clusters_recent ON clusters (last_at, size);
CREATE INDEX appeals_cluster ON appeals (cluster_id, received_at) WHERE cluster_id IS NOT NULL;

-- 未诉先办 emerging issues found by the detector, per district (分局) and window.
CREATE TABLE emerging_alerts (
    id               INTEGER PRIMARY KEY,
    district_unit_id INTEGER NOT NULL REFERENCES units (id),
    unit_path        TEXT NOT NULL,
    period_start     BIGINT NOT NULL,
    period_end       BIGINT NOT NULL,
    -- JSON arrays of strings.
    keywords         TEXT NOT NULL,
    categories       TEXT NOT NULL,
    observed         BIGINT NOT NULL,
    expected         REAL NOT NULL,
    p_value          REAL NOT NULL,
    detected_at      BIGINT NOT NULL,
    -- open | acknowledged | dismissed
    status           TEXT NOT NULL,
    handled_by       INTEGER REFERENCES staff (id),
    note             TEXT
);
CREATE INDEX emerging_alerts_period ON emerging_alerts (period_start, unit_path);
CREATE TABLE emerging_alert_appeals (
    alert_id  INTEGER NOT NULL REFERENCES emerging_alerts (id),
    appeal_id INTEGER NOT NULL REFERENCES appeals (id),
    PRIMARY KEY (alert_id, appeal_id)
);

-- The opinion view (民意库) and reports group a period's appeals by these columns.
CREATE INDEX appeals_opinion ON appeals (received_at, unit_path, category, kind, sentiment,
    unit_id);
