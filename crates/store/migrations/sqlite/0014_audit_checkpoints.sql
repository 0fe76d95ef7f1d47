-- Signed checkpoints of the audit chain's head (审计锚点): HMAC-SHA256 under an audit
-- key kept outside the database, so rewriting or truncating the chain no longer
-- verifies against the checkpoints taken before.
CREATE TABLE audit_checkpoints (
    seq BIGINT PRIMARY KEY,
    hash TEXT NOT NULL,
    at BIGINT NOT NULL,
    mac TEXT NOT NULL
);
