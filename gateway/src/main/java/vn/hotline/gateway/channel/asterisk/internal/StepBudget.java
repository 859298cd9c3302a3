package vn.hotline.gateway.channel.asterisk.internal;

import java.time.Duration;
import java.util.Optional;
import reactor.core.publisher.Mono;

/**
 * Runs a step's database or routing work on the calling AGI thread with a time limit. Blocking is allowed here only
 * because AGI scripts run on the FastAGI server's own bounded pool, never on a Netty event loop.
 */
final class StepBudget {

    /** The work failed or ran over its budget: the script hands the call to the dialplan's fallback. */
    static final class Exceeded extends RuntimeException {
        Exceeded(String what, Throwable cause) {
            super(what + " failed or ran over the step budget", cause, false, false);
        }
    }

    private final Duration budget;

    StepBudget(Duration budget) {
        this.budget = budget;
    }

    /** The value, or empty when the work completed without one. */
    <T> Optional<T> await(String what, Mono<T> work) {
        try {
            // Blocking on an AGI pool thread (see the class comment), never on an event loop.
            return work.timeout(budget).blockOptional();
        } catch (RuntimeException e) {
            throw new Exceeded(what, e);
        }
    }

    /** The value, which the work must produce. */
    <T> T require(String what, Mono<T> work) {
        return await(what, work).orElseThrow(() -> new Exceeded(what, null));
    }
}
