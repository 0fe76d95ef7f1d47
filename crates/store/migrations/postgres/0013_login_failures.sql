-- Sign-in throttling (登录限流) from the failures' own times: one row per failed
-- staff password or resident one-time code. `account` is namespaced
-- ("staff:<username>", "track:<appeal id>"), `address` is the client address. Rows
-- older than a day are purged; no throttle window is longer.
CREATE TABLE login_failures (
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX login_failures_account ON login_failures (account, at);
CREATE INDEX login_failures_address ON login_failures (address, at);
CREATE INDEX login_failures_at ON login_failures (at);

-- Addresses an account signed in from successfully: such an address is "known" and
-- the per-account ceiling does not hold it back (an attack on the account cannot lock
-- its owner out). Forgotten after 90 days without a sign-in.
CREATE TABLE login_known_addresses (
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    last_at BIGINT NOT NULL,
    PRIMARY KEY (account, address)
);
CREATE INDEX login_known_addresses_last_at ON login_known_addresses (last_at);
