package vn.hotline.gateway.channel.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.db.TestPostgres;
import vn.hotline.gateway.GatewayTest;

/**
 * PostgreSQL stops (connections refused and terminated for this class's database): the fallback URL still answers the
 * dialling TwiML, and a call step that needs the database answers the same instead of an error, so Twilio never
 * plays its "application error" to a child.
 */
@GatewayTest
class TwilioDegradedModeTest {

    @Value("${hotline.test.database-name}")
    String database;
    @Autowired
    WebTestClient web;

    @Test
    void withTheDatabaseStoppedTheFallbackAndEveryCallStepStillDialTheDutyPhoneThen111() {
        TwilioWebhooks twilio = new TwilioWebhooks(web);
        twilio.twiml("/twilio/voice", TwilioWebhooks.voice("CA" + "1".repeat(32), "+84905123456", "ringing", Map.of()));

        stopDatabase();

        String fallback = web.post().uri("/twilio/voice/fallback").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(fallback).contains("<Number>+442079460000</Number>", "<Number>+84111</Number>");
        String step = twilio.twiml("/twilio/voice/gather?step=1", TwilioWebhooks.voice("CA" + "1".repeat(32),
                "+84905123456", "in-progress", Map.of("Digits", "3")));
        assertThat(step).isEqualTo(fallback);
    }

    private void stopDatabase() {
        try (Connection c = TestPostgres.get().server().superuserConnection("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
