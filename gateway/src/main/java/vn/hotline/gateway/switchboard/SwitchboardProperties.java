package vn.hotline.gateway.switchboard;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The national 111 switchboard: where its API is, how requests are signed, the outbound resilience chain, the
 * inbound checks, the acceptance alert and the voice target the channels dial.
 *
 * @param baseUrl 111's API ({@code ops/switchboard/openapi.yaml}), e.g. {@code https://api.111.example/v1}
 * @param outboundSecret HMAC key our requests are signed with; blank: nothing is sent (messages wait in the outbox)
 * @param inboundSecret HMAC key 111 signs its requests with; blank: every inbound request is refused
 * @param connectTimeout the longest a TCP connection to 111 may take to open
 * @param callTimeout the longest one HTTP call may take, answer included
 * @param retry retries inside one send, before the outbox's own back-off takes over
 * @param breaker the circuit breaker in front of 111
 * @param bulkhead how many calls to 111 may be in flight at once
 * @param replayWindow how far a signed request's timestamp may be from our clock
 * @param maxBodyBytes the largest inbound body read; a larger one is refused with 413
 * @param acceptWithin a referral 111 has not accepted after this raises an alert to the duty supervisor
 * @param watchEnabled run the acceptance watch (tests drive it themselves)
 * @param watchInterval how often the acceptance watch looks
 * @param voice the 111 voice target the channels dial
 */
@Validated
@ConfigurationProperties("hotline.switchboard")
public record SwitchboardProperties(
        @NotNull @DefaultValue("http://127.0.0.1:8111/v1") URI baseUrl,
        @DefaultValue("") String outboundSecret,
        @DefaultValue("") String inboundSecret,
        @NotNull @DefaultValue("2s") Duration connectTimeout,
        @NotNull @DefaultValue("1500ms") Duration callTimeout,
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue Breaker breaker,
        @Min(1) @Max(200) @DefaultValue("8") int bulkhead,
        @NotNull @DefaultValue("5m") Duration replayWindow,
        @Min(1024) @Max(1048576) @DefaultValue("65536") int maxBodyBytes,
        @NotNull @DefaultValue("30m") Duration acceptWithin,
        @DefaultValue("true") boolean watchEnabled,
        @NotNull @DefaultValue("30s") Duration watchInterval,
        @Valid @NotNull @DefaultValue Voice voice) {

    /**
     * Resilience4j retry inside one send.
     *
     * @param maxAttempts calls per send, the first included
     * @param firstWait the wait before the second call, growing by {@code multiplier} with jitter
     * @param multiplier growth of the wait
     * @param jitter randomisation of each wait (0.5: between half and one and a half times)
     * @param maxWait the longest wait between two calls
     */
    public record Retry(
            @Min(1) @Max(10) @DefaultValue("3") int maxAttempts,
            @NotNull @DefaultValue("200ms") Duration firstWait,
            @DecimalMin("1.0") @DecimalMax("10.0") @DefaultValue("2.0") double multiplier,
            @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.5") double jitter,
            @NotNull @DefaultValue("2s") Duration maxWait) {
    }

    /**
     * The circuit breaker: a window of the last calls, opening when too many failed or were slow.
     *
     * @param window calls the failure rate is computed over
     * @param minimumCalls calls needed before the breaker may open
     * @param failureRate percent of failed calls that opens it
     * @param slowCall a call slower than this counts as slow
     * @param slowCallRate percent of slow calls that opens it
     * @param openFor how long it fails fast before letting probes through (half-open)
     * @param probes calls let through while half-open
     */
    public record Breaker(
            @Min(1) @Max(100) @DefaultValue("10") int window,
            @Min(1) @Max(100) @DefaultValue("3") int minimumCalls,
            @Min(1) @Max(100) @DefaultValue("50") int failureRate,
            @NotNull @DefaultValue("1s") Duration slowCall,
            @Min(1) @Max(100) @DefaultValue("100") int slowCallRate,
            @NotNull @DefaultValue("30s") Duration openFor,
            @Min(1) @Max(20) @DefaultValue("2") int probes) {
    }

    /**
     * Where a caller handed over to 111 is sent; every voice channel dials this and nothing else.
     *
     * @param asteriskDial the Asterisk dial string over the configured trunk
     * @param number the number a carrier or cloud voice line dials (Twilio)
     */
    public record Voice(
            @NotBlank @DefaultValue("PJSIP/111@hotline-trunk") String asteriskDial,
            @NotBlank @DefaultValue("111") String number) {
    }
}
