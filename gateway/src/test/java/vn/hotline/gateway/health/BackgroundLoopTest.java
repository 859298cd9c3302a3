package vn.hotline.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.MutableClock;

/**
 * The background loops (escalations, outbox, 111 watch, probes) outlive any stall: before, a pass longer than the
 * interval overflowed Flux.interval and the escalation loop ended for good after one slow database moment.
 */
@ExtendWith(OutputCaptureExtension.class)
class BackgroundLoopTest {

    private static final Logger LOG = LoggerFactory.getLogger("vn.hotline.test.loop");

    /** Other tests in this JVM leave logging at WARN; the recovery lines are INFO. */
    @BeforeEach
    void logInfo() {
        ((ch.qos.logback.classic.Logger) LOG).setLevel(Level.INFO);
    }

    private final MutableClock clock = new MutableClock(java.time.Instant.parse("2026-12-07T20:00:00Z"));

    @Test
    void aPassMuchLongerThanTheIntervalOnlyDropsTicksAndTheLoopGoesOn() throws InterruptedException {
        AtomicInteger started = new AtomicInteger();
        FailureLog failures = new FailureLog(LOG, "Slow pass", clock);
        Disposable loop = BackgroundLoop.every(Duration.ofMillis(10), Duration.ofSeconds(5), failures,
                () -> Mono.delay(Duration.ofMillis(started.incrementAndGet() == 1 ? 1000 : 1)));
        try {
            waitFor(() -> started.get() >= 10);
            assertThat(loop.isDisposed()).isFalse();
            assertThat(failures.failing()).isFalse();
        } finally {
            loop.dispose();
        }
    }

    @Test
    void aStuckPassIsGivenUpAtItsTimeLimitAndFailuresAreLoggedOncePerSpell(CapturedOutput output)
            throws InterruptedException {
        AtomicInteger started = new AtomicInteger();
        FailureLog failures = new FailureLog(LOG, "Stuck pass", clock);
        Disposable loop = BackgroundLoop.every(Duration.ofMillis(10), Duration.ofMillis(50), failures, () -> {
            int n = started.incrementAndGet();
            if (n <= 3) {
                return Mono.never();
            }
            return n <= 6 ? Mono.error(new IllegalStateException("refused")) : Mono.just(n);
        });
        try {
            waitFor(() -> started.get() >= 8);
        } finally {
            loop.dispose();
        }
        assertThat(output.getAll()).containsOnlyOnce("Stuck pass failing: java.util.concurrent.TimeoutException")
                .containsOnlyOnce("Stuck pass recovered after 6 failures")
                .doesNotContain("still failing").doesNotContain("\tat ");
    }

    @Test
    void aLongSpellIsRemindedEveryFiveMinutesWithItsCount(CapturedOutput output) {
        FailureLog failures = new FailureLog(LOG, "Database", clock);
        failures.failed(new RuntimeException("wrapped", new java.net.ConnectException("Connection refused")));
        for (int second = 0; second < 600; second += 5) {
            clock.advance(Duration.ofSeconds(5));
            failures.failed(new RuntimeException("wrapped", new java.net.ConnectException("Connection refused")));
        }
        failures.succeeded();
        assertThat(output.getAll()).containsOnlyOnce("Database failing: RuntimeException (ConnectException: Connection refused)")
                .contains("Database still failing: 61 failures in 300 s")
                .contains("Database still failing: 121 failures in 600 s")
                .containsOnlyOnce("Database recovered after 121 failures in 600 s");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(until);
            Thread.sleep(5);
        }
    }
}
