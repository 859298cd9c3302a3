-- Twilio channels (issue 8): replayable webhook replies, officer notifications with their delivery status, SMS replies
-- and opt-outs.
-- Only additions: no existing row changes meaning.

CREATE TABLE twilio_replies (
    call_sid   text        NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('voice')),
    step       integer     NOT NULL CHECK (step >= 0),
    response   text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (call_sid, kind, step)
);
COMMENT ON TABLE twilio_replies IS 'The TwiML answered to each Twilio webhook, keyed by CallSid, kind and the step counter of its action URL: a retried or replayed webhook gets the same answer and changes nothing. Only prompts, case references and action URLs: answers that dial a number are rendered afresh from call_dial_attempts and never stored.';
CREATE INDEX twilio_replies_created_idx ON twilio_replies (created_at);

CREATE TABLE notifications (
    id           uuid PRIMARY KEY,
    outbox_key   text        NOT NULL UNIQUE,
    case_id      uuid        NOT NULL REFERENCES cases (id),
    officer_id   uuid        NOT NULL REFERENCES officers (id),
    channel      text        NOT NULL CHECK (channel IN ('SMS')),
    provider     text        NOT NULL,
    provider_sid text        UNIQUE,
    status       text        NOT NULL,
    status_rank  integer     NOT NULL,
    uncertain    boolean     NOT NULL DEFAULT false,
    attempts     integer     NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    sent_at      timestamptz
);
COMMENT ON TABLE notifications IS 'One row per officer notification taken from the outbox. No number and no body: the officer by id, the provider''s message id, and the delivery status, which only moves forward (status_rank).';
COMMENT ON COLUMN notifications.uncertain IS 'A send was started and its outcome is unknown (time-out, reset, crash): the next attempt looks the message up at the provider before sending again.';

CREATE TABLE sms_replies (
    provider   text        NOT NULL,
    message_id text        NOT NULL,
    reply      text[]      NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (provider, message_id)
);
COMMENT ON TABLE sms_replies IS 'The texts answered to each inbound SMS (any provider), keyed by the provider''s message id: a redelivered message gets the same answer and changes nothing. Catalog texts and case references only, never what the sender wrote.';
CREATE INDEX sms_replies_created_idx ON sms_replies (created_at);

CREATE TABLE sms_opt_outs (
    sender_hash  bytea       PRIMARY KEY,
    opted_out_at timestamptz NOT NULL
);
COMMENT ON TABLE sms_opt_outs IS 'Senders who texted STOP, by the keyed hash of their number: nothing is sent to them until they text START.';

GRANT SELECT, INSERT ON twilio_replies TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON notifications TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON sms_replies TO ${app_role};
GRANT SELECT, INSERT, DELETE ON sms_opt_outs TO ${app_role};
