package vn.hotline.gateway.channel.twilio;

import org.junit.jupiter.api.Timeout;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.context.SecurityContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import vn.hotline.db.TestPostgres;
import vn.hotline.gateway.CpuTime;
import vn.hotline.gateway.GatewayTest;

/**
 * Signed Twilio webhooks at fixed arrival rates, each with its durable write (a new call: call record, IVR session,
 * audit event, stored reply; the first menu's answer on a call started before the timed run: the step, its state and
 * reply; a new SMS conversation), beside two floors measured in the same run: the
 * unsigned constant-TwiML fallback handler (bare WebFlux, no database) and raw single-row PostgreSQL inserts.
 * Latency is measured from each request's scheduled send time, so a stalled server cannot hide its queue.
 * Runs only with {@code -Dhotline.bench=true}; prints and writes {@code target/twilio-bench.txt}.
 */
@GatewayTest
@EnabledIfSystemProperty(named = "hotline.bench", matches = "true")
// Not a CI test: it runs as long as it is asked to, past the suite's 10-minute limit per test (root pom).
@Timeout(value = 12, unit = TimeUnit.HOURS)
class TwilioWebhookBenchmark {

    private static final int SECONDS = Integer.getInteger("hotline.bench.seconds", 5);
    /**
     * Each ladder starts after this long at 250/s and 2 s at each of its rates: the JIT and both connection pools
     * warmed, as on a server in use.
     */
    private static final int WARMUP_SECONDS = Integer.getInteger("hotline.bench.warmup-seconds", 60);
    private static final int[] RATES = Arrays.stream(System.getProperty("hotline.bench.rates",
            "100,250,500,750,1000,1500,2000").split(",")).mapToInt(Integer::parseInt).toArray();
    /** Which ladders to run: floor, voice, menu, sms, mix. */
    private static final Set<String> SCENARIOS = Set.of(System.getProperty("hotline.bench.scenarios", "floor,voice,menu,sms,mix")
            .split(","));
    private static final Duration LIMIT = Duration.ofMillis(100);

    @Value("${local.server.port}")
    int port;
    @Autowired
    DatabaseClient db;
    @Autowired
    java.time.Clock clock;
    @Autowired
    Environment env;

    private final StringBuilder results = new StringBuilder();
    private final AtomicInteger ids = new AtomicInteger();
    private HttpClient http;

    private void report(String line) {
        System.out.println(line);
        results.append(line).append('\n');
    }

    /**
     * One request: path and form body, with the signature Twilio would send (null: unsigned), and the request that must
     * have been answered before it (null: none), sent before the timed run.
     */
    private record Request(String path, String body, String signature, Request before) {

        Request(String path, String body, String signature) {
            this(path, body, signature, null);
        }
    }

    private static String encode(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }

    private Request voice(int i) {
        Map<String, String> form = TwilioWebhooks.voice(String.format("CA%032d", i), String.format("+8490%07d", i),
                "ringing", Map.of());
        return new Request("/twilio/voice", encode(form), TwilioWebhooks.sign("/twilio/voice", form, TwilioWebhooks.AUTH_TOKEN));
    }

    private Request sms(int i) {
        Map<String, String> form = TwilioWebhooks.sms(String.format("SM%032d", i), String.format("+8491%07d", i),
                "xin chao");
        return new Request("/twilio/sms", encode(form), TwilioWebhooks.sign("/twilio/sms", form, TwilioWebhooks.AUTH_TOKEN));
    }

    /** The first menu's answer (a child), on a call whose first webhook is sent before the timed run. */
    private Request menu(int i) {
        String sid = String.format("CA%032d", i);
        Map<String, String> form = TwilioWebhooks.voice(sid, String.format("+8490%07d", i), "in-progress",
                Map.of("Digits", "5", "FinishedOnKey", ""));
        String path = "/twilio/voice/gather?step=1";
        return new Request(path, encode(form), TwilioWebhooks.sign(path, form, TwilioWebhooks.AUTH_TOKEN), voice(i));
    }

    /**
     * The webhooks of calls and texts in progress, in the proportions of a call (a first webhook, then about four menu
     * answers): of every six, one new call, four menu answers, one new SMS conversation.
     */
    private Request mix(int i) {
        return switch (i % 6) {
            case 0 -> voice(i);
            case 5 -> sms(i);
            default -> menu(i);
        };
    }

    private Request floor(int i) {
        return new Request("/twilio/voice/fallback", "", null);
    }

    /**
     * One timed run: latencies in microseconds (-1 for a failed request), and the CPU it took per request of the
     * server's JVM (the generator's thread taken out), of PostgreSQL and of the generator.
     */
    private record Timed(long[] latencies, String cpu) {
    }

