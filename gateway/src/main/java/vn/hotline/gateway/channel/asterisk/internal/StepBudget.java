package vn.hotline.gateway.channel.asterisk.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /**
     * Work started ahead of the moment it is needed (a write that runs while the caller hears a prompt), awaited with
     * the whole budget from that moment, once: awaiting it again returns at once.
     */
    static final class Pending {
        private final String what;
        private final CompletableFuture<Void> work;
        private boolean awaited;

        private Pending(String what, CompletableFuture<Void> work) {
            this.what = what;
            this.work = work;
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

    /** Subscribes to the work now; {@link #await(Pending)} collects it. */
    Pending begin(String what, Mono<Void> work) {
        return new Pending(what, work.toFuture());
    }

    /** Work begun earlier as a Mono, for what follows it in the background (never awaited here); empty for none. */
    Mono<Void> whenDone(Pending pending) {
        return pending == null ? Mono.empty() : Mono.fromFuture(pending.work, true);
    }

    /**
     * Waits for work begun earlier, at most the budget from now; on a time-out the work is cancelled. Returns at once
     * for no work ({@code null}) or work awaited before.
     */
    void await(Pending pending) {
        if (pending == null || pending.awaited) {
            return;
        }
        pending.awaited = true;
        try {
            // Blocking on an AGI pool thread (see the class comment), never on an event loop.
            pending.work.get(budget.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.work.cancel(true);
            throw new Exceeded(pending.what, e);
        } catch (ExecutionException e) {
            throw new Exceeded(pending.what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Exceeded(pending.what, e);
        }
    }
}
