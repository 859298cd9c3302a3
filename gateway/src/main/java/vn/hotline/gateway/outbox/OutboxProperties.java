package vn.hotline.gateway.outbox;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Outbox dispatching.
 *
 * @param dispatchEnabled run the dispatcher loops (tests drive {@code OutboxDispatcher.runOnce} themselves)
 * @param pollInterval how often each destination looks for due messages when idle
 * @param batch messages claimed per poll
 * @param lease how long a claim lasts; a node that dies mid-send loses it and another node sends again
 * @param sendTimeout the longest one send may take; kept well under the lease so a slow send never overlaps another
 * @param firstRetry the back-off after the first failure, doubled each time with jitter
 * @param maxRetry the longest back-off; retries go on for ever, nothing acknowledged is dropped
 */
@Validated
@ConfigurationProperties("hotline.outbox")
public record OutboxProperties(
        @DefaultValue("true") boolean dispatchEnabled,
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @Min(1) @Max(500) @DefaultValue("20") int batch,
        @NotNull @DefaultValue("60s") Duration lease,
        @NotNull @DefaultValue("20s") Duration sendTimeout,
        @NotNull @DefaultValue("2s") Duration firstRetry,
        @NotNull @DefaultValue("10m") Duration maxRetry) {
}
