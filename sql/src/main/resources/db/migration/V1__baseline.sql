-- Baseline schema of the hotline server (DESIGN 4).
-- Runs as the owner role; ${app_role} is the role the server uses at run time (not a superuser).
-- Personal data never appears in clear: numbers are a keyed hash (lookup) plus AES-GCM ciphertext (call-back),
-- free text is AES-GCM ciphertext. Every ciphertext column has a key id beside it so keys can rotate.

-- ---------------------------------------------------------------------------------------------------------------
-- Administrative units and service areas
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE admin_units (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            text        NOT NULL,
    name            text        NOT NULL,
    full_name       text        NOT NULL,
    level           text        NOT NULL CHECK (level IN ('PROVINCE', 'DISTRICT', 'COMMUNE')),
    unit_type       text        NOT NULL,
    parent_code     text,
    province_code   text        NOT NULL,
    valid_from      date        NOT NULL,
    valid_to        date,
    successor_codes text[]      NOT NULL DEFAULT '{}',
    CONSTRAINT admin_units_validity CHECK (valid_to IS NULL OR valid_to >= valid_from),
    CONSTRAINT admin_units_code_era UNIQUE (code, valid_from)
);
COMMENT ON TABLE admin_units IS 'Administrative units with validity dates: codes are reused across eras (a 2025 commune may carry a 2022 commune''s code), so a unit is code plus validity.';
COMMENT ON COLUMN admin_units.successor_codes IS 'Codes of the units that took over this one when it ceased (valid_to); empty while it is valid.';
CREATE INDEX admin_units_code_idx ON admin_units (code, valid_from DESC);
CREATE INDEX admin_units_parent_idx ON admin_units (parent_code);

CREATE TABLE service_areas (
    code                 text PRIMARY KEY,
    name                 text NOT NULL,
    kind                 text NOT NULL CHECK (kind IN ('FORMER_DISTRICT', 'CUSTOM')),
    former_province_code text,
    active               boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE service_areas IS 'What officers cover. Defaults: the 28 former districts of Binh Dinh and Gia Lai, each grouping its successor communes.';

CREATE TABLE service_area_units (
    service_area_code text   NOT NULL REFERENCES service_areas (code),
    admin_unit_id     bigint NOT NULL REFERENCES admin_units (id),
    source            text   NOT NULL DEFAULT 'DEFAULT' CHECK (source IN ('DEFAULT', 'ADMIN')),
    PRIMARY KEY (service_area_code, admin_unit_id)
);
COMMENT ON TABLE service_area_units IS 'Which units an area groups. DEFAULT rows come from reference data; ADMIN rows are an administrator''s corrections of the old-to-new mapping.';
CREATE INDEX service_area_units_unit_idx ON service_area_units (admin_unit_id);

-- ---------------------------------------------------------------------------------------------------------------
-- Staff: officers, their rota, console users
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE officers (
    id            uuid PRIMARY KEY,
    display_name  text        NOT NULL,
    phone_hash    bytea       NOT NULL,
    phone_cipher  bytea       NOT NULL,
    phone_key_id  text        NOT NULL,
    phone_masked  text        NOT NULL,
    languages     text[]      NOT NULL DEFAULT '{vi}',
    skills        text[]      NOT NULL DEFAULT '{}',
    active        boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
COMMENT ON TABLE officers IS 'Child-protection officers. The phone is stored as the personal-data service stores numbers: HMAC for lookup, AES-GCM for dialling, and a masked form for display.';
CREATE INDEX officers_phone_hash_idx ON officers (phone_hash);

CREATE TABLE officer_service_areas (
    officer_id        uuid NOT NULL REFERENCES officers (id),
    service_area_code text NOT NULL REFERENCES service_areas (code),
    role              text NOT NULL CHECK (role IN ('PRIMARY', 'BACKUP')),
    PRIMARY KEY (officer_id, service_area_code)
);
CREATE INDEX officer_service_areas_area_idx ON officer_service_areas (service_area_code, role);

CREATE TABLE rota_shifts (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    officer_id        uuid        NOT NULL REFERENCES officers (id),
    duty              text        NOT NULL CHECK (duty IN ('ON_CALL', 'BACKUP', 'EMERGENCY', 'DUTY_SUPERVISOR')),
    service_area_code text        REFERENCES service_areas (code),
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz NOT NULL,
    CONSTRAINT rota_shifts_span CHECK (ends_at > starts_at),
    CONSTRAINT rota_shifts_area CHECK ((duty IN ('ON_CALL', 'BACKUP')) = (service_area_code IS NOT NULL))
);
COMMENT ON TABLE rota_shifts IS 'Half-open shifts [starts_at, ends_at): ON_CALL and BACKUP per service area, EMERGENCY (provincial emergency rota) and DUTY_SUPERVISOR. Instants are absolute; the rota is planned in Asia/Ho_Chi_Minh.';
CREATE INDEX rota_shifts_lookup_idx ON rota_shifts (duty, service_area_code, starts_at, ends_at);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    username      text        NOT NULL UNIQUE,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('OFFICER', 'SUPERVISOR', 'ADMIN')),
    officer_id    uuid        REFERENCES officers (id),
    display_name  text        NOT NULL,
    enabled       boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL,
    CONSTRAINT users_officer_role CHECK (role <> 'OFFICER' OR officer_id IS NOT NULL)
);
COMMENT ON TABLE users IS 'Staff who log in. Passwords are BCrypt hashes. An OFFICER sees only the cases of the service areas their officer record covers.';

