package vn.hotline.gateway.channel.asterisk.pbx;

import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.channel.asterisk.pbx.Sipp.Key;
import vn.hotline.gateway.channel.asterisk.pbx.Sipp.Phone;
import vn.hotline.gateway.routing.RosterService;

/**
 * The danger-now path on the real PBX, timed from Asterisk's own log (issue 16): from the child's key 1 to the first
 * rung ringing, and from the officer's key 1 to the bridge, over {@code -Dbench.calls} calls through the hotline
 * (ivr script, case, ladder, accept script) beside the same calls through a bare dialplan that plays the same prompts
 * and dials the same officer directly (the floor). Not a test: {@code ops/bench/pbx-ladder-bench} runs it.
 */
@GatewayTest
@Import(MutableClock.Config.class)
@EnabledIfSystemProperty(named = "hotline.bench", matches = "true")
// Not a CI test: it runs as long as it is asked to, past the suite's 10-minute limit per test (root pom).
@Timeout(value = 12, unit = TimeUnit.HOURS)
class RealPbxLadderBenchmark {

    static final int AGI_PORT = RealPbx.freeTcpPort();
    static final int CALLS = Integer.getInteger("bench.calls", 60);
    static final int AT_ONCE = Integer.getInteger("bench.concurrent", 5);

    /** The floor: what a PBX does without the hotline server, with the same prompts and the same screening. */
    static final String FLOOR = """

            [floor]
            exten => _X.,1,Answer()
             same => n,Read(KEY,hotline/vi/menu-greeting,1,,1,8)
             same => n,Playback(hotline/vi/transfer-danger)
             same => n,Dial(PJSIP/%s,20,gU(floor-accept))
             same => n,Hangup()

            [floor-accept]
            exten => s,1,Read(ACCEPT,hotline/vi/officer-accept,1,,2,5)
             same => n,Return()
            """.formatted(RealPbxLadderTest.EM1);

    static RealPbx pbx;

    @BeforeAll
    static void startPbx() throws Exception {
        pbx = RealPbx.start(AGI_PORT, "pbx1", List.of(RealPbxLadderTest.EM1, RealPbxLadderTest.SUP1,
                RealPbxLadderTest.NATIONAL_111, "duty"), FLOOR);
    }

    @AfterAll
    static void stopPbx() throws Exception {
        if (pbx != null) {
            pbx.close();
        }
    }

    @DynamicPropertySource
    static void hotline(DynamicPropertyRegistry registry) {
        RealPbx.hotline(registry, AGI_PORT, () -> pbx);
        registry.add("logging.level.vn.hotline", () -> "WARN");
    }

    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;

    @Test
    void keyToRingAndAcceptToBridge() throws Exception {
        CaseFixtures.ensureProvince(roster, db, passwords);
        // Warm-up: the JIT and the pools, not counted (the log is read from its end).
        run(RealPbxLadderTest.CALLER, 10);
        int from = pbx.log().length();
        run(RealPbx.FLOOR, CALLS);
        Map<String, long[]> floor = timings(pbx.log().substring(from));
        from = pbx.log().length();
        run(RealPbxLadderTest.CALLER, CALLS);
        Map<String, long[]> hotline = timings(pbx.log().substring(from));

        StringBuilder out = new StringBuilder();
        out.append(String.format("Danger-now path on Asterisk 22.10.1, %d calls each, %d at once (ms, from Asterisk's log)%n",
                CALLS, AT_ONCE));
        out.append(String.format("%-30s %6s %6s %6s %10s %10s %6s%n", "", "p50", "p90", "max", "floor p50", "floor p90",
                "calls"));
        out.append(report("child's key 1 -> first ring", hotline, floor, 0));
        out.append(report("officer's key 1 -> bridge", hotline, floor, 1));
        out.append("Both paths play the same prompts (0.3 s of silence each here); the difference is what the hotline adds:\n"
                + "AGI round trips, the case, the ladder and its variables, the accept report.\n");
        System.out.print(out);
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "pbx-ladder-bench.txt"), out);
    }

    private void run(String from, int calls) throws Exception {
        try (Sipp.Agent officer = Sipp.phone(pbx, RealPbxLadderTest.EM1, Phone.ACCEPT_THEN_HANG_UP, calls, 500);
             Sipp.Agent children = Sipp.callers(pbx, from, "2563111111", List.of(new Key(1000, '1')), 60000, calls, AT_ONCE, AT_ONCE)) {
            if (children.await(Duration.ofMinutes(10)) != 0 || officer.await(Duration.ofMinutes(1)) != 0) {
                throw new IllegalStateException("SIPp reported failed calls: " + children.errors() + officer.errors());
            }
        }
    }

    private static final Pattern LINE = Pattern.compile("^\\[([0-9-]+ [0-9:.]+)\\] \\w+\\[\\d+\\]\\[(C-[0-9a-f]+)\\] (.*)$",
            Pattern.MULTILINE);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** Per call (Asterisk's C-id): key 1 to ringing, and the officer's key 1 to the caller joining the bridge. */
    static Map<String, long[]> timings(String log) {
        Map<String, Map<String, LocalDateTime>> calls = new LinkedHashMap<>();
        Matcher m = LINE.matcher(log);
        while (m.find()) {
            LocalDateTime at = LocalDateTime.parse(m.group(1), TIME);
            Map<String, LocalDateTime> call = calls.computeIfAbsent(m.group(2), k -> new LinkedHashMap<>());
            String text = m.group(3);
            if (text.contains("DTMF end '1' received on PJSIP/caller-") || text.contains("DTMF end '1' received on PJSIP/floor-")) {
                call.putIfAbsent("key", at);
            } else if (text.contains(" is ringing") && call.containsKey("key")) {
                call.putIfAbsent("ring", at);
            } else if (text.contains("DTMF end '1' received on PJSIP/+")) {
                call.putIfAbsent("accept", at);
            } else if (text.matches(".*Channel PJSIP/(caller|floor)-\\S+ joined .*") && call.containsKey("accept")) {
                call.putIfAbsent("bridge", at);
            }
        }
        Map<String, long[]> out = new LinkedHashMap<>();
        calls.forEach((id, t) -> {
            if (t.containsKey("ring") && t.containsKey("bridge")) {
                out.put(id, new long[] {Duration.between(t.get("key"), t.get("ring")).toMillis(),
                        Duration.between(t.get("accept"), t.get("bridge")).toMillis()});
            }
        });
        return out;
    }

    private static String report(String what, Map<String, long[]> hotline, Map<String, long[]> floor, int i) {
        long[] h = sorted(hotline, i);
        long[] f = sorted(floor, i);
        return String.format("%-30s %6d %6d %6d %10d %10d %6d   added at p90: %d ms%n", what, pct(h, 50), pct(h, 90),
                h[h.length - 1], pct(f, 50), pct(f, 90), h.length, pct(h, 90) - pct(f, 90));
    }

    private static long[] sorted(Map<String, long[]> calls, int i) {
        List<Long> values = new ArrayList<>();
        calls.values().forEach(v -> values.add(v[i]));
        return values.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
