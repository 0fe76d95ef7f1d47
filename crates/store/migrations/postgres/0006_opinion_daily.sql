-- Pre-aggregated opinion counts (民意库) per day, owning unit and category or kind,
-- kept with the rate statistics by `refresh_stats` (src/common/stats.rs marks days,
-- src/common/analysis.rs recomputes them). `conduct` separates the confidential track
-- so views without it can leave it out.
CREATE TABLE opinion_daily (
    day      BIGINT NOT NULL,
    unit_id  BIGINT NOT NULL,
    -- 'category' | 'kind'
    dim      TEXT NOT NULL,
    bucket   TEXT NOT NULL,
    conduct  BOOLEAN NOT NULL,
    total    BIGINT NOT NULL,
    negative BIGINT NOT NULL,
    PRIMARY KEY (day, unit_id, dim, bucket, conduct)
);

INSERT INTO opinion_daily (day, unit_id, dim, bucket, conduct, total, negative)
SELECT (received_at + 28800000) / 86400000 AS d, unit_id, 'category', COALESCE(category, ''),
    COALESCE(category, '') = 'conduct', COUNT(*),
    SUM(CASE WHEN sentiment = 'negative' THEN 1 ELSE 0 END)
FROM appeals GROUP BY d, unit_id, COALESCE(category, '');

INSERT INTO opinion_daily (day, unit_id, dim, bucket, conduct, total, negative)
SELECT (received_at + 28800000) / 86400000 AS d, unit_id, 'kind', kind,
    COALESCE(category, '') = 'conduct' AS c, COUNT(*),
    SUM(CASE WHEN sentiment = 'negative' THEN 1 ELSE 0 END)
FROM appeals GROUP BY d, unit_id, kind, c;

-- One covering index for the reports and the live part of the opinion view, instead of
-- two overlapping ones (each index costs every intake a write): the reports' index
-- gains `sentiment`, the opinion view's own goes.
DROP INDEX appeals_opinion;
DROP INDEX appeals_report;
CREATE INDEX appeals_report ON appeals (received_at, unit_path, status, unit_id, kind,
    channel, category, cluster_id, sentiment);
