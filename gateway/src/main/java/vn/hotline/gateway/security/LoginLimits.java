package vn.hotline.gateway.security;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How password guessing is slowed (console form and API Basic): after the free failures of an account, or of an
 * address, every login attempt waits, {@code firstDelay} doubling up to {@code longestDelay}; failures count for
 * {@code window}.
 *
 * @param freePerAccount failures of one account that cost nothing (a person mistyping)
 * @param freePerAddress failures from one address that cost nothing: higher, since many staff may share one address
 *     (an office, a proxy)
 * @param firstDelay the first wait
 * @param longestDelay the longest wait
 * @param window how long a failure counts
 */
@Validated
@ConfigurationProperties("hotline.security.login")
public record LoginLimits(
        @Min(0) @DefaultValue("3") int freePerAccount,
        @Min(0) @DefaultValue("20") int freePerAddress,
        @NotNull @DefaultValue("500ms") Duration firstDelay,
        @NotNull @DefaultValue("8s") Duration longestDelay,
        @NotNull @DefaultValue("15m") Duration window) {
}
