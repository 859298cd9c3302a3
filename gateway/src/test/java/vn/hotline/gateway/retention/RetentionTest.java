package vn.hotline.gateway.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.privacy.CallerId;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.Encrypted;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.privacy.ProtectedNumber;

/** Old identities and notes are anonymised, recent ones and those under legal hold stay; statistics and audit stay. */
@GatewayTest
class RetentionTest {

    private static final OffsetDateTime LONG_AGO = Instant.parse("2019-05-01T03:00:00Z").atOffset(ZoneOffset.UTC);

    @Autowired
    Retention retention;
    @Autowired
    PersonalData personalData;
    @Autowired
    DatabaseClient db;

    private UUID oldCall;
    private UUID heldCall;
    private UUID recentCall;

    private void calls() {
        OffsetDateTime recent = OffsetDateTime.now(ZoneOffset.UTC).minusDays(3);
        oldCall = UUID.randomUUID();
        heldCall = UUID.randomUUID();
        recentCall = UUID.randomUUID();
        call(oldCall, LONG_AGO).then(call(heldCall, LONG_AGO)).then(call(recentCall, recent))
                .then(kase(oldCall, "BD-2019-000001", false)).then(kase(heldCall, "BD-2019-000002", true))
                .then(kase(recentCall, "BD-2026-000003", false))
                .block();
    }

    private Mono<Void> call(UUID id, OffsetDateTime at) {
        ProtectedNumber number = personalData.protect((CallerId.Number) personalData.identify("+84987651234"), DataField.CALLER_NUMBER);
        return db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, caller_hash, caller_cipher, caller_key_id, started_at, ivr_path, outcome)
                        VALUES (:id, 'ASTERISK_VOICE', 'asterisk', :pid, 'NUMBER', :hash, :cipher, :key, :at, '{greeting,category}', 'CASE_OPENED')""")
                .bind("id", id).bind("pid", "pbx/" + id).bind("hash", number.lookupHash()).bind("cipher", number.ciphertext())
                .bind("key", number.keyId()).bind("at", at).then()
                .then(db.sql("INSERT INTO ivr_sessions (call_id, flow_id, flow_version, state, updated_at) VALUES (:id, 'default', 1, '{\"location\":\"x\"}'::jsonb, :at)")
                        .bind("id", id).bind("at", at).then());
    }

    private Mono<Void> kase(UUID call, String reference, boolean hold) {
        UUID id = UUID.randomUUID();
        OffsetDateTime at = reference.startsWith("BD-2019") ? LONG_AGO : OffsetDateTime.now(ZoneOffset.UTC).minusDays(3);
        Encrypted note = personalData.encrypt("Ghi chú " + reference, DataField.CASE_NOTE);
        return db.sql("""
                        INSERT INTO cases (id, reference, channel, language, category, urgency, reporter_role, age_band, status, received_at, call_id, created_at, updated_at, legal_hold)
                        VALUES (:id, :ref, 'ASTERISK_VOICE', 'vi', 'CYBERBULLYING', 'NORMAL', 'CHILD', '11_15', 'CLOSED', :at, :call, :at, :at, :hold)""")
                .bind("id", id).bind("ref", reference).bind("at", at).bind("call", call).bind("hold", hold).then()
                .then(db.sql("""
                                INSERT INTO case_events (case_id, occurred_at, actor, event_type, note_cipher, note_key_id)
                                VALUES (:case, :at, 'USER:officer', 'NOTE', :cipher, :key)""")
                        .bind("case", id).bind("at", at).bind("cipher", note.ciphertext()).bind("key", note.keyId()).then());
    }

    private Map<String, Object> call(UUID id) {
        return db.sql("SELECT caller_kind, caller_cipher, anonymised_at, outcome, ivr_path::text AS path, (SELECT state::text FROM ivr_sessions WHERE call_id = c.id) AS state FROM calls c WHERE id = :id")
                .bind("id", id).fetch().one().block();
    }

    private long count(String sql) {
        return db.sql(sql).map(r -> r.get(0, Long.class)).one().block();
    }

    private static RetentionReport.Line line(RetentionReport report, DataClass dataClass) {
        return report.classes().stream().filter(l -> l.dataClass() == dataClass).findFirst().orElseThrow();
    }

    @Test
    void aDryRunChangesNothingThenApplyingAnonymisesOnlyWhatIsDueAndKeepsStatisticsHoldsAndTheAuditLog() {
        calls();
        RetentionReport report = retention.dryRun(Actor.user("admin")).block();
        assertThat(report.applied()).isFalse();
        assertThat(line(report, DataClass.CALL_METADATA).due()).isEqualTo(1);
        assertThat(line(report, DataClass.CALL_METADATA).held()).isEqualTo(1);
        assertThat(line(report, DataClass.CASE_NOTES).due()).isEqualTo(1);
        assertThat(line(report, DataClass.AUDIT_EVENTS).cutoff()).isNull();
        assertThat(call(oldCall).get("caller_kind")).isEqualTo("NUMBER");
        assertThat(count("SELECT count(*) FROM audit_events WHERE action = 'RETENTION_RUN' AND actor_id = 'admin'")).isEqualTo(1);

        long auditBefore = count("SELECT count(*) FROM audit_events");
        RetentionReport applied = retention.apply(Actor.user("admin")).block();

        assertThat(applied.applied()).isTrue();
        assertThat(line(applied, DataClass.CALL_METADATA).anonymised()).isEqualTo(1);
        assertThat(line(applied, DataClass.CASE_NOTES).anonymised()).isEqualTo(1);
        Map<String, Object> erased = call(oldCall);
        assertThat(erased.get("caller_kind")).isEqualTo("ERASED");
        assertThat(erased.get("caller_cipher")).isNull();
        assertThat(erased.get("anonymised_at")).isNotNull();
        assertThat(erased.get("state")).isEqualTo("{}");
        assertThat(erased.get("outcome")).isEqualTo("CASE_OPENED");
        assertThat(erased.get("path")).isEqualTo("{greeting,category}");
        assertThat(call(heldCall).get("caller_kind")).isEqualTo("NUMBER");
        assertThat(call(recentCall).get("caller_kind")).isEqualTo("NUMBER");
        assertThat(count("SELECT count(*) FROM case_events ev JOIN cases k ON k.id = ev.case_id WHERE k.reference = 'BD-2019-000001' AND ev.note_cipher IS NULL")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM case_events ev JOIN cases k ON k.id = ev.case_id WHERE k.reference IN ('BD-2019-000002', 'BD-2026-000003') AND ev.note_cipher IS NOT NULL")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM audit_events")).as("audit events are only ever added").isEqualTo(auditBefore + 1);
        assertThat(count("SELECT count(*) FROM audit_events WHERE action = 'RETENTION_RUN'")).isEqualTo(2);

        RetentionReport again = retention.apply(Actor.user("admin")).block();
        assertThat(line(again, DataClass.CALL_METADATA).due()).isZero();
    }
}
