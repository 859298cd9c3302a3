package vn.hotline.gateway.console;

import org.junit.jupiter.api.Timeout;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.routing.RosterService;

/**
 * Console page times with 10,000 cases and 100,000 calls in the database, beside two floors measured in the same
 * run: a static asset and the login page (a template rendered with no database work). Sequential requests over HTTP
 * with a logged-in session; p50, p95 and max per page. Runs only with {@code -Dhotline.bench=true}
 * (ops/bench/README.md); results in {@code gateway/target/console-bench.txt}.
 */
@GatewayTest
@Import(MutableClock.Config.class)
@EnabledIfSystemProperty(named = "hotline.bench", matches = "true")
// Not a CI test: it runs as long as it is asked to, past the suite's 10-minute limit per test (root pom).
@Timeout(value = 12, unit = TimeUnit.HOURS)
class ConsolePageBenchmark {

    private static final int CASES = Integer.getInteger("hotline.bench.cases", 10_000);
    private static final int CALLS = Integer.getInteger("hotline.bench.calls", 100_000);
    private static final int REQUESTS = Integer.getInteger("hotline.bench.requests", 200);
    private static final int WARM_UP = 20;

    @Autowired
    WebTestClient web;
    @Autowired
    RosterService roster;
    @Autowired
    DatabaseClient db;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;

    private final StringBuilder results = new StringBuilder();

    private void report(String line) {
        System.out.println(line);
        results.append(line).append('\n');
    }

