package vn.hotline.gateway.switchboard.internal;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.hotline.gateway.switchboard.SwitchboardProperties;

/**
 * The Resilience4j parts of the 111 client, built from {@code hotline.switchboard.*} and published as metrics
 * ({@code resilience4j_circuitbreaker_state{name="switchboard-111"}} and friends). The order they are applied in is
 * in {@link SwitchboardClient}.
 */
@Configuration(proxyBeanMethods = false)
class SwitchboardResilience {

    static final String NAME = "switchboard-111";

    @Bean
    CircuitBreaker switchboardBreaker(SwitchboardProperties properties, Clock clock, MeterRegistry meters) {
        SwitchboardProperties.Breaker b = properties.breaker();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(b.window())
                .minimumNumberOfCalls(b.minimumCalls())
                .failureRateThreshold(b.failureRate())
                .slowCallDurationThreshold(b.slowCall())
                .slowCallRateThreshold(b.slowCallRate())
                .waitDurationInOpenState(b.openFor())
                .permittedNumberOfCallsInHalfOpenState(b.probes())
                // Half-open on the first call after openFor, so a quiet outbox does not need a timer thread.
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                // A refusal of our request (4xx) says nothing about 111 being up: only outages count.
                .ignoreExceptions(SwitchboardClient.Refused.class)
                .clock(clock)
                .build();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry.circuitBreaker(NAME);
    }

    @Bean
    Retry switchboardRetry(SwitchboardProperties properties, MeterRegistry meters) {
        SwitchboardProperties.Retry r = properties.retry();
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(r.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(r.firstWait(), r.multiplier(), r.jitter(),
                        r.maxWait()))
                // 111 asked for a pause (Retry-After), refused the request, or the breaker is open: the outbox's
                // back-off waits, not this send.
                .ignoreExceptions(SwitchboardClient.Refused.class, SwitchboardClient.PleaseWait.class,
                        io.github.resilience4j.circuitbreaker.CallNotPermittedException.class,
                        io.github.resilience4j.bulkhead.BulkheadFullException.class)
                .build();
        RetryRegistry registry = RetryRegistry.of(config);
        TaggedRetryMetrics.ofRetryRegistry(registry).bindTo(meters);
        return registry.retry(NAME);
    }

    @Bean
    Bulkhead switchboardBulkhead(SwitchboardProperties properties, MeterRegistry meters) {
        BulkheadConfig config = BulkheadConfig.custom()
                .maxConcurrentCalls(properties.bulkhead())
                // Never wait for a slot: a full bulkhead fails the send and the outbox retries it later.
                .maxWaitDuration(Duration.ZERO)
                .build();
        BulkheadRegistry registry = BulkheadRegistry.of(config);
        TaggedBulkheadMetrics.ofBulkheadRegistry(registry).bindTo(meters);
        return registry.bulkhead(NAME);
    }
}
