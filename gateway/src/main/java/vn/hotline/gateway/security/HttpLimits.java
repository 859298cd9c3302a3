package vn.hotline.gateway.security;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How large a request body may be, checked before it is read (a larger one is answered 413), and how long a request
 * may wait for the start of its answer.
 *
 * @param webhookBody the providers' webhooks ({@code /twilio/**}, {@code /switchboard/**}): Twilio's largest form (a
 *     1,600-character SMS with every parameter) is under 10 KB
 * @param body everything else: the console's roster upload is the largest
 * @param answerWithin every request starts its answer within this or gets 503 (a stream, once started, runs on);
 *     the channels answer sooner by themselves (Twilio voice and SMS: fallback TwiML, FastAGI: the step budget)
 */
@Validated
@ConfigurationProperties("hotline.http")
public record HttpLimits(
        @NotNull @DefaultValue("64KB") DataSize webhookBody,
        @NotNull @DefaultValue("5MB") DataSize body,
        @NotNull @DefaultValue("20s") Duration answerWithin) {

    /** The limit of a request to {@code path}. */
    public DataSize bodyLimit(String path) {
        return path.startsWith("/twilio/") || path.startsWith("/switchboard/") ? webhookBody : body;
    }
}
