-- The id range of a search period (src/common/search.rs `period_ids`). Keep in step
-- with migrations/sqlite/0008_search_period_ids.sql.
--
-- A search in a period looks among the newest ids of the period first (id-block
-- lexemes of 0007), which is exact only if no appeal of the period has a newer id than
-- the window's top: the newest and oldest id received on each UTC day (the `d` day of
-- 0007) are one probe of this index each.
CREATE INDEX appeals_day_id ON appeals ((received_at / 86400000), id);
