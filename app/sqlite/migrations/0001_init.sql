-- Gişe terminal store, schema 1.

CREATE TABLE citizens (
    id               TEXT PRIMARY KEY,
    national_id      TEXT NOT NULL UNIQUE,
    first_name       TEXT NOT NULL,
    last_name        TEXT NOT NULL,
    last_first_key   TEXT NOT NULL, -- FoldName(last + " " + first)
    first_last_key   TEXT NOT NULL, -- FoldName(first + " " + last)
    birth_date       TEXT NOT NULL,
    phone            TEXT NOT NULL DEFAULT '',
    email            TEXT NOT NULL DEFAULT '',
    contact_declined INTEGER NOT NULL DEFAULT 0,
    channel          TEXT NOT NULL,
    clerk            TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX citizens_last_first ON citizens (last_first_key);
CREATE INDEX citizens_first_last ON citizens (first_last_key);
CREATE INDEX citizens_phone ON citizens (phone) WHERE phone <> '';

CREATE TABLE identity_checks (
    id           TEXT PRIMARY KEY,
    citizen_id   TEXT NOT NULL REFERENCES citizens (id),
    method       TEXT NOT NULL,
    serial_last4 TEXT NOT NULL,
    result       TEXT NOT NULL,
    clerk        TEXT NOT NULL,
    note         TEXT NOT NULL,
    checked_at   TEXT NOT NULL
);
CREATE INDEX identity_checks_citizen ON identity_checks (citizen_id, checked_at);

CREATE TABLE notice_acks (
    id         TEXT PRIMARY KEY,
    citizen_id TEXT REFERENCES citizens (id),
    version    INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    language   TEXT NOT NULL,
    delivery   TEXT NOT NULL,
    print_job  TEXT NOT NULL,
    clerk      TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX notice_acks_citizen ON notice_acks (citizen_id, at);

CREATE TABLE complaints (
    id                 TEXT PRIMARY KEY,
    tracking_code      TEXT NOT NULL UNIQUE,
    citizen_id         TEXT REFERENCES citizens (id),
    anonymous          INTEGER NOT NULL,
    kind               TEXT NOT NULL,
    category_code      TEXT NOT NULL,
    description        TEXT NOT NULL,
    address            TEXT NOT NULL,
    neighbourhood_code TEXT NOT NULL,
    channel            TEXT NOT NULL,
    paper_ref          TEXT NOT NULL,
    paper_date         TEXT NOT NULL,
    attachments        TEXT NOT NULL, -- JSON list of {sha256, media_type, size, name}
    clerk              TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    status             TEXT NOT NULL DEFAULT 'received',
    status_at          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaints_created ON complaints (created_at);
CREATE INDEX complaints_citizen ON complaints (citizen_id);

-- Statuses pulled from the central, for complaints of this terminal or any other.
CREATE TABLE complaint_statuses (
    seq           INTEGER PRIMARY KEY,
    record_id     TEXT NOT NULL,
    tracking_code TEXT NOT NULL,
    status        TEXT NOT NULL,
    note          TEXT NOT NULL,
    at            TEXT NOT NULL
);
CREATE INDEX complaint_statuses_code ON complaint_statuses (tracking_code, seq);

-- Attachment bytes live in files named by their hash beside the database.
CREATE TABLE attachments (
    sha256      TEXT PRIMARY KEY,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    uploaded_at TEXT NOT NULL DEFAULT ''
);

-- The outbox: every record the central must receive, oldest first.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    type            TEXT NOT NULL,
    schema          INTEGER NOT NULL,
    occurred_at     TEXT NOT NULL,
    data            TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'delivered', 'conflict', 'rejected', 'closed')),
    server_ref      TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    reject_code     TEXT NOT NULL DEFAULT '',
    reject_detail   TEXT NOT NULL DEFAULT '',
    delivered_at    TEXT NOT NULL DEFAULT '',
    resolution      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_state ON outbox (state, seq);

CREATE TRIGGER outbox_payload_is_immutable
BEFORE UPDATE OF id, type, schema, occurred_at, data ON outbox
BEGIN
    SELECT RAISE(ABORT, 'a queued payload never changes; queue a correction instead');
END;

-- The audit chain.
CREATE TABLE audit_events (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object      TEXT NOT NULL,
    terminal_id TEXT NOT NULL,
    terminal_ip TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

-- The chain's anchor: the sequence and hash of the last event removed by
-- retention (0 and the genesis hash while nothing was removed).
CREATE TABLE audit_anchor (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_anchor VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Opened only inside the retention path's own transaction.
CREATE TABLE audit_retention_gate (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    open INTEGER NOT NULL
);
INSERT INTO audit_retention_gate VALUES (1, 0);

CREATE TRIGGER audit_events_refuse_update
BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE TRIGGER audit_events_refuse_delete
BEFORE DELETE ON audit_events
WHEN (SELECT open FROM audit_retention_gate WHERE id = 1) = 0
  OR OLD.seq <> (SELECT MIN(seq) FROM audit_events)
BEGIN
    SELECT RAISE(ABORT, 'only the retention path may delete audit events, oldest first');
END;

-- What the central sends back: catalogues, notice versions, the pull cursor.
CREATE TABLE categories (
    code      TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    grp       TEXT NOT NULL,
    active    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE neighbourhoods (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    active     INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE notice_versions (
    version        INTEGER NOT NULL,
    language       TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    text           TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    PRIMARY KEY (version, language)
);

CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
