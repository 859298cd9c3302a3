package vn.hotline.gateway.audit.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.AuditChain;
import vn.hotline.gateway.audit.AuditProperties;
import vn.hotline.gateway.health.FailureLog;
import vn.hotline.gateway.lease.Leases;

/**
 * Runs the sealer in the background on every node; only the lease holder seals, the others keep trying to take the
 * lease so one of them follows within the lease time when the holder dies. The holder also anchors the head every
 * anchoring interval.
 */
@Component
class SealerLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SealerLoop.class);

    private final AuditChain chain;
    private final Leases leases;
    private final Clock clock;
    private final AuditProperties properties;
    private final FailureLog failures;
    private volatile Disposable loop;
    private Instant lastAnchorAt;

    SealerLoop(AuditChain chain, Leases leases, Clock clock, AuditProperties properties) {
        this.chain = chain;
        this.leases = leases;
        this.clock = clock;
        this.properties = properties;
        this.failures = new FailureLog(log, "Audit sealing round", clock);
    }

    @Override
    public void start() {
        if (!properties.sealer().enabled()) {
            return;
        }
        lastAnchorAt = clock.instant();
        Duration pause = properties.sealer().pollInterval();
        loop = Mono.defer(this::round)
                .doOnNext(sealed -> failures.succeeded())
                .onErrorResume(e -> {
                    failures.failed(e);
                    return Mono.just(0L);
                })
                .flatMap(sealed -> sealed >= properties.sealer().batchSize() ? Mono.just(sealed)
                        : Mono.delay(pause).thenReturn(sealed))
                .repeat()
                .subscribe();
    }

    private Mono<Long> round() {
        return chain.sealPending().flatMap(sealed -> anchorIfDue().thenReturn(sealed));
    }

    /** Only the lease holder anchors; an unmoved head is anchored again under the same file name, which is harmless. */
    private Mono<Void> anchorIfDue() {
        AuditProperties.Anchoring anchoring = properties.anchoring();
        Instant now = clock.instant();
        if (!anchoring.enabled() || now.isBefore(lastAnchorAt.plus(anchoring.interval()))) {
            return Mono.empty();
        }
        return leases.holdWithin(ChainSealer.LEASE)
                .filter(Boolean::booleanValue)
                .flatMap(held -> chain.anchorNow())
                .doFinally(signal -> lastAnchorAt = now)
                .then();
    }

    @Override
    public void stop() {
        Disposable running = loop;
        if (running == null) {
            return;
        }
        running.dispose();
        loop = null;
        try {
            leases.release(ChainSealer.LEASE).block(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            log.warn("Audit sealer lease not released, it expires by itself: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }
}
