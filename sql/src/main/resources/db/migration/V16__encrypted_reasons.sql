-- The reasons staff type when they close, refer or reassign a case are free text ("called the mother back at ..."),
-- so they are sealed like notes: AES-GCM ciphertext bound to the REASON field, with the id of the key.
-- The clear column stays for the rows written before this version: at its first start the server encrypts them in
-- short batches (ClearReasons) and empties the clear column; new rows never write it.

ALTER TABLE case_events
    ADD COLUMN reason_cipher bytea,
    ADD COLUMN reason_key_id text,
    ADD CONSTRAINT case_events_reason_sealed CHECK ((reason_cipher IS NULL) = (reason_key_id IS NULL));
COMMENT ON COLUMN case_events.reason IS 'Before V16 only: the reason in clear, emptied by the server at its first start on V16 (reason_cipher holds it since).';
COMMENT ON COLUMN case_events.reason_cipher IS 'Why the transition or reassignment was made, AES-GCM (field REASON).';

ALTER TABLE referrals
    ADD COLUMN reason_cipher bytea,
    ADD COLUMN reason_key_id text,
    ADD CONSTRAINT referrals_reason_sealed CHECK ((reason_cipher IS NULL) = (reason_key_id IS NULL));
COMMENT ON COLUMN referrals.reason IS 'Before V16 only: the reason in clear, emptied by the server at its first start on V16 (reason_cipher holds it since).';
COMMENT ON COLUMN referrals.reason_cipher IS 'Why the case was referred, AES-GCM (field REASON).';

-- case_events is otherwise insert-only for the application: it may seal (and re-key) the reason, nothing else.
GRANT UPDATE (reason, reason_cipher, reason_key_id) ON case_events TO ${app_role};

CREATE INDEX case_events_clear_reason_idx ON case_events (id) WHERE reason IS NOT NULL;
CREATE INDEX referrals_clear_reason_idx ON referrals (id) WHERE reason IS NOT NULL;
