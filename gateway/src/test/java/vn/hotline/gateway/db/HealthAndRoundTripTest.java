package vn.hotline.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.privacy.CallerId;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.privacy.ProtectedNumber;

@GatewayTest
class HealthAndRoundTripTest {

    @Autowired
    WebTestClient web;
    @Autowired
    DatabaseClient db;
    @Autowired
    PersonalData personalData;

    @Test
    void healthIsUpWithTheDatabaseComponentUp() {
        web.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP");
        web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
        web.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void prometheusMetricsAreServed() {
        web.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
    }

    @Test
    void aCallRecordRoundTripsThroughR2dbcWithItsNumberProtected() {
        UUID id = UUID.randomUUID();
        Instant started = Instant.parse("2026-03-02T01:15:30.123456Z");
        ProtectedNumber number = personalData.protect((CallerId.Number) personalData.identify("0912 000 111"), DataField.CALLER_NUMBER);

        var insert = db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, caller_hash, caller_cipher, caller_key_id, started_at, ivr_path)
                        VALUES (:id, 'ASTERISK_VOICE', 'asterisk', :pid, 'NUMBER', :hash, :cipher, :key, :started, :path)""")
                .bind("id", id).bind("pid", "pbx-1/1700000000.1")
                .bind("hash", number.lookupHash()).bind("cipher", number.ciphertext()).bind("key", number.keyId())
                .bind("started", started.atOffset(ZoneOffset.UTC)).bind("path", new String[] {"greeting", "category"})
                .then();
        var read = db.sql("SELECT started_at, caller_cipher, caller_key_id, ivr_path FROM calls WHERE id = :id")
                .bind("id", id)
                .map(row -> new Object[] {row.get("started_at", Instant.class), row.get("caller_cipher", byte[].class),
                        row.get("caller_key_id", String.class), row.get("ivr_path", String[].class)})
                .one();

        StepVerifier.create(insert.then(read))
                .assertNext(row -> {
                    assertThat(row[0]).isEqualTo(started);
                    assertThat(personalData.reveal((byte[]) row[1], (String) row[2], DataField.CALLER_NUMBER)).isEqualTo("+84912000111");
                    assertThat((String[]) row[3]).containsExactly("greeting", "category");
                })
                .verifyComplete();
    }
}
