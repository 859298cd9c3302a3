package vn.hotline.gateway.audit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The audit chain: sealing, anchoring, verification, and how logins are recorded.
 *
 * @param sealer the single sealer that chains events
 * @param anchoring signed heads written outside the database
 * @param verification recomputing the chain
 * @param loginQuietPeriod a staff member's successful logins are recorded once per this period (HTTP Basic
 *     authenticates every request); failures are always recorded
 */
@Validated
@ConfigurationProperties("hotline.audit")
public record AuditProperties(
        @Valid @NotNull @DefaultValue Sealer sealer,
        @Valid @NotNull @DefaultValue Anchoring anchoring,
        @Valid @NotNull @DefaultValue Verification verification,
        @NotNull @DefaultValue("30m") Duration loginQuietPeriod) {

    /**
     * The sealer.
     *
     * @param enabled false in command mode, where nothing runs in the background
     * @param pollInterval pause after a round that found less than a full batch
     * @param batchSize events sealed per transaction
     * @param leaseTtl how long the sealer lease lasts without renewal (a dead node's lease passes on after this)
     */
    public record Sealer(
            @DefaultValue("true") boolean enabled,
            @NotNull @DefaultValue("200ms") Duration pollInterval,
            @Min(1) @Max(100_000) @DefaultValue("5000") int batchSize,
            @NotNull @DefaultValue("10s") Duration leaseTtl) {
    }

    /**
     * Anchoring.
     *
     * @param enabled whether the sealer node writes anchors
     * @param interval time between anchors of a moved head
     * @param directory where signed heads are written (the default sink); keep it off the database host
     * @param keyFile the Ed25519 key file ({@code anchor.active}, {@code anchor.<id>.private}, {@code anchor.<id>.public})
     * @param generateKeyIfMissing create the key file on first run (demo and tests)
     * @param httpUrl optional endpoint that receives each anchor as a JSON POST, besides the directory
     * @param httpTimeout how long a POST may take
     */
    public record Anchoring(
            @DefaultValue("true") boolean enabled,
            @NotNull @DefaultValue("5m") Duration interval,
            @NotNull @DefaultValue("var/anchors") Path directory,
            @NotNull @DefaultValue("var/keys/anchor.keys") Path keyFile,
            @DefaultValue("false") boolean generateKeyIfMissing,
            URI httpUrl,
            @NotNull @DefaultValue("10s") Duration httpTimeout) {
    }

    /**
     * Verification.
     *
     * @param fetchSize rows per round trip while streaming the chain
     * @param progressEvery a progress report every this many entries
     */
    public record Verification(
            @Min(100) @DefaultValue("10000") int fetchSize,
            @Min(1) @DefaultValue("100000") int progressEvery) {
    }
}
