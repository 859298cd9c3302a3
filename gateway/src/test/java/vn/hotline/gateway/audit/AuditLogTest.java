package vn.hotline.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import vn.hotline.gateway.GatewayTest;

@GatewayTest
class AuditLogTest {

    @Autowired
    AuditLog audit;
    @Autowired
    DatabaseClient db;
    @Autowired
    TransactionalOperator tx;

    @Test
    void anEventCommitsWithTheTransactionThatRecordsIt() {
        var entry = new AuditEntry(Actor.user("supervisor"), AuditAction.DEMO_DATA_LOADED, new Subject("roster", "commit"),
                Map.of("note", "Số điện thoại 0912345678"));
        StepVerifier.create(tx.transactional(audit.record(entry))).verifyComplete();

        StepVerifier.create(db.sql("SELECT actor_type, actor_id, action, payload_digest, digest_key_id, tx_id::text AS tx FROM audit_events WHERE subject_id = 'commit'")
                        .map(row -> Map.of("actor", row.get("actor_type", String.class) + ":" + row.get("actor_id", String.class),
                                "action", row.get("action", String.class),
                                "digest", row.get("payload_digest", byte[].class),
                                "key", row.get("digest_key_id", String.class),
                                "tx", row.get("tx", String.class)))
                        .one())
                .assertNext(row -> {
                    assertThat(row.get("actor")).isEqualTo("USER:supervisor");
                    assertThat(row.get("action")).isEqualTo("DEMO_DATA_LOADED");
                    assertThat((byte[]) row.get("digest")).hasSize(32);
                    assertThat(row.get("key")).isEqualTo("a1");
                    assertThat((String) row.get("tx")).isNotBlank();
                })
                .verifyComplete();
    }

    @Test
    void anEventIsGoneWhenItsTransactionRollsBack() {
        var entry = new AuditEntry(Actor.system("test"), AuditAction.DEMO_DATA_LOADED, new Subject("roster", "rollback"), Map.of());
        StepVerifier.create(tx.transactional(audit.record(entry).then(Mono.error(new IllegalStateException("business rule failed")))))
                .verifyErrorMessage("business rule failed");

        StepVerifier.create(db.sql("SELECT count(*) AS n FROM audit_events WHERE subject_id = 'rollback'")
                        .map(row -> row.get("n", Long.class)).one())
                .expectNext(0L)
                .verifyComplete();
    }

    @Test
    void digestsAreKeyedAndCanonicalSoKeyOrderDoesNotMatter() {
        var a = new AuditEntry(Actor.system("t"), AuditAction.DEMO_DATA_LOADED, new Subject("x", "order-a"), Map.of("a", 1, "b", 2));
        var b = new AuditEntry(Actor.system("t"), AuditAction.DEMO_DATA_LOADED, new Subject("x", "order-b"), Map.of("b", 2, "a", 1));
        StepVerifier.create(audit.record(a).then(audit.record(b))).verifyComplete();
        StepVerifier.create(db.sql("SELECT count(DISTINCT payload_digest) AS n FROM audit_events WHERE subject_id IN ('order-a', 'order-b')")
                        .map(row -> row.get("n", Long.class)).one())
                .expectNext(1L)
                .verifyComplete();
    }

    @Test
    void theApplicationRoleCannotRewriteHistory() {
        StepVerifier.create(db.sql("UPDATE audit_events SET action = 'FORGED'").fetch().rowsUpdated())
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("permission denied"))
                .verify();
        StepVerifier.create(db.sql("DELETE FROM audit_events").fetch().rowsUpdated())
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("permission denied"))
                .verify();
    }
}
