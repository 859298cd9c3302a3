package vn.hotline.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import vn.hotline.db.TestPostgres;
import vn.hotline.gateway.GatewayTest;

@GatewayTest
class AuditChainTest {

    @Autowired
    AuditLog audit;
    @Autowired
    AuditChain chain;
    @Autowired
    DatabaseClient db;
    @Autowired
    TransactionalOperator tx;
    @Autowired
    Environment env;
    @Autowired
    AuditProperties properties;

    private AuditEntry entry(String subject) {
        return new AuditEntry(Actor.system("test"), AuditAction.DEMO_DATA_LOADED, new Subject("test", subject), Map.of("n", subject));
    }

    private long count(String sql) {
        return db.sql(sql).map(r -> r.get(0, Long.class)).one().block();
    }

    @Test
    void theBackgroundSealerChainsConcurrentWritersWithinTwoSeconds() {
        Flux.range(0, 400).flatMap(i -> tx.transactional(audit.record(entry("load-" + i))), 16).blockLast();
        long start = System.nanoTime();
        ChainStatus status = chain.status().block();
        while (status.unsealedEvents() > 0 && System.nanoTime() - start < Duration.ofSeconds(2).toNanos()) {
            status = chain.status().delaySubscription(Duration.ofMillis(50)).block();
        }
        assertThat(status.unsealedEvents()).isZero();
        assertThat(count("SELECT count(*) FROM audit_seals")).isEqualTo(count("SELECT count(*) FROM audit_events"));
        assertThat(count("SELECT max(seq) FROM audit_seals")).isEqualTo(count("SELECT count(*) FROM audit_seals"));
    }

    @Test
    void anEventOfATransactionStillRunningIsSealedOnlyAfterItCommitsAndBeforeLaterTransactions() throws Exception {
        TestPostgres.TestDatabase database = new TestPostgres.TestDatabase(TestPostgres.get().server().port(),
                env.getProperty("hotline.test.database-name"));
        chain.sealPending().block();
        try (Connection open = database.asApp(); Statement s = open.createStatement()) {
            open.setAutoCommit(false);
            s.executeUpdate("INSERT INTO audit_events (occurred_at, actor_type, actor_id, action, subject_type, subject_id) "
                    + "VALUES (now(), 'SYSTEM', 'test', 'DEMO_DATA_LOADED', 'test', 'in-flight')");
            StepVerifier.create(tx.transactional(audit.record(entry("committed-later-tx")))).verifyComplete();
            chain.sealPending().block();
            assertThat(count("SELECT count(*) FROM audit_seals s JOIN audit_events e ON e.id = s.event_id "
                    + "WHERE e.subject_id = 'committed-later-tx'")).as("sealed while an older transaction runs").isZero();
            open.commit();
        }
        chain.sealPending().block();
        List<String> order = db.sql("""
                        SELECT e.subject_id FROM audit_seals s JOIN audit_events e ON e.id = s.event_id
                        WHERE e.subject_id IN ('in-flight', 'committed-later-tx') ORDER BY s.seq""")
                .map(r -> r.get(0, String.class)).all().collectList().block();
        assertThat(order).containsExactly("in-flight", "committed-later-tx");
    }

    @Test
    void aFreshChainVerifiesWithItsAnchorsAndTheVerificationIsAudited() throws Exception {
        Flux.range(0, 30).concatMap(i -> audit.record(entry("verify-" + i))).blockLast();
        chain.sealPending().block();
        Anchor anchor = chain.anchorNow().block().orElseThrow();
        Path file = properties.anchoring().directory().resolve(String.format("anchor-%020d.json", anchor.seq()));
        assertThat(Files.readString(file)).contains("\"signature\"").contains(anchor.hash());

        List<VerificationProgress> progress = chain.verify(Actor.user("giamsat")).collectList().block();
        VerificationReport report = progress.get(progress.size() - 1).report();
        assertThat(report.intact()).isTrue();
        assertThat(report.firstBreak()).isNull();
        assertThat(report.anchorsChecked()).isGreaterThanOrEqualTo(1);
        assertThat(report.checked()).isGreaterThanOrEqualTo(anchor.seq());
        assertThat(count("SELECT count(*) FROM audit_events WHERE action = 'AUDIT_VERIFIED' AND actor_id = 'giamsat'")).isEqualTo(1);
    }

    @Test
    void theApplicationRoleCannotChangeOrRemoveSeals() {
        audit.record(entry("seal-guard")).then(chain.sealPending()).block();
        StepVerifier.create(db.sql("UPDATE audit_seals SET sealed_by = 'forger'").fetch().rowsUpdated())
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("permission denied")).verify();
        StepVerifier.create(db.sql("DELETE FROM audit_seals").fetch().rowsUpdated())
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("permission denied")).verify();
        StepVerifier.create(db.sql("TRUNCATE audit_seals").fetch().rowsUpdated())
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("permission denied")).verify();
    }
}
