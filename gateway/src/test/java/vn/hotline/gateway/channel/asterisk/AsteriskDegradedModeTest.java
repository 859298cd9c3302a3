package vn.hotline.gateway.channel.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.hotline.db.TestPostgres;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator;

/**
 * PostgreSQL goes away in the middle of a call: the script gives up within a second with {@code HOTLINE_FALLBACK},
 * never {@code HOTLINE_DONE}, so the dialplan dials the duty phone. The database of this class is stopped for the
 * application (connections refused and terminated); the shared test server keeps serving other classes.
 */
@GatewayTest
class AsteriskDegradedModeTest {

    static final int PORT = AsteriskTestSupport.freePort();

    @DynamicPropertySource
    static void asterisk(DynamicPropertyRegistry registry) {
        AsteriskTestSupport.properties(registry, PORT);
    }

    @Value("${hotline.test.database-name}")
    String database;

    @Test
    void whenPostgresStopsMidCallTheScriptSetsHotlineFallbackWithinOneSecondAndNeverHotlineDone() throws Exception {
        AsteriskTestSupport.awaitListening(PORT);
        // Warm-up calls fill the connection pool and load the code path (a cold first call on a loaded machine can run
        // over the budget and fall back, which is right but not this test); then one call loses PostgreSQL.
        AgiSimulator.Result warmUp = null;
        for (int i = 0; i < 5 && (warmUp == null || warmUp.variables().containsKey("HOTLINE_FALLBACK")); i++) {
            warmUp = AsteriskTestSupport.asterisk(PORT).call(AgiSimulator.environment("ivr?flow=triage",
                    AsteriskTestSupport.nextUniqueId(), "+84905123456", "vi"), Keypad.of("3 hangup"));
        }
        assertThat(warmUp.variables()).doesNotContainKey("HOTLINE_FALLBACK");
        AtomicLong stoppedAt = new AtomicLong();
        int[] asked = {0};
        // The menu keeps its session in memory, so the call meets the stopped database at its next milestone: the case
        // opened after the last key (the keys come at once, so the second is counted from the stop).
        Keypad caller = Keypad.of("3 4 2 18 3").before(() -> {
            if (++asked[0] == 2) {
                stopDatabase();
                stoppedAt.set(System.nanoTime());
            }
        });

        AgiSimulator.Result call = AsteriskTestSupport.asterisk(PORT)
                .call(AgiSimulator.environment("ivr?flow=triage", AsteriskTestSupport.nextUniqueId(), "+84905123456", "vi"),
                        caller);
        Duration afterTheKey = Duration.ofNanos(System.nanoTime() - stoppedAt.get());

        assertThat(asked[0]).isEqualTo(5);
        assertThat(call.variables()).containsEntry("HOTLINE_FALLBACK", "1").doesNotContainKey("HOTLINE_DONE");
        assertThat(call.closedBy()).isEqualTo("server");
        assertThat(afterTheKey).isLessThan(Duration.ofSeconds(1));
    }

    private void stopDatabase() {
        try (Connection c = TestPostgres.get().server().superuserConnection("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
