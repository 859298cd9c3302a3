package vn.hotline.gateway.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.r2dbc.core.DatabaseClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.cases.CaseIntake;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Consents;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.ivr.triage.Urgency;

/** Planted numbers and text, used only here, never show up in any column in clear or in the log. */
@GatewayTest
@ExtendWith(OutputCaptureExtension.class)
class NoPlaintextPersonalDataTest {

    private static final String PLANTED_NUMBER = "0987 650 321";
    private static final String PLANTED_DIGITS = "987650321";
    private static final String PLANTED_TEXT = "Bí mật của em Lan";

    @Autowired
    PersonalData personalData;
    @Autowired
    DatabaseClient db;
    @Autowired
    AuditLog audit;
    @Autowired
    CaseService cases;

    @Test
    void plantedNumbersAndTextAreNowhereInClear(CapturedOutput output) {
        CallerId.Number number = (CallerId.Number) personalData.identify(PLANTED_NUMBER);
        ProtectedNumber caller = personalData.protect(number, DataField.CALLER_NUMBER);
        ProtectedNumber officerPhone = personalData.protect(number, DataField.OFFICER_PHONE);
        Encrypted note = personalData.encrypt(PLANTED_TEXT, DataField.CASE_NOTE);
        UUID call = UUID.randomUUID();
        UUID officer = UUID.randomUUID();
        UUID kase = UUID.randomUUID();
        var now = Instant.parse("2026-05-01T02:00:00Z").atOffset(ZoneOffset.UTC);

        db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, caller_hash, caller_cipher, caller_key_id, started_at)
                        VALUES (:id, 'TWILIO_VOICE', 'twilio', 'CA0001', 'NUMBER', :hash, :cipher, :key, :now)""")
                .bind("id", call).bind("hash", caller.lookupHash()).bind("cipher", caller.ciphertext()).bind("key", caller.keyId())
                .bind("now", now).then()
                .then(db.sql("""
                                INSERT INTO officers (id, roster_id, display_name, phone_hash, phone_cipher, phone_key_id, phone_masked, created_at, updated_at)
                                VALUES (:id, 'planted', 'Officer', :hash, :cipher, :key, :masked, :now, :now)""")
                        .bind("id", officer).bind("hash", officerPhone.lookupHash()).bind("cipher", officerPhone.ciphertext())
                        .bind("key", officerPhone.keyId()).bind("masked", officerPhone.masked()).bind("now", now).then())
                .then(db.sql("""
                                INSERT INTO cases (id, reference, channel, language, category, urgency, reporter_role, age_band, status, received_at, call_id, created_at, updated_at)
                                VALUES (:id, 'BD-2026-999999', 'TWILIO_VOICE', 'vi', 'ONLINE_SEXUAL_ABUSE', 'HIGH', 'CHILD', '11_15', 'RECEIVED', :now, :call, :now, :now)""")
                        .bind("id", kase).bind("call", call).bind("now", now).then())
                .then(db.sql("""
                                INSERT INTO case_events (case_id, occurred_at, actor, event_type, note_cipher, note_key_id)
                                VALUES (:case, :now, 'USER:officer', 'NOTE', :cipher, :key)""")
                        .bind("case", kase).bind("now", now).bind("cipher", note.ciphertext()).bind("key", note.keyId()).then())
                .then(audit.record(new AuditEntry(Actor.caller(call.toString()), AuditAction.DEMO_DATA_LOADED,
                        new Subject("call", call.toString()), Map.of("caller", number.e164(), "note", PLANTED_TEXT))))
                .block();
        // A case whose location is free text, as an SMS gives it, opened through the case service.
        cases.open(new CaseIntake(new TriageResult(Channel.SMS, Language.VI, Urgency.HIGH, Category.CYBERBULLYING,
                ReporterRole.CHILD, AgeBand.AGE_11_15, new LocationHint.FreeText(PLANTED_TEXT), Consents.NONE,
                Optional.empty(), List.of("sms")), Instant.parse("2026-05-01T02:00:00Z"), Optional.empty())).block();

        List<String> tables = db.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
                .map(r -> r.get(0, String.class)).all().collectList().block();
        assertThat(tables).contains("calls", "officers", "cases", "case_events", "case_routing", "outbox", "audit_events");
        for (String table : tables) {
            // Each row as JSON: bytea columns appear as hex, so plaintext bytes would show as hex too; check both forms.
            String dump = String.join("\n", db.sql("SELECT row_to_json(t)::text FROM " + table + " t")
                    .map(r -> r.get(0, String.class)).all().collectList().block());
            assertThat(dump).as(table).doesNotContain(PLANTED_DIGITS).doesNotContain(PLANTED_TEXT)
                    .doesNotContain(hex(PLANTED_DIGITS)).doesNotContain(hex(PLANTED_TEXT));
        }
        assertThat(output.getAll()).doesNotContain(PLANTED_DIGITS).doesNotContain(PLANTED_TEXT);
        assertThat(number.toString()).doesNotContain(PLANTED_DIGITS);
        assertThat(caller.toString()).doesNotContain(PLANTED_DIGITS);
    }

    private static String hex(String s) {
        return java.util.HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
