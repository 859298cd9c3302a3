package vn.hotline.gateway.security;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;

@GatewayTest
class SecurityTest {

    @Autowired
    WebTestClient web;
    @Autowired
    DatabaseClient db;
    @Autowired
    PasswordEncoder passwords;

    @BeforeEach
    void supervisor() {
        db.sql("""
                        INSERT INTO users (id, username, password_hash, role, display_name, created_at)
                        VALUES (:id, 'giamsat', :hash, 'SUPERVISOR', 'Giám sát', :now) ON CONFLICT (username) DO NOTHING""")
                .bind("id", UUID.randomUUID()).bind("hash", passwords.encode("correct horse"))
                .bind("now", Instant.parse("2026-01-01T00:00:00Z").atOffset(ZoneOffset.UTC))
                .then().block();
    }

    @Test
    void theApiRefusesAnonymousCallers() {
        web.get().uri("/api/me").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void theApiRefusesAWrongPassword() {
        web.get().uri("/api/me").headers(h -> h.setBasicAuth("giamsat", "wrong")).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void aStaffMemberSeesTheirRoleAndScope() {
        web.get().uri("/api/me").headers(h -> h.setBasicAuth("giamsat", "correct horse")).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.username").isEqualTo("giamsat")
                .jsonPath("$.role").isEqualTo("SUPERVISOR")
                .jsonPath("$.serviceAreas").isEmpty();
    }

    @Test
    void passwordsAreStoredAsBcrypt() {
        web.get().uri("/api/me").headers(h -> h.setBasicAuth("giamsat", "correct horse")).exchange().expectStatus().isOk();
        org.assertj.core.api.Assertions.assertThat(db.sql("SELECT password_hash FROM users WHERE username = 'giamsat'")
                .map(r -> r.get(0, String.class)).one().block()).startsWith("$2a$");
    }

    @Test
    void aConsolePostWithoutCsrfTokenIsRefused() {
        web.post().uri("/console/anything").exchange().expectStatus().isForbidden();
    }

    @Test
    void signedWebhookPathsAreNotBlockedByCsrfOrLogin() {
        // The unsigned fallback answering 200 proves neither CSRF nor login stood in the way of Twilio; signatures are
        // the handlers' business (TwilioVoiceWebhookTest).
        web.post().uri("/twilio/voice/fallback").exchange().expectStatus().isOk();
        // The switchboard's own signature check answers (its problem type), not CSRF or login.
        web.post().uri("/switchboard/referrals").exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("urn:hotline:problem:bad-signature");
    }
}
