package vn.hotline.gateway.channel.twilio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import vn.hotline.gateway.channel.twilio.TwilioProperties;

/** The URL a signature is checked on: the one Twilio called, wherever the request went through. */
class TwilioSignatureFilterTest {

    private static TwilioSignatureFilter filter(String publicBase) {
        return filter(publicBase, "token");
    }

    private static TwilioSignatureFilter filter(String publicBase, String token) {
        return new TwilioSignatureFilter(new TwilioProperties(true, "AC1", token, publicBase, "https://api.twilio.com",
                new TwilioProperties.Voice("", "", "", "", Duration.ofSeconds(20), Duration.ofSeconds(8),
                        Duration.ofSeconds(5)),
                new TwilioProperties.Sms("", Duration.ofSeconds(5), Duration.ofSeconds(10), 1, Duration.ofMinutes(2), 50, 10,
                        Duration.ofSeconds(30), Duration.ofSeconds(10))));
    }

    @Test
    void behindAProxyTheForwardedSchemeAndHostAreTheUrlTwilioSigned() {
        MockServerHttpRequest request = MockServerHttpRequest.post("http://10.0.0.5:8080/twilio/voice/gather?step=3")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "hotline.example.org, lb.internal").build();

        assertThat(filter("").publicUrl(request)).isEqualTo("https://hotline.example.org/twilio/voice/gather?step=3");
    }

    @Test
    void withoutAProxyTheRequestItselfIsTheUrl() {
        MockServerHttpRequest request = MockServerHttpRequest.post("http://127.0.0.1:8080/twilio/voice").build();

        assertThat(filter("").publicUrl(request)).isEqualTo("http://127.0.0.1:8080/twilio/voice");
    }

    @Test
    void aConfiguredPublicBaseWinsOverForwardedHeadersThatAClientCouldForge() {
        MockServerHttpRequest request = MockServerHttpRequest.post("http://10.0.0.5:8080/twilio/sms/status?n=abc")
                .header("X-Forwarded-Host", "evil.example").build();

        assertThat(filter("https://hotline.example.org/").publicUrl(request))
                .isEqualTo("https://hotline.example.org/twilio/sms/status?n=abc");
    }

    @Test
    void withoutAnAuthTokenTheServerStartsAndRefusesEverySignedRequestButServesTheFallback() {
        TwilioSignatureFilter filter = filter("", "");
        org.springframework.mock.web.server.MockServerWebExchange signed = org.springframework.mock.web.server.MockServerWebExchange
                .from(MockServerHttpRequest.post("http://127.0.0.1/twilio/voice").header("X-Twilio-Signature", "x").build());
        filter.filter(signed, exchange -> reactor.core.publisher.Mono.empty()).block();
        assertThat(signed.getResponse().getStatusCode()).isEqualTo(org.springframework.http.HttpStatus.FORBIDDEN);

        org.springframework.mock.web.server.MockServerWebExchange fallback = org.springframework.mock.web.server.MockServerWebExchange
                .from(MockServerHttpRequest.post("http://127.0.0.1/twilio/voice/fallback").build());
        filter.filter(fallback, exchange -> reactor.core.publisher.Mono.empty()).block();
        assertThat(fallback.getResponse().getStatusCode()).isNull();
    }
}
