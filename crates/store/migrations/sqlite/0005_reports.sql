-- Opinion analysis reports (民意研判周报/月报/季报). Keep in step with
-- migrations/postgres/0005_reports.sql.

-- One report per unit (the city bureau or a district bureau), kind and period. A draft
-- may be regenerated; a published report is frozen: `content` is the JSON snapshot
-- taken when it was generated and is never recomputed.
CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    -- weekly | monthly | quarterly
    kind         TEXT NOT NULL,
    -- [period_start, period_end), China Standard Time boundaries as epoch ms.
    period_start BIGINT NOT NULL,
    period_end   BIGINT NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    unit_path    TEXT NOT NULL,
    -- draft | published
    status       TEXT NOT NULL,
    content      TEXT NOT NULL,
    generated_at BIGINT NOT NULL,
    -- NULL when the scheduled job generated it.
    generated_by INTEGER REFERENCES staff (id),
    published_at BIGINT,
    published_by INTEGER REFERENCES staff (id)
);
CREATE UNIQUE INDEX reports_period ON reports (unit_id, kind, period_start);
CREATE INDEX reports_scope ON reports (unit_path, period_start);

-- Leaders' notes on a published report: what will be done.
CREATE TABLE report_annotations (
    id        INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports (id),
    author_id INTEGER NOT NULL REFERENCES staff (id),
    at        BIGINT NOT NULL,
    text      TEXT NOT NULL
);
CREATE INDEX report_annotations_report ON report_annotations (report_id, id);

-- Report aggregation (src/common/reports.rs): every column a report groups by, in
-- received order, so a month of a million-appeal table is one index range scan.
CREATE INDEX appeals_report ON appeals (received_at, unit_path, status, unit_id, kind,
    channel, category, cluster_id);
