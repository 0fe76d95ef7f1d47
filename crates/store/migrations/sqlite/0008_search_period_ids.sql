-- Nothing on SQLite: FTS5 walks a period's matches newest first by itself. Numbered to
-- keep in step with migrations/postgres/0008_search_period_ids.sql (the id range of a
-- search period, for PostgreSQL's id windows).
SELECT 1;
