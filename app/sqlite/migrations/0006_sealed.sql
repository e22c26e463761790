-- Personal data sealed at rest (issue 7, KVKK).
--
-- Every personal value is stored sealed (AES-256-GCM under the terminal key,
-- which lives outside this file; the row id and column are the associated
-- data), and exact lookups go through blind indexes (HMAC-SHA-256 under a
-- subkey of the terminal key). SQL cannot seal, so this file only reshapes
-- the tables and copies what was there as it was: the store then seals every
-- value still held as text (typeof = 'text') in a Go step that runs before
-- Open returns (Store.reseal, the same code that a key rotation runs), and
-- VACUUMs. Columns declared TEXT in older migrations (complaints.description,
-- outbox.data, ...) hold BLOBs from now on; SQLite never converts a BLOB.

-- Citizens get an integer key (the name index refers to it compactly, and an
-- INTEGER PRIMARY KEY survives VACUUM) and lose their plaintext keys.
CREATE TABLE citizens_sealed (
    num               INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    national_id_index BLOB NOT NULL UNIQUE, -- HMAC("national_id", digits)
    phone_index       BLOB,                 -- HMAC("phone", E.164); NULL without a phone
    national_id       BLOB NOT NULL,        -- sealed
    first_name        BLOB NOT NULL,        -- sealed
    last_name         BLOB NOT NULL,        -- sealed
    birth_date        BLOB NOT NULL,        -- sealed
    phone             BLOB NOT NULL,        -- sealed
    email             BLOB NOT NULL,        -- sealed
    contact_declined  INTEGER NOT NULL DEFAULT 0,
    channel           TEXT NOT NULL,
    clerk             TEXT NOT NULL,
    created_at        TEXT NOT NULL
);
-- Plaintext copied as it was; the Go step seals it and replaces the indexes.
INSERT INTO citizens_sealed (id, national_id_index, phone_index, national_id, first_name, last_name,
    birth_date, phone, email, contact_declined, channel, clerk, created_at)
SELECT id, 'legacy:' || national_id, NULLIF(phone, ''), national_id, first_name, last_name,
    birth_date, phone, email, contact_declined, channel, clerk, created_at
FROM citizens ORDER BY created_at, id;
DROP TABLE citizens;
ALTER TABLE citizens_sealed RENAME TO citizens;
CREATE INDEX citizens_phone ON citizens (phone_index) WHERE phone_index IS NOT NULL;
CREATE INDEX citizens_created ON citizens (created_at);

-- The name index: for every word of a citizen's first and last names (folded
-- by app.FoldName), one row per prefix of 1 to 8 letters, keyed by the first
-- 8 bytes of HMAC("name_prefix", prefix). A prefix search is one range of
-- this b-tree; longer words are matched on their first 8 letters and checked
-- after opening. key_id is the terminal key that made the token, so that a
-- rotation can drop the old ones at its end.
CREATE TABLE citizen_names (
    token   BLOB NOT NULL,
    citizen INTEGER NOT NULL,
    key_id  INTEGER NOT NULL,
    PRIMARY KEY (token, citizen)
) WITHOUT ROWID;

-- Sealing and re-sealing progress: per table, the last row done for the key
-- being sealed to, so that a crashed rotation resumes where it stopped.
CREATE TABLE reseal_progress (
    tbl    TEXT PRIMARY KEY,
    key_id INTEGER NOT NULL,
    after  TEXT NOT NULL
);

-- The outbox payload stays immutable: only the re-seal path may replace the
-- sealed bytes of data (never what they open to), inside its own
-- transaction, by opening this gate.
CREATE TABLE reseal_gate (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    open INTEGER NOT NULL
);
INSERT INTO reseal_gate VALUES (1, 0);

DROP TRIGGER outbox_payload_is_immutable;
CREATE TRIGGER outbox_payload_is_immutable
BEFORE UPDATE OF id, type, schema, occurred_at, data ON outbox
WHEN NEW.id IS NOT OLD.id OR NEW.type IS NOT OLD.type OR NEW.schema IS NOT OLD.schema
  OR NEW.occurred_at IS NOT OLD.occurred_at
  OR (SELECT open FROM reseal_gate WHERE id = 1) = 0
BEGIN
    SELECT RAISE(ABORT, 'a queued payload never changes; queue a correction instead');
END;
CREATE INDEX outbox_delivered ON outbox (type, delivered_at) WHERE state = 'delivered';

-- Data-subject applications (law 6698 art. 11).
CREATE TABLE data_subject_requests (
    id            TEXT PRIMARY KEY,
    tracking_code TEXT NOT NULL UNIQUE,
    citizen_id    TEXT NOT NULL REFERENCES citizens (id),
    rights        TEXT NOT NULL,          -- JSON list of right codes
    detail        BLOB NOT NULL,          -- sealed
    reply_channel TEXT NOT NULL,
    reply_address BLOB NOT NULL,          -- sealed
    clerk         TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    due_date      TEXT NOT NULL,          -- YYYY-MM-DD
    answered_at   TEXT NOT NULL DEFAULT '',
    answered_by   TEXT NOT NULL DEFAULT '',
    answer        BLOB                    -- sealed; NULL while open
);
CREATE INDEX data_subject_requests_open ON data_subject_requests (answered_at, due_date);
CREATE INDEX data_subject_requests_citizen ON data_subject_requests (citizen_id);

-- The destruction log: one row per class per retention run (also queued as
-- a retention.destroyed record). Kept for its own retention period.
CREATE TABLE destruction_log (
    id             TEXT PRIMARY KEY,
    class          TEXT NOT NULL,
    count          INTEGER NOT NULL,
    method         TEXT NOT NULL CHECK (method IN ('deleted', 'anonymised')),
    oldest         TEXT NOT NULL,
    newest         TEXT NOT NULL,
    run_at         TEXT NOT NULL,
    policy_version TEXT NOT NULL
);
CREATE INDEX destruction_log_run ON destruction_log (run_at);

-- What each outbox record is about, for retention: the citizen (for a
-- registration, identity check, notice acknowledgement, activation or
-- application), the complaint, the audit event ("audit:SEQ") or the
-- destruction log entry. A subject is destroyed only once every record about
-- it is delivered. Filled here from the payloads, still plaintext JSON.
ALTER TABLE outbox ADD COLUMN subject TEXT NOT NULL DEFAULT '';
UPDATE outbox SET subject = COALESCE(CASE type
    WHEN 'complaint.filed' THEN json_extract(data, '$.complaint_id')
    WHEN 'audit.event' THEN 'audit:' || json_extract(data, '$.seq')
    ELSE json_extract(data, '$.citizen_id') END, '');
CREATE INDEX outbox_subject ON outbox (subject, state);

-- Which complaints refer to which attachment file, so that retention
-- removes a file only when no complaint still needs it.
CREATE TABLE complaint_attachments (
    complaint_id TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    PRIMARY KEY (complaint_id, sha256)
) WITHOUT ROWID;
CREATE INDEX complaint_attachments_sha ON complaint_attachments (sha256);
INSERT OR IGNORE INTO complaint_attachments (complaint_id, sha256)
SELECT k.id, json_extract(a.value, '$.sha256') FROM complaints k, json_each(k.attachments) a;
