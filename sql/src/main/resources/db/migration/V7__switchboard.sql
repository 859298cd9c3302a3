-- National 111 switchboard (issue 9): 111's receipts and sequence numbers on our referrals, the acceptance alert,
-- and the referrals 111 sends to the province. Only additions; the widened state check keeps every existing value.

ALTER TABLE referrals
    ADD COLUMN external_seq bigint,
    ADD COLUMN sent_at      timestamptz,
    ADD COLUMN accepted_at  timestamptz,
    ADD COLUMN alerted_at   timestamptz;
COMMENT ON COLUMN referrals.external_seq IS '111''s sequence number of the last status applied: an update with a lower or equal number is ignored, so the state never moves backwards.';
COMMENT ON COLUMN referrals.alerted_at IS 'When the duty supervisor was alerted that 111 had not accepted the referral in time (hotline.switchboard.accept-within).';

ALTER TABLE referrals DROP CONSTRAINT referrals_state;
ALTER TABLE referrals ADD CONSTRAINT referrals_state
    CHECK (state IN ('PENDING', 'SENT', 'ACCEPTED', 'IN_PROGRESS', 'REJECTED', 'CLOSED'));

CREATE UNIQUE INDEX referrals_external_ref_idx ON referrals (target, external_ref) WHERE external_ref IS NOT NULL;
CREATE INDEX referrals_awaiting_111_idx ON referrals (created_at)
    WHERE target = 'SWITCHBOARD_111' AND state IN ('PENDING', 'SENT') AND alerted_at IS NULL;

CREATE TABLE switchboard_inbound (
    external_ref    text PRIMARY KEY,
    idempotency_key text        NOT NULL UNIQUE,
    request_digest  bytea       NOT NULL,
    case_id         uuid        NOT NULL REFERENCES cases (id),
    state           text        NOT NULL CHECK (state IN ('RECEIVED', 'ACCEPTED', 'IN_PROGRESS', 'REJECTED', 'CLOSED')),
    external_seq    bigint      NOT NULL DEFAULT 0,
    received_at     timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
COMMENT ON TABLE switchboard_inbound IS 'Referrals 111 sent to the province, one per 111 reference: a replayed request finds its row and gets the same case reference. request_digest (SHA-256 of the body) tells a replay from a different request reusing the reference. No personal data.';

GRANT SELECT, INSERT, UPDATE ON switchboard_inbound TO ${app_role};
