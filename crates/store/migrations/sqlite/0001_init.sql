-- Police Square schema, SQLite flavour. Keep in step with migrations/postgres/0001_init.sql:
-- the same tables, columns and indexes; only the types differ. Instants are epoch
-- milliseconds (BIGINT); enums are their stable snake_case keys.

CREATE TABLE units (
    id        INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES units (id),
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    -- Materialised path `/1/4/17/`: a subtree is a range of paths.
    path      TEXT NOT NULL
);
CREATE INDEX units_path ON units (path);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT NOT NULL
);
CREATE INDEX staff_unit ON staff (unit_id);

CREATE TABLE appeals (
    id                    INTEGER PRIMARY KEY,
    tracking_code         TEXT NOT NULL UNIQUE,
    idempotency_key       TEXT UNIQUE,
    kind                  TEXT NOT NULL,
    channel               TEXT NOT NULL,
    text                  TEXT NOT NULL,
    search_text           TEXT NOT NULL,
    category              TEXT,
    category_confidence   REAL,
    category_needs_review BOOLEAN NOT NULL,
    urgency               TEXT NOT NULL,
    emergency             BOOLEAN NOT NULL,
    sentiment             TEXT,
    unit_id               INTEGER NOT NULL REFERENCES units (id),
    unit_path             TEXT NOT NULL,
    subject_unit_id       INTEGER REFERENCES units (id),
    assignee_id           INTEGER REFERENCES staff (id),
    status                TEXT NOT NULL,
    received_at           BIGINT NOT NULL,
    accept_by             BIGINT NOT NULL,
    accepted_at           BIGINT,
    due_at                BIGINT NOT NULL,
    replied_at            BIGINT,
    closed_at             BIGINT,
    reply_text            TEXT,
    rating_resolved       BOOLEAN,
    rating_satisfaction   TEXT,
    rated_at              BIGINT,
    reopen_count          INTEGER NOT NULL DEFAULT 0,
    supervision_level     INTEGER NOT NULL DEFAULT 0,
    phone_enc             BLOB NOT NULL,
    phone_hash            BLOB NOT NULL,
    phone_masked          TEXT NOT NULL,
    name_enc              BLOB,
    address_enc           BLOB,
    address_masked        TEXT,
    cluster_id            INTEGER,
    recorded_by           INTEGER REFERENCES staff (id),
    version               BIGINT NOT NULL DEFAULT 1,
    updated_at            BIGINT NOT NULL
);
-- Inbox (src/common/inbox.rs). The covering index in inbox order, holding every column
-- a filter tests: probes walk its newest entries without touching the table.
CREATE INDEX appeals_inbox ON appeals (emergency, received_at, id, unit_path, status,
    category, kind, channel, supervision_level, assignee_id, due_at);
-- Filter-first indexes, for matches too sparse among recent appeals.
CREATE INDEX appeals_scope ON appeals (unit_path);
CREATE INDEX appeals_category ON appeals (category, unit_path);
CREATE INDEX appeals_assignee ON appeals (assignee_id, unit_path)
    WHERE assignee_id IS NOT NULL;
CREATE INDEX appeals_supervised ON appeals (unit_path) WHERE supervision_level > 0;
-- Open cases are few and their inboxes the busiest: this one covers every filter.
CREATE INDEX appeals_open_scope ON appeals (unit_path, status, emergency, received_at, id,
    category, kind, channel, due_at, supervision_level, assignee_id)
    WHERE status IN ('received', 'accepted', 'in_progress', 'transferred', 'reopened');
-- Open cases by deadline, for the deadline job.
CREATE INDEX appeals_open_due ON appeals (due_at, id, supervision_level)
    WHERE status IN ('received', 'accepted', 'in_progress', 'transferred', 'reopened');
-- Hotline lookup of a caller's earlier appeals.
CREATE INDEX appeals_phone ON appeals (phone_hash, received_at);
-- Statistics (src/common/stats.rs): every column the rate counts read, by received_at,
-- so recomputing days and the live edges of a period never touch the table.
CREATE INDEX appeals_stats ON appeals (received_at, unit_id, status, accepted_at, accept_by,
    replied_at, due_at, rating_resolved, rating_satisfaction, reopen_count);