-- ---------------------------------------------------------------------------------------------------------------
-- Calls, IVR sessions, cases
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE calls (
    id                uuid PRIMARY KEY,
    channel           text        NOT NULL CHECK (channel IN ('ASTERISK_VOICE', 'TWILIO_VOICE', 'SMS', 'SWITCHBOARD', 'WEB')),
    provider          text        NOT NULL,
    provider_call_id  text        NOT NULL,
    caller_kind       text        NOT NULL CHECK (caller_kind IN ('NUMBER', 'WITHHELD', 'UNKNOWN')),
    caller_hash       bytea,
    caller_cipher     bytea,
    caller_key_id     text,
    dialled_number    text,
    started_at        timestamptz NOT NULL,
    answered_at       timestamptz,
    ended_at          timestamptz,
    ivr_path          text[]      NOT NULL DEFAULT '{}',
    outcome           text,
    incomplete        boolean     NOT NULL DEFAULT false,
    CONSTRAINT calls_provider_id UNIQUE (provider, provider_call_id),
    CONSTRAINT calls_caller CHECK ((caller_kind = 'NUMBER') = (caller_hash IS NOT NULL AND caller_cipher IS NOT NULL AND caller_key_id IS NOT NULL))
);
COMMENT ON TABLE calls IS 'One row per contact on any channel. provider_call_id is e.g. "<asterisk system name>/<agi_uniqueid>" or a Twilio CallSid.';
COMMENT ON COLUMN calls.caller_hash IS 'HMAC-SHA256 of the E.164 number: repeat-caller lookup across channels without storing the number.';
CREATE INDEX calls_started_idx ON calls (started_at);
CREATE INDEX calls_caller_hash_idx ON calls (caller_hash) WHERE caller_hash IS NOT NULL;

CREATE TABLE ivr_sessions (
    call_id      uuid PRIMARY KEY REFERENCES calls (id),
    flow_id      text        NOT NULL,
    flow_version integer     NOT NULL,
    step         integer     NOT NULL DEFAULT 0,
    state        jsonb       NOT NULL,
    updated_at   timestamptz NOT NULL
);
COMMENT ON TABLE ivr_sessions IS 'Serialised IVR engine state between inputs, so any node can take the next step of a call. step guards against replays of the same webhook.';

CREATE TABLE cases (
    id                    uuid PRIMARY KEY,
    reference             text        NOT NULL UNIQUE,
    channel               text        NOT NULL,
    language              text        NOT NULL,
    category              text        NOT NULL,
    urgency               text        NOT NULL CHECK (urgency IN ('IMMEDIATE', 'HIGH', 'NORMAL', 'INFO')),
    reporter_role         text        NOT NULL,
    age_band              text        NOT NULL,
    admin_unit_id         bigint      REFERENCES admin_units (id),
    service_area_code     text        REFERENCES service_areas (code),
    status                text        NOT NULL,
    assigned_officer_id   uuid        REFERENCES officers (id),
    received_at           timestamptz NOT NULL,
    ack_deadline          timestamptz,
    emergency_deadline    timestamptz,
    support_plan_deadline timestamptz,
    call_id               uuid        REFERENCES calls (id),
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);
COMMENT ON TABLE cases IS 'One case per triage result that needs a human. received_at starts the statutory clocks (Decree 56/2017 Art. 26, 28, 31). admin_unit_id keeps the unit valid on the report date.';
CREATE INDEX cases_area_status_idx ON cases (service_area_code, status);
CREATE INDEX cases_received_idx ON cases (received_at);

