-- The audit chain's witnesses on the terminal (issue 13, review). The
-- store seeds audit_acked with sequence 0 in this migration's transaction
-- (afterMigration: the row's MAC needs the key), so that from now on a
-- missing acknowledged head is a removed one, never "no head yet".

-- The outbox's audit.event records are sealed copies of the events: only
-- the retention path, with the audit chain's gate open in its own
-- transaction, removes them, and so their payloads.
CREATE TRIGGER outbox_audit_refuse_delete
BEFORE DELETE ON outbox
WHEN OLD.type = 'audit.event' AND (SELECT open FROM audit_retention_gate WHERE id = 1) = 0
BEGIN
    SELECT RAISE(ABORT, 'only the retention path may delete audit.event records');
END;

CREATE TRIGGER outbox_audit_payload_refuse_delete
BEFORE DELETE ON outbox_payloads
WHEN (SELECT type FROM outbox WHERE seq = OLD.seq) = 'audit.event'
  AND (SELECT open FROM audit_retention_gate WHERE id = 1) = 0
BEGIN
    SELECT RAISE(ABORT, 'only the retention path may delete audit.event records');
END;
