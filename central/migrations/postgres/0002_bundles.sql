-- USB bundles (docs/BUNDLE.md): the central's own keys, the keys each
-- device registered, and the bundles imported with their receipts.

CREATE TABLE central_keys (
    id   integer PRIMARY KEY CHECK (id = 1),
    body text NOT NULL                   -- the central's bundle keys: every node opens and signs with them
);

CREATE TABLE device_keys (
    device_id     text PRIMARY KEY REFERENCES devices (id),
    sign_key      bytea NOT NULL,        -- Ed25519 public key: the device signs its bundles with it
    age_recipient text NOT NULL,         -- receipts are encrypted to it
    registered_at timestamptz NOT NULL
);

CREATE TABLE bundles (
    id          text PRIMARY KEY,        -- the bundle's id: a second import is a replay, whatever the node
    device_id   text NOT NULL,
    imported_at timestamptz NOT NULL,
    records     integer NOT NULL,
    receipt_id  text NOT NULL,
    receipt     bytea NOT NULL           -- the receipt file, encrypted to the device
);
