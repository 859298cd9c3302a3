package vn.hotline.gateway.retention;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long each data class keeps what identifies a person, counted in the business zone. Audit events have no period:
 * they are never deleted, and hold only keyed digests of anything personal.
 *
 * @param callMetadata a call's caller identity (number hash and ciphertext) and IVR session state, from the call's start
 * @param caseNotes a case's note ciphertext, from the case's last change
 * @param recordings call recordings, from the call's start (no channel stores recordings yet)
 * @param batchSize rows anonymised per transaction
 */
@Validated
@ConfigurationProperties("hotline.retention")
public record RetentionProperties(
        @NotNull @DefaultValue("P2Y") Period callMetadata,
        @NotNull @DefaultValue("P5Y") Period caseNotes,
        @NotNull @DefaultValue("P90D") Period recordings,
        @NotNull @DefaultValue("P7D") Period replayCache,
        @Min(1) @Max(100_000) @DefaultValue("1000") int batchSize) {
}
