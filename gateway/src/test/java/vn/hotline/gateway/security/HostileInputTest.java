package vn.hotline.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.channel.twilio.TwilioWebhooks;
import vn.hotline.gateway.routing.RosterService;

/**
 * Hostile and broken input on the inbound endpoints (issue 17), as a table: the request, the status it gets, and
 * that nothing was stored. None may answer 500. A chunked form (no Content-Length) is held to the codecs' in-memory
 * limit (256 KB) rather than the webhook limit: Spring reads a form before any filter can count it.
 */
@GatewayTest
class HostileInputTest {

    @Autowired
    WebTestClient web;
    @LocalServerPort
    int port;
    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;

    @BeforeEach
    void province() {
        CaseFixtures.ensureProvince(roster, db, passwords);
    }

    private long stored() {
        return db.sql("SELECT (SELECT count(*) FROM calls) + (SELECT count(*) FROM sms_replies) + (SELECT count(*) FROM twilio_replies)")
                .map(r -> r.get(0, Long.class)).one().block();
    }

    private static String signed(String path, String body) {
        return TwilioWebhooks.sign(path, Map.of(), TwilioWebhooks.AUTH_TOKEN);
    }

    @ParameterizedTest(name = "{0} {1} ({2} bytes of {3}) -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            /twilio/voice | body        | 2000000  | x         | 413
            /twilio/sms   | body        | 20000000 | x         | 413
            /twilio/sms   | body        | 300000   | x         | 413
            /twilio/voice | form        | 0        | %ZZ       | 400
            /twilio/sms   | form        | 0        | %         | 400
            /twilio/sms   | form        | 0        | Body=%E0%A4 | 403
            /twilio/voice | chunked     | 300000   | x         | 413
            """)
    void aWebhookBodyThatIsTooLargeOrMalformedIsRefusedBeforeAnythingIsStored(String path, String kind, int size,
            String content, int status) {
        long before = stored();
        String body = kind.equals("form") ? "CallSid=CA1&From=%2B84905123456&" + content : content.repeat(size);
        WebTestClient.RequestBodySpec request = web.post().uri(path).contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .header("X-Twilio-Signature", signed(path, body));
        WebTestClient.ResponseSpec response = kind.equals("chunked")
                ? request.body(Flux.range(0, size / 1000).map(i -> buffer(content.repeat(1000))), DataBuffer.class).exchange()
                : request.bodyValue(body).exchange();

        if (status == 403) {
            // A well-formed encoding of invalid UTF-8 decodes (to U+FFFD): the request reaches the signature check.
            response.expectStatus().isForbidden();
        } else {
            response.expectStatus().isEqualTo(status)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(status);
        }
        assertThat(stored()).as("nothing stored").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /api/calls?outcome=A%00B
            /api/calls?area=%01
            /api/cases?status=%00
            /api/calls/export?outcome=%00
            """)
    void aControlCharacterInAQueryParameterIsABadRequestNotADatabaseError(String uri) {
        // An absolute URI, so the client sends the escape as it is instead of encoding its percent sign.
        CaseFixtures.as(web, "supervisor").get().uri(java.net.URI.create("http://127.0.0.1:" + port + uri)).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:hotline:problem:control-character");
    }

    @org.junit.jupiter.api.Test
    void aQueryParameterWithoutAValueIsNoControlCharacter() {
        // The console's own "/console/login?error" has one: it answered 500 while the guard read it as text.
        web.get().uri(java.net.URI.create("http://127.0.0.1:" + port + "/console/login?error")).exchange()
                .expectStatus().isOk();
    }

    private static DataBuffer buffer(String text) {
        return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
