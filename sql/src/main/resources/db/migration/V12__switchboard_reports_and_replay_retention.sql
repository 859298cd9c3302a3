-- National 111 switchboard (issue 9): the province reports how a case 111 referred to it moves on. The province is
-- authoritative for these and numbers its reports; 111 applies the highest. Retention of replay caches (issue 8).

ALTER TABLE switchboard_inbound
    ADD COLUMN reported_seq bigint NOT NULL DEFAULT 0;
COMMENT ON COLUMN switchboard_inbound.reported_seq IS 'Sequence of the last state 111 acknowledged from the province (state holds it): a report with a lower or equal number does not move state back.';
COMMENT ON COLUMN switchboard_inbound.external_seq IS '111''s sequence number on the referral as received.';

-- Retention (REPLAY_CACHE): replayable webhook and SMS answers are deleted once no provider would retry.
GRANT DELETE ON twilio_replies, sms_replies TO ${app_role};
