-- Issue 17: the server proves at start-up that its key file is the one this database was written with. One check
-- value per key (an HMAC under the key of a fixed text, which reveals nothing about the key), stored when the key first
-- meets this database; a key file whose key of the same id gives another value is refused before any traffic.
CREATE TABLE key_checks (
    key_name    text        PRIMARY KEY,
    check_value bytea       NOT NULL,
    created_at  timestamptz NOT NULL
);
COMMENT ON TABLE key_checks IS 'Check values of the keys in the key file (encryption.k1, lookup.l1, audit.a1): a key file that does not match is refused at start-up.';

GRANT SELECT, INSERT ON key_checks TO ${app_role};
