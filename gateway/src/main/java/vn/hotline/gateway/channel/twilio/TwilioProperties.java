package vn.hotline.gateway.channel.twilio;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Twilio channels: voice webhooks, officer SMS and their delivery status.
 *
 * @param enabled serve the webhooks and send officer notifications through Twilio
 * @param accountSid the account (AC...), from {@code HOTLINE_TWILIO_ACCOUNT_SID}
 * @param authToken signs every webhook and authenticates REST calls, from {@code HOTLINE_TWILIO_AUTH_TOKEN}
 * @param publicBaseUrl the scheme and host Twilio calls, e.g. {@code https://hotline.example.org}; empty: taken from
 *     {@code X-Forwarded-Proto}/{@code X-Forwarded-Host}, else from the request itself
 * @param restBaseUrl Twilio's REST API; tests point it at WireMock
 * @param voice the voice line
 * @param sms outbound SMS
 */
@Validated
@ConfigurationProperties("hotline.twilio")
public record TwilioProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("") String accountSid,
        @NotNull @DefaultValue("") String authToken,
        @NotNull @DefaultValue("") String publicBaseUrl,
        @NotNull @DefaultValue("https://api.twilio.com") String restBaseUrl,
        @Valid @NotNull @DefaultValue Voice voice,
        @Valid @NotNull @DefaultValue Sms sms) {

    /**
     * The voice line.
     *
     * @param sayVoice the {@code <Say>} voice, e.g. {@code Google.vi-VN-Standard-A}; empty for Twilio's default
     * @param audioBaseUrl where the prompt audio is hosted ({@code <base>/hotline/vi/menu-greeting.wav}); empty: {@code <Say>}
     * @param dutyNumber the provincial duty phone in E.164, dialled when the ladder is exhausted and by the fallback
     * @param national111Number how Twilio reaches the national switchboard 111 (E.164)
     * @param ringTimeout how long one rung rings before the next
     * @param whisperTimeout how long an officer has to press 1 and take the call
     * @param answerWithin how long a voice webhook may take before it answers the fallback TwiML (duty phone, then 111)
     */
    public record Voice(
            @NotNull @DefaultValue("") String sayVoice,
            @NotNull @DefaultValue("") String audioBaseUrl,
            @NotNull @DefaultValue("") String dutyNumber,
            @NotNull @DefaultValue("") String national111Number,
            @NotNull @DefaultValue("20s") Duration ringTimeout,
            @NotNull @DefaultValue("8s") Duration whisperTimeout,
            @NotNull @DefaultValue("5s") Duration answerWithin) {
    }

    /**
     * Outbound SMS.
     *
     * @param from the registered sender (number or alphanumeric id)
     * @param connectTimeout TCP connect to Twilio's REST API
     * @param readTimeout one REST reply; past it the send is ambiguous and is looked up before any new attempt
     * @param ratePerSecond messages per second from this sender
     * @param lookupSkew how much earlier than the notification a message found by a look-up may be dated (clock skew)
     * @param breakerFailureRate percentage of failed sends in the window that opens the circuit
     * @param breakerWindow sends counted by the circuit breaker
     * @param breakerOpenFor how long an open circuit refuses sends before trying again
     * @param answerWithin how long the inbound SMS webhook may take before it answers the sender with the fallback text
     */
    public record Sms(
            @NotNull @DefaultValue("") String from,
            @NotNull @DefaultValue("5s") Duration connectTimeout,
            @NotNull @DefaultValue("10s") Duration readTimeout,
            @Min(1) @DefaultValue("1") int ratePerSecond,
            @NotNull @DefaultValue("2m") Duration lookupSkew,
            @Min(1) @DefaultValue("50") int breakerFailureRate,
            @Min(2) @DefaultValue("10") int breakerWindow,
            @NotNull @DefaultValue("30s") Duration breakerOpenFor,
            @NotNull @DefaultValue("10s") Duration answerWithin) {
    }
}