CREATE TABLE appeal_events (
    id             INTEGER PRIMARY KEY,
    appeal_id      INTEGER NOT NULL REFERENCES appeals (id),
    at             BIGINT NOT NULL,
    actor_staff_id INTEGER,
    kind           TEXT NOT NULL,
    public         BOOLEAN NOT NULL,
    note           TEXT,
    from_unit_id   INTEGER,
    to_unit_id     INTEGER
);
CREATE INDEX appeal_events_appeal ON appeal_events (appeal_id, id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id   INTEGER REFERENCES staff (id),
    appeal_id  INTEGER REFERENCES appeals (id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE rate_limits (
    key          TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    count        BIGINT NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_expires ON rate_limits (expires_at);

CREATE TABLE departments (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    contact TEXT NOT NULL
);

CREATE TABLE handoffs (
    id              INTEGER PRIMARY KEY,
    appeal_id       INTEGER NOT NULL REFERENCES appeals (id),
    department_id   INTEGER NOT NULL REFERENCES departments (id),
    note            TEXT NOT NULL,
    sent_at         BIGINT NOT NULL,
    sent_by         INTEGER NOT NULL REFERENCES staff (id),
    acknowledged_at BIGINT,
    receipt         TEXT
);
CREATE INDEX handoffs_appeal ON handoffs (appeal_id);

CREATE TABLE requests (
    id           INTEGER PRIMARY KEY,
    appeal_id    INTEGER NOT NULL REFERENCES appeals (id),
    kind         TEXT NOT NULL,
    state        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    days         INTEGER,
    to_unit_id   INTEGER REFERENCES units (id),
    requested_by INTEGER REFERENCES staff (id),
    requested_at BIGINT NOT NULL,
    decided_by   INTEGER REFERENCES staff (id),
    decided_at   BIGINT
);
CREATE INDEX requests_appeal ON requests (appeal_id);
CREATE INDEX requests_pending ON requests (requested_at) WHERE state = 'pending';

CREATE TABLE reply_templates (
    id    INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body  TEXT NOT NULL
);

CREATE TABLE one_time_codes (
    appeal_id    INTEGER PRIMARY KEY REFERENCES appeals (id),
    code_hash    TEXT NOT NULL,
    expires_at   BIGINT NOT NULL,
    attempts     INTEGER NOT NULL,
    locked_until BIGINT,
    lockouts     INTEGER NOT NULL
);

-- Notifications outbox: state pending → sent | dead; a claim is a lease.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    channel       TEXT NOT NULL,
    recipient_enc BLOB NOT NULL,
    template      TEXT NOT NULL,
    body          TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'pending',
    attempts      INTEGER NOT NULL DEFAULT 0,
    run_at        BIGINT NOT NULL,
    locked_by     TEXT,
    locked_until  BIGINT,
    last_error    TEXT,
    created_at    BIGINT NOT NULL,
    sent_at       BIGINT
);
CREATE INDEX outbox_due ON outbox (run_at, id) WHERE state = 'pending';

-- Background jobs: state pending → running (leased) → deleted when finished.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    unique_key   TEXT,
    state        TEXT NOT NULL DEFAULT 'pending',
    attempts     INTEGER NOT NULL DEFAULT 0,
    run_at       BIGINT NOT NULL,
    locked_by    TEXT,
    locked_until BIGINT,
    last_error   TEXT
);
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE state = 'pending';
CREATE INDEX jobs_running ON jobs (locked_until) WHERE state = 'running';
CREATE UNIQUE INDEX jobs_unique_pending ON jobs (unique_key)
    WHERE state = 'pending' AND unique_key IS NOT NULL;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Tamper-evident audit chain; `audit_head` is the one row every append locks.
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Pre-aggregated rate counts per owning unit and day (China Standard Time days of
-- `received_at`); `stats_dirty` lists the buckets `refresh_stats` must recompute.
CREATE TABLE stats_daily (
    unit_id           INTEGER NOT NULL,
    day               BIGINT NOT NULL,
    total             INTEGER NOT NULL,
    responded_on_time INTEGER NOT NULL,
    replied           INTEGER NOT NULL,
    replied_on_time   INTEGER NOT NULL,
    rated             INTEGER NOT NULL,
    resolved          INTEGER NOT NULL,
    satisfied         INTEGER NOT NULL,
    basic             INTEGER NOT NULL,
    overdue           INTEGER NOT NULL,
    reopened          INTEGER NOT NULL,
    PRIMARY KEY (unit_id, day)
);
CREATE INDEX stats_daily_day ON stats_daily (day);

-- Append-only marks (no key, so writers never wait on each other for them).
CREATE TABLE stats_dirty (
    unit_id INTEGER NOT NULL,
    day     BIGINT NOT NULL
);
