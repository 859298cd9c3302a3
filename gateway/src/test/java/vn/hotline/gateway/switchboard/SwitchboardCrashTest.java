package vn.hotline.gateway.switchboard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.HotlineApplication;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.cases.CaseStatus;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.gateway.security.StaffDirectory;

/**
 * The check: 50 referrals queued while 111 is down, 10 of their cases closed meanwhile (a status report each,
 * queued behind its referral), the server process killed with SIGKILL mid-dispatch (a separate JVM started here, on
 * this test's database), restarted, 111 back: every message accepted exactly once by the deduplicating fake, and each
 * closed case's referral before its close. This JVM only creates the messages (its own dispatcher is off) and watches.
 */
@GatewayTest
class SwitchboardCrashTest {

    static final Fake111 FAKE = new Fake111();
    static final int REFERRALS = 50;
    static final int CLOSED = 10;

    @Autowired
    CaseService cases;
    @Autowired
    StaffDirectory staff;
    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    Environment environment;

    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(Process::destroyForcibly);
    }

    @AfterAll
    static void stop111() {
        FAKE.server.stop();
    }

    @Test
    void fiftyReferralsQueuedWhile111IsDownSurviveASigkillAndAreEachAcceptedOnceAfterTheRestart() throws Exception {
        CaseFixtures.ensureProvince(roster, db, passwords);
        List<String> references = new ArrayList<>();
        for (int i = 0; i < REFERRALS; i++) {
            references.add(SwitchboardFixtures.referredTo111(cases, staff, Instant.now()));
        }
        StaffDirectory.Staff supervisor = staff.find("supervisor").block();
        for (String reference : references.subList(0, CLOSED)) {
            cases.transition(reference, CaseStatus.CLOSED, Optional.of("handled by 111"), supervisor).block();
        }
        int messages = REFERRALS + CLOSED;
        assertThat(pending()).isEqualTo(messages);
        // 111 down and slow to say so: the first server is killed while it holds a lease on a message mid-send.
        FAKE.failing(aResponse().withStatus(503).withFixedDelay(1000));

        Process first = startServer("first");
        awaitTrue(Duration.ofSeconds(120), () -> FAKE.requestsOnTheWire() >= 1 && leasedBy("crash-first") > 0, first);
        first.destroyForcibly();
        assertThat(first.waitFor()).as("killed, not stopped: SIGKILL gives 128 + 9").isEqualTo(137);
        assertThat(pending()).as("nothing lost with the process").isEqualTo(messages);
        assertThat(FAKE.accepted()).isEmpty();

        FAKE.up();
        Process second = startServer("second");
        awaitTrue(Duration.ofSeconds(120), () -> pending() == 0, second);

        List<Fake111.Accepted> accepted = FAKE.accepted();
        assertThat(accepted).hasSize(messages);
        assertThat(accepted.stream().map(Fake111.Accepted::idempotencyKey).distinct()).hasSize(messages);
        List<String> order = accepted.stream().map(a -> a.operation() + " " + a.referenceId()).toList();
        for (Fake111.Accepted close : accepted.stream().filter(a -> a.operation().equals("status")).toList()) {
            assertThat(order.indexOf("create " + close.referenceId())).as("the referral before its close")
                    .isBetween(0, order.indexOf("status " + close.referenceId()) - 1);
        }
        assertThat(SwitchboardFixtures.count(db, """
                SELECT count(*) FROM referrals WHERE target = 'SWITCHBOARD_111' AND state = 'ACCEPTED'
                AND external_ref LIKE '111-%'""")).isEqualTo(REFERRALS);
    }

    private long pending() {
        return SwitchboardFixtures.count(db,
                "SELECT count(*) FROM outbox WHERE destination = 'switchboard-111' AND delivered_at IS NULL");
    }

    private long leasedBy(String node) {
        return SwitchboardFixtures.count(db, "SELECT count(*) FROM outbox WHERE destination = 'switchboard-111' "
                + "AND delivered_at IS NULL AND lease_owner = '" + node + "' AND lease_until > now()");
    }

    /** The gateway in a JVM of its own, on this test's database, dispatching with short leases and back-offs. */
    private Process startServer(String name) throws IOException {
        Path log = Path.of("target", "switchboard-crash-" + name + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Duser.timezone=" + System.getProperty("user.timezone"),
                "-cp", System.getProperty("java.class.path"),
                HotlineApplication.class.getName(),
                "--spring.profiles.active=test",
                "--hotline.db.url=" + environment.getProperty("hotline.db.url"),
                "--hotline.audit.anchoring.directory=" + environment.getProperty("hotline.audit.anchoring.directory"),
                "--hotline.lease.node-id=crash-" + name,
                "--hotline.outbox.dispatch-enabled=true",
                "--hotline.outbox.poll-interval=200ms",
                // A killed node's claims pass on after the lease: short here so the test does not wait a minute.
                "--hotline.outbox.lease=5s",
                "--hotline.outbox.send-timeout=3s",
                "--hotline.outbox.first-retry=200ms",
                "--hotline.outbox.max-retry=1s",
                "--hotline.switchboard.base-url=" + FAKE.baseUrl(),
                "--hotline.switchboard.breaker.open-for=1s");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        servers.add(process);
        return process;
    }

    private static void awaitTrue(Duration limit, BooleanSupplier condition, Process server) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(server.isAlive()).as("the server process is running (see target/switchboard-crash-*.log)").isTrue();
            assertThat(System.nanoTime()).as("waited " + limit).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
