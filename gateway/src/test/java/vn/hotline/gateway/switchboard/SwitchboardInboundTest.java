package vn.hotline.gateway.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.gateway.security.StaffDirectory;

/** What 111 sends us: referrals and status updates, signed, replayed, stale, oversized, about unknown places. */
@GatewayTest
@Import(MutableClock.Config.class)
@ExtendWith(OutputCaptureExtension.class)
class SwitchboardInboundTest {

    static final String SECRET = "test-inbound-secret";
    // Planted fakes: a number and a name that must never reach the logs.
    static final String PLANTED_NUMBER = "0912 345 678";
    static final String PLANTED_E164 = "+84912345678";

    @Autowired
    WebTestClient web;
    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;
    @Autowired
    CaseService cases;
    @Autowired
    StaffDirectory staff;

    @BeforeEach
    void province() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
    }

    static String referral(String referenceId, String unitCode) {
        return """
                {"referenceId":"%s","sequence":1,"category":"CYBERBULLYING","urgency":"HIGH","adminUnitCode":"%s",
                 "ageBand":"11_15","reporterRole":"PARENT_RELATIVE","language":"vi",
                 "summary":"Mẹ gọi từ %s (%s): con bị bắt nạt trên mạng"}"""
                .formatted(referenceId, unitCode, PLANTED_NUMBER, PLANTED_E164);
    }

    private WebTestClient.ResponseSpec post(String path, String body, long timestamp, String secret, String key) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return web.post().uri(path).contentType(MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", key)
                .header("X-Switchboard-Timestamp", Long.toString(timestamp))
                .header("X-Switchboard-Signature", "v1=" + Fake111.hmac(secret, timestamp + "." + body))
                .bodyValue(bytes)
                .exchange();
    }

    private WebTestClient.ResponseSpec signed(String path, String body, String key) {
        return post(path, body, clock.instant().getEpochSecond(), SECRET, key);
    }

    private String caseReference(WebTestClient.ResponseSpec response, int status) {
        return (String) response.expectStatus().isEqualTo(status).expectBody(Map.class).returnResult().getResponseBody()
                .get("caseReference");
    }

    private long count(String sql) {
        return SwitchboardFixtures.count(db, sql);
    }

    @Test
    void aSignedReferralBecomesARoutedCaseWhoseOfficerIsNotifiedAndTheReplayCreatesNothingNew() {
        String body = referral("111-2026-0001", "21952");

        String reference = caseReference(signed("/switchboard/referrals", body, "idem-0001"), 201);

        assertThat(reference).matches("BD-2026-\\d{6}");
        Map<String, Object> kase = db.sql("SELECT channel, service_area_code, assigned_officer_id, status FROM cases WHERE reference = :r")
                .bind("r", reference).fetch().one().block();
        assertThat(kase).containsEntry("channel", "SWITCHBOARD").containsEntry("service_area_code", "550")
                .containsEntry("assigned_officer_id", CaseFixtures.officerId(db, "o550"));
        assertThat(count("SELECT count(*) FROM outbox WHERE destination = 'officer-notify' AND payload->>'reference' = '"
                + reference + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_events WHERE action = 'REFERRAL_RECEIVED' AND subject_id = '" + reference + "'"))
                .isEqualTo(1);
        long casesBefore = count("SELECT count(*) FROM cases");
        long outboxBefore = count("SELECT count(*) FROM outbox");

        clock.advance(Duration.ofSeconds(30));
        String replayed = caseReference(post("/switchboard/referrals", body, clock.instant().minusSeconds(30).getEpochSecond(),
                SECRET, "idem-0001"), 200);

        assertThat(replayed).isEqualTo(reference);
        assertThat(count("SELECT count(*) FROM cases")).isEqualTo(casesBefore);
        assertThat(count("SELECT count(*) FROM outbox")).isEqualTo(outboxBefore);
    }

    @Test
    void aBadSignatureIsRefusedWhileTheSameRequestSignedWithTheRightKeyIsAccepted() {
        String body = referral("111-2026-0002", "21952");
        long before = count("SELECT count(*) FROM cases");

        post("/switchboard/referrals", body, clock.instant().getEpochSecond(), "not-the-key", "idem-0002")
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("urn:hotline:problem:bad-signature");
        assertThat(count("SELECT count(*) FROM cases")).isEqualTo(before);

        caseReference(signed("/switchboard/referrals", body, "idem-0002"), 201);
        assertThat(count("SELECT count(*) FROM cases")).isEqualTo(before + 1);
    }

    @Test
    void aTimestampOutsideTheReplayWindowIsRefusedEvenWithTheRightKey() {
        String body = referral("111-2026-0003", "21952");

        post("/switchboard/referrals", body, clock.instant().minus(Duration.ofMinutes(6)).getEpochSecond(), SECRET, "idem-0003")
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("urn:hotline:problem:stale-request");
        assertThat(count("SELECT count(*) FROM switchboard_inbound WHERE external_ref = '111-2026-0003'")).isZero();
    }

    @Test
    void the111ReferenceSentAgainWithADifferentBodyIsAConflictNotANewCase() {
        caseReference(signed("/switchboard/referrals", referral("111-2026-0004", "21952"), "idem-0004"), 201);
        long before = count("SELECT count(*) FROM cases");

        signed("/switchboard/referrals", referral("111-2026-0004", "21583"), "idem-0004b").expectStatus().isEqualTo(409);

        assertThat(count("SELECT count(*) FROM cases")).isEqualTo(before);
    }

    @Test
    void aReferralAboutAnUnknownAdminUnitIsRoutedToTheDutySupervisorNotDropped() {
        String reference = caseReference(signed("/switchboard/referrals", referral("111-2026-0005", "99999"), "idem-0005"), 201);

        assertThat(db.sql("SELECT assigned_officer_id FROM cases WHERE reference = :r").bind("r", reference)
                .map(r -> r.get(0, UUID.class)).one().block()).isEqualTo(CaseFixtures.officerId(db, "sup1"));
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() {
        String body = "{\"referenceId\":\"111-2026-0006\",\"summary\":\"" + "x".repeat(70_000) + "\"}";

        signed("/switchboard/referrals", body, "idem-0006").expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.type").isEqualTo("urn:hotline:problem:body-too-large");
    }

    @Test
    void malformedJsonAndUnknownCodesAreBadRequests() {
        signed("/switchboard/referrals", "{\"referenceId\": ", "idem-0007").expectStatus().isBadRequest();
        signed("/switchboard/referrals", referral("111-2026-0007", "21952").replace("CYBERBULLYING", "GOSSIP"), "idem-0007")
                .expectStatus().isBadRequest();
        // The published contract's enums are exact, and its sequence is an int64.
        long cases = count("SELECT count(*) FROM cases");
        signed("/switchboard/referrals", referral("111-2026-0008", "21952").replace("CYBERBULLYING", "cyberbullying"),
                "idem-0008").expectStatus().isBadRequest();
        signed("/switchboard/referrals", referral("111-2026-0009", "21952").replace("\"sequence\":1", "\"sequence\":99999999999999999999999"),
                "idem-0009").expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(d -> org.assertj.core.api.Assertions.assertThat((String) d).contains("sequence"));
        org.assertj.core.api.Assertions.assertThat(count("SELECT count(*) FROM cases")).as("no case from a refused referral")
                .isEqualTo(cases);
    }

    @Test
    void statusUpdatesFrom111ApplyByTheirSequenceNumberAndNeverMoveBackwards() {
        String reference = SwitchboardFixtures.referredTo111(cases, staff, clock.instant());
        db.sql("""
                UPDATE referrals SET external_ref = '111-ST-1', state = 'ACCEPTED'
                WHERE target = 'SWITCHBOARD_111' AND case_id = (SELECT id FROM cases WHERE reference = :r)""")
                .bind("r", reference).then().block();

        signed("/switchboard/referrals/111-ST-1/status", "{\"state\":\"IN_PROGRESS\",\"sequence\":2}", "st-2")
                .expectStatus().isOk().expectBody()
                .jsonPath("$.applied").isEqualTo(true).jsonPath("$.state").isEqualTo("IN_PROGRESS")
                .jsonPath("$.caseReference").isEqualTo(reference);
        signed("/switchboard/referrals/111-ST-1/status", "{\"state\":\"ACCEPTED\",\"sequence\":1}", "st-1")
                .expectStatus().isOk().expectBody()
                .jsonPath("$.applied").isEqualTo(false).jsonPath("$.state").isEqualTo("IN_PROGRESS").jsonPath("$.sequence").isEqualTo(2);
        signed("/switchboard/referrals/111-ST-1/status", "{\"state\":\"CLOSED\",\"sequence\":3}", "st-3")
                .expectStatus().isOk().expectBody().jsonPath("$.applied").isEqualTo(true).jsonPath("$.state").isEqualTo("CLOSED");
        signed("/switchboard/referrals/111-NOPE/status", "{\"state\":\"CLOSED\",\"sequence\":3}", "st-4")
                .expectStatus().isNotFound();

        assertThat(count("SELECT count(*) FROM audit_events WHERE action = 'REFERRAL_STATUS_CHANGED' AND subject_id = '"
                + reference + "'")).isEqualTo(2);
    }

    @Test
    void noPhoneNumberOrSummaryFrom111ReachesTheLogs(CapturedOutput output) {
        String body = referral("111-2026-0009", "21952");
        post("/switchboard/referrals", body, clock.instant().getEpochSecond(), "not-the-key", "idem-0009").expectStatus().isForbidden();
        String reference = caseReference(signed("/switchboard/referrals", body, "idem-0009"), 201);
        caseReference(signed("/switchboard/referrals", body, "idem-0009"), 200);

        assertThat(output.getAll()).contains(reference)
                .doesNotContain(PLANTED_NUMBER).doesNotContain(PLANTED_E164).doesNotContain("912345678")
                .doesNotContain("bắt nạt");
        assertThat(count("""
                SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id
                WHERE c.reference = '%s' AND e.event_type = 'NOTE' AND e.note_cipher IS NOT NULL""".formatted(reference)))
                .as("the summary is kept, encrypted").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM case_events WHERE position('912' in coalesce(reason, '')) > 0")).isZero();
    }
}
