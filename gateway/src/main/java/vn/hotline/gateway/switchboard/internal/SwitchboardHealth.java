package vn.hotline.gateway.switchboard.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.switchboard.SwitchboardProperties;

/**
 * {@code /actuator/health} component {@code switchboard111}: {@code UP} while the breaker is closed, {@code DEGRADED}
 * while it is open or half-open. Degraded, not down: the hotline still takes calls and referrals wait in the outbox,
 * so a load balancer must not take the node away for it. Details (for staff): whether the client is configured, the
 * breaker's state and rates, and the referrals waiting.
 */
@Component("switchboard111")
class SwitchboardHealth implements ReactiveHealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "111 is failing; referrals wait in the outbox");

    private static final Duration QUEUED_WITHIN = Duration.ofSeconds(1);

    private final CircuitBreaker breaker;
    private final DatabaseClient db;
    private final SwitchboardProperties properties;

    SwitchboardHealth(CircuitBreaker switchboardBreaker, DatabaseClient db, SwitchboardProperties properties) {
        this.breaker = switchboardBreaker;
        this.db = db;
        this.properties = properties;
    }

    @Override
    public Mono<Health> health() {
        CircuitBreaker.State state = breaker.getState();
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        Health.Builder health = state == CircuitBreaker.State.CLOSED ? Health.up() : Health.status(DEGRADED);
        // Without its secret nothing is sent: say so, or an operator sees a healthy breaker and a growing queue.
        health.withDetail("configured", !properties.outboundSecret().isBlank())
                .withDetail("circuitBreaker", state.name())
                .withDetail("failureRate", metrics.getFailureRate())
                .withDetail("slowCallRate", metrics.getSlowCallRate())
                .withDetail("notPermittedCalls", metrics.getNumberOfNotPermittedCalls());
        return db.sql("SELECT count(*) FROM outbox WHERE destination = :d AND delivered_at IS NULL")
                .bind("d", CaseService.SWITCHBOARD_111)
                .map(row -> row.get(0, Long.class))
                .one()
                .map(queued -> health.withDetail("queued", queued).build())
                // A frozen database must not hang the health endpoint: the database's own component says it is down.
                .timeout(QUEUED_WITHIN)
                .onErrorResume(e -> Mono.just(health.withDetail("queued", "unknown").build()));
    }
}
