package vn.hotline.gateway.channel.asterisk;

import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.SimpleMappingStrategy;
import org.asteriskjava.fastagi.command.AbstractAgiCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Hooks;
import vn.hotline.gateway.CpuTime;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator;
import vn.hotline.gateway.routing.RosterService;

/**
 * Simulated calls at a fixed arrival rate through the whole IVR path (FastAGI -> engine -> PostgreSQL -> routing ->
 * transfer), beside a floor measured in the same run: a bare Asterisk-Java {@link AgiScript} sending the very command
 * lines of the same call, with no engine and no database. Callers think between keys, so sessions overlap as they do
 * on a real line; they are played by the one-thread {@link AgiLoadDriver}, so that the load generator takes little of
 * the CPU it measures. Runs only with {@code -Dhotline.bench=true}; figures go to {@code target/agi-bench.txt}.
 */
@GatewayTest
@Import(MutableClock.Config.class)
@EnabledIfSystemProperty(named = "hotline.bench", matches = "true")
// Not a CI test: it runs as long as it is asked to, past the suite's 10-minute limit per test (root pom).
@Timeout(value = 12, unit = TimeUnit.HOURS)
class AgiLoadBenchmark {

    private static final int PORT = AsteriskTestSupport.freePort();
    private static final int FLOOR_PORT = AsteriskTestSupport.freePort();
    private static final int RATE = Integer.getInteger("hotline.bench.calls-per-second", 200);
    private static final int SECONDS = Integer.getInteger("hotline.bench.seconds", 30);
    private static final long THINK_MS = Long.getLong("hotline.bench.think-ms", 1000);
    /** How long each STREAM FILE plays before Asterisk answers it (a letter of the reference, a short line). */
    private static final long PLAY_MS = Long.getLong("hotline.bench.play-ms", 300);
    /** Seconds of hotline calls at the same rate before anything is measured (JIT, pools, caches), not reported. */
    private static final int WARMUP = Integer.getInteger("hotline.bench.warmup-seconds", 0);
    /** Seconds of floor calls before the floor is measured, when there is a warm-up (its code is small). */
    private static final int FLOOR_WARMUP = 10;
    /** false skips the floor (a long memory run of the hotline alone). */
    private static final boolean FLOOR = Boolean.parseBoolean(System.getProperty("hotline.bench.floor", "true"));
    /**
     * The keys of every call. By default a bullying report by a child in Tuy Phước who may be called back: five keys,
     * a case, the reference read out. {@code -Dhotline.bench.keys=1}: a child in danger now, put through to a person
     * (the case, the ladder handed to the dialplan).
     */
    private static final String KEYS = System.getProperty("hotline.bench.keys", "3 2 20 1 1");

    @DynamicPropertySource
    static void asterisk(DynamicPropertyRegistry registry) {
        AsteriskTestSupport.properties(registry, PORT);
        registry.add("hotline.asterisk.pool-max-size", () -> 6000);
        registry.add("spring.r2dbc.pool.max-size", () -> Integer.getInteger("hotline.bench.r2dbc-pool", 20));
        registry.add("logging.level.vn.hotline", () -> "WARN");
    }

    @Autowired
    DatabaseClient db;
    @Autowired
    FastAgiListener fastAgi;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;

    private final StringBuilder results = new StringBuilder();

    private void report(String line) {
        System.out.println(line);
        results.append(line).append('\n');
    }

    /** Sends one raw command line, exactly as recorded from the real script. */
    private static final class Raw extends AbstractAgiCommand {
        private final String line;

        Raw(String line) {
            this.line = line;
        }

        @Override
        public String buildCommand() {
            return line;
        }
    }

    /**
     * One measured load. It keeps the percentiles of the server times, not the times themselves: 100,000 calls'
     * worth would be 20 MB still alive when the heap is measured after the run.
     */
    private record Run(String name, int calls, int failed, int fallbacks, double callsPerSecond, int peakSessions,
                       long p50Nanos, long p99Nanos, long maxNanos, int peakThreads, int peakJvmThreads,
                       double cpuMillisPerCall, double driverCpuMillisPerCall, double postgresCpuMillisPerCall,
                       long jitMillis) {

        /** Calls per second that ended with HOTLINE_DONE: the IVR's own throughput, fallbacks not counted. */
        double donePerSecond() {
            return callsPerSecond * (calls - failed) / calls;
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.round(p * (sorted.length - 1))];
    }

