package vn.hotline.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.db.TestPostgres;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.channel.asterisk.AsteriskTestSupport;
import vn.hotline.gateway.channel.asterisk.Keypad;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator;
import vn.hotline.gateway.channel.twilio.TwilioWebhooks;
import vn.hotline.gateway.routing.RosterService;

/**
 * PostgreSQL frozen for 30 s (SIGSTOP of the whole cluster: nothing answered, nothing refused) under callers on
 * FastAGI and Twilio, texts and staff requests. Everyone gets an answer within the limit of their channel, health says
 * what is wrong without hanging, the logs say it in two lines, and within 10 s of the database returning the server
 * serves normally again, without a restart.
 */
@GatewayTest
@ExtendWith(OutputCaptureExtension.class)
class DatabaseFreezeTest {

    static final int AGI_PORT = AsteriskTestSupport.freePort();
    static final Duration FROZEN_FOR = Duration.ofSeconds(30);
    /** The staff requests' limit in this test (20 s in production): the same mechanism, a shorter wait. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(3);
    /** What a loaded 2-core CI machine may add to a limit before the answer reaches the client. */
    static final Duration SLACK = Duration.ofMillis(500);

    @DynamicPropertySource
    static void channels(DynamicPropertyRegistry registry) {
        AsteriskTestSupport.properties(registry, AGI_PORT);
        registry.add("hotline.http.answer-within", () -> ANSWER_WITHIN.toString());
    }

    @Autowired
    WebTestClient web;
    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;

    private int sids;

