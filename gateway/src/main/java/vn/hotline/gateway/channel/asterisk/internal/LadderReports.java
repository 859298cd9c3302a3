package vn.hotline.gateway.channel.asterisk.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.channel.asterisk.AsteriskProperties;
import vn.hotline.gateway.switchboard.VoiceHandOff;

/**
 * What the dialplan reports while a transfer's ladder runs: a person pressed 1 on a rung (accept), a rung's Dial
 * returned (dial-result), the caller's channel hung up (hangup). Each report is written within the step budget; past
 * it, or after a failure, it goes on being retried in the background while the script returns, so the dialplan never
 * waits longer than the budget and a report is never dropped because a step ran out of time.
 *
 * <p>A person who accepts holds the case (DESIGN 8): an officer acknowledges it by accepting, 111 takes it as a
 * voice hand-off. That is written after the call's own rows, in a transaction of its own (the lock order of
 * {@link CallStore}).
 */
@Component
class LadderReports {

    private static final Logger log = LoggerFactory.getLogger(LadderReports.class);
    /** How long a report that missed its step is retried in the background before it is given up, with an error. */
    private static final Duration BACKGROUND = Duration.ofMinutes(2);

    private final CallStore store;
    private final CaseService cases;
    private final VoiceHandOff national111;
    private final AsteriskProperties properties;
    private final Clock clock;

    LadderReports(CallStore store, CaseService cases, VoiceHandOff national111, AsteriskProperties properties,
            Clock clock) {
        this.store = store;
        this.cases = cases;
        this.national111 = national111;
        this.properties = properties;
        this.clock = clock;
    }

    /** The person on rung {@code step} pressed 1, before the bridge. */
    void accepted(CallKey key, int step) {
        Instant at = clock.instant();
        report("the acceptance of rung " + step, key, call -> retried(store.accept(call, step, at))
                .flatMap(rung -> retried(caseTaken(call, rung, at))));
    }

    /**
     * Rung {@code step}'s Dial returned with {@code dialStatus}; {@code bridged} when the person had pressed 1 (the
     * dialplan's HOTLINE_ACCEPTED). False when the call is not one this server started.
     */
    boolean dialEnded(CallKey key, int step, String dialStatus, boolean bridged) {
        Instant at = clock.instant();
        return report("the result of rung " + step, key, call -> retried(store.recordAttempt(call, step, dialStatus,
                bridged, at)).flatMap(rung -> retried(caseTaken(call, rung, at))));
    }

    /** The caller's channel hung up; {@code step} is the rung the ladder was at, if it ran. */
    void hungUp(CallKey key, OptionalInt step, String dialStatus) {
        Instant at = clock.instant();
        report("the hang-up", key, call -> retried(store.hangUp(call, step, dialStatus, at)));
    }

    private Mono<String> caseTaken(UUID call, CallStore.Attempt rung, Instant at) {
        if (rung.national111()) {
            return national111.answeredBy111(call, at);
        }
        return rung.officerId().map(officer -> cases.acknowledgeByVoice(call, officer, at)).orElse(Mono.empty());
    }

    /**
     * One transaction's work, tried again until it succeeds (bounded by {@link #BACKGROUND} in {@link #report}). Each
     * transaction is retried on its own: the call's rows first, then the case. A retry of the whole report would find
     * the acceptance already written, emit nothing, and never tell the case.
     */
    private static <T> Mono<T> retried(Mono<T> work) {
        return work.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(10)));
    }

    /** Writes the report within the step budget, or goes on in the background; false for an unknown call. */
    private boolean report(String what, CallKey key, Function<UUID, Mono<?>> work) {
        CompletableFuture<?> written = retried(store.find(key.value()))
                .switchIfEmpty(Mono.error(new UnknownCall()))
                .flatMap(work)
                .timeout(BACKGROUND)
                .doOnError(e -> {
                    if (!(e instanceof UnknownCall)) {
                        log.error("Call {}: {} was not recorded after {} of retries ({})", key, what, BACKGROUND,
                                e.getClass().getSimpleName());
                    }
                })
                .toFuture();
        try {
            // Blocking on an AGI pool thread (scripts never run on an event loop), at most the step budget.
            written.get(properties.stepBudget().toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            log.warn("Call {}: {} is taking longer than the step budget; it goes on in the background", key, what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownCall) {
                log.info("Call {}: {} of a call the IVR never started (its server was down or refused it)", key, what);
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** The report names a call this server never started. */
    private static final class UnknownCall extends RuntimeException {
        UnknownCall() {
            super("unknown call", null, false, false);
        }
    }
}
