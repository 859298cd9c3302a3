package vn.hotline.gateway.channel.asterisk.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Counts the callers this server sent to the dialplan's fallback, by reason: {@code hotline_fastagi_fallbacks_total}.
 * Registered even where the Asterisk channel is off, so the operators' alert and dashboard always find it.
 */
@Component
class FallbackMeter {

    /** The AGI request could not be taken (no usable call id, a script name we do not serve). */
    static final String REFUSED = "refused";
    /** A step did not finish within its budget (the database slow or gone). */
    static final String TIMEOUT = "timeout";
    /** A step failed. */
    static final String ERROR = "error";
    /** No FastAGI thread was free. */
    static final String POOL_FULL = "pool-full";

    private final Map<String, Counter> counters;

    FallbackMeter(MeterRegistry meters) {
        counters = Map.of(REFUSED, counter(meters, REFUSED), TIMEOUT, counter(meters, TIMEOUT),
                ERROR, counter(meters, ERROR), POOL_FULL, counter(meters, POOL_FULL));
    }

    private static Counter counter(MeterRegistry meters, String reason) {
        return Counter.builder("hotline.fastagi.fallbacks").tag("reason", reason)
                .description("Callers sent to the dialplan's fallback (duty phone, then 111) because this server gave up")
                .register(meters);
    }

    void count(String reason) {
        counters.get(reason).increment();
    }
}
