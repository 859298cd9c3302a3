package vn.hotline.gateway.outbox;

import java.time.Duration;

/**
 * A failed send whose receiver said when to try again (HTTP {@code Retry-After}): the dispatcher waits at least that
 * long before the next attempt, and longer when its own back-off says so.
 */
public class RetryAfter extends RuntimeException {

    private final Duration after;

    public RetryAfter(String message, Duration after) {
        super(message);
        this.after = after;
    }

    /** How long the receiver asked us to wait. */
    public Duration after() {
        return after;
    }
}
