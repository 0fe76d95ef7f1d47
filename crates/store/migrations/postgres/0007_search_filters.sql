-- Full-text search with the filters in the index (src/common/search.rs). Keep in step
-- with migrations/sqlite/0007_search_filters.sql.
--
-- Replaces `search_tsv` (0004, the words only) by `search_doc`: the words plus marker
-- lexemes for what a search filters on and for the appeal's place in id order, so one
-- GIN lookup finds only the appeals that can pass the filters among the newest ones,
-- and the table is read for those few rows only. Every filter is still checked on the
-- row. Marker lexemes start with U+E000 (a private-use character, which the `simple`
-- parser never puts into a word's lexeme):
--   u<unit id>      one per unit on the appeal's unit_path (its unit and every parent)
--   c<category>     the category, if any
--   s<status>       the status
--   d<n>, e<n>, f<n> the UTC day of received_at (ms / 86 400 000) and that day / 8, / 64
--   k<n>, m<n>      the id / 1024 and id / 32768: the newest appeals are a few of these
DROP INDEX appeals_search;
ALTER TABLE appeals DROP COLUMN search_tsv;
ALTER TABLE appeals ADD COLUMN search_doc tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', search_text)
    || array_to_tsvector(string_to_array(regexp_replace(trim(BOTH '/' FROM unit_path),
        '([0-9]+)', chr(57344) || 'u\1', 'g'), '/'))
    || array_to_tsvector(array_remove(ARRAY[
        chr(57344) || 'c' || category,
        chr(57344) || 's' || status,
        chr(57344) || 'd' || (received_at / 86400000)::text,
        chr(57344) || 'e' || (received_at / 86400000 / 8)::text,
        chr(57344) || 'f' || (received_at / 86400000 / 64)::text,
        chr(57344) || 'k' || (id / 1024)::text,
        chr(57344) || 'm' || (id / 32768)::text
    ], NULL))
) STORED;
CREATE INDEX appeals_search_doc ON appeals USING gin (search_doc);
-- The new column has no statistics yet; the search plans by them (search.rs `planned`).
ANALYZE appeals (search_doc);
