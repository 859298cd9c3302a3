-- National 111 switchboard (issue 9): the province reports how a case 111 referred to it moves on. The province is
-- authoritative for these and numbers its reports; 111 applies the highest. Twilio (issue 8): retention of replay
-- caches and the caller's text on request.

ALTER TABLE switchboard_inbound
    ADD COLUMN reported_seq bigint NOT NULL DEFAULT 0;
COMMENT ON COLUMN switchboard_inbound.reported_seq IS 'Sequence of the last state 111 acknowledged from the province (state holds it): a report with a lower or equal number does not move state back.';
COMMENT ON COLUMN switchboard_inbound.external_seq IS '111''s sequence number on the referral as received.';

-- Retention (REPLAY_CACHE): replayable webhook and SMS answers are deleted once no provider would retry.
GRANT DELETE ON twilio_replies, sms_replies TO ${app_role};

-- Caller texts (issue 8): a voice caller who asked for the case reference by text gets one SMS. The notification row
-- names the call, never the number (it stays sealed in calls) nor the body.
ALTER TABLE notifications ALTER COLUMN officer_id DROP NOT NULL;
ALTER TABLE notifications ADD COLUMN call_id uuid REFERENCES calls (id);
ALTER TABLE notifications ADD CONSTRAINT notifications_recipient CHECK ((officer_id IS NULL) <> (call_id IS NULL));
COMMENT ON COLUMN notifications.call_id IS 'Set for the one text a caller asked for (their case reference, neutral wording); officer_id is then null.';
