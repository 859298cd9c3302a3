package vn.hotline.gateway.channel.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator;
import vn.hotline.gateway.routing.RosterService;

/**
 * Every AGI thread busy: a new connection is closed before any command, so Asterisk sees the AGI end without
 * {@code HOTLINE_DONE} and its dialplan sends the caller to a person; the server logs it, and the calls in progress
 * carry on to their end.
 */
@GatewayTest
@Import(MutableClock.Config.class)
@ExtendWith(OutputCaptureExtension.class)
class AsteriskPoolFullTest {

    static final int PORT = AsteriskTestSupport.freePort();
    static final int POOL = 2;

    @DynamicPropertySource
    static void asterisk(DynamicPropertyRegistry registry) {
        AsteriskTestSupport.properties(registry, PORT);
        registry.add("hotline.asterisk.pool-core-size", () -> POOL);
        registry.add("hotline.asterisk.pool-max-size", () -> POOL);
        // Not what this test is about: a slow shared test machine must not send the calls in progress to the fallback.
        registry.add("hotline.asterisk.step-budget", () -> "5s");
    }

    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;

    @Test
    void whenEveryAgiThreadIsBusyANewCallIsClosedWithoutHotlineDoneAndLoggedWhileTheCallsInProgressCarryOn(
            CapturedOutput output) throws Exception {
        CaseFixtures.ensureProvince(roster, db, passwords);
        AsteriskTestSupport.awaitListening(PORT);
        // The probe connection of awaitListening holds a thread until it sees the socket closed: wait until a whole
        // call goes through, so the pool is free before the test fills it.
        AgiSimulator.Result warmUp = null;
        for (int i = 0; i < 20 && (warmUp == null || warmUp.commands().isEmpty()); i++) {
            Thread.sleep(50);
            warmUp = AsteriskTestSupport.asterisk(PORT).call(AgiSimulator.environment("ivr?flow=triage",
                    AsteriskTestSupport.nextUniqueId(), "+84905123456", "vi"), Keypad.of("hangup"));
        }
        assertThat(warmUp.commands()).isNotEmpty();

        CountDownLatch inTheMenu = new CountDownLatch(POOL);
        CountDownLatch goOn = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(POOL);
        List<Future<AgiSimulator.Result>> inProgress = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            boolean[] first = {true};
            // A bullying report by a teacher; the caller listens to the greeting until the third call was refused.
            Keypad caller = Keypad.of("3 5 3 18 3 -").before(() -> {
                if (first[0]) {
                    first[0] = false;
                    inTheMenu.countDown();
                    await(goOn);
                }
            });
            inProgress.add(callers.submit(() -> AsteriskTestSupport.asterisk(PORT).call(AgiSimulator.environment(
                    "ivr?flow=triage", AsteriskTestSupport.nextUniqueId(), "+84905123456", "vi"), caller)));
        }
        assertThat(inTheMenu.await(10, TimeUnit.SECONDS)).as("both calls hold an AGI thread").isTrue();

        String refusedId = AsteriskTestSupport.nextUniqueId();
        AgiSimulator.Result refused = AsteriskTestSupport.asterisk(PORT).call(AgiSimulator.environment(
                "ivr?flow=triage", refusedId, "+84905123456", "vi"), Keypad.of("1"));
        goOn.countDown();

        assertThat(refused.commands()).as("no command: the connection is closed at once").isEmpty();
        assertThat(refused.variables()).doesNotContainKey("HOTLINE_DONE");
        assertThat(refused.closedBy()).isEqualTo("server");
        assertThat(output.getAll()).contains("FastAGI pool full (2 threads): connection refused");
        for (Future<AgiSimulator.Result> call : inProgress) {
            AgiSimulator.Result result = call.get(30, TimeUnit.SECONDS);
            assertThat(result.variables()).containsEntry("HOTLINE_DONE", "1").doesNotContainKey("HOTLINE_FALLBACK");
            assertThat(result.commands()).contains("STREAM FILE \"hotline/vi/end-reference\" \"\"");
        }
        callers.shutdown();
        assertThat(db.sql("SELECT count(*) FROM calls WHERE provider_call_id = :key").bind("key", "pbx-test/" + refusedId)
                .map(r -> r.get(0, Long.class)).one().block()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
