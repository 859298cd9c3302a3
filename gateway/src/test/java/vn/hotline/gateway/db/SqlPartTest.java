package vn.hotline.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.test.StepVerifier;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.outbox.Outbox;
import vn.hotline.gateway.outbox.OutboxMessage;

@GatewayTest
class SqlPartTest {

    @Autowired
    DatabaseClient db;
    @Autowired
    AuditLog audit;
    @Autowired
    Outbox outbox;
    @Autowired
    Clock clock;

    private long count(String sql) {
        return db.sql(sql).map(r -> r.get(0, Long.class)).one().block();
    }

    private OutboxMessage message(String key) {
        return new OutboxMessage("sql-part", "test.message", key, Map.of("n", 1), clock.instant());
    }

    @Test
    void partsOfSeveralTablesAreWrittenByOneStatementWithTheirNulls() {
        SqlPart events = audit.part(
                new AuditEntry(Actor.system("test"), AuditAction.CASE_READ, new Subject("case", "BD-1"), Map.of()),
                new AuditEntry(Actor.system("test"), AuditAction.CASE_READ, new Subject("case", "BD-2"), Map.of("k", "v")));

        StepVerifier.create(SqlPart.together(db, events, SqlPart.NONE, outbox.part(message("one"), message("two"))).then())
                .verifyComplete();

        assertThat(count("SELECT count(*) FROM audit_events WHERE actor_id = 'test' AND payload_digest IS NULL")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_events WHERE actor_id = 'test' AND payload_digest IS NOT NULL")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE destination = 'sql-part'")).isEqualTo(2);
    }

    @Test
    void whenOnePartFailsNoPartIsWritten() {
        SqlPart events = audit.part(new AuditEntry(Actor.system("atomic"), AuditAction.CASE_READ, new Subject("case", "BD-3"), Map.of()));
        // A case event for a case that does not exist: the foreign key fails at the end of the statement.
        SqlPart orphan = Rows.into("case_events", "event", "case_id", "occurred_at", "actor", "event_type", "reason")
                .row(UUID.randomUUID(), clock.instant().atOffset(ZoneOffset.UTC), "atomic", "NOTE",
                        SqlPart.orNull(Optional.empty(), String.class))
                .part();

        StepVerifier.create(SqlPart.together(db, events, outbox.part(message("three")), orphan).then())
                .expectError().verify();

        assertThat(count("SELECT count(*) FROM audit_events WHERE actor_id = 'atomic'")).isZero();
        assertThat(count("SELECT count(*) FROM outbox WHERE idempotency_key = 'three'")).isZero();
    }

    @Test
    void aRepeatedIdempotencyKeyIsSkippedNotFailed() {
        StepVerifier.create(SqlPart.together(db, outbox.part(message("four"))).then()).verifyComplete();
        StepVerifier.create(SqlPart.together(db, outbox.part(message("four"), message("five"))).then()).verifyComplete();

        assertThat(count("SELECT count(*) FROM outbox WHERE idempotency_key IN ('four', 'five')")).isEqualTo(2);
    }

    @Test
    void partsMayShareAParameterOnlyForTheSameValue() {
        SqlPart a = new SqlPart("UPDATE calls SET outcome = 'X' WHERE id = :id", Map.of("id", UUID.randomUUID()));
        SqlPart b = new SqlPart("UPDATE calls SET outcome = 'Y' WHERE id = :id", Map.of("id", UUID.randomUUID()));

        assertThatThrownBy(() -> SqlPart.together(db, a, b)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(":id");
        assertThatThrownBy(() -> SqlPart.together(db, List.of(SqlPart.NONE))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rows.into("outbox", "o", "destination").row((Object) null)).isInstanceOf(IllegalArgumentException.class);
    }
}
