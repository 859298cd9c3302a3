package vn.hotline.gateway.channel.asterisk;

import org.junit.jupiter.api.Timeout;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.management.UnixOperatingSystemMXBean;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator;
import vn.hotline.gateway.channel.twilio.TwilioWebhooks;
import vn.hotline.gateway.routing.RosterService;

/**
 * The soak (issue 17; not a CI test): mixed traffic at a fifth of the benchmark rates for an hour, printing every
 * minute what would grow if something leaked: the live heap (in use after a full collection), threads, the
 * database pool's connections in use and idle, open file descriptors, the outbox's undelivered messages and the sealing lag. At the
 * end it compares the last quarter with the second (the first is warm-up) and says for each whether it stayed flat.
 * Traffic: FastAGI calls at 40/s (a fifth of the 200/s benchmark; one in {@value #CASE_EVERY} opens a case, so
 * officer SMS go through the outbox to a WireMock Twilio, and the escalations of cases nobody acknowledges to a
 * WireMock 111), signed Twilio webhooks at 200/s in a call's proportions (a
 * fifth of the 1,000/s mix), and a staff API request every half second, after a minute's warm-up at a quarter of that. Runs only with {@code -Dhotline.soak=true};
 * {@code -Dhotline.soak.minutes=60}; figures in {@code target/soak.txt}.
 */
@GatewayTest
@Import(MutableClock.Config.class)
@EnabledIfSystemProperty(named = "hotline.soak", matches = "true")
// Not a CI test: it runs as long as it is asked to, past the suite's 10-minute limit per test (root pom).
@Timeout(value = 12, unit = TimeUnit.HOURS)
class SoakRun {

