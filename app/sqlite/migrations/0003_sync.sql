-- Sync (issue 4). The outbox needs no new index: outbox_state (state, seq)
-- serves the pending batch, and another index on state would cost every
-- delivery an extra write.

-- A complaint's history is also looked up by the id of its complaint.filed record.
CREATE INDEX IF NOT EXISTS complaint_statuses_record ON complaint_statuses (record_id, seq);
