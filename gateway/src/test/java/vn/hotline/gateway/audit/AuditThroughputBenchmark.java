package vn.hotline.gateway.audit;

import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.db.TestPostgres;
import vn.hotline.gateway.GatewayTest;

/**
 * Audit throughput beside its floor, in one run (ops/bench/README.md): business transactions inserting one audit
 * event each, against the same transactions inserting into a plain table of the same shape; the sealing lag while
 * they run; sealing and verification of a one-million-event backlog. Runs only with {@code -Dhotline.bench=true}.
 */
@GatewayTest
@EnabledIfSystemProperty(named = "hotline.bench", matches = "true")
// Not a CI test: it runs as long as it is asked to, past the suite's 10-minute limit per test (root pom).
@Timeout(value = 12, unit = TimeUnit.HOURS)
class AuditThroughputBenchmark {

    private static final int CONCURRENCY = Integer.getInteger("hotline.bench.concurrency", 32);
    private static final int TRANSACTIONS = Integer.getInteger("hotline.bench.transactions", 40_000);
    private static final int BACKLOG = Integer.getInteger("hotline.bench.backlog", 1_000_000);

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
    java.time.Clock clock;

    private final StringBuilder results = new StringBuilder();

    private void report(String line) {
        System.out.println(line);
        results.append(line).append('\n');
    }

    private Connection superuser() throws Exception {
        return TestPostgres.get().superuser(new TestPostgres.TestDatabase(TestPostgres.get().server().port(),
                env.getProperty("hotline.test.database-name")));
    }

    private Mono<Void> floorInsert(int i) {
        return db.sql("""
                        INSERT INTO bench_floor (occurred_at, actor_type, actor_id, action, subject_type, subject_id, payload_digest, digest_key_id)
                        VALUES (:at, :actorType, :actorId, :action, :subjectType, :subjectId, :digest, :keyId)""")
                .bind("at", clock.instant().atOffset(ZoneOffset.UTC))
                .bind("actorType", "USER").bind("actorId", "officer." + (i % 50))
                .bind("action", "DEMO_DATA_LOADED").bind("subjectType", "case").bind("subjectId", "BD-2026-" + i)
                .bind("digest", new byte[32]).bind("keyId", "a1")
                .then();
    }

    private Mono<Void> auditInsert(int i) {
        return audit.record(new AuditEntry(Actor.user("officer." + (i % 50)), AuditAction.DEMO_DATA_LOADED,
                new Subject("case", "BD-2026-" + i), Map.of("status", "ACKNOWLEDGED", "i", i)));
    }

    /** Events per second from {@code transactions} concurrent transactions of {@code perTransaction} inserts each. */
    private double run(int transactions, int perTransaction, java.util.function.IntFunction<Mono<Void>> insert) {
        long start = System.nanoTime();
        Flux.range(0, transactions)
                .flatMap(i -> tx.transactional(Flux.range(0, perTransaction).concatMap(j -> insert.apply(i * perTransaction + j)).then()),
                        CONCURRENCY)
                .blockLast();
        return (double) transactions * perTransaction / ((System.nanoTime() - start) / 1e9);
    }

    /** The floor, then the audit log, in the same shape; sealing lag sampled while the audit log runs. */
    private void compare(int transactions, int perTransaction) {
        double floor = run(transactions, perTransaction, this::floorInsert);
        AtomicLong maxLag = new AtomicLong();
        Disposable sampler = Flux.interval(Duration.ofMillis(250)).concatMap(t -> chain.status())
                .subscribe(status -> maxLag.accumulateAndGet(status.oldestUnsealedAgeMillis(), Math::max));
        double audited = run(transactions, perTransaction, this::auditInsert);
        long catchUp = waitUntilSealed(Duration.ofMinutes(1));
        sampler.dispose();
        report(String.format("%d event(s) per transaction, %,d transactions:", perTransaction, transactions));
        report(String.format("  floor (plain insert, same shape)   %,10.0f events/s", floor));
        report(String.format("  audit events (AuditLog.record)     %,10.0f events/s  = %.0f%% of the floor", audited, 100 * audited / floor));
        report(String.format("  sealing lag during the run         %,10d ms max (sampled every 250 ms); all sealed %d ms after the last commit",
                maxLag.get(), catchUp));
    }

    private long waitUntilSealed(Duration max) {
        long start = System.nanoTime();
        while (chain.status().block().unsealedEvents() > 0 && System.nanoTime() - start < max.toNanos()) {
            Mono.delay(Duration.ofMillis(50)).block();
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void auditInsertsBesideTheFloorSealingLagAndVerificationOfAMillionEntries() throws Exception {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_floor (LIKE audit_events INCLUDING ALL)");
            s.execute("GRANT SELECT, INSERT ON bench_floor TO " + TestPostgres.APP_ROLE);
        }
        report("audit benchmark: " + CONCURRENCY + " concurrent business transactions, "
                + Runtime.getRuntime().availableProcessors() + " cores");
        run(TRANSACTIONS / 4, 1, this::floorInsert);
        run(TRANSACTIONS / 4, 1, this::auditInsert);
        waitUntilSealed(Duration.ofMinutes(1));
        compare(TRANSACTIONS, 1);
        compare(TRANSACTIONS / 4, 5);

        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO audit_events (occurred_at, actor_type, actor_id, action, subject_type, subject_id, payload_digest, digest_key_id)
                    SELECT now(), 'USER', 'officer.' || mod(g, 50), 'DEMO_DATA_LOADED', 'case', 'BD-2026-' || g,
                           sha256(g::text::bytea), 'a1'
                    FROM generate_series(1, %d) g""".formatted(BACKLOG));
        }
        long start = System.nanoTime();
        long sealingMs = waitUntilSealed(Duration.ofMinutes(10));
        report(String.format("sealing a backlog of %,d events     %,10.0f events/s (%,d ms)", BACKLOG,
                BACKLOG / ((System.nanoTime() - start) / 1e9), sealingMs));

        chain.anchorNow().block();
        start = System.nanoTime();
        VerificationReport verified = chain.verify(Actor.system("bench")).blockLast().report();
        double seconds = (System.nanoTime() - start) / 1e9;
        report(String.format("verification of %,d entries      %,10.1f s (%,.0f entries/s), intact=%s, anchors=%d",
                verified.checked(), seconds, verified.checked() / seconds, verified.intact(), verified.anchorsChecked()));
        Path out = Path.of("target", "audit-bench.txt");
        Files.writeString(out, results, StandardCharsets.UTF_8);
    }
}
