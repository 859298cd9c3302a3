package vn.hotline.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;

/** Real logins over HTTP Basic leave LOGIN_SUCCEEDED and LOGIN_FAILED events. */
@GatewayTest
class LoginAuditTest {

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
                        VALUES (:id, 'kiemtra', :hash, 'SUPERVISOR', 'Kiểm tra', :now) ON CONFLICT (username) DO NOTHING""")
                .bind("id", UUID.randomUUID()).bind("hash", passwords.encode("correct horse"))
                .bind("now", Instant.parse("2026-01-01T00:00:00Z").atOffset(ZoneOffset.UTC))
                .then().block();
    }

    private List<String> events(String action) {
        return db.sql("SELECT subject_type || ':' || subject_id || ' by ' || actor_type || ':' || actor_id FROM audit_events WHERE action = :a ORDER BY id")
                .bind("a", action).map(r -> r.get(0, String.class)).all().collectList().block();
    }

    @Test
    void aSuccessfulLoginIsRecordedOncePerQuietPeriod() {
        for (int i = 0; i < 3; i++) {
            web.get().uri("/api/me").headers(h -> h.setBasicAuth("kiemtra", "correct horse")).exchange().expectStatus().isOk();
        }
        assertThat(events("LOGIN_SUCCEEDED")).containsExactly("user:kiemtra by USER:kiemtra");
    }

    @Test
    void aWrongPasswordIsRecordedAgainstTheAccount() {
        web.get().uri("/api/me").headers(h -> h.setBasicAuth("kiemtra", "wrong")).exchange().expectStatus().isUnauthorized();
        assertThat(events("LOGIN_FAILED")).contains("user:kiemtra by USER:kiemtra");
    }

    @Test
    void anUnknownNameIsRecordedWithoutTheNameInClear() {
        web.get().uri("/api/me").headers(h -> h.setBasicAuth("0912345678", "guess")).exchange().expectStatus().isUnauthorized();
        assertThat(events("LOGIN_FAILED")).contains("user:unknown by USER:unknown");
        assertThat(db.sql("SELECT count(*) FROM audit_events WHERE actor_id LIKE '%912345678%' OR subject_id LIKE '%912345678%'")
                .map(r -> r.get(0, Long.class)).one().block()).isZero();
    }
}
