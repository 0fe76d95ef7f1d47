-- Full-text search over appeals (src/common/search.rs). Keep in step with
-- migrations/sqlite/0004_search.sql.
--
-- `appeals.search_text` already holds the text segmented at intake (jieba search-mode
-- tokens, space separated, normalised, punctuation dropped), so the `simple`
-- configuration (no stemming, no stop words; lower case) indexes it as it is, and
-- queries match with `search_tsv @@ plainto_tsquery('simple', $n)`.
--
-- A stored column rather than an expression index: newest-first pages of a common word
-- walk the primary key backwards and test each recent row, which must not mean running
-- `to_tsvector` on every row tested. Adding the column fills it for existing rows.
ALTER TABLE appeals ADD COLUMN search_tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX appeals_search ON appeals USING gin (search_tsv);
