-- Asterisk channel (issue 6): where a call ended in the IVR, who took it, and every transfer attempt.
-- Only additions: no existing row changes meaning.

ALTER TABLE calls ADD COLUMN abandoned_at_node text;
ALTER TABLE calls ADD COLUMN accepted_by_officer_id uuid REFERENCES officers (id);
COMMENT ON COLUMN calls.outcome IS 'How the contact ended: REFERENCE_GIVEN, INFORMATION_GIVEN, TRANSFERRING, CONNECTED, CALLBACK_URGENT, ABANDONED, FALLBACK.';
COMMENT ON COLUMN calls.abandoned_at_node IS 'The IVR node where the caller hung up, when they did.';
COMMENT ON COLUMN calls.accepted_by_officer_id IS 'The officer who pressed 1 to take the call; NULL when nobody did or 111 took it.';

CREATE TABLE call_dial_attempts (
    call_id      uuid        NOT NULL REFERENCES calls (id),
    step         integer     NOT NULL CHECK (step >= 1),
    rung_kind    text        NOT NULL,
    officer_id   uuid        REFERENCES officers (id),
    ring_seconds integer     NOT NULL CHECK (ring_seconds > 0),
    planned_at   timestamptz NOT NULL,
    dial_status  text,
    accepted     boolean,
    ended_at     timestamptz,
    PRIMARY KEY (call_id, step),
    CONSTRAINT call_dial_attempts_result CHECK ((dial_status IS NULL) = (ended_at IS NULL))
);
COMMENT ON TABLE call_dial_attempts IS 'The ladder a transfer hands to the dialplan, one row per rung (the last is the duty phone again), completed by the dial-result AGI with DIALSTATUS. No phone numbers: officers by id.';

GRANT SELECT, INSERT, UPDATE ON call_dial_attempts TO ${app_role};
