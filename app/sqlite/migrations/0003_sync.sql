-- Sync (issue 4): indexes for what the worker and the status screen ask.

-- Status counts group the outbox by state and type on every refresh.
CREATE INDEX IF NOT EXISTS outbox_state_type ON outbox (state, type);

-- A complaint's history is also looked up by the id of its complaint.filed record.
CREATE INDEX IF NOT EXISTS complaint_statuses_record ON complaint_statuses (record_id, seq);