    private static final int MINUTES = Integer.getInteger("hotline.soak.minutes", 60);
    private static final int AGI_RATE = Integer.getInteger("hotline.soak.agi-per-second", 40);
    private static final int WEBHOOK_RATE = Integer.getInteger("hotline.soak.webhooks-per-second", 200);
    /**
     * One call in this many is a report that opens a case (and an officer's SMS); the others hear the information for
     * parents and teachers and hang up. A province opens a few hundred cases a day, not 40 a second.
     */
    private static final int CASE_EVERY = 40;
    private static final int PORT = AsteriskTestSupport.freePort();
    private static final WireMockServer TWILIO = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
            .containerThreads(8).disableRequestJournal());
    private static final String MESSAGES = "/2010-04-01/Accounts/" + TwilioWebhooks.ACCOUNT_SID + "/Messages.json";
    /** 111, taking every referral that escalations send it. */
    private static final WireMockServer SWITCHBOARD = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
            .containerThreads(8).disableRequestJournal());

    static {
        TWILIO.start();
        SWITCHBOARD.start();
    }

    @DynamicPropertySource
    static void soak(DynamicPropertyRegistry registry) {
        AsteriskTestSupport.properties(registry, PORT);
        registry.add("hotline.asterisk.pool-max-size", () -> 2000);
        registry.add("hotline.twilio.rest-base-url", TWILIO::baseUrl);
        // About a case a second, each notifying its officer by SMS: more than a long code's 1 a second.
        registry.add("hotline.twilio.sms.rate-per-second", () -> "5");
        registry.add("hotline.switchboard.base-url", () -> SWITCHBOARD.baseUrl() + "/v1");
        // As in production: the background work runs (the test profile leaves it to each test).
        registry.add("hotline.outbox.dispatch-enabled", () -> "true");
        registry.add("hotline.cases.escalation-enabled", () -> "true");
        registry.add("hotline.switchboard.watch-enabled", () -> "true");
        registry.add("logging.level.vn.hotline", () -> "WARN");
    }

    @Value("${local.server.port}")
    int port;
    @Autowired
    DatabaseClient db;
    @Autowired
    ConnectionFactory connections;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;

    private final StringBuilder results = new StringBuilder();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicLong webhookFailures = new AtomicLong();
    private final AtomicLong staffFailures = new AtomicLong();

    /** One minute's figures. */
    private record Sample(int minute, long liveHeapMb, int threads, int poolInUse, int poolIdle, long openFiles,
                          long outbox, long sealLagMs, long calls, long callsFailed, long webhooks, long webhookFailures) {

        String line() {
            return String.format("%3d min  live heap %4d MB  threads %4d  pool in use %2d idle %2d  open files %5d  "
                            + "outbox %5d  seal lag %6d ms  calls %7d (not done %d)  webhooks %8d (failed %d)", minute,
                    liveHeapMb, threads, poolInUse, poolIdle, openFiles, outbox, sealLagMs, calls, callsFailed,
                    webhooks, webhookFailures);
        }
    }

    private void report(String line) {
        System.out.println(line);
        results.append(line).append('\n');
    }

    @Test
    void anHourOfMixedTrafficLeavesEveryResourceFlat() throws Exception {
        // spring-security-test wraps every Reactor operator in a context hook; the server runs without it.
        Hooks.resetOnLastOperator(SecurityContext.class.getName());
        CaseFixtures.ensureProvince(roster, db, passwords);
        AsteriskTestSupport.awaitListening(PORT);
        // Each message its own SID, as Twilio gives (the notification keeps it, unique).
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201).withTransformers("response-template")
                .withHeader("Content-Type", "application/json").withBody("""
                        {"sid": "SM{{randomValue length=32 type='HEXADECIMAL'}}", "status": "queued", "to": "+84912000550",
                         "from": "+12025550199", "body": "x", "num_segments": "1", "direction": "outbound-api",
                         "date_created": "Thu, 12 Feb 2026 03:00:00 +0000"}""")));
        SWITCHBOARD.stubFor(post(urlPathMatching("/v1/referrals.*"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"referenceId\":\"111-soak\",\"state\":\"ACCEPTED\",\"sequence\":1}")));
        TWILIO.stubFor(get(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messages\": [], \"next_page_uri\": null, \"page\": 0, \"page_size\": 50}")));
        Instant start = clock.instant();
        long began = System.nanoTime();
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
        // The roster's shifts are on the fixture's day: time runs from there at the real pace.
        timers.scheduleAtFixedRate(() -> clock.set(start.plusNanos(System.nanoTime() - began)), 0, 50, TimeUnit.MILLISECONDS);

        LoopResources loops = LoopResources.create("soak-client", 1, true);
        HttpClient http = HttpClient.create().runOn(loops).baseUrl("http://127.0.0.1:" + port);
        AtomicLong webhooks = new AtomicLong();
        AtomicInteger webhookRate = new AtomicInteger(WEBHOOK_RATE);
        AtomicLong nextWebhook = new AtomicLong(System.nanoTime());
        var webhookTicker = Flux.interval(Duration.ofMillis(2)).onBackpressureDrop().subscribe(tick -> {
            long now = System.nanoTime();
            while (nextWebhook.get() <= now) {
                nextWebhook.addAndGet(1_000_000_000L / webhookRate.get());
                webhooks.incrementAndGet();
                send(http, mix(ids.incrementAndGet())).subscribe(ok -> {
                    if (!ok) {
                        webhookFailures.incrementAndGet();
                    }
                });
            }
        });
        String staff = "Basic " + Base64.getEncoder().encodeToString("supervisor:test-password".getBytes(StandardCharsets.UTF_8));
        timers.scheduleAtFixedRate(() -> http.headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, staff))
                .get().uri("/api/cases?limit=50").responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> response.status().code() == 200))
                .timeout(Duration.ofSeconds(30)).onErrorReturn(false)
                .subscribe(ok -> {
                    if (!ok) {
                        staffFailures.incrementAndGet();
                    }
                }), 0, 500, TimeUnit.MILLISECONDS);

        List<Sample> samples = new ArrayList<>();
        AtomicLong calls = new AtomicLong();
        AtomicLong callsFailed = new AtomicLong();
        AtomicLong placed = new AtomicLong();
        AtomicLong nextSample = new AtomicLong(System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
        AgiLoadDriver driver = new AgiLoadDriver(AsteriskTestSupport.ASTERISK, PORT, () -> {
            String id = AsteriskTestSupport.nextUniqueId();
            return AgiSimulator.environment("ivr", id, "+84905" + String.format("%06d", Math.abs(id.hashCode()) % 1_000_000), "vi");
        }, () -> placed.incrementAndGet() % CASE_EVERY == 0 ? Keypad.of("3 2 20 1 1") : Keypad.of("8 2"), Duration.ofMillis(1000),
                Duration.ofMillis(300));
        // Warm-up, not reported: a cold JVM at the full rates sends most of its first minute's callers to the fallback.
        webhookRate.set(WEBHOOK_RATE / 4);
        driver.run(AGI_RATE / 4, AGI_RATE / 4 * 60, Duration.ofMinutes(3), call -> { }, () -> { });
        webhookRate.set(WEBHOOK_RATE);
        calls.set(0);
        callsFailed.set(0);
        webhooks.set(0);
        webhookFailures.set(0);
        staffFailures.set(0);
        nextSample.set(System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
        report(String.format("Soak: %d min; FastAGI %d calls/s, Twilio webhooks %d/s (1 new call, 4 menu answers, 1 SMS "
                + "in 6), a staff API request every 0.5 s; officer SMS through the outbox to a WireMock Twilio", MINUTES,
                AGI_RATE, WEBHOOK_RATE));
        driver.run(AGI_RATE, AGI_RATE * 60 * MINUTES, Duration.ofMinutes(MINUTES + 5), call -> {
            calls.incrementAndGet();
            if (!"1".equals(call.variables().get("HOTLINE_DONE"))) {
                callsFailed.incrementAndGet();
            }
        }, () -> {
            if (System.nanoTime() >= nextSample.get()) {
                nextSample.addAndGet(TimeUnit.MINUTES.toNanos(1));
                Sample sample = sample(samples.size() + 1, calls.get(), callsFailed.get(), webhooks.get());
                samples.add(sample);
                report(sample.line());
            }
        });
        webhookTicker.dispose();
        timers.shutdownNow();
        loops.dispose();
        verdict(samples);
        Path out = Path.of("target", "soak.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, results.toString());
    }

    private Sample sample(int minute, long calls, long callsFailed, long webhooks) {
        // The pool first: read just after the forced collection below, it counted the requests that piled up during
        // the pause (an hour's run read 0 and 20 in turn and called it growing).
        ConnectionPool pool = (ConnectionPool) connections;
        var metrics = pool.getMetrics().orElseThrow();
        int inUse = metrics.acquiredSize();
        int idle = metrics.idleSize();
        // A full collection each minute, then the heap in use: the live set, old generation included. (The young
        // collections' "after GC" figure says nothing of the old generation, which a 3 GB heap may not collect for
        // hours.) It costs a pause a minute, which a soak, unlike a benchmark, can afford.
        ManagementFactory.getMemoryMXBean().gc();
        long liveHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long openFiles = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getOpenFileDescriptorCount();
        Map<String, Long> pending = db.sql("SELECT destination, count(*) AS n FROM outbox WHERE delivered_at IS NULL GROUP BY 1")
                .map(r -> Map.entry(r.get("destination", String.class), r.get("n", Long.class))).all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue).block(Duration.ofSeconds(10));
        long outbox = pending.values().stream().mapToLong(Long::longValue).sum();
        if (outbox > 0) {
            report("        outbox by destination: " + new TreeMap<>(pending));
        }
        // The database's own clock: the test clock runs on the fixture's day.
        Double lagSeconds = db.sql("""
                        SELECT coalesce(extract(epoch FROM clock_timestamp() - min(e.recorded_at)), 0) AS lag
                        FROM audit_events e
                        WHERE (e.tx_id, e.id) > (SELECT coalesce(max(x.tx_id), '0'::xid8), coalesce(max(x.id), 0) FROM (
                            SELECT ev.tx_id, ev.id FROM audit_seals s JOIN audit_events ev ON ev.id = s.event_id
                            ORDER BY s.seq DESC LIMIT 1) x)""")
                .map(r -> ((Number) r.get("lag")).doubleValue()).one().block(Duration.ofSeconds(10));
        return new Sample(minute, liveHeap >> 20, ManagementFactory.getThreadMXBean().getThreadCount(),
                inUse, idle, openFiles, outbox, Math.round(lagSeconds * 1000), calls,
                callsFailed, webhooks, webhookFailures.get() + staffFailures.get());
    }

    /** The second quarter against the last: flat when the last is within a tenth (and a small absolute margin). */
    private void verdict(List<Sample> samples) {
        if (samples.size() < 8) {
            report("Too short for a verdict: run at least 8 minutes");
            return;
        }
        int quarter = samples.size() / 4;
        List<Sample> early = samples.subList(quarter, 2 * quarter);
        List<Sample> late = samples.subList(samples.size() - quarter, samples.size());
        report(flat("live heap (MB)", early, late, s -> s.liveHeapMb(), 16));
        report(flat("threads", early, late, s -> s.threads(), 4));
        report(flat("pool connections in use", early, late, s -> s.poolInUse(), 2));
        report(flat("open files", early, late, s -> s.openFiles(), 16));
        report(flat("outbox undelivered", early, late, s -> s.outbox(), 50));
        report(flat("seal lag (ms)", early, late, s -> s.sealLagMs(), 2000));
    }

    private static String flat(String what, List<Sample> early, List<Sample> late,
                               ToLongFunction<Sample> value, long margin) {
        double before = early.stream().mapToLong(value).average().orElse(0);
        double after = late.stream().mapToLong(value).average().orElse(0);
        boolean flat = after <= before * 1.1 + margin;
        return String.format("%-26s second quarter %10.1f  last quarter %10.1f  %s", what, before, after,
                flat ? "flat" : "GROWING");
    }

    private record Request(String path, String body, String signature) {
    }

    /** A call's proportions: of every six webhooks, one new call, four menu answers, one new SMS conversation. */
    private Request mix(int i) {
        int call = i / 6;
        String sid = String.format("CA%032d", call);
        String from = String.format("+8490%07d", call % 10_000_000);
        return switch (i % 6) {
            case 0 -> signed("/twilio/voice", TwilioWebhooks.voice(sid, from, "ringing", Map.of()));
            case 5 -> signed("/twilio/sms", TwilioWebhooks.sms(String.format("SM%032d", i), String.format("+8491%07d", i % 10_000_000),
                    "xin chao"));
            default -> signed("/twilio/voice/gather?step=1", TwilioWebhooks.voice(sid, from, "in-progress",
                    Map.of("Digits", "5", "FinishedOnKey", "")));
        };
    }

    private static Request signed(String path, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return new Request(path, body.toString(), TwilioWebhooks.sign(path, form, TwilioWebhooks.AUTH_TOKEN));
    }

    private static Mono<Boolean> send(HttpClient http, Request r) {
        return http.headers(h -> h.set("X-Twilio-Signature", r.signature())
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded"))
                .post().uri(r.path()).send(ByteBufFlux.fromString(Mono.just(r.body())))
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> response.status().code() == 200 && text.contains("<Response")))
                .timeout(Duration.ofSeconds(30))
                .onErrorReturn(false);
    }
}
