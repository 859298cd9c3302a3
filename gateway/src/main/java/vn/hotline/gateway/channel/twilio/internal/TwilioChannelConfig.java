package vn.hotline.gateway.channel.twilio.internal;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.channel.twilio.TwilioProperties;
import vn.hotline.gateway.privacy.PersonalData;

/** Wires the Twilio channels: the signature check, the REST client and the officer SMS sender with its resilience chain. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "hotline.twilio", name = "enabled", havingValue = "true", matchIfMissing = true)
class TwilioChannelConfig {

    static {
        // The Twilio SDK's TwiML.toXml asks JAXP for a new DocumentBuilderFactory and TransformerFactory for every
        // document, and unnamed, JAXP scans the class path for providers each time: that lookup was the biggest cost
        // of a webhook in the benchmark. Naming the JDK's own implementations (the ones the scan ends with) skips it.
        // A deployment that sets these properties itself keeps its choice.
        nameIfUnset("javax.xml.parsers.DocumentBuilderFactory", "com.sun.org.apache.xerces.internal.jaxp.DocumentBuilderFactoryImpl");
        nameIfUnset("javax.xml.transform.TransformerFactory", "com.sun.org.apache.xalan.internal.xsltc.trax.TransformerFactoryImpl");
    }

    private static void nameIfUnset(String factory, String implementation) {
        if (System.getProperty(factory) == null) {
            System.setProperty(factory, implementation);
        }
    }

    /** The channel's own texts (whisper, notices, SMS), read once. */
    @Bean
    TwilioTexts twilioTexts() {
        return TwilioTexts.load();
    }

    @Bean
    TwilioSignatureFilter twilioSignatureFilter(TwilioProperties properties) {
        return new TwilioSignatureFilter(properties);
    }

    @Bean
    TwilioRestClient twilioRestClient(TwilioProperties properties) {
        TwilioProperties.Sms sms = properties.sms();
        return new TwilioRestClient.Builder(properties.accountSid(), properties.authToken())
                .httpClient(new TwilioHttpClient(properties.restBaseUrl(), sms.connectTimeout(), sms.readTimeout()))
                .build();
    }

    @Bean
    OfficerSmsSender officerSmsSender(TwilioRestClient client, Notifications notifications, PersonalData personalData,
            TwilioTexts texts, TwilioProperties properties, JsonMapper json, Clock clock, ZoneId businessZone) {
        TwilioProperties.Sms sms = properties.sms();
        RateLimiter rateLimiter = RateLimiter.of("twilio-sms-" + sms.from(), RateLimiterConfig.custom()
                .limitForPeriod(sms.ratePerSecond())
                .limitRefreshPeriod(Duration.ofSeconds(1))
                // Waiting longer for a permit than this means a burst far beyond the sender's rate: back to the outbox.
                .timeoutDuration(Duration.ofSeconds(5))
                .build());
        CircuitBreaker breaker = CircuitBreaker.of("twilio-sms", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(sms.breakerWindow())
                .minimumNumberOfCalls(sms.breakerWindow())
                .failureRateThreshold(sms.breakerFailureRate())
                .waitDurationInOpenState(sms.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(OfficerSmsSenderSupport::unavailable)
                .build());
        Retry retry = Retry.of("twilio-sms", RetryConfig.custom()
                .maxAttempts(2)
                .waitDuration(Duration.ofMillis(500))
                // Only answered failures: after a time-out or reset the message may exist, and only a look-up may say.
                .retryOnException(OfficerSmsSenderSupport::answeredAndRetryable)
                .build());
        return new OfficerSmsSender(client, notifications, personalData, texts, properties, json, rateLimiter,
                breaker, retry, clock, businessZone);
    }

    @Bean
    CallerSmsSender callerSmsSender(OfficerSmsSender sms, Notifications notifications, PersonalData personalData,
            TwilioTexts texts, JsonMapper json, Clock clock) {
        return new CallerSmsSender(sms, notifications, personalData, texts, json, clock);
    }

    /** Which failures count against Twilio and which may be retried at once. */
    static final class OfficerSmsSenderSupport {

        private OfficerSmsSenderSupport() {
        }

        static boolean unavailable(Throwable e) {
            if (e instanceof ApiException api) {
                // No status: the request never got an answer (time-out, reset, refused connection).
                return api.getStatusCode() == null || answeredAndRetryable(e);
            }
            return e instanceof ApiConnectionException;
        }

        static boolean answeredAndRetryable(Throwable e) {
            if (!(e instanceof ApiException api)) {
                return false;
            }
            Integer status = api.getStatusCode();
            return status != null && (status == 429 || status >= 500);
        }
    }
}
