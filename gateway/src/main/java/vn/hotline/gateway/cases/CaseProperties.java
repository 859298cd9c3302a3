package vn.hotline.gateway.cases;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Case settings.
 *
 * @param referencePrefix the province prefix of case references ({@code BD-2026-000123})
 * @param escalationInterval how often each node looks for due deadlines
 * @param escalationPassLimit how long one escalation pass may take before it is given up (its deadlines stay due, the
 *     next pass takes them): a stalled database must not hold the loop
 * @param escalationBatch how many due deadlines one pass handles, each in its own short transaction
 * @param referenceBlock how many case numbers a node takes from the counter at once ({@code CaseNumbers}): opening a
 *     case then waits on no shared row, and a node that stops leaves at most this many and a half unused
 */
@Validated
@ConfigurationProperties("hotline.cases")
public record CaseProperties(
        @NotNull @Pattern(regexp = "[A-Z]{2,4}") @DefaultValue("BD") String referencePrefix,
        @NotNull @DefaultValue("10s") Duration escalationInterval,
        @NotNull @DefaultValue("60s") Duration escalationPassLimit,
        @Min(1) @Max(1000) @DefaultValue("50") int escalationBatch,
        @Min(1) @Max(1000) @DefaultValue("20") int referenceBlock) {
}
