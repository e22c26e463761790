-- USB bundles for field offices with no network (issue 17, docs/BUNDLE.md).
-- No personal data here: sequence numbers, hashes and the central's public
-- keys (sealed, so that a changed key does not open).
CREATE TABLE bundle_keys (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    device_id   TEXT NOT NULL,
    central_url TEXT NOT NULL,
    key_id      INTEGER NOT NULL,     -- the terminal key the device keys derive from
    sealed      BLOB NOT NULL,        -- the central's keys: record "terminal", column "bundle_keys"
    saved_at    TEXT NOT NULL
);

CREATE TABLE bundle_exports (
    id          TEXT PRIMARY KEY,
    state       TEXT NOT NULL CHECK (state IN ('writing', 'exported', 'answered')),
    file_name   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    first_seq   INTEGER NOT NULL,
    last_seq    INTEGER NOT NULL,
    records     INTEGER NOT NULL,
    answered_at TEXT NOT NULL DEFAULT '',
    receipt_id  TEXT NOT NULL DEFAULT ''
);

-- What an unanswered bundle holds; emptied when its receipt is applied.
CREATE TABLE bundle_records (
    bundle_id TEXT NOT NULL REFERENCES bundle_exports (id) ON DELETE CASCADE,
    record_id TEXT NOT NULL, -- outbox.id
    PRIMARY KEY (bundle_id, record_id)
) WITHOUT ROWID;
CREATE INDEX bundle_records_record ON bundle_records (record_id);

CREATE TABLE bundle_attachments (
    bundle_id TEXT NOT NULL REFERENCES bundle_exports (id) ON DELETE CASCADE,
    sha256    TEXT NOT NULL,
    PRIMARY KEY (bundle_id, sha256)
) WITHOUT ROWID;
