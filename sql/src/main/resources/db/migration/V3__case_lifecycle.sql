-- Case lifecycle and routing (issue 4): what triage said, the routing decision with its explanation, case
-- references per year, and deadlines as rows that schedulers on any node claim with FOR UPDATE SKIP LOCKED.

ALTER TABLE cases
    ADD COLUMN location_hint_kind   text NOT NULL DEFAULT 'NONE' CHECK (location_hint_kind IN ('NONE', 'FORMER_DISTRICT', 'COMMUNE', 'FREE_TEXT')),
    ADD COLUMN location_hint_code   text,
    ADD COLUMN location_hint_cipher bytea,
    ADD COLUMN location_hint_key_id text,
    ADD COLUMN consent_contact_school   boolean,
    ADD COLUMN consent_share_with_police boolean,
    ADD COLUMN consent_call_back_safe   boolean,
    ADD COLUMN abandoned_at_node    text,
    ADD COLUMN escalation_step      integer NOT NULL DEFAULT 0,
    ADD COLUMN former_district_code text,
    ADD CONSTRAINT cases_status CHECK (status IN ('RECEIVED', 'ROUTED', 'ACKNOWLEDGED', 'ASSESSED', 'PLANNED', 'IN_PROGRESS', 'CLOSED', 'ESCALATED', 'REFERRED', 'REOPENED')),
    ADD CONSTRAINT cases_location_hint CHECK ((location_hint_cipher IS NULL) = (location_hint_key_id IS NULL));
COMMENT ON COLUMN cases.location_hint_cipher IS 'A free-text location (SMS) is personal data: AES-GCM ciphertext only.';
COMMENT ON COLUMN cases.escalation_step IS 'Index (0-based) of the ladder rung that holds the case now.';
COMMENT ON COLUMN cases.former_district_code IS 'The pre-2025 district of the unit, so reports group across the 2025 reform.';
CREATE INDEX cases_assigned_idx ON cases (assigned_officer_id, status);

CREATE TABLE case_reference_counters (
    prefix     text    NOT NULL,
    year       integer NOT NULL,
    last_value bigint  NOT NULL,
    PRIMARY KEY (prefix, year)
);
COMMENT ON TABLE case_reference_counters IS 'Last case number per prefix and business-zone year (BD-2026-000123). Taken in a statement of its own before the case''s transaction, so the row lock is brief; a case that fails leaves a gap.';

CREATE TABLE case_routing (
    case_id         uuid        PRIMARY KEY REFERENCES cases (id),
    decided_at      timestamptz NOT NULL,
    location_rule   text        NOT NULL,
    nobody_on_call  boolean     NOT NULL,
    decision        jsonb       NOT NULL
);
COMMENT ON TABLE case_routing IS 'The routing decision as made: ladder, acknowledgement, deadlines, co-referrals and the reasons (ids and codes only, no personal data).';

CREATE TABLE case_deadlines (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     uuid        NOT NULL REFERENCES cases (id),
    kind        text        NOT NULL CHECK (kind IN ('ACKNOWLEDGEMENT', 'EMERGENCY_PROTECTION', 'SUPPORT_PLAN')),
    step        integer     NOT NULL DEFAULT 0,
    due_at      timestamptz NOT NULL,
    state       text        NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'MET', 'ESCALATED', 'MISSED', 'CANCELLED')),
    created_at  timestamptz NOT NULL,
    resolved_at timestamptz,
    resolved_by text
);
COMMENT ON TABLE case_deadlines IS 'Deadlines as rows, so they survive restarts: schedulers on any node claim due PENDING rows with FOR UPDATE SKIP LOCKED in short transactions, so each is handled exactly once.';
COMMENT ON COLUMN case_deadlines.step IS 'For ACKNOWLEDGEMENT: the ladder rung whose acknowledgement is awaited.';
CREATE INDEX case_deadlines_due_idx ON case_deadlines (due_at) WHERE state = 'PENDING';
CREATE UNIQUE INDEX case_deadlines_one_pending_idx ON case_deadlines (case_id, kind) WHERE state = 'PENDING';

ALTER TABLE referrals
    ADD COLUMN reason     text,
    ADD COLUMN created_by text,
    ADD CONSTRAINT referrals_state CHECK (state IN ('PENDING', 'SENT', 'ACCEPTED', 'REJECTED', 'CLOSED'));

GRANT SELECT, INSERT, UPDATE ON case_reference_counters, case_routing, case_deadlines TO ${app_role};

-- The roster CSV names officers by a stable id of the province's choosing; the database keeps its own uuid.
ALTER TABLE officers ADD COLUMN roster_id text;
UPDATE officers SET roster_id = id::text WHERE roster_id IS NULL;
ALTER TABLE officers ALTER COLUMN roster_id SET NOT NULL, ADD CONSTRAINT officers_roster_id UNIQUE (roster_id);