    @Test
    void whileTheDatabaseIsFrozenEveryoneIsAnsweredInTimeAndTheServerServesAgainWithinTenSecondsOfItsReturn(
            CapturedOutput output) throws Exception {
        // WebTestClient's own 5 s would end the SMS probe before the server's 10 s: the server's limits are measured.
        web = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        CaseFixtures.ensureProvince(roster, db, passwords);
        AsteriskTestSupport.awaitListening(AGI_PORT);
        TwilioWebhooks twilio = new TwilioWebhooks(web);
        String fallbackTwiml = web.post().uri("/twilio/voice/fallback").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        // Warm: the pool holds connections, the code paths are loaded, every channel works.
        assertThat(agiCall().variables()).containsEntry("HOTLINE_DONE", "1");
        assertThat(twilio.twiml("/twilio/voice", voiceCall())).isNotEqualTo(fallbackTwiml);
        staff().get().uri("/api/me").exchange().expectStatus().isOk();

        List<Future<Probe>> probes = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(12);
        long thawedAt;
        try (FrozenPostgres frozen = FrozenPostgres.freeze(TestPostgres.get().server().dataDir())) {
            long frozenAt = System.nanoTime();
            for (long at : new long[] {1, 12, 24}) {
                probes.add(clients.submit(after(frozenAt, at, "FastAGI call", () -> {
                    AgiSimulator.Result call = agiCall();
                    assertThat(call.variables()).containsEntry("HOTLINE_FALLBACK", "1").doesNotContainKey("HOTLINE_DONE");
                    // The limit for a caller, no slack: the step budget is 800 ms.
                    return Duration.ofSeconds(1);
                })));
                probes.add(clients.submit(after(frozenAt, at, "Twilio voice webhook", () -> {
                    assertThat(twilio.twiml("/twilio/voice", voiceCall())).isEqualTo(fallbackTwiml);
                    return Duration.ofSeconds(5).plus(SLACK);
                })));
                probes.add(clients.submit(after(frozenAt, at, "Twilio SMS webhook", () -> {
                    assertThat(twilio.twiml("/twilio/sms", sms())).contains("111", "Tổng đài");
                    return Duration.ofSeconds(10).plus(SLACK);
                })));
                probes.add(clients.submit(after(frozenAt, at, "staff API request", () -> {
                    staff().get().uri("/api/cases").exchange().expectStatus().isEqualTo(503)
                            .expectBody(String.class).value(body -> assertThat(body).contains("answer-timeout"));
                    return ANSWER_WITHIN.plus(SLACK);
                })));
                // The probe runs every 5 s with a 2 s limit: the freeze is known within 7 s.
                long known = Math.max(at, 8);
                probes.add(clients.submit(after(frozenAt, known, "readiness", () -> {
                    web.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
                    return SLACK;
                })));
                probes.add(clients.submit(after(frozenAt, known, "liveness", () -> {
                    // The pool is not stuck (a fresh connection fails too): restarting this server would not help.
                    web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
                    return SLACK;
                })));
            }
            for (Future<Probe> probe : probes) {
                Probe done = probe.get(60, TimeUnit.SECONDS);
                System.out.printf("Frozen database: %s at +%d s answered in %d ms (allowed %d ms)%n", done.what(), done.at(),
                        done.took().toMillis(), done.allowed().toMillis());
                assertThat(done.took()).as(done.what() + " at +" + done.at() + " s").isLessThan(done.allowed());
            }
            long left = frozenAt + FROZEN_FOR.toNanos() - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            frozen.thaw();
            thawedAt = System.nanoTime();
        } finally {
            clients.shutdownNow();
        }

        Duration back = Duration.ofSeconds(10);
        awaitWithin(thawedAt, back, () -> web.get().uri("/actuator/health/readiness").exchange().returnResult(String.class)
                .getStatus().value() == 200);
        awaitWithin(thawedAt, back, () -> "1".equals(agiCall().variables().get("HOTLINE_DONE")));
        awaitWithin(thawedAt, back, () -> !twilio.twiml("/twilio/voice", voiceCall()).equals(fallbackTwiml));
        awaitWithin(thawedAt, back, () -> staff().get().uri("/api/cases").exchange().returnResult(String.class)
                .getStatus().value() == 200);

        System.out.printf("Frozen database: serving normally again %d ms after the thaw%n",
                Duration.ofNanos(System.nanoTime() - thawedAt).toMillis());
        // The time limits cancelled queries mid-flight: none of their connections came back to the pool inside a
        // transaction (it would hold locks and poison the next borrower).
        Thread.sleep(1000);
        assertThat(db.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND state LIKE 'idle in transaction%'").map(r -> r.get(0, Long.class)).one().block())
                .as("connections left idle in a transaction").isZero();
        String logs = output.getAll();
        assertThat(logs).containsOnlyOnce("Database failing").containsOnlyOnce("Database recovered");
    }

    private record Probe(String what, long at, Duration took, Duration allowed) {
    }

    /**
     * Runs {@code probe} {@code seconds} after the freeze and times it; the probe checks the answer and returns how long
     * it was allowed to take (its channel's limit, plus {@link #SLACK} where the limit is the server's own setting).
     */
    private static Callable<Probe> after(long frozenAt, long seconds, String what, Callable<Duration> probe) {
        return () -> {
            long wait = frozenAt + TimeUnit.SECONDS.toNanos(seconds) - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long start = System.nanoTime();
            try {
                Duration allowed = probe.call();
                return new Probe(what, seconds, Duration.ofNanos(System.nanoTime() - start), allowed);
            } catch (AssertionError | Exception e) {
                throw new AssertionError(what + " at +" + seconds + " s, after "
                        + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms: " + e.getMessage(), e);
            }
        };
    }

    private static void awaitWithin(long since, Duration within, Callable<Boolean> ok) throws Exception {
        while (!ok.call()) {
            assertThat(Duration.ofNanos(System.nanoTime() - since)).as("serving again after the thaw").isLessThan(within);
            Thread.sleep(200);
        }
    }

    /** A child reporting bullying, to its end: the case opened and its reference read out, so PostgreSQL is needed. */
    private AgiSimulator.Result agiCall() throws Exception {
        return AsteriskTestSupport.asterisk(AGI_PORT).call(AgiSimulator.environment("ivr?flow=triage",
                AsteriskTestSupport.nextUniqueId(), "+84905123456", "vi"), Keypad.of("3 2 20 1 1"));
    }

    private synchronized Map<String, String> voiceCall() {
        return TwilioWebhooks.voice(String.format("CA%032d", ++sids), "+84905123456", "ringing", Map.of());
    }

    private synchronized Map<String, String> sms() {
        return TwilioWebhooks.sms(String.format("SM%032d", ++sids), "+84905777888", "xin chao");
    }

    private WebTestClient staff() {
        return CaseFixtures.as(web, "supervisor");
    }
}
