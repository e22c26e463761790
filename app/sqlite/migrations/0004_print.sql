-- Print jobs: every document sent to the printer, kept with its PDF so that a
-- failed job can be reprinted. Titles never hold personal data; the PDFs may
-- (a name on a notice, a masked national ID on a receipt), so printed jobs are
-- deleted by retention (Store.DeletePrintedJobsBefore).
CREATE TABLE print_jobs (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    printer    TEXT NOT NULL,
    pdf        BLOB NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'printed', 'failed')),
    cups_job   TEXT NOT NULL DEFAULT '',
    error      TEXT NOT NULL DEFAULT '', -- Turkish, for the window
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX print_jobs_status ON print_jobs (status, created_at);