    private Run load(String name, int port, IntSupplier threadsInUse, int seconds) throws Exception {
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger fallbacks = new AtomicInteger();
        AtomicLong peakThreads = new AtomicLong();
        AtomicLong peakJvmThreads = new AtomicLong();
        List<long[]> perCall = new ArrayList<>();
        int total = RATE * seconds;
        AgiLoadDriver driver = new AgiLoadDriver(AsteriskTestSupport.ASTERISK, port, () -> {
            String id = AsteriskTestSupport.nextUniqueId();
            return AgiSimulator.environment("ivr", id, "+84905" + String.format("%06d", Math.abs(id.hashCode()) % 1_000_000), "vi");
        }, () -> Keypad.of(KEYS), Duration.ofMillis(THINK_MS), Duration.ofMillis(PLAY_MS));
        long cpuBefore = CpuTime.jvmNanos();
        long postgresBefore = CpuTime.postgresNanos();
        long jitBefore = CpuTime.jitMillis();
        long begin = System.nanoTime();
        driver.run(RATE, total, Duration.ofSeconds(seconds + 120), call -> {
            if (!"1".equals(call.variables().get("HOTLINE_DONE"))) {
                failed.incrementAndGet();
            }
            if ("1".equals(call.variables().get("HOTLINE_FALLBACK"))) {
                fallbacks.incrementAndGet();
            }
            perCall.add(call.serverNanos());
        }, () -> {
            peakThreads.accumulateAndGet(threadsInUse.getAsInt(), Math::max);
            peakJvmThreads.accumulateAndGet(ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
        });
        double elapsed = (System.nanoTime() - begin) / 1e9;
        double cpuPerCall = (CpuTime.jvmNanos() - cpuBefore - driver.cpuNanos()) / 1e6 / total;
        double postgresPerCall = (CpuTime.postgresNanos() - postgresBefore) / 1e6 / total;
        long[] sorted = perCall.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        StringBuilder positions = new StringBuilder(name + " p99 by command position (ms):");
        int longest = perCall.stream().mapToInt(l -> l.length).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            final int index = i;
            long[] at = perCall.stream().filter(l -> l.length > index).mapToLong(l -> l[index]).sorted().toArray();
            if (at.length > 0) {
                positions.append(String.format(" %d=%.1f", i, percentile(at, 0.99) / 1e6));
            }
        }
        report(positions.toString());
        return new Run(name, total, failed.get(), fallbacks.get(), total / elapsed, driver.peakInFlight(),
                percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0), (int) peakThreads.get(),
                (int) peakJvmThreads.get(), cpuPerCall, driver.cpuNanos() / 1e6 / total, postgresPerCall,
                CpuTime.jitMillis() - jitBefore);
    }

    /** The floor: a bare Asterisk-Java server on its own port sending the recorded command lines, no engine, no database. */
    private static DefaultAgiServer startFloor(List<String> commands) throws Exception {
        SimpleMappingStrategy bare = new SimpleMappingStrategy();
        bare.setMappings(Map.<String, AgiScript>of("ivr", (AgiRequest request, AgiChannel channel) -> {
            for (String line : commands) {
                channel.sendCommand(new Raw(line));
            }
        }));
        DefaultAgiServer floor = new DefaultAgiServer(bare);
        floor.setPort(FLOOR_PORT);
        floor.setAddress(InetAddress.getByName("127.0.0.1"));
        floor.setPoolSize(16);
        floor.setMaximumPoolSize(6000);
        Thread acceptor = new Thread(() -> {
            try {
                floor.startup();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "floor-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        AsteriskTestSupport.awaitListening(FLOOR_PORT);
        return floor;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private void print(Run run) {
        report(String.format("%-6s calls=%d failed=%d (HOTLINE_FALLBACK %d) completed/s=%.1f (with HOTLINE_DONE %.1f) peak concurrent sessions=%d"
                        + " AGI threads in use peak=%d (JVM threads %d) per-command p50=%.2f ms p99=%.2f ms max=%.2f ms;"
                        + " CPU per call: server JVM %.1f ms, PostgreSQL %.1f ms, load driver %.1f ms; JIT %,d ms; load average %.1f",
                run.name(), run.calls(), run.failed(), run.fallbacks(), run.callsPerSecond(), run.donePerSecond(), run.peakSessions(), run.peakThreads(), run.peakJvmThreads(),
                run.p50Nanos() / 1e6, run.p99Nanos() / 1e6, run.maxNanos() / 1e6, run.cpuMillisPerCall(),
                run.postgresCpuMillisPerCall(), run.driverCpuMillisPerCall(), run.jitMillis(), CpuTime.loadAverage()));
    }

    @Test
    void callsThroughTheWholeIvrPathBesideABareAgiFloor() throws Exception {
        // spring-security-test wraps every Reactor operator of a test method in a context hook; the server runs
        // without it, so the benchmark does too.
        Hooks.resetOnLastOperator(SecurityContext.class.getName());
        CaseFixtures.ensureProvince(roster, db, passwords);
        AsteriskTestSupport.awaitListening(PORT);
        // One real call, to record the exact command lines the floor will send (a cold first call may run over the
        // step budget and fall back: then another).
        AgiSimulator.Result sample = null;
        for (int i = 0; i < 5 && (sample == null || !"1".equals(sample.variable("HOTLINE_DONE"))); i++) {
            sample = AsteriskTestSupport.asterisk(PORT)
                    .call(AgiSimulator.environment("ivr", AsteriskTestSupport.nextUniqueId(), "+84905000000", "vi"), Keypad.of(KEYS));
        }
        if (!"1".equals(sample.variable("HOTLINE_DONE"))) {
            throw new IllegalStateException("no sample call ended with HOTLINE_DONE: " + sample.commands());
        }
        List<String> commands = new ArrayList<>(sample.commands());
        report("path " + KEYS + ": " + commands.size() + " AGI commands per call; rate " + RATE + "/s for " + SECONDS
                + " s, think " + THINK_MS + " ms per key, " + PLAY_MS + " ms per STREAM FILE");
        StringBuilder legend = new StringBuilder("command positions:");
        for (int i = 0; i < commands.size(); i++) {
            String[] words = commands.get(i).split(" ");
            legend.append(' ').append(i).append('=').append(words[0])
                    .append(words.length > 1 && !words[1].startsWith("\"") ? " " + words[1] : "")
                    .append(words.length > 2 ? " " + words[words.length > 3 ? 2 : words.length - 1] : "");
        }
        report(legend.toString());

        // Each server is measured right after its own warm-up: the hotline first, then the floor. The other way
        // round, the floor's command classes would reach the shared Asterisk-Java call sites first and the JIT would
        // recompile them in the middle of the hotline's measured run.
        if (WARMUP > 0) {
            Run warm = load("warm-up", PORT, fastAgi::activeCalls, WARMUP);
            report(String.format("warm-up: %d hotline calls in %d s (%d fell back), not counted below", warm.calls(),
                    WARMUP, warm.failed()));
        }
        long heapBefore = usedHeapAfterGc();
        Run hotline = load("ivr", PORT, fastAgi::activeCalls, SECONDS);
        print(hotline);
        long heapAfter = usedHeapAfterGc();
        if (FLOOR) {
            DefaultAgiServer floor = startFloor(commands);
            if (WARMUP > 0) {
                load("floor warm-up", FLOOR_PORT, floor::getPoolActiveTaskCount, Math.min(WARMUP, FLOOR_WARMUP));
            }
            Run floorRun = load("floor", FLOOR_PORT, floor::getPoolActiveTaskCount, SECONDS);
            print(floorRun);
            floor.shutdown();
            report(String.format("throughput ratio ivr/floor = %.0f%% (calls/s ending with HOTLINE_DONE)",
                    100 * hotline.donePerSecond() / floorRun.donePerSecond()));
        }
        report(String.format("heap used after GC before the ivr run=%d MB, after its %d calls=%d MB", heapBefore >> 20,
                hotline.calls(), heapAfter >> 20));
        Files.writeString(Path.of("target/agi-bench.txt"), results, StandardCharsets.UTF_8);
    }
}
