package vn.hotline.gateway.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.HotlineApplication;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.cases.CaseStatus;
import vn.hotline.gateway.cases.EscalationScheduler;
import vn.hotline.gateway.channel.twilio.FakeTwilio;
import vn.hotline.gateway.channel.twilio.TwilioWebhooks;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.gateway.security.StaffDirectory;
import vn.hotline.gateway.sms.CallerTexts;
import vn.hotline.gateway.switchboard.Fake111;
import vn.hotline.gateway.switchboard.SwitchboardFixtures;

/**
 * The check for queued work: referrals to 111, officer notifications and caller texts queued while 111 and
 * Twilio fail (111 answers 503 slowly; Twilio answers every other send 500 and takes the others without answering
 * before our read time-out, so Twilio has messages we could not know it has); the server process killed with SIGKILL
 * mid-dispatch (a separate JVM started here, on this test's database); restarted with both back. Every referral and
 * status accepted once by the deduplicating 111, every text created once at Twilio (which does not deduplicate: the
 * look-up after an ambiguous send does), in order per case: a referral before its close, a case's first officer
 * before the one its escalation reached. This JVM only creates the work (its own dispatcher is off) and watches.
 */
@GatewayTest
@Import(MutableClock.Config.class)
class ServerCrashTest {

    static final Fake111 SWITCHBOARD = new Fake111();
    static final FakeTwilio TWILIO = new FakeTwilio();
    static final int REFERRALS = 50;
    static final int CLOSED = 10;
    /** Twilio calls whose caller asks for the reference by text; their cases escalate from the duty supervisor to 111. */
    static final int CALLS = 5;
    /** Cases in Tuy Phước nobody acknowledges: each escalates from the on-call officer to the backup. */
    static final int ESCALATED = 5;
    /** The officer of Tuy Phước, the referrals' district, in the roster fixture. */
    static final String TUY_PHUOC_OFFICER = "+84912000550";
    static final List<String> DESTINATIONS = List.of(CaseService.SWITCHBOARD_111, CaseService.OFFICER_NOTIFY,
            CallerTexts.DESTINATION);

