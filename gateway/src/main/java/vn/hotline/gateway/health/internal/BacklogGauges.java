package vn.hotline.gateway.health.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.health.BackgroundLoop;
import vn.hotline.gateway.health.FailureLog;
import vn.hotline.gateway.audit.AuditChain;
import vn.hotline.gateway.outbox.Backlog;
import vn.hotline.gateway.outbox.Outbox;
import vn.hotline.gateway.outbox.OutboxDispatcher;
import vn.hotline.gateway.outbox.OutboxSender;
import vn.hotline.gateway.switchboard.AcceptanceWatch;

/**
 * What is waiting, as gauges for the operators' alerts: undelivered outbox messages per destination and the age of the
 * oldest, events not yet sealed into the audit chain and the sealing lag, referrals 111 has not accepted in time.
 * Read from PostgreSQL every {@link #EVERY} by a background loop (three index scans), never on a scrape: a scrape
 * must not wait on the database. While the database is down the gauges keep their last values; hotline_database_up
 * says why.
 */
@Component
class BacklogGauges extends RunningLoop {

    /** Two Prometheus scrape intervals of 15 s see every change. */
    static final Duration EVERY = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(BacklogGauges.class);

    private final Outbox outbox;
    private final AuditChain chain;
    private final AcceptanceWatch referrals;
    private final Clock clock;
    private final MeterRegistry meters;
    private final FailureLog failures;
    private final Map<String, AtomicLong[]> outboxByDestination = new ConcurrentHashMap<>();
    private final AtomicLong unsealed = new AtomicLong();
    private final AtomicLong sealLagSeconds = new AtomicLong();
    private final AtomicLong overdueReferrals = new AtomicLong();

    BacklogGauges(Outbox outbox, OutboxDispatcher dispatcher, AuditChain chain, AcceptanceWatch referrals, Clock clock,
                  MeterRegistry meters) {
        this.outbox = outbox;
        this.chain = chain;
        this.referrals = referrals;
        this.clock = clock;
        this.meters = meters;
        this.failures = new FailureLog(log, "Backlog gauges", clock);
        for (OutboxSender sender : dispatcher.senders()) {
            destination(sender.destination());
        }
        Gauge.builder("hotline.audit.unsealed.events", unsealed, AtomicLong::get)
                .description("Audit events not yet sealed into the hash chain").register(meters);
        Gauge.builder("hotline.audit.seal.lag", sealLagSeconds, AtomicLong::get).baseUnit("seconds")
                .description("Age of the oldest audit event not yet sealed (0 when none)").register(meters);
        Gauge.builder("hotline.referrals.overdue", overdueReferrals, AtomicLong::get)
                .description("Referrals sent to 111 that it has not accepted within accept-within").register(meters);
    }

    private AtomicLong[] destination(String name) {
        return outboxByDestination.computeIfAbsent(name, key -> {
            AtomicLong[] values = {new AtomicLong(), new AtomicLong()};
            Gauge.builder("hotline.outbox.pending", values[0], AtomicLong::get).tag("destination", key)
                    .description("Undelivered outbox messages").register(meters);
            Gauge.builder("hotline.outbox.oldest.pending", values[1], AtomicLong::get).tag("destination", key)
                    .baseUnit("seconds").description("Age of the oldest undelivered outbox message (0 when none)")
                    .register(meters);
            return values;
        });
    }

    /** Reads the three backlogs once and sets the gauges. */
    Mono<Void> sample() {
        Mono<Void> pending = outbox.backlog().collectMap(Backlog::destination).doOnNext(found -> {
            outboxByDestination.keySet().forEach(this::destination);
            found.keySet().forEach(this::destination);
            outboxByDestination.forEach((name, values) -> {
                Backlog backlog = found.get(name);
                values[0].set(backlog == null ? 0 : backlog.pending());
                values[1].set(backlog == null ? 0 : ageSeconds(backlog));
            });
        }).then();
        Mono<Void> sealing = chain.status().doOnNext(status -> {
            unsealed.set(status.unsealedEvents());
            sealLagSeconds.set(status.oldestUnsealedAgeMillis() / 1000);
        }).then();
        Mono<Void> overdue = referrals.overdueCount().doOnNext(overdueReferrals::set).then();
        return pending.then(sealing).then(overdue);
    }

    private long ageSeconds(Backlog backlog) {
        return Math.max(0, Duration.between(backlog.oldestCreatedAt(), clock.instant()).toSeconds());
    }

    @Override
    Disposable startLoop() {
        return BackgroundLoop.every(EVERY, EVERY, failures, this::sample);
    }
}
