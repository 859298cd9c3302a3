package vn.hotline.gateway.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.db.TestPostgres;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.channel.asterisk.AsteriskTestSupport;
import vn.hotline.gateway.channel.asterisk.Keypad;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator;
import vn.hotline.gateway.channel.twilio.FakeTwilio;
import vn.hotline.gateway.channel.twilio.TwilioWebhooks;
import vn.hotline.gateway.console.ConsoleSession;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.gateway.sms.CallerTexts;
import vn.hotline.gateway.security.StaffDirectory;
import vn.hotline.gateway.switchboard.Fake111;
import vn.hotline.gateway.switchboard.SwitchboardFixtures;

/**
 * PostgreSQL frozen for 30 s (SIGSTOP of the whole cluster: nothing answered, nothing refused) under callers on
 * FastAGI and Twilio, texts, staff requests, a console session and outbox traffic (callers' texts to a Twilio that
 * takes its time, referrals to 111, in flight when the freeze starts). Everyone gets an answer within the limit of
 * their channel, the console user a page in Vietnamese, health says what is wrong without hanging, the logs say it in
 * two lines, within 10 s of the database returning the server serves normally again, without a restart, and every
 * queued text and referral arrives exactly once.
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

    static final FakeTwilio TWILIO = new FakeTwilio();
    static final Fake111 SWITCHBOARD = new Fake111();
    /** Callers who ask for their reference by text just before the freeze. */
    static final int TEXTS = 12;
    /** Cases the supervisor refers to 111 just before the freeze. */
    static final int REFERRALS = 5;

    @DynamicPropertySource
    static void channels(DynamicPropertyRegistry registry) {
        AsteriskTestSupport.properties(registry, AGI_PORT);
        registry.add("hotline.http.answer-within", () -> ANSWER_WITHIN.toString());
        // The outbox at work, with the short leases and back-offs of the crash test.
        registry.add("hotline.outbox.dispatch-enabled", () -> "true");
        registry.add("hotline.outbox.poll-interval", () -> "200ms");
        registry.add("hotline.outbox.lease", () -> "5s");
        registry.add("hotline.outbox.send-timeout", () -> "4s");
        registry.add("hotline.outbox.first-retry", () -> "200ms");
        registry.add("hotline.outbox.max-retry", () -> "1s");
        registry.add("hotline.twilio.rest-base-url", TWILIO::baseUrl);
        registry.add("hotline.twilio.sms.read-timeout", () -> "2s");
        // Two texts a second, each taking 300 ms: the texts are still going out when the database freezes.
        registry.add("hotline.twilio.sms.rate-per-second", () -> "2");
        registry.add("hotline.switchboard.base-url", SWITCHBOARD::baseUrl);
        registry.add("hotline.switchboard.breaker.open-for", () -> "1s");
    }

    @AfterAll
    static void stopFakes() {
        TWILIO.stop();
        SWITCHBOARD.stop();
    }

    @Autowired
    WebTestClient web;
    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    CaseService cases;
    @Autowired
    StaffDirectory staffDirectory;

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
        ConsoleSession console = ConsoleSession.login(web, "supervisor");
        console.get("/console").expectStatus().isOk();
        TWILIO.answeringAfter(300);
        Map<String, String> callers = new LinkedHashMap<>();
        for (int i = 0; i < TEXTS; i++) {
            String sid = String.format("CA%032d", ++sids);
            String caller = String.format("+849053330%02d", i);
            twilio.callAskingForTheReferenceByText(sid, caller);
            callers.put(caller, db.sql("SELECT k.reference FROM cases k JOIN calls c ON c.id = k.call_id "
                    + "WHERE c.provider_call_id = :sid").bind("sid", sid).map(r -> r.get(0, String.class)).one().block());
        }
        // Referrals to 111 by the supervisor, while 111 fails its next requests slowly: retries span the freeze.
        SWITCHBOARD.failingNext(4, aResponse().withStatus(503).withFixedDelay(1000));
        for (int i = 0; i < REFERRALS; i++) {
            SwitchboardFixtures.referredTo111(cases, staffDirectory, Instant.now());
        }
        assertThat(pending(CallerTexts.DESTINATION)).as("texts still going out when the freeze starts").isPositive();
        assertThat(pending(CaseService.SWITCHBOARD_111)).as("referrals still going out when the freeze starts").isPositive();

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
                probes.add(clients.submit(after(frozenAt, at, "console page", () -> {
                    console.browse("/console").expectStatus().isEqualTo(503)
                            .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                            .expectBody(String.class).value(page -> assertThat(page).contains("lang=\"vi\"",
                                    "Hệ thống chưa trả lời được", "Các cuộc gọi vẫn được chuyển tiếp an toàn",
                                    "href=\"/console\">Thử lại</a>"));
                    return ANSWER_WITHIN.plus(SLACK);
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
        awaitWithin(thawedAt, back, () -> console.browse("/console").returnResult(String.class).getStatus().value() == 200);

        System.out.printf("Frozen database: serving normally again %d ms after the thaw%n",
                Duration.ofNanos(System.nanoTime() - thawedAt).toMillis());
        // The time limits cancelled queries and transactions mid-flight: no connection came back to the pool inside a
        // transaction (the next borrower's statements would run in it, uncommitted, holding their locks). A live
        // transaction may be between two statements when sampled; one open for seconds is a leftover.
        Thread.sleep(1000);
        assertThat(db.sql("""
                        SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                        AND state LIKE 'idle in transaction%' AND xact_start < now() - interval '3 seconds'""")
                .map(r -> r.get(0, Long.class)).one().block(Duration.ofSeconds(10))).as("connections left inside a transaction").isZero();

        // The outbox: everything queued before and after the freeze delivered, each text once, each referral once.
        awaitWithin(thawedAt, Duration.ofSeconds(60), () -> pending(CallerTexts.DESTINATION) == 0
                && pending(CaseService.SWITCHBOARD_111) == 0);
        callers.forEach((caller, reference) -> assertThat(TWILIO.created()).as("the text to " + caller)
                .filteredOn(t -> t.to().equals(caller)).extracting(FakeTwilio.Created::body)
                .containsExactly("Mã số của bạn: " + reference));
        // The FastAGI callers asked for their reference by text too: one text per request, none twice.
        assertThat(TWILIO.created()).hasSize((int) count("SELECT count(*) FROM outbox WHERE destination = :d",
                CallerTexts.DESTINATION));
        assertThat(TWILIO.created().stream().map(t -> t.to() + " " + t.body()).distinct()).hasSameSizeAs(TWILIO.created());
        List<Fake111.Accepted> referrals = SWITCHBOARD.accepted();
        assertThat(referrals).hasSizeGreaterThanOrEqualTo(REFERRALS);
        assertThat(referrals.stream().map(Fake111.Accepted::idempotencyKey).distinct()).hasSameSizeAs(referrals);
        assertThat(referrals).hasSize((int) count("SELECT count(*) FROM outbox WHERE destination = :d",
                CaseService.SWITCHBOARD_111));
        String logs = output.getAll();
        assertThat(logs).containsOnlyOnce("Database failing").containsOnlyOnce("Database recovered");
    }

    private long pending(String destination) {
        return count("SELECT count(*) FROM outbox WHERE destination = :d AND delivered_at IS NULL", destination);
    }

    private long count(String sql, String destination) {
        // Bounded: a poisoned connection would otherwise hang the test instead of failing it.
        return db.sql(sql).bind("d", destination).map(r -> r.get(0, Long.class)).one().block(Duration.ofSeconds(10));
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
