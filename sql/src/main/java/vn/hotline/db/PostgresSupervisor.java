package vn.hotline.db;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded PostgreSQL running while the server runs (DESIGN 8: a supervised child): it looks at the
 * postmaster every {@code every}; when it died (killed, crashed), it is started again on the same port and data, with
 * a back-off that doubles from {@code backOff}. One log line per change of state, never one per attempt. When it
 * cannot be started {@code attempts} times in a row, {@code giveUp} runs (the server exits non-zero, so that its
 * service manager acts), since a server without its database only answers fallbacks.
 */
public final class PostgresSupervisor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresSupervisor.class);

    private final EmbeddedPostgres postgres;
    private final Duration every;
    private final Duration backOff;
    private final int attempts;
    private final Runnable giveUp;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "postgres-supervisor");
        t.setDaemon(true);
        return t;
    });
    private int failed;
    private long nextTryNanos;
    private boolean down;

    PostgresSupervisor(EmbeddedPostgres postgres, Duration every, Duration backOff, int attempts, Runnable giveUp) {
        this.postgres = postgres;
        this.every = every;
        this.backOff = backOff;
        this.attempts = attempts;
        this.giveUp = giveUp;
        timer.scheduleWithFixedDelay(this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            if (postgres.isStopped() || postgres.isRunning()) {
                return;
            }
            if (!down) {
                down = true;
                log.warn("Embedded PostgreSQL on port {} is not running: starting it again", postgres.port());
            }
            if (System.nanoTime() < nextTryNanos) {
                return;
            }
            postgres.restart();
            log.warn("Embedded PostgreSQL on port {} is running again after {} failed attempt(s)", postgres.port(), failed);
            down = false;
            failed = 0;
            nextTryNanos = 0;
        } catch (RuntimeException e) {
            failed++;
            if (failed >= attempts) {
                log.error("Embedded PostgreSQL on port {} could not be started again ({} attempts, last: {}): the server stops",
                        postgres.port(), failed, e.getMessage());
                timer.shutdown();
                giveUp.run();
                return;
            }
            nextTryNanos = System.nanoTime() + backOff.multipliedBy(1L << Math.min(failed - 1, 10)).toNanos();
        }
    }

    /** How often the postmaster is looked at. */
    public Duration every() {
        return every;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
