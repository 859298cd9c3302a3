-- Issue 16: the danger-now ladder on a real PBX. A person who presses 1 on a rung is recorded at that moment (the
-- accept script runs in the screening subroutine, before the bridge), not when the conversation is over; a case
-- handed to 111 by voice keeps no acknowledgement deadline, so no escalation refers it to 111 again.

ALTER TABLE call_dial_attempts ADD COLUMN accepted_at timestamptz;
COMMENT ON COLUMN call_dial_attempts.accepted_at IS 'When the person on this rung pressed 1 (the accept AGI in hotline-accept), before the bridge. dial_status and ended_at come when the Dial returns or the caller hangs up.';

COMMENT ON COLUMN calls.ended_at IS 'When the caller''s channel hung up: from the hangup handler (the hangup AGI), replaced by AMI''s Hangup time when AMI sees it; the IVR''s own end is only a first estimate.';
COMMENT ON COLUMN calls.outcome IS 'How the contact ended: REFERENCE_GIVEN, INFORMATION_GIVEN, TRANSFERRING (ladder running), CONNECTED (a person accepted), CALLBACK_URGENT (nobody accepted, or the caller hung up on the ladder before anyone did), ABANDONED, FALLBACK (the dialplan''s fallback took the call).';

ALTER TABLE case_deadlines DROP CONSTRAINT case_deadlines_state_check;
ALTER TABLE case_deadlines ADD CONSTRAINT case_deadlines_state_check
    CHECK (state IN ('PENDING', 'MET', 'ESCALATED', 'MISSED', 'CANCELLED', 'HANDED_OFF'));
COMMENT ON COLUMN case_deadlines.state IS 'HANDED_OFF: 111 took the call by voice; the case follows as a referral and the ladder stops.';

ALTER TABLE calls ADD COLUMN hangup_reported_at timestamptz;
COMMENT ON COLUMN calls.hangup_reported_at IS 'When the dialplan''s hangup handler told the server that the caller''s channel hung up (once per call: the end of a ladder call, CALL_ENDED, is written then).';
