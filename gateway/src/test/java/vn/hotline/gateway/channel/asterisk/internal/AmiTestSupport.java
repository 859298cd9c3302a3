package vn.hotline.gateway.channel.asterisk.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import vn.hotline.gateway.channel.asterisk.simulator.AmiSimulator;

/** One simulated Asterisk ({@code pbx-test}) behind the AMI of a test context, and what its tests need around it. */
final class AmiTestSupport {

    static final String SYSTEM = "pbx-test";
    static final String USER = "hotline";
    static final String SECRET = "test-secret-not-real";

    private AmiTestSupport() {
    }

    static AmiSimulator simulator() {
        try {
            return new AmiSimulator(USER, SECRET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void properties(DynamicPropertyRegistry registry, AmiSimulator asterisk) {
        registry.add("hotline.asterisk.ami.servers[0].system-name", () -> SYSTEM);
        registry.add("hotline.asterisk.ami.servers[0].host", () -> "127.0.0.1");
        registry.add("hotline.asterisk.ami.servers[0].port", asterisk::port);
        registry.add("hotline.asterisk.ami.servers[0].username", () -> USER);
        registry.add("hotline.asterisk.ami.servers[0].secret", () -> SECRET);
        // No FastAGI port needed: calls are stored as the ivr script stores them.
        registry.add("hotline.asterisk.enabled", () -> "false");
    }

    /** A call as the FastAGI ivr script stores it: keyed {@code <system>/<agi_uniqueid>}, its IVR over. */
    static UUID fastAgiCall(DatabaseClient db, String uniqueid, Instant at, String outcome, Instant endedAt) {
        UUID id = UUID.randomUUID();
        var spec = db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, started_at, answered_at, ivr_path, outcome, ended_at)
                        VALUES (:id, 'ASTERISK_VOICE', 'asterisk', :key, 'UNKNOWN', :at, :at, '{greeting,danger}', :outcome, :ended)""")
                .bind("id", id).bind("key", SYSTEM + "/" + uniqueid).bind("at", at.atOffset(ZoneOffset.UTC));
        spec = outcome == null ? spec.bindNull("outcome", String.class) : spec.bind("outcome", outcome);
        (endedAt == null ? spec.bindNull("ended", java.time.OffsetDateTime.class) : spec.bind("ended", endedAt.atOffset(ZoneOffset.UTC)))
                .then().block();
        return id;
    }

    /** The ladder the ivr script planned: {@code rungs} officer rungs of 20 s. */
    static void ladder(DatabaseClient db, UUID callId, int rungs, Instant at) {
        for (int step = 1; step <= rungs; step++) {
            db.sql("""
                            INSERT INTO call_dial_attempts (call_id, step, rung_kind, ring_seconds, planned_at)
                            VALUES (:id, :step, :kind, 20, :at)""")
                    .bind("id", callId).bind("step", step).bind("kind", step == 1 ? "AREA_ON_CALL" : "AREA_BACKUP")
                    .bind("at", at.atOffset(ZoneOffset.UTC)).then().block();
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static String text(DatabaseClient db, String sql, UUID callId) {
        return db.sql(sql).bind("id", callId).map(r -> String.valueOf(r.get(0))).one().blockOptional().orElse(null);
    }
}
