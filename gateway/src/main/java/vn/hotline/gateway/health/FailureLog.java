package vn.hotline.gateway.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;

/**
 * Logs a repeating failure (the database unreachable, a pass that keeps failing) once per change of state: one WARN
 * when it starts failing, a reminder with the count every {@link #REMIND} while it goes on, one INFO when it recovers.
 * Never a stack trace per attempt: an outage of 20 minutes is a handful of lines, not megabytes.
 */
public final class FailureLog {

    static final Duration REMIND = Duration.ofMinutes(5);

    private final Logger log;
    private final String what;
    private final Clock clock;
    private long failures;
    private Instant since;
    private Instant remindedAt;

    public FailureLog(Logger log, String what, Clock clock) {
        this.log = log;
        this.what = what;
        this.clock = clock;
    }

    /** Counts one failure; logs it only when it starts a failing spell or a reminder is due. */
    public synchronized void failed(Throwable error) {
        Instant now = clock.instant();
        failures++;
        if (since == null) {
            since = now;
            remindedAt = now;
            log.warn("{} failing: {}", what, describe(error));
        } else if (!now.isBefore(remindedAt.plus(REMIND))) {
            remindedAt = now;
            log.warn("{} still failing: {} failures in {} s, last: {}", what, failures,
                    Duration.between(since, now).toSeconds(), describe(error));
        }
    }

    /** Ends a failing spell, if there was one, with one line saying how long it lasted. */
    public synchronized void succeeded() {
        if (since == null) {
            return;
        }
        log.info("{} recovered after {} failures in {} s", what, failures,
                Duration.between(since, clock.instant()).toSeconds());
        failures = 0;
        since = null;
    }

    /** Whether the last attempt failed. */
    public synchronized boolean failing() {
        return since != null;
    }

    /** Since when the current failing spell lasts, or null when the last attempt succeeded. */
    public synchronized Instant failingSince() {
        return since;
    }

    /** The innermost cause's class and message, on one line: enough to tell a refusal from a time-out. */
    static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // Reactor's time-out text names operators, not the fault: the type says it.
        String message = root instanceof TimeoutException ? "no answer in time" : root.getMessage();
        String line = root == error ? root.getClass().getName() + (message == null ? "" : ": " + message)
                : error.getClass().getSimpleName() + " (" + root.getClass().getSimpleName()
                        + (message == null ? "" : ": " + message) + ")";
        return line.replaceAll("[\\r\\n]+", " ");
    }
}