    /** Calls over the last 70 days, every tenth with a case spread over the 11 Binh Dinh areas; a third closed. */
    private void seed() {
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        long started = System.nanoTime();
        db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, started_at, answered_at, ended_at,
                                           ivr_path, outcome)
                        SELECT gen_random_uuid(), 'ASTERISK_VOICE', 'bench', 'bench/' || g, 'WITHHELD',
                               :now - make_interval(mins => g), :now - make_interval(mins => g),
                               :now - make_interval(mins => g) + interval '3 minutes', '{greeting,who,category,age,district}',
                               (ARRAY['REFERENCE_GIVEN','INFORMATION_GIVEN','CONNECTED','ABANDONED'])[1 + g % 4]
                        FROM generate_series(1, :calls) g""")
                .bind("now", now).bind("calls", CALLS).then().block();
        db.sql("""
                        INSERT INTO cases (id, reference, channel, language, category, urgency, reporter_role, age_band,
                                           service_area_code, former_district_code, status, received_at, created_at, updated_at,
                                           call_id, ack_deadline, support_plan_deadline)
                        SELECT gen_random_uuid(), 'BN-2026-' || lpad(n::text, 6, '0'), 'ASTERISK_VOICE', 'vi',
                               (ARRAY['CYBERBULLYING','ONLINE_SCAM','ONLINE_SEXUAL_ABUSE','HARMFUL_CONTENT','PRIVACY_LEAK',
                                      'VIOLENCE_ABUSE','MENTAL_HEALTH','NEGLECT'])[1 + n % 8],
                               (ARRAY['HIGH','NORMAL','NORMAL','IMMEDIATE'])[1 + n % 4], 'CHILD',
                               (ARRAY['6_10','11_15','16_17','UNKNOWN'])[1 + n % 4],
                               a.code, a.code,
                               CASE n % 3 WHEN 0 THEN 'CLOSED' WHEN 1 THEN 'ROUTED' ELSE 'ACKNOWLEDGED' END,
                               k.started_at, k.started_at, k.started_at, k.id,
                               k.started_at + interval '4 hours', k.started_at + interval '7 days'
                        FROM (SELECT id, started_at, row_number() OVER (ORDER BY provider_call_id) AS n FROM calls
                              WHERE provider = 'bench' AND substring(provider_call_id from 7)::int % 10 = 0) k
                        JOIN LATERAL (SELECT (ARRAY['540','542','543','544','545','546','547','548','549','550','551'])[1 + k.n % 11] AS code) a ON true
                        WHERE k.n <= :cases""")
                .bind("cases", CASES).then().block();
        db.sql("""
                        INSERT INTO case_deadlines (case_id, kind, step, due_at, state, created_at)
                        SELECT id, 'ACKNOWLEDGEMENT', 0, ack_deadline,
                               CASE WHEN status = 'ROUTED' AND ack_deadline > :now THEN 'PENDING'
                                    WHEN status = 'ROUTED' THEN 'ESCALATED' ELSE 'MET' END, received_at
                        FROM cases WHERE reference LIKE 'BN-%'""")
                .bind("now", now).then().block();
        db.sql("""
                        INSERT INTO case_deadlines (case_id, kind, step, due_at, state, created_at)
                        SELECT id, 'SUPPORT_PLAN', 0, support_plan_deadline,
                               CASE WHEN status = 'CLOSED' THEN 'MET' WHEN support_plan_deadline > :now THEN 'PENDING' ELSE 'MISSED' END,
                               received_at
                        FROM cases WHERE reference LIKE 'BN-%'""")
                .bind("now", now).then().block();
        db.sql("ANALYZE").then().block();
        long cases = db.sql("SELECT count(*) FROM cases").map(r -> r.get(0, Long.class)).one().block();
        long calls = db.sql("SELECT count(*) FROM calls").map(r -> r.get(0, Long.class)).one().block();
        report(String.format("seeded %,d cases and %,d calls in %,d ms", cases, calls, (System.nanoTime() - started) / 1_000_000));
    }

    private Map<String, Long> measure(String name, ConsoleSession session, IntFunction<String> uri) {
        for (int i = 0; i < WARM_UP; i++) {
            session.get(uri.apply(i)).expectStatus().isOk().expectBody().returnResult();
        }
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            long t0 = System.nanoTime();
            session.get(uri.apply(i)).expectStatus().isOk().expectBody().returnResult();
            micros.add((System.nanoTime() - t0) / 1_000);
        }
        Collections.sort(micros);
        Map<String, Long> stats = new LinkedHashMap<>();
        stats.put("p50", micros.get(micros.size() / 2));
        stats.put("p95", micros.get((int) Math.ceil(micros.size() * 0.95) - 1));
        stats.put("max", micros.get(micros.size() - 1));
        report(String.format("  %-40s p50 %7.1f ms   p95 %7.1f ms   max %7.1f ms", name, stats.get("p50") / 1000.0,
                stats.get("p95") / 1000.0, stats.get("max") / 1000.0));
        return stats;
    }

    @Test
    void everyConsolePageBesideItsFloor() throws Exception {
        CaseFixtures.ensureProvince(roster, db, passwords);
        seed();
        List<String> references = db.sql("SELECT reference FROM cases WHERE service_area_code = '550' ORDER BY reference LIMIT 500")
                .map(r -> r.get(0, String.class)).all().collectList().block();
        List<String> calls = db.sql("SELECT id::text FROM calls WHERE provider = 'bench' ORDER BY started_at DESC LIMIT 500")
                .map(r -> r.get(0, String.class)).all().collectList().block();
        ConsoleSession officer = ConsoleSession.login(web, "officer.550");
        ConsoleSession supervisor = ConsoleSession.login(web, "supervisor");
        String month = clock.instant().atZone(java.time.ZoneId.of("Asia/Ho_Chi_Minh")).toLocalDate().toString().substring(0, 7);

        report(String.format("%d sequential requests per page after %d warm-up, one session, HTTP on loopback", REQUESTS, WARM_UP));
        report("floor:");
        measure("static asset (console.css)", officer, i -> "/console/assets/console.css");
        measure("login page (template, no database)", officer, i -> "/console/login");
        report("officer.550:");
        measure("queue", officer, i -> "/console");
        measure("queue rows (live refresh)", officer, i -> "/console/queue/rows");
        measure("case page (audited read)", officer, i -> "/console/cases/" + references.get(i % references.size()));
        report("supervisor:");
        measure("queue (all areas)", supervisor, i -> "/console");
        measure("live board", supervisor, i -> "/console/board");
        measure("call log search (7 days, 200 rows)", supervisor, i -> "/console/calls");
        measure("call log search (area 550)", supervisor, i -> "/console/calls?area=550");
        measure("call detail", supervisor, i -> "/console/calls/" + calls.get(i % calls.size()));
        measure("reports (this month)", supervisor, i -> "/console/reports?from=" + month);
        measure("roster", supervisor, i -> "/console/roster");
        measure("audit chain", supervisor, i -> "/console/audit");
        Files.writeString(Path.of("target", "console-bench.txt"), results.toString(), StandardCharsets.UTF_8);
    }
}
