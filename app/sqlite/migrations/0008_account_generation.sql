-- Live sessions and a clock that may move back (issue 13).
--
-- generation counts the changes to an account that a session opened before
-- them must not outlive: its role, disabling or enabling it, a password set
-- or reset, the authenticator enrolled, reset or replaced by a recovery
-- code. Every service call compares it with the session's (a read by primary
-- key); a rehash after a change of the hashing cost does not count.
ALTER TABLE accounts ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;

-- The TOTP steps each account's codes were accepted at, with the terminal's
-- time then. A code is refused when its own step was accepted before (an
-- exact replay), or when a later step was and that step is not ahead of the
-- clock. A step accepted while the clock ran fast no longer blocks the codes
-- of the time before it once the clock is put right; only its own code stays
-- refused. The newest steps are kept, a bounded number an account.
CREATE TABLE totp_steps (
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    step        INTEGER NOT NULL,
    accepted_at TEXT NOT NULL,
    PRIMARY KEY (account_id, step)
);
INSERT INTO totp_steps (account_id, step, accepted_at)
    SELECT id, totp_last_step, updated_at FROM accounts WHERE totp_last_step > 0;