CREATE TABLE case_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       uuid        NOT NULL REFERENCES cases (id),
    occurred_at   timestamptz NOT NULL,
    actor         text        NOT NULL,
    event_type    text        NOT NULL,
    from_status   text,
    to_status     text,
    reason        text,
    note_cipher   bytea,
    note_key_id   text,
    CONSTRAINT case_events_note CHECK ((note_cipher IS NULL) = (note_key_id IS NULL))
);
COMMENT ON TABLE case_events IS 'The history of a case: transitions (with actor and reason) and notes. Notes are AES-GCM ciphertext.';
CREATE INDEX case_events_case_idx ON case_events (case_id, occurred_at);

CREATE TABLE referrals (
    id              uuid PRIMARY KEY,
    case_id         uuid        NOT NULL REFERENCES cases (id),
    target          text        NOT NULL CHECK (target IN ('POLICE_CYBER_UNIT', 'INFORMATION_DEPARTMENT', 'SOCIAL_ASSISTANCE_CENTRE', 'SCHOOL', 'SWITCHBOARD_111')),
    state           text        NOT NULL,
    idempotency_key text        NOT NULL UNIQUE,
    external_ref    text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
COMMENT ON TABLE referrals IS 'A case handed to another body; external_ref is the receiver''s receipt (e.g. 111''s reference).';
CREATE INDEX referrals_case_idx ON referrals (case_id);

-- ---------------------------------------------------------------------------------------------------------------
-- Outbox: messages to other systems, sent at least once by dispatchers that claim rows with a lease
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    destination     text        NOT NULL,
    message_type    text        NOT NULL,
    idempotency_key text        NOT NULL UNIQUE,
    payload         jsonb       NOT NULL,
    created_at      timestamptz NOT NULL,
    available_at    timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    lease_owner     text,
    lease_until     timestamptz,
    delivered_at    timestamptz,
    last_error      text
);
COMMENT ON TABLE outbox IS 'Transactional outbox. A dispatcher claims due rows (FOR UPDATE SKIP LOCKED) by setting a lease in a short transaction, sends outside any transaction, then marks delivered_at. The receiver deduplicates on idempotency_key. payload holds no clear personal data.';
CREATE INDEX outbox_due_idx ON outbox (destination, available_at) WHERE delivered_at IS NULL;

-- ---------------------------------------------------------------------------------------------------------------
-- Audit events: insert-only. The hash chain over them is built by a single sealer (a later migration).
-- ---------------------------------------------------------------------------------------------------------------

CREATE TABLE audit_events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at    timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    tx_id          xid8        NOT NULL DEFAULT pg_current_xact_id(),
    actor_type     text        NOT NULL CHECK (actor_type IN ('SYSTEM', 'USER', 'CALLER', 'PROVIDER')),
    actor_id       text        NOT NULL,
    action         text        NOT NULL,
    subject_type   text        NOT NULL,
    subject_id     text        NOT NULL,
    payload_digest bytea,
    digest_key_id  text,
    CONSTRAINT audit_events_digest CHECK ((payload_digest IS NULL) = (digest_key_id IS NULL))
);
COMMENT ON TABLE audit_events IS 'Who did what to which call, case or referral, and every staff read. Insert-only: the application role may not update, delete or truncate, and triggers refuse it for everyone else but a superuser who disables them.';
COMMENT ON COLUMN audit_events.payload_digest IS 'HMAC-SHA256 over the canonical payload, keyed so that a digest of a phone number cannot be brute-forced.';
COMMENT ON COLUMN audit_events.tx_id IS 'The inserting transaction, so the sealer can chain events in commit order.';
CREATE INDEX audit_events_subject_idx ON audit_events (subject_type, subject_id, id);
CREATE INDEX audit_events_tx_idx ON audit_events (tx_id);

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is insert-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();

-- ---------------------------------------------------------------------------------------------------------------
-- Privileges of the application role
-- ---------------------------------------------------------------------------------------------------------------

GRANT USAGE ON SCHEMA public TO ${app_role};
GRANT SELECT ON admin_units, service_areas, service_area_units TO ${app_role};
GRANT INSERT, DELETE ON service_area_units TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON officers, officer_service_areas, users, calls, ivr_sessions, cases, referrals TO ${app_role};
GRANT DELETE ON officer_service_areas TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON rota_shifts TO ${app_role};
GRANT SELECT, INSERT ON case_events TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON outbox TO ${app_role};
GRANT SELECT, INSERT ON audit_events TO ${app_role};
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${app_role};
