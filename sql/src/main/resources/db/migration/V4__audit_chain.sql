-- The hash chain over audit events, leases for "one node at a time", and what retention needs.
--
-- Business transactions keep only inserting into audit_events. One sealer (the holder of the 'audit-sealer' lease)
-- appends seals in a defined order: (tx_id, id) of events whose transaction ended before the sealer's snapshot
-- (tx_id < pg_snapshot_xmin), so no transaction still running can later commit an event that sorts before a seal.

-- ---------------------------------------------------------------------------------------------------------------
-- Seals: insert-only, like the events they chain
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE audit_seals (
    seq        bigint      PRIMARY KEY CHECK (seq >= 1),
    event_id   bigint      NOT NULL UNIQUE REFERENCES audit_events (id),
    prev_hash  bytea       NOT NULL CHECK (octet_length(prev_hash) = 32),
    hash       bytea       NOT NULL CHECK (octet_length(hash) = 32),
    sealed_at  timestamptz NOT NULL,
    sealed_by  text        NOT NULL
);
COMMENT ON TABLE audit_seals IS 'The chain: seal seq covers one event; hash = SHA-256(prev_hash || canonical encoding of the seal and its event). seq and event_id are unique, so two sealers can never fork the chain; verification recomputes it and checks it against signed anchors kept outside the database.';
COMMENT ON COLUMN audit_seals.sealed_by IS 'The node that held the sealer lease, for forensics; part of the hashed encoding.';

-- The sealer walks events in (tx_id, id) order from the last sealed one.
CREATE INDEX audit_events_chain_order_idx ON audit_events (tx_id, id);
DROP INDEX audit_events_tx_idx;

CREATE FUNCTION audit_seals_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_seals is insert-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_seals_no_update BEFORE UPDATE OR DELETE ON audit_seals
    FOR EACH ROW EXECUTE FUNCTION audit_seals_refuse_change();
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
    FOR EACH STATEMENT EXECUTE FUNCTION audit_seals_refuse_change();

-- ---------------------------------------------------------------------------------------------------------------
-- Leases: one holder per name at a time (the audit sealer now, the AMI consumer of each Asterisk later)
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE node_leases (
    name       text        PRIMARY KEY,
    holder     text        NOT NULL,
    expires_at timestamptz NOT NULL
);
COMMENT ON TABLE node_leases IS 'A lease per job that must run on one node at a time. Expiry is judged on the database clock, so nodes with skewed clocks agree; a holder that stops renewing loses it when it expires. Holders lock their row inside the work transaction (a fence), so a node that lost the lease cannot commit work.';

-- ---------------------------------------------------------------------------------------------------------------
-- Retention: legal hold per case, anonymised calls
-- ---------------------------------------------------------------------------------------------------------------

ALTER TABLE cases ADD COLUMN legal_hold boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN cases.legal_hold IS 'While true, nothing of this case or its call is anonymised by retention.';

ALTER TABLE calls ADD COLUMN anonymised_at timestamptz;
COMMENT ON COLUMN calls.anonymised_at IS 'When retention erased the caller''s identity (hash, ciphertext, IVR session state); the statistics columns stay.';
ALTER TABLE calls DROP CONSTRAINT calls_caller_kind_check;
ALTER TABLE calls ADD CONSTRAINT calls_caller_kind_check CHECK (caller_kind IN ('NUMBER', 'WITHHELD', 'UNKNOWN', 'ERASED'));

-- ---------------------------------------------------------------------------------------------------------------
-- Privileges of the application role
-- ---------------------------------------------------------------------------------------------------------------

GRANT SELECT, INSERT ON audit_seals TO ${app_role};
REVOKE UPDATE, DELETE, TRUNCATE ON audit_seals FROM ${app_role};
GRANT SELECT, INSERT, UPDATE ON node_leases TO ${app_role};
-- Key rotation re-encrypts notes and retention erases them; nothing else of a case event may change.
GRANT UPDATE (note_cipher, note_key_id) ON case_events TO ${app_role};
