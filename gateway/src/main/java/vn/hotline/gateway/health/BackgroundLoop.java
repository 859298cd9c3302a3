package vn.hotline.gateway.health;

import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A pass run every interval in the background (escalations, outbox, 111 acceptance watch), built so that no stall can
 * end it: a tick that comes while a pass still runs is dropped instead of overflowing the interval (which would end
 * the loop for good), each pass has a time limit, and failures go to a {@link FailureLog}.
 */
public final class BackgroundLoop {

    private BackgroundLoop() {
    }

    /** Runs {@code pass} every {@code interval}, one at a time, until the returned handle is disposed. */
    public static Disposable every(Duration interval, Duration timeLimit, FailureLog failures, Supplier<Mono<?>> pass) {
        return ticks(interval, timeLimit, failures, pass).subscribe();
    }

    /** The same loop as a flux of finished passes, for a caller that composes it (takeUntil a stop signal). */
    public static Flux<Boolean> ticks(Duration interval, Duration timeLimit, FailureLog failures, Supplier<Mono<?>> pass) {
        return Flux.interval(interval, Schedulers.parallel())
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(pass)
                        .timeout(timeLimit)
                        .thenReturn(Boolean.TRUE)
                        .doOnNext(done -> failures.succeeded())
                        .onErrorResume(error -> {
                            failures.failed(error);
                            return Mono.empty();
                        }), 1);
    }
}
