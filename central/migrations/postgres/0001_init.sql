-- The central on PostgreSQL. Nodes keep nothing: every table here is what
-- any node reads and writes. Record data is kept as text, byte for byte the
-- canonical form its fingerprint was taken over (jsonb would reorder keys
-- and rewrite numbers).

CREATE TABLE devices (
    id           text PRIMARY KEY,
    token_sha256 text NOT NULL,          -- only the token's hash is kept
    revoked      boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL,
    last_seen    timestamptz,            -- the last batch or health report
    health       text,                   -- the latest health report (JSON)
    health_at    timestamptz
);

-- server_ref numbers: unique across nodes, not gap-free (a rolled-back
-- batch leaves its numbers unused).
CREATE SEQUENCE record_ref;

CREATE TABLE records (
    id          text PRIMARY KEY,        -- the idempotency key: one row per id, whatever the node
    seq         bigint NOT NULL,         -- the server_ref's number
    fingerprint text NOT NULL,
    server_ref  text NOT NULL,
    device_id   text NOT NULL,
    type        text NOT NULL,
    schema      integer NOT NULL,
    occurred_at text NOT NULL,
    data        text NOT NULL,
    received_at timestamptz NOT NULL
);

CREATE TABLE complaints (
    record_id     text PRIMARY KEY,
    tracking_code text NOT NULL,
    status        text NOT NULL DEFAULT 'received'
);
CREATE INDEX complaints_code ON complaints (tracking_code);

-- Attachments live here rather than in a directory the nodes share: one
-- backup, one transaction, no file system to mount on every node. Scans
-- and photos are compressed already, so TOAST is told not to try.
CREATE TABLE attachments (
    sha256     text PRIMARY KEY,
    media_type text NOT NULL,
    size       integer NOT NULL,
    stored_at  timestamptz NOT NULL,
    data       bytea NOT NULL
);
ALTER TABLE attachments ALTER COLUMN data SET STORAGE EXTERNAL;

CREATE TABLE categories (
    code   text PRIMARY KEY,
    name   text NOT NULL,
    grp    text NOT NULL,
    active boolean NOT NULL
);

CREATE TABLE neighbourhoods (
    code   text PRIMARY KEY,
    name   text NOT NULL,
    active boolean NOT NULL
);

-- The updates feed. Writers append one at a time (an advisory lock, see
-- store_postgres.go), so positions are taken in commit order and a reader
-- past position n never misses an item committed later.
CREATE TABLE updates (
    seq  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    body text NOT NULL
);

-- Each device's verified audit chain: one event per position.
CREATE TABLE audit_chain (
    device_id  text NOT NULL,
    seq        bigint NOT NULL,
    hash       text NOT NULL,
    prev_hash  text NOT NULL,
    record_id  text NOT NULL,
    server_ref text NOT NULL,
    PRIMARY KEY (device_id, seq)
);

CREATE TABLE audit_flags (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id   text NOT NULL,
    record_id   text NOT NULL,
    seq         bigint NOT NULL,
    code        text NOT NULL,
    detail      text NOT NULL,
    prev_hash   text NOT NULL,
    hash        text NOT NULL,
    data        text NOT NULL,
    first_seen  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    times       integer NOT NULL,
    resolved_at timestamptz,
    UNIQUE (device_id, record_id, code)
);
