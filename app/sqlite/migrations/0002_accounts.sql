-- Clerk accounts, two-factor login and the terminal's enrolment (issue 3).
-- No password, code or secret is stored in the clear: passwords as argon2id
-- hashes, TOTP secrets and the enrolment token sealed with the terminal key
-- (which lives outside this file), recovery codes and throttled usernames as
-- keyed hashes (HMAC-SHA-256 under a subkey of the terminal key).

CREATE TABLE accounts (
    id                   TEXT PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'clerk')),
    disabled             INTEGER NOT NULL DEFAULT 0,
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    totp_secret          BLOB,                       -- sealed; NULL while not enrolled
    totp_last_step       INTEGER NOT NULL DEFAULT 0, -- last accepted 30 s step: replay refusal
    must_reenrol_totp    INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);

CREATE TABLE recovery_codes (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  BLOB NOT NULL,
    used_at    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, code_hash)
);

-- Failures per username typed (known or not), keyed by its blind index.
CREATE TABLE login_throttle (
    key             BLOB PRIMARY KEY,
    failures        INTEGER NOT NULL,
    locked_until    TEXT NOT NULL,
    window_start    TEXT NOT NULL,
    window_failures INTEGER NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE terminal_enrolment (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    central_url  TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    token_sealed BLOB NOT NULL,
    saved_at     TEXT NOT NULL,
    saved_by     TEXT NOT NULL
);
