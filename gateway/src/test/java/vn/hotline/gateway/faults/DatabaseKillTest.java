package vn.hotline.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.channel.asterisk.AsteriskTestSupport;
import vn.hotline.gateway.channel.asterisk.Keypad;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator;
import vn.hotline.gateway.db.EmbeddedServer;

/**
 * The server's own PostgreSQL killed with SIGKILL under a caller, as the server runs in production (embedded,
 * supervised): the call in progress and one placed meanwhile go to the dialplan's fallback within a second, the
 * supervisor starts PostgreSQL again, and the server takes calls normally within 10 s, without a restart.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseKillTest {

    private static final int AGI_PORT = AsteriskTestSupport.freePort();

    @TempDir
    Path dir;

    @Test
    void aKilledDatabaseIsStartedAgainAndCallsAreTakenNormallyWithinTenSeconds(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext app = EmbeddedServer.start(dir, dir.resolve("pgdata"),
                "--hotline.asterisk.port=" + AGI_PORT,
                "--hotline.asterisk.allowed-clients=" + AsteriskTestSupport.ASTERISK,
                "--hotline.asterisk.system-name=pbx-test",
                "--logging.level.vn.hotline=INFO")) {
            WebTestClient web = EmbeddedServer.client(app);
            AsteriskTestSupport.awaitListening(AGI_PORT);
            assertThat(call().variables()).containsEntry("HOTLINE_DONE", "1");

            // The postmaster and its backends, as when the machine kills PostgreSQL: a backend left alive would
            // still serve the pooled connection it holds for a moment.
            long postmaster = Long.parseLong(Files.readAllLines(dir.resolve("pgdata/postmaster.pid")).get(0).trim());
            List<String> kill = new ArrayList<>(List.of("kill", "-KILL", Long.toString(postmaster)));
            ProcessHandle.of(postmaster).orElseThrow().children().forEach(child -> kill.add(Long.toString(child.pid())));
            assertThat(new ProcessBuilder(kill).start().waitFor()).isZero();
            long killedAt = System.nanoTime();
            AgiSimulator.Result meanwhile = call();
            assertThat(meanwhile.variables()).containsEntry("HOTLINE_FALLBACK", "1").doesNotContainKey("HOTLINE_DONE");
            assertThat(meanwhile.elapsed()).isLessThan(Duration.ofSeconds(1));

            while (!"1".equals(call().variables().get("HOTLINE_DONE"))) {
                assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("calls taken again").isLessThan(Duration.ofSeconds(10));
                Thread.sleep(200);
            }
            long back = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            System.out.printf("Killed database: calls taken normally again %d ms after SIGKILL%n", back);
            web.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        }
        assertThat(output.getAll()).containsOnlyOnce("is not running: starting it again").containsOnlyOnce("is running again")
                .doesNotContain("\tat vn.hotline");
    }

    /** A child reporting bullying, to its end: the case opened and its reference read out, so PostgreSQL is needed. */
    private static AgiSimulator.Result call() throws Exception {
        return AsteriskTestSupport.asterisk(AGI_PORT).call(AgiSimulator.environment("ivr?flow=triage",
                AsteriskTestSupport.nextUniqueId(), "+84905123456", "vi"), Keypad.of("3 2 20 1 1"));
    }
}