    @Autowired
    CaseService cases;
    @Autowired
    EscalationScheduler escalation;
    @Autowired
    StaffDirectory staff;
    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    WebTestClient web;
    @Autowired
    Environment environment;
    @Autowired
    MutableClock clock;

    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(Process::destroyForcibly);
    }

    @AfterAll
    static void stopFakes() {
        SWITCHBOARD.stop();
        TWILIO.stop();
    }

    @Test
    void referralsNotificationsAndCallerTextsQueuedWhile111AndTwilioFailSurviveASigkillAndArriveOnceInOrder() throws Exception {
        // A Thursday morning of the roster fixture's week, when its officers are on shift; the servers started below
        // dispatch on the real clock.
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        List<String> referred = new ArrayList<>();
        for (int i = 0; i < REFERRALS; i++) {
            referred.add(SwitchboardFixtures.referredTo111(cases, staff, clock.instant()));
        }
        StaffDirectory.Staff supervisor = staff.find("supervisor").block();
        for (String reference : referred.subList(0, CLOSED)) {
            cases.transition(reference, CaseStatus.CLOSED, Optional.of("handled by 111"), supervisor).block();
        }
        TwilioWebhooks twilio = new TwilioWebhooks(web);
        Map<String, String> callerByReference = new java.util.LinkedHashMap<>();
        for (int i = 0; i < CALLS; i++) {
            String sid = "CA%032d".formatted(i + 1);
            String caller = "+8490533300" + i;
            twilio.callAskingForTheReferenceByText(sid, caller);
            callerByReference.put(db.sql("SELECT k.reference FROM cases k JOIN calls c ON c.id = k.call_id "
                    + "WHERE c.provider_call_id = :sid").bind("sid", sid).map(r -> r.get(0, String.class)).one().block(), caller);
        }
        List<String> escalated = new ArrayList<>();
        for (int i = 0; i < ESCALATED; i++) {
            escalated.add(cases.open(CaseFixtures.bullyingInTuyPhuoc(clock.instant())).block().reference());
        }
        // Nobody acknowledges these cases or the callers': each climbs to its next rung, notified in turn.
        clock.advance(Duration.ofHours(5));
        assertThat(escalation.runDue("crash-test").block()).isEqualTo(CALLS + ESCALATED);
        int to111 = REFERRALS + CLOSED + CALLS;
        int toOfficers = REFERRALS + CALLS + 2 * ESCALATED;

        Map<String, Long> queued = pendingByDestination();
        assertThat(queued).containsEntry(CaseService.SWITCHBOARD_111, (long) to111)
                .containsEntry(CaseService.OFFICER_NOTIFY, (long) toOfficers)
                .containsEntry(CallerTexts.DESTINATION, (long) CALLS);
        // 111 down and slow to say so; Twilio failing both ways. The first server is killed mid-send.
        SWITCHBOARD.failing(aResponse().withStatus(503).withFixedDelay(1000));
        TWILIO.failing(10_000);

        Process first = startServer("first");
        awaitTrue(Duration.ofSeconds(120), () -> SWITCHBOARD.requestsOnTheWire() >= 1 && leasedBy("crash-first") > 0
                && TWILIO.created().size() >= 2 && uncertainNotifications() >= 2, first);
        first.destroyForcibly();
        assertThat(first.waitFor()).as("killed, not stopped: SIGKILL gives 128 + 9").isEqualTo(137);
        assertThat(pendingByDestination()).as("nothing lost with the process").isEqualTo(queued);
        assertThat(SWITCHBOARD.accepted()).isEmpty();
        List<FakeTwilio.Created> takenUnanswered = TWILIO.created();

        SWITCHBOARD.up();
        TWILIO.up();
        Process second = startServer("second");
        awaitTrue(Duration.ofSeconds(120), () -> pendingByDestination().values().stream().allMatch(n -> n == 0), second);

        // 111: each message accepted once, each referral before its close.
        List<Fake111.Accepted> accepted = SWITCHBOARD.accepted();
        assertThat(accepted).hasSize(to111);
        assertThat(accepted.stream().map(Fake111.Accepted::idempotencyKey).distinct()).hasSize(to111);
        List<String> order = accepted.stream().map(a -> a.operation() + " " + a.referenceId()).toList();
        for (Fake111.Accepted close : accepted.stream().filter(a -> a.operation().equals("status")).toList()) {
            assertThat(order.indexOf("create " + close.referenceId())).as("the referral before its close")
                    .isBetween(0, order.indexOf("status " + close.referenceId()) - 1);
        }

        // Twilio: every text created once, those it took unanswered found by the look-up and not sent again.
        List<FakeTwilio.Created> texts = TWILIO.created();
        assertThat(texts).hasSize(toOfficers + CALLS);
        assertThat(texts.stream().collect(Collectors.groupingBy(t -> t.to() + " " + t.body(), Collectors.counting())))
                .as("no text twice").allSatisfy((text, times) -> assertThat(times).as(text).isOne());
        assertThat(TWILIO.lookUps()).as("the ambiguous sends were looked up").isPositive();
        assertThat(providerSids()).containsAll(takenUnanswered.stream().map(FakeTwilio.Created::sid).toList());
        for (String reference : referred) {
            assertThat(texts).as("the officer told of " + reference)
                    .anyMatch(t -> t.to().equals(TUY_PHUOC_OFFICER) && t.body().contains(reference));
        }
        List<String> sids = texts.stream().map(FakeTwilio.Created::sid).toList();
        callerByReference.forEach((reference, caller) -> assertThat(texts).as("the caller's text").anySatisfy(t -> {
            assertThat(t.to()).isEqualTo(caller);
            assertThat(t.body()).isEqualTo("Mã số của bạn: " + reference);
        }));
        for (String reference : escalated) {
            Map<String, String> byRung = rungTexts(reference);
            assertThat(byRung).as("both officers of " + reference + " told").containsOnlyKeys("0", "1");
            assertThat(sids.indexOf(byRung.get("0"))).as("the on-call officer before the backup").isNotNegative()
                    .isLessThan(sids.indexOf(byRung.get("1")));
        }
        assertThat(SwitchboardFixtures.count(db, """
                SELECT count(*) FROM referrals WHERE target = 'SWITCHBOARD_111' AND state = 'ACCEPTED'
                AND external_ref LIKE '111-%'""")).isEqualTo(REFERRALS + CALLS);
        assertThat(SwitchboardFixtures.count(db, "SELECT count(*) FROM notifications WHERE provider_sid IS NULL OR uncertain"))
                .isZero();
    }

    private Map<String, Long> pendingByDestination() {
        Map<String, Long> pending = new java.util.TreeMap<>();
        DESTINATIONS.forEach(d -> pending.put(d, SwitchboardFixtures.count(db,
                "SELECT count(*) FROM outbox WHERE destination = '" + d + "' AND delivered_at IS NULL")));
        return pending;
    }

    private long leasedBy(String node) {
        return SwitchboardFixtures.count(db, "SELECT count(*) FROM outbox WHERE destination = 'switchboard-111' "
                + "AND delivered_at IS NULL AND lease_owner = '" + node + "' AND lease_until > now()");
    }

    private long uncertainNotifications() {
        return SwitchboardFixtures.count(db, "SELECT count(*) FROM notifications WHERE uncertain");
    }

    private List<String> providerSids() {
        return db.sql("SELECT provider_sid FROM notifications WHERE provider_sid IS NOT NULL")
                .map(r -> r.get(0, String.class)).all().collectList().block();
    }

    /** The Twilio message of each rung's notification of a case, by rung ({@code case-<id>-rung-<n>} keys). */
    private Map<String, String> rungTexts(String reference) {
        return db.sql("""
                        SELECT substring(n.outbox_key from '-rung-([0-9]+)$') AS rung, n.provider_sid FROM notifications n
                        JOIN cases k ON k.id = n.case_id WHERE k.reference = :ref AND n.officer_id IS NOT NULL""")
                .bind("ref", reference).map(r -> Map.entry(r.get(0, String.class), r.get(1, String.class))).all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue).block();
    }

    /** The gateway in a JVM of its own, on this test's database, dispatching with short leases and back-offs. */
    private Process startServer(String name) throws IOException {
        Path log = Path.of("target", "server-crash-" + name + ".log");
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
                "--hotline.outbox.send-timeout=4s",
                "--hotline.outbox.first-retry=200ms",
                "--hotline.outbox.max-retry=1s",
                "--hotline.switchboard.base-url=" + SWITCHBOARD.baseUrl(),
                "--hotline.switchboard.breaker.open-for=1s",
                "--hotline.twilio.rest-base-url=" + TWILIO.baseUrl(),
                // Under the send time-out, so an unanswered send ends as ambiguous (looked up next time).
                "--hotline.twilio.sms.read-timeout=2s",
                "--hotline.twilio.sms.rate-per-second=100",
                "--hotline.twilio.sms.breaker-open-for=1s");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        servers.add(process);
        return process;
    }

    private static void awaitTrue(Duration limit, BooleanSupplier condition, Process server) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(server.isAlive()).as("the server process is running (see target/server-crash-*.log)").isTrue();
            assertThat(System.nanoTime()).as("waited " + limit).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
