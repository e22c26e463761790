-- The outbox payload moves to a table of its own (sync, issue 4). A
-- payload never changes after it is queued, while its delivery state is
-- written at least once; in one row, every delivery update rewrote the
-- sealed payload with it (about a kilobyte a record, in the page and in the
-- WAL). Kept apart, the bookkeeping rewrites rows a tenth of that size.
CREATE TABLE outbox_payloads (
    seq  INTEGER PRIMARY KEY REFERENCES outbox (seq) ON DELETE CASCADE,
    data BLOB NOT NULL                     -- sealed canonical JSON
);
INSERT INTO outbox_payloads (seq, data) SELECT seq, data FROM outbox;

DROP TRIGGER outbox_payload_is_immutable;
ALTER TABLE outbox DROP COLUMN data;

-- What a record is never changes; its payload changes only through the
-- re-seal path (new sealed bytes of the same plaintext), which opens the
-- gate inside its own transaction.
CREATE TRIGGER outbox_record_is_immutable
BEFORE UPDATE OF seq, id, type, schema, occurred_at ON outbox
WHEN NEW.seq IS NOT OLD.seq OR NEW.id IS NOT OLD.id OR NEW.type IS NOT OLD.type
  OR NEW.schema IS NOT OLD.schema OR NEW.occurred_at IS NOT OLD.occurred_at
BEGIN
    SELECT RAISE(ABORT, 'a queued payload never changes; queue a correction instead');
END;
CREATE TRIGGER outbox_payload_is_immutable
BEFORE UPDATE OF seq, data ON outbox_payloads
WHEN NEW.seq IS NOT OLD.seq OR (SELECT open FROM reseal_gate WHERE id = 1) = 0
BEGIN
    SELECT RAISE(ABORT, 'a queued payload never changes; queue a correction instead');
END;