    private Timed run(int rate, int seconds, IntFunction<Request> requests) throws InterruptedException {
        int total = rate * seconds;
        long[] latencies = new long[total];
        Request[] prepared = new Request[total];
        for (int i = 0; i < total; i++) {
            prepared[i] = requests.apply(ids.incrementAndGet());
        }
        Flux.fromArray(prepared).filter(r -> r.before() != null).flatMap(r -> send(r.before()), 32).blockLast();
        CountDownLatch done = new CountDownLatch(total);
        long jvm = CpuTime.jvmNanos();
        long client = CpuTime.threadNanos("bench-client");
        long postgres = CpuTime.postgresNanos();
        long jit = CpuTime.jitMillis();
        long start = System.nanoTime() + 20_000_000;
        long periodNanos = 1_000_000_000L / rate;
        AtomicLong next = new AtomicLong();
        // Ticks every millisecond; each sends the requests whose scheduled time has come.
        var ticker = Flux.interval(Duration.ofMillis(1)).subscribe(tick -> {
            long now = System.nanoTime();
            while (next.get() < total && start + next.get() * periodNanos <= now) {
                int n = (int) next.getAndIncrement();
                long scheduled = start + n * periodNanos;
                send(prepared[n]).subscribe(ok -> {
                    latencies[n] = ok ? (System.nanoTime() - scheduled) / 1000 : -1;
                    done.countDown();
                });
            }
        });
        boolean finished = done.await(seconds + 30L, TimeUnit.SECONDS);
        ticker.dispose();
        client = CpuTime.threadNanos("bench-client") - client;
        double perRequest = 1e6 * total;
        String cpu = String.format("CPU/request: server %.2f ms, PostgreSQL %.2f ms, generator %.2f ms; JIT %,d ms",
                (CpuTime.jvmNanos() - jvm - client) / perRequest, (CpuTime.postgresNanos() - postgres) / perRequest,
                client / perRequest, CpuTime.jitMillis() - jit);
        if (!finished) {
            Arrays.fill(latencies, -1);
        }
        return new Timed(latencies, cpu);
    }

    /** Sends one request; true for a 200 with TwiML. */
    private Mono<Boolean> send(Request r) {
        HttpClient client = r.signature() == null ? http : http.headers(h -> h.set("X-Twilio-Signature", r.signature()));
        return client.headers(h -> h.set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded"))
                .post().uri(r.path()).send(ByteBufFlux.fromString(Mono.just(r.body())))
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> response.status().code() == 200 && text.contains("<Response")))
                .timeout(Duration.ofSeconds(10))
                .onErrorReturn(false);
    }

    /** Runs the rates in order until p99 passes 100 ms; reports each and the highest rate held. */
    private void ladder(String scenario, String name, IntFunction<Request> requests) throws InterruptedException {
        if (!SCENARIOS.contains(scenario)) {
            return;
        }
        // Warm-up: JIT, the connection pools on both sides; then 2 s at each rate, whose queues take other code paths.
        run(100, 2, requests);
        run(250, WARMUP_SECONDS, requests);
        for (int rate : RATES) {
            run(rate, 2, requests);
        }
        int held = 0;
        for (int rate : RATES) {
            Timed timed = run(rate, SECONDS, requests);
            long[] latencies = timed.latencies();
            long failed = Arrays.stream(latencies).filter(l -> l < 0).count();
            long[] ok = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
            double p50 = ok.length == 0 ? Double.NaN : ok[ok.length / 2] / 1000.0;
            double p99 = ok.length == 0 ? Double.NaN : ok[Math.min(ok.length - 1, (int) (ok.length * 0.99))] / 1000.0;
            report(String.format("  %-34s %5d/s  p50 %7.1f ms  p99 %7.1f ms  failed %d  %s", name, rate, p50, p99, failed, timed.cpu()));
            if (failed > 0 || !(p99 < LIMIT.toMillis())) {
                break;
            }
            held = rate;
        }
        report(String.format("  %-34s highest rate held with p99 < 100 ms: %d/s", name, held));
    }

    private double insertsPerSecond(int concurrency, int inserts) throws Exception {
        try (Connection c = TestPostgres.get().superuser(new TestPostgres.TestDatabase(TestPostgres.get().server().port(),
                env.getProperty("hotline.test.database-name"))); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_twilio_floor (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                    + "call_sid text NOT NULL, created_at timestamptz NOT NULL)");
            s.execute("GRANT SELECT, INSERT ON bench_twilio_floor TO " + TestPostgres.APP_ROLE);
        }
        long start = System.nanoTime();
        Flux.range(0, inserts)
                .flatMap(i -> db.sql("INSERT INTO bench_twilio_floor (call_sid, created_at) VALUES (:sid, :at)")
                        .bind("sid", "CA" + i).bind("at", clock.instant().atOffset(ZoneOffset.UTC)).then(), concurrency)
                .blockLast();
        return inserts / ((System.nanoTime() - start) / 1e9);
    }

    @Test
    void signedWebhooksWithTheirDurableWriteBesideABareHandlerAndRawInserts() throws Exception {
        // spring-security-test wraps every Reactor operator of a test method in a context hook; the server runs
        // without it, so the benchmark does too.
        Hooks.resetOnLastOperator(SecurityContext.class.getName());
        ConnectionProvider pool = ConnectionProvider.builder("bench").maxConnections(512)
                .pendingAcquireMaxCount(100_000).build();
        // The load generator gets its own event loop: on the server's loops it would take their time and be counted as
        // the server's latency.
        LoopResources clientLoop = LoopResources.create("bench-client", 1, true);
        http = HttpClient.create(pool).runOn(clientLoop).baseUrl("http://127.0.0.1:" + port);
        try {
            report("Twilio webhooks, " + SECONDS + " s per rate after " + WARMUP_SECONDS + " s at 250/s, 2 cores shared by server, load generator and PostgreSQL:");
            report(String.format("  floor: raw single-row INSERT, 20 concurrent      %,8.0f rows/s", insertsPerSecond(20, 20_000)));
            ladder("floor", "floor: constant TwiML (no signature, no DB)", this::floor);
            ladder("voice", "signed voice webhook (new call)", this::voice);
            ladder("menu", "signed voice webhook (menu answer)", this::menu);
            ladder("sms", "signed SMS webhook (new conversation)", this::sms);
            ladder("mix", "mix: 1 new call, 4 menu answers, 1 SMS", this::mix);
        } finally {
            pool.disposeLater().block();
            clientLoop.disposeLater().block();
            Files.writeString(Path.of("target/twilio-bench.txt"), results.toString());
        }
    }
}
