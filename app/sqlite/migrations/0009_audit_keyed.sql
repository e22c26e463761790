-- Keyed audit links (issue 13). Events from now on are linked with
-- HMAC-SHA-256 under the audit subkey of a terminal key (mac_key names
-- which key of the ring; 0 is the plain SHA-256 of older events), so that
-- recomputing the chain after an edit needs the terminal key.
ALTER TABLE audit_events ADD COLUMN mac_key INTEGER NOT NULL DEFAULT 0;

-- From which sequence every event must be keyed. The store writes the one
-- row at the first Open after this migration (it needs the key for mac):
-- the next sequence of the chain, so the first keyed event links to the
-- last unkeyed hash.
CREATE TABLE audit_keyed (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    from_seq INTEGER NOT NULL,
    mac_key  INTEGER NOT NULL,
    mac      TEXT NOT NULL
);

-- The newest head the central acknowledged (returned with audit.event
-- results): the local chain must reach it and agree with it.
CREATE TABLE audit_acked (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    seq      INTEGER NOT NULL,
    hash     TEXT NOT NULL,
    acked_at TEXT NOT NULL,
    mac_key  INTEGER NOT NULL,
    mac      TEXT NOT NULL
);

-- Refusals beside audit_events' own. At every Open the store compares each
-- trigger in the file with the last definition the migrations give it
-- (schemaTriggers) and re-creates one that is missing or altered: the
-- migrations are the only copy of these texts.
CREATE TRIGGER audit_anchor_refuse_update
BEFORE UPDATE ON audit_anchor
WHEN (SELECT open FROM audit_retention_gate WHERE id = 1) = 0
BEGIN
    SELECT RAISE(ABORT, 'only the retention path may move the audit anchor');
END;

CREATE TRIGGER audit_anchor_refuse_delete
BEFORE DELETE ON audit_anchor
BEGIN
    SELECT RAISE(ABORT, 'the audit anchor cannot be removed');
END;

CREATE TRIGGER audit_keyed_refuse_update
BEFORE UPDATE ON audit_keyed
BEGIN
    SELECT RAISE(ABORT, 'the keyed-from marker is written once');
END;

CREATE TRIGGER audit_keyed_refuse_delete
BEFORE DELETE ON audit_keyed
BEGIN
    SELECT RAISE(ABORT, 'the keyed-from marker is written once');
END;

CREATE TRIGGER audit_acked_refuse_back
BEFORE UPDATE ON audit_acked
WHEN NEW.seq < OLD.seq
BEGIN
    SELECT RAISE(ABORT, 'the acknowledged audit head only moves forward');
END;

CREATE TRIGGER audit_acked_refuse_delete
BEFORE DELETE ON audit_acked
BEGIN
    SELECT RAISE(ABORT, 'the acknowledged audit head cannot be removed');
END;
