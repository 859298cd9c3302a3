package vn.hotline.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.GatewayTest;

/**
 * The operators' side of the contract: the alert rules in {@code ops/prometheus} pass {@code promtool check rules} and
 * their own {@code promtool test rules}, and every metric the rules and the Grafana dashboard query is one this server
 * really exports at {@code /actuator/prometheus} (an alert on a misspelt metric never fires).
 */
@GatewayTest
@TestPropertySource(properties = {
        // One AMI server (nothing listens there): its link gauge must exist, at 0.
        "hotline.asterisk.ami.servers[0].system-name=pbx1", "hotline.asterisk.ami.servers[0].host=127.0.0.1",
        "hotline.asterisk.ami.servers[0].port=9", "hotline.asterisk.ami.servers[0].username=hotline",
        "hotline.asterisk.ami.servers[0].secret=not-used"})
class MonitoringContractTest {

    private static final Path OPS = Path.of("..", "ops");
    private static final Path RULES = OPS.resolve("prometheus/hotline-alerts.yml");
    private static final Path RULE_TESTS = OPS.resolve("prometheus/hotline-alerts.test.yml");
    private static final Path DASHBOARD = OPS.resolve("grafana/hotline-dashboard.json");
    private static final String DEFAULT_PROMTOOL = "/opt/hotline-test/prometheus/promtool";
    /** Series Prometheus itself makes, not the server. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan");

    @Autowired
    WebTestClient web;

    @Test
    void theAlertRulesAreValidAndPassTheirOwnTests() throws Exception {
        Path promtool = promtool();
        assertThat(run(promtool.toString(), "check", "rules", RULES.toString())).contains("SUCCESS");
        assertThat(run(promtool.toString(), "test", "rules", RULE_TESTS.toString())).contains("SUCCESS");
    }

    @Test
    void everyMetricTheRulesAndTheDashboardQueryIsExported() throws IOException, InterruptedException {
        Set<String> exported = exported();
        List<String> queries = new ArrayList<>();
        Matcher expr = Pattern.compile("(?m)^\\s*expr:\\s*(.+)$").matcher(Files.readString(RULES));
        while (expr.find()) {
            queries.add(expr.group(1));
        }
        int rules = queries.size();
        collectExprs(JsonMapper.builder().build().readTree(DASHBOARD.toFile()), queries);
        assertThat(rules).as("alert rules").isGreaterThanOrEqualTo(10);
        assertThat(queries.size() - rules).as("dashboard queries").isGreaterThanOrEqualTo(10);

        Set<String> missing = new TreeSet<>();
        for (String query : queries) {
            for (String metric : metricNames(query)) {
                if (!PROMETHEUS_OWN.contains(metric) && !exported.contains(metric)) {
                    missing.add(metric + " (in " + query + ")");
                }
            }
        }
        assertThat(missing).as("metrics queried but not exported").isEmpty();
    }

    @Test
    void theExtractorFindsMetricNamesAndNothingElse() {
        assertThat(metricNames("max by (server) (hotline_ami_connected{server=\"pbx1\"}) == 0"))
                .containsExactly("hotline_ami_connected");
        assertThat(metricNames("sum without (instance) (rate(http_server_requests_seconds_count{status=~\"5..\"}[5m]))"
                + " / ignoring(x) sum(rate(http_server_requests_seconds_sum[5m] offset 1h))"))
                .containsExactlyInAnyOrder("http_server_requests_seconds_count", "http_server_requests_seconds_sum");
    }

    /**
     * The names of every series in a scrape, once the server has served a request and collected garbage (the HTTP and
     * GC timers appear at their first event).
     */
    private Set<String> exported() throws InterruptedException {
        web.get().uri("/actuator/health").exchange().expectStatus().isOk();
        System.gc();
        for (int i = 0; i < 50 && !scrape().contains("jvm_gc_pause_seconds_sum"); i++) {
            Thread.sleep(100);
        }
        String scrape = scrape();
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private String scrape() {
        return web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private static void collectExprs(JsonNode node, List<String> into) {
        if (node.isObject()) {
            JsonNode expr = node.get("expr");
            if (expr != null && expr.isString() && !expr.asString().isBlank()) {
                into.add(expr.asString());
            }
            node.values().forEach(child -> collectExprs(child, into));
        } else if (node.isArray()) {
            node.values().forEach(child -> collectExprs(child, into));
        }
    }

    /** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
    static Set<String> metricNames(String query) {
        String bare = query.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\boffset\\s+\\w+", " ");
        Set<String> names = new TreeSet<>();
        Matcher token = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
        while (token.find()) {
            String name = token.group(1);
            if (token.group(2) == null && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    private static Path promtool() {
        Path tool = Path.of(Optional.ofNullable(System.getenv("HOTLINE_TEST_PROMETHEUS"))
                .map(dir -> dir + "/promtool").orElse(DEFAULT_PROMTOOL));
        if (!Files.isExecutable(tool)) {
            String missing = "no promtool at " + tool + ": run ops/ci/install-prometheus-tools.sh (as root)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(missing);
            }
            Assumptions.abort(missing);
        }
        return tool;
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }
}
