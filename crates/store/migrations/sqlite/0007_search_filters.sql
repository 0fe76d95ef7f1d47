-- Full-text search with the filters in the index (src/common/search.rs). Replaces the
-- FTS5 table of 0004 (`appeals_fts`, words only) by `appeals_fts_filtered`, whose
-- document is the appeal's words plus marker tokens for what a search filters on, so
-- one FTS5 walk, newest first, meets only appeals in the asked scope, category,
-- status and period instead of every appeal with the word. Keep in step with
-- migrations/postgres/0007_search_filters.sql.
--
-- The marker tokens start with U+E000 (a private-use character; the `ascii` tokenizer
-- keeps non-ASCII characters inside tokens) and are never taken from a query's words
-- (search.rs drops query words holding it). They only narrow the walk: every filter is
-- still checked on the row itself, so a text that happens to hold such a token cannot
-- widen a result. Tokens (each prefixed by U+E000):
--   u<unit id>      one per unit on the appeal's unit_path (its unit and every parent)
--   c<hex>          the category (lower-case hex of its UTF-8 bytes), if any
--   s<hex>          the status, likewise
--   d<n>, e<n>, f<n> the UTC day of received_at (ms / 86 400 000) and that day / 8
--                   and / 64: a period is covered by a few of these
--
-- Contentless with `contentless_delete` (SQLite 3.43+, bundled): rows are deleted by
-- rowid, so the triggers need not rebuild the old document.
DROP TRIGGER appeals_fts_insert;
DROP TRIGGER appeals_fts_delete;
DROP TRIGGER appeals_fts_update;
DROP TABLE appeals_fts;

CREATE VIRTUAL TABLE appeals_fts_filtered USING fts5(
    doc,
    content = '',
    contentless_delete = 1,
    tokenize = 'ascii',
    detail = none
);

INSERT INTO appeals_fts_filtered (rowid, doc)
SELECT id, search_text
    || replace(rtrim(unit_path, '/'), '/', ' ' || char(57344) || 'u')
    || coalesce(' ' || char(57344) || 'c' || lower(hex(category)), '')
    || ' ' || char(57344) || 's' || lower(hex(status))
    || ' ' || char(57344) || 'd' || (received_at / 86400000)
    || ' ' || char(57344) || 'e' || (received_at / 86400000 / 8)
    || ' ' || char(57344) || 'f' || (received_at / 86400000 / 64)
FROM appeals;

CREATE TRIGGER appeals_fts_filtered_insert AFTER INSERT ON appeals BEGIN
    INSERT INTO appeals_fts_filtered (rowid, doc) VALUES (new.id, new.search_text
        || replace(rtrim(new.unit_path, '/'), '/', ' ' || char(57344) || 'u')
        || coalesce(' ' || char(57344) || 'c' || lower(hex(new.category)), '')
        || ' ' || char(57344) || 's' || lower(hex(new.status))
        || ' ' || char(57344) || 'd' || (new.received_at / 86400000)
        || ' ' || char(57344) || 'e' || (new.received_at / 86400000 / 8)
        || ' ' || char(57344) || 'f' || (new.received_at / 86400000 / 64));
END;

CREATE TRIGGER appeals_fts_filtered_delete AFTER DELETE ON appeals BEGIN
    DELETE FROM appeals_fts_filtered WHERE rowid = old.id;
END;

CREATE TRIGGER appeals_fts_filtered_update AFTER UPDATE OF search_text, unit_path, category,
    status, received_at ON appeals
WHEN old.search_text IS NOT new.search_text OR old.unit_path IS NOT new.unit_path
    OR old.category IS NOT new.category OR old.status IS NOT new.status
    OR old.received_at IS NOT new.received_at
BEGIN
    DELETE FROM appeals_fts_filtered WHERE rowid = old.id;
    INSERT INTO appeals_fts_filtered (rowid, doc) VALUES (new.id, new.search_text
        || replace(rtrim(new.unit_path, '/'), '/', ' ' || char(57344) || 'u')
        || coalesce(' ' || char(57344) || 'c' || lower(hex(new.category)), '')
        || ' ' || char(57344) || 's' || lower(hex(new.status))
        || ' ' || char(57344) || 'd' || (new.received_at / 86400000)
        || ' ' || char(57344) || 'e' || (new.received_at / 86400000 / 8)
        || ' ' || char(57344) || 'f' || (new.received_at / 86400000 / 64));
END;
