package vn.hotline.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;

@GatewayTest
class AuditApiTest {

    @Autowired
    WebTestClient web;
    @Autowired
    DatabaseClient db;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    AuditLog audit;
    @Autowired
    AuditChain chain;

    @BeforeEach
    void staff() {
        UUID officer = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
        var now = Instant.parse("2026-01-01T00:00:00Z").atOffset(ZoneOffset.UTC);
        db.sql("""
                        INSERT INTO officers (id, roster_id, display_name, phone_hash, phone_cipher, phone_key_id, phone_masked, created_at, updated_at)
                        VALUES (:id, CAST(:id AS text), 'Cán bộ', '\\x00', '\\x00', 'k1', '09x xxx x000', :now, :now) ON CONFLICT (id) DO NOTHING""")
                .bind("id", officer).bind("now", now).then()
                .then(user("giamsat", "SUPERVISOR", null))
                .then(user("canbo", "OFFICER", officer))
                .block();
    }

    private reactor.core.publisher.Mono<Void> user(String name, String role, UUID officer) {
        var spec = db.sql("""
                        INSERT INTO users (id, username, password_hash, role, officer_id, display_name, created_at)
                        VALUES (:id, :name, :hash, :role, :officer, :name, :now) ON CONFLICT (username) DO NOTHING""")
                .bind("id", UUID.randomUUID()).bind("name", name).bind("hash", passwords.encode("correct horse"))
                .bind("role", role).bind("now", Instant.parse("2026-01-01T00:00:00Z").atOffset(ZoneOffset.UTC));
        return (officer == null ? spec.bindNull("officer", UUID.class) : spec.bind("officer", officer)).then();
    }

    @Test
    void aSupervisorReadsASubjectsTrailWithSealsAndTheReadIsItselfAudited() {
        audit.record(new AuditEntry(Actor.user("canbo"), AuditAction.DEMO_DATA_LOADED, new Subject("case", "BD-2026-000777"),
                Map.of("status", "ACKNOWLEDGED"))).then(chain.sealPending()).block();

        web.get().uri("/api/audit?subject=case:BD-2026-000777").headers(h -> h.setBasicAuth("giamsat", "correct horse"))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.subject").isEqualTo("case:BD-2026-000777")
                .jsonPath("$.entries[0].actor.id").isEqualTo("canbo")
                .jsonPath("$.entries[0].action").isEqualTo("DEMO_DATA_LOADED")
                .jsonPath("$.entries[0].sealSeq").isNumber()
                .jsonPath("$.entries[0].payloadDigest").value(d -> assertThat((String) d).hasSize(64))
                .jsonPath("$.next").doesNotExist();

        assertThat(db.sql("SELECT actor_id FROM audit_events WHERE action = 'AUDIT_TRAIL_READ' AND subject_type = 'case' AND subject_id = 'BD-2026-000777'")
                .map(r -> r.get(0, String.class)).all().collectList().block()).containsExactly("giamsat");
    }

    @Test
    void anOfficerMayNotReadTheAuditLog() {
        web.get().uri("/api/audit?subject=case:BD-2026-000777").headers(h -> h.setBasicAuth("canbo", "correct horse"))
                .exchange().expectStatus().isForbidden();
        web.get().uri("/api/audit/verification").headers(h -> h.setBasicAuth("canbo", "correct horse"))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void aSubjectWithoutTypeIsABadRequest() {
        web.get().uri("/api/audit?subject=BD-2026-000777").headers(h -> h.setBasicAuth("giamsat", "correct horse"))
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    void verificationStreamsProgressAndEndsWithTheReport() {
        audit.record(new AuditEntry(Actor.system("test"), AuditAction.DEMO_DATA_LOADED, new Subject("x", "1"), Map.of()))
                .then(chain.sealPending()).block();
        List<VerificationProgress> lines = web.get().uri("/api/audit/verification").accept(MediaType.APPLICATION_NDJSON)
                .headers(h -> h.setBasicAuth("giamsat", "correct horse"))
                .exchange()
                .expectStatus().isOk()
                .returnResult(VerificationProgress.class).getResponseBody().collectList().block();
        VerificationReport report = lines.get(lines.size() - 1).report();
        assertThat(report.intact()).isTrue();
        assertThat(report.checked()).isPositive();
        assertThat(report.headHash()).hasSize(64);
    }

    @Test
    void theChainStatusShowsHeadAndBacklog() {
        audit.record(new AuditEntry(Actor.system("test"), AuditAction.DEMO_DATA_LOADED, new Subject("x", "2"), Map.of()))
                .then(chain.sealPending()).block();
        web.get().uri("/api/audit/chain").headers(h -> h.setBasicAuth("giamsat", "correct horse"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.headSeq").isNumber().jsonPath("$.unsealedEvents").isNumber();
    }
}
