-- The fingerprint of the personal-data key (HMAC-SHA256 of a fixed label under the
-- key, hex), never the key: start-up refuses a key whose fingerprint differs, so data
-- is never sealed under two keys. One row per key id (rotation adds ids later).
CREATE TABLE key_fingerprints (
    key_id      BIGINT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
