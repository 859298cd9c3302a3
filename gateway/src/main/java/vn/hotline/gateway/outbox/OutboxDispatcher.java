package vn.hotline.gateway.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.health.BackgroundLoop;
import vn.hotline.gateway.health.FailureLog;
import vn.hotline.gateway.lease.Leases;

/**
 * Delivers outbox messages through the {@link OutboxSender} of their destination: claims a batch with a lease (a short
 * statement, no lock held while sending), sends each message outside any transaction with a time-out, marks it
 * delivered, or gives it back with exponential back-off and jitter (longer when the receiver asked for it with
 * {@link RetryAfter}). Any number of nodes may run it.
 */
@Component
public class OutboxDispatcher {

    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

    private final Outbox outbox;
    private final List<OutboxSender> senders;
    private final OutboxProperties properties;
    private final Clock clock;
    private final String node;

    OutboxDispatcher(Outbox outbox, List<OutboxSender> senders, OutboxProperties properties, Clock clock, Leases leases) {
        this.outbox = outbox;
        this.senders = List.copyOf(senders);
        this.properties = properties;
        this.clock = clock;
        this.node = leases.nodeId();
    }

    /** The senders this node dispatches for. */
    public List<OutboxSender> senders() {
        return senders;
    }

    /** One pass over one destination: claims, sends and settles up to a batch; emits how many were delivered. */
    public Mono<Integer> runOnce(OutboxSender sender) {
        return outbox.claim(sender.destination(), node, properties.lease(), properties.batch())
                .concatMap(message -> sender.send(message)
                        .timeout(properties.sendTimeout())
                        .then(outbox.markDelivered(message.id(), node))
                        .onErrorResume(error -> retryLater(sender, message, error)))
                .filter(Boolean::booleanValue)
                .count()
                .map(Long::intValue);
    }

    private Mono<Boolean> retryLater(OutboxSender sender, ClaimedMessage message, Throwable error) {
        Duration wait = backoff(message.attempt());
        if (error instanceof RetryAfter asked && asked.after().compareTo(wait) > 0) {
            wait = asked.after();
        }
        Instant retryAt = clock.instant().plus(wait);
        // The key identifies the message for operators; the payload (which may hold case details) is never logged.
        log.warn("Outbox {} message {} (attempt {}) failed: {}; retry at {}", sender.destination(), message.idempotencyKey(),
                message.attempt(), error.toString(), retryAt);
        return outbox.release(message.id(), node, error.toString(), retryAt).thenReturn(false);
    }

    /** Exponential back-off from {@code firstRetry}, capped at {@code maxRetry}, with up to 20% jitter. */
    Duration backoff(int attempt) {
        long first = properties.firstRetry().toMillis();
        long cap = properties.maxRetry().toMillis();
        long exponential = first << Math.min(Math.max(attempt - 1, 0), 20);
        long base = Math.min(exponential, cap);
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 5 + 1));
    }

    /**
     * Passes one after another while each fills its batch, so a backlog drains at the receiver's pace rather than at
     * one batch per poll interval (20 messages a second, under a campaign's burst of cases); emits how many were
     * delivered.
     */
    Mono<Integer> drain(OutboxSender sender) {
        return runOnce(sender)
                .expand(delivered -> delivered >= properties.batch() ? runOnce(sender) : Mono.empty())
                .reduce(0, Integer::sum);
    }

    /** Runs every sender's loop until {@code stop} completes; a pass that overruns the poll interval drops the ticks it missed. */
    public Flux<Boolean> loopsUntil(Mono<Void> stop) {
        // A pass longer than the lease has lost its claims to other nodes anyway: the time limit ends it there.
        return Flux.fromIterable(senders)
                .flatMap(sender -> BackgroundLoop.ticks(properties.pollInterval(), properties.lease(),
                        new FailureLog(log, "Outbox " + sender.destination() + " pass", clock), () -> drain(sender)))
                .takeUntilOther(stop);
    }
}
