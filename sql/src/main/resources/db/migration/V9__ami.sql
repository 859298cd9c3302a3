-- Asterisk channel, part 2 (issue 10): the AMI events that complete the call log, and call-backs through Originate.
-- Only additions: no existing row changes meaning.

-- Each AMI event we keep, once. event_key is derived from the event itself (Asterisk system, event name, Uniqueid,
-- the other channel or bridge, Asterisk's microsecond Timestamp), so the same event delivered twice, or by two nodes,
-- inserts once. Only whitelisted fields are kept (no caller ids, no dial strings: they carry phone numbers).
CREATE TABLE ami_events (
    id          bigserial PRIMARY KEY,
    asterisk    text        NOT NULL,
    event_key   text        NOT NULL,
    session_id  uuid        NOT NULL,
    event       text        NOT NULL,
    uniqueid    text,
    linkedid    text,
    event_at    timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    fields      jsonb       NOT NULL DEFAULT '{}',
    call_id     uuid        REFERENCES calls (id),
    CONSTRAINT ami_events_once UNIQUE (asterisk, event_key)
);
COMMENT ON TABLE ami_events IS 'AMI events of calls (Newchannel, DialBegin/End, BridgeEnter/Leave, Hangup, Cdr, OriginateResponse, the call-back confirmation), once each. session_id is the AMI login that delivered it: a call whose first and last events came through different logins may have lost events in between. call_id is set once the FastAGI call with the same <system>/<Linkedid> exists.';
CREATE INDEX ami_events_linked_idx ON ami_events (asterisk, linkedid);
CREATE INDEX ami_events_unique_idx ON ami_events (asterisk, uniqueid);
CREATE INDEX ami_events_call_idx ON ami_events (call_id, event_at) WHERE call_id IS NOT NULL;

-- What AMI says about the call (the call log shows it beside what the IVR recorded).
ALTER TABLE calls ADD COLUMN ami_state text CHECK (ami_state IN ('OPEN', 'COMPLETE', 'INCOMPLETE'));
ALTER TABLE calls ADD COLUMN hangup_cause integer;
ALTER TABLE calls ADD COLUMN hangup_cause_text text;
ALTER TABLE calls ADD COLUMN bridged_at timestamptz;
ALTER TABLE calls ADD COLUMN talk_ms bigint CHECK (talk_ms >= 0);
ALTER TABLE calls ADD COLUMN answered_by_channel text;
COMMENT ON COLUMN calls.ami_state IS 'NULL: no AMI event seen yet; OPEN: events seen, no hang-up yet; COMPLETE: from Newchannel to Hangup through one AMI login; INCOMPLETE: AMI events are missing (AMI down or changing hands during the call), so nothing is guessed. calls.incomplete mirrors INCOMPLETE.';
COMMENT ON COLUMN calls.talk_ms IS 'From the caller''s bridge with a person to the first BridgeLeave (not ANSWEREDTIME, which counts the IVR too).';
COMMENT ON COLUMN calls.answered_by_channel IS 'The Asterisk channel that was bridged with the caller, e.g. PJSIP/hotline-trunk-0000004 (no number).';
CREATE INDEX calls_ami_open_idx ON calls (started_at) WHERE provider = 'asterisk' AND (ami_state IS NULL OR ami_state = 'OPEN');

-- The AMI view of each dial (ring by ring): DialEnd says ABORT where DIALSTATUS still says ANSWER.
ALTER TABLE call_dial_attempts ADD COLUMN ami_dial_status text;
ALTER TABLE call_dial_attempts ADD COLUMN ami_began_at timestamptz;
ALTER TABLE call_dial_attempts ADD COLUMN ami_ended_at timestamptz;
COMMENT ON COLUMN call_dial_attempts.ami_dial_status IS 'DialEnd DialStatus of the n-th dial of the call (ANSWER, NOANSWER, BUSY, ABORT, CANCEL, ...).';

-- Call-backs: officer first, the child after the officer confirms, bridged. One row per attempt.
CREATE TABLE callbacks (
    id                uuid PRIMARY KEY,
    case_id           uuid        NOT NULL REFERENCES cases (id),
    attempt           integer     NOT NULL CHECK (attempt >= 1),
    asterisk          text        NOT NULL,
    officer_id        uuid        NOT NULL REFERENCES officers (id),
    authorised_by     text        NOT NULL,
    night_override    boolean     NOT NULL DEFAULT false,
    state             text        NOT NULL CHECK (state IN ('REQUESTED', 'CALLING_OFFICER', 'CALLING_CHILD', 'CONNECTED', 'ENDED')),
    outcome           text,
    officer_channel   text        NOT NULL,
    child_channel     text        NOT NULL,
    officer_chan_name text,
    requested_at      timestamptz NOT NULL,
    officer_answered_at timestamptz,
    confirmed_at      timestamptz,
    connected_at      timestamptz,
    ended_at          timestamptz,
    updated_at        timestamptz NOT NULL,
    CONSTRAINT callbacks_attempt UNIQUE (case_id, attempt),
    CONSTRAINT callbacks_officer_channel UNIQUE (officer_channel),
    CONSTRAINT callbacks_child_channel UNIQUE (child_channel),
    CONSTRAINT callbacks_outcome CHECK ((state = 'ENDED') = (outcome IS NOT NULL))
);
COMMENT ON TABLE callbacks IS 'Call-backs through AMI Originate. officer_channel and child_channel are the ChannelIds we give Asterisk, so every event of each leg is ours by Uniqueid. No numbers: the officer''s and the child''s are decrypted only for the Originate. outcome: CONNECTED, OFFICER_NO_ANSWER, OFFICER_BUSY, OFFICER_DECLINED, CHILD_NO_ANSWER, CHILD_BUSY, FAILED.';
CREATE INDEX callbacks_due_idx ON callbacks (asterisk, requested_at) WHERE state = 'REQUESTED';

GRANT SELECT, INSERT, UPDATE ON ami_events, callbacks TO ${app_role};
GRANT USAGE ON SEQUENCE ami_events_id_seq TO ${app_role};
