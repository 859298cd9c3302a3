package vn.hotline.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import vn.hotline.db.TestPostgres;
import vn.hotline.gateway.HotlineApplication;

/** Two server instances on one database: one sealer at a time, and after concurrent writers on both, no gap or fork. */
class TwoNodesTest {

    private static final int WRITERS_PER_NODE = 8;
    private static final int TRANSACTIONS_PER_WRITER = 150;

    private ConfigurableApplicationContext nodeA;
    private ConfigurableApplicationContext nodeB;

    @AfterEach
    void stopNodes() {
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] {nodeA, nodeB}) {
            if (node != null && node.isActive()) {
                node.close();
            }
        }
    }

    private static ConfigurableApplicationContext node(String id, TestPostgres.TestDatabase db, Path anchors) {
        return new SpringApplicationBuilder(HotlineApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("test")
                .run("--hotline.db.url=" + db.hotlineUrl(),
                        "--hotline.lease.node-id=" + id,
                        "--hotline.audit.sealer.lease-ttl=2s",
                        "--hotline.audit.anchoring.directory=" + anchors);
    }

    /** Business transactions of two events each, from several writers at once. */
    private static Mono<Void> write(ConfigurableApplicationContext node, String name) {
        AuditLog audit = node.getBean(AuditLog.class);
        TransactionalOperator tx = node.getBean(TransactionalOperator.class);
        return Flux.range(0, WRITERS_PER_NODE * TRANSACTIONS_PER_WRITER)
                .flatMap(i -> tx.transactional(audit.record(entry(name, i, "a")).then(audit.record(entry(name, i, "b")))), WRITERS_PER_NODE)
                .then();
    }

    private static AuditEntry entry(String node, int i, String part) {
        return new AuditEntry(Actor.system(node), AuditAction.DEMO_DATA_LOADED, new Subject("load", node + "-" + i + part), Map.of("i", i));
    }

    @Test
    void concurrentWritersOnTwoNodesWithASealerHandoverLeaveOneChainWithoutGapOrFork() throws Exception {
        TestPostgres.TestDatabase db = TestPostgres.get().newMigratedDatabase();
        Path anchors = Files.createTempDirectory("hotline-two-nodes-anchors");
        nodeA = node("node-a", db, anchors);
        nodeB = node("node-b", db, anchors);
        DatabaseClient sql = nodeB.getBean(DatabaseClient.class);

        Mono<Void> writers = Mono.when(write(nodeA, "a").subscribeOn(Schedulers.parallel()), write(nodeB, "b").subscribeOn(Schedulers.parallel()));
        // Once the chain has grown mid-run, the lease holder goes away; the other node must go on where it stands.
        Mono<Void> handover = Mono.defer(() -> sql.sql("SELECT count(*) FROM audit_seals").map(r -> r.get(0, Long.class)).one())
                .repeatWhen(done -> done.delayElements(Duration.ofMillis(20)))
                .takeUntil(sealed -> sealed >= 200)
                .then(sql.sql("SELECT holder FROM node_leases WHERE name = 'audit-sealer'").map(r -> r.get(0, String.class)).one())
                .doOnNext(holder -> ("node-a".equals(holder) ? nodeA : nodeB).close())
                .then();
        Mono.when(writers.onErrorResume(e -> Mono.empty()), handover).block(Duration.ofMinutes(2));

        ConfigurableApplicationContext survivor = nodeA.isActive() ? nodeA : nodeB;
        write(survivor, "after-handover").block(Duration.ofMinutes(1));
        DatabaseClient survivorSql = survivor.getBean(DatabaseClient.class);
        AuditChain chain = survivor.getBean(AuditChain.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        ChainStatus status = chain.status().block();
        while (status.unsealedEvents() > 0 && System.nanoTime() < deadline) {
            status = chain.status().delaySubscription(Duration.ofMillis(100)).block();
        }
        assertThat(status.unsealedEvents()).isZero();

        long events = count(survivorSql, "SELECT count(*) FROM audit_events");
        assertThat(events).isGreaterThan(0);
        assertThat(count(survivorSql, "SELECT count(*) FROM audit_seals")).isEqualTo(events);
        assertThat(count(survivorSql, "SELECT max(seq) FROM audit_seals")).isEqualTo(events);
        assertThat(count(survivorSql, "SELECT count(DISTINCT event_id) FROM audit_seals")).isEqualTo(events);
        List<String> sealers = survivorSql.sql("""
                        SELECT sealed_by FROM (
                            SELECT sealed_by, lag(sealed_by) OVER (ORDER BY seq) AS before FROM audit_seals) t
                        WHERE before IS DISTINCT FROM sealed_by""")
                .map(r -> r.get(0, String.class)).all().collectList().block();
        assertThat(sealers).as("one sealer at a time: each node seals one unbroken stretch").containsExactlyInAnyOrder("node-a", "node-b");

        VerificationReport report = chain.verify(Actor.system("test")).blockLast().report();
        assertThat(report.intact()).isTrue();
        assertThat(report.checked()).isEqualTo(events);
    }

    private static long count(DatabaseClient sql, String query) {
        return sql.sql(query).map(r -> r.get(0, Long.class)).one().block();
    }
}
