-- Full-text search over appeals (src/common/search.rs). Keep in step with
-- migrations/postgres/0004_search.sql.
--
-- `appeals.search_text` already holds the text segmented at intake (jieba search-mode
-- tokens, space separated, normalised, punctuation dropped), so the index only has to
-- split on spaces. The `ascii` tokenizer treats every non-ASCII character as a token
-- character (CJK words stay whole) and splits on ASCII punctuation and spaces; the
-- query side (search.rs `fts_query`) splits query terms by exactly the same rule, so
-- a query never becomes a multi-token phrase.
--
-- External content (the text lives in `appeals` only), keyed by the appeal id, kept in
-- step by triggers. `detail = none`: only which appeals hold a token is stored (no
-- positions: matches are highlighted by the server), the smallest and fastest index.
CREATE VIRTUAL TABLE appeals_fts USING fts5(
    search_text,
    content = 'appeals',
    content_rowid = 'id',
    tokenize = 'ascii',
    detail = none
);

INSERT INTO appeals_fts (rowid, search_text) SELECT id, search_text FROM appeals;

CREATE TRIGGER appeals_fts_insert AFTER INSERT ON appeals BEGIN
    INSERT INTO appeals_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER appeals_fts_delete AFTER DELETE ON appeals BEGIN
    INSERT INTO appeals_fts (appeals_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
END;

CREATE TRIGGER appeals_fts_update AFTER UPDATE OF search_text ON appeals BEGIN
    INSERT INTO appeals_fts (appeals_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    INSERT INTO appeals_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

-- The filters of a search (scope, period, kind, category, status, the conduct rule) by
-- appeal id: each match found in the FTS index is checked against this small index
-- instead of the wide table row (a few hundred thousand checks fit in the cache).
CREATE INDEX appeals_search_filter ON appeals (id, unit_path, received_at, kind, category,
    status, subject_unit_id);
