package vn.hotline.gateway.switchboard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.cases.CaseStatus;
import vn.hotline.gateway.outbox.OutboxDispatcher;
import vn.hotline.gateway.outbox.OutboxSender;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.gateway.security.StaffDirectory;

/** The outbound client against 111 played by WireMock, once per failure mode, then a long outage. */
@GatewayTest
@Import(MutableClock.Config.class)
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class SwitchboardClientTest {

    static final Fake111 FAKE = new Fake111();

    @DynamicPropertySource
    static void switchboard(DynamicPropertyRegistry registry) {
        registry.add("hotline.switchboard.base-url", FAKE::baseUrl);
        // Short waits inside one send keep the suite fast; the shape of the chain is the production one.
        registry.add("hotline.switchboard.call-timeout", () -> "400ms");
        registry.add("hotline.switchboard.retry.first-wait", () -> "10ms");
        registry.add("hotline.switchboard.retry.max-wait", () -> "40ms");
    }

    @AfterAll
    static void stop111() {
        FAKE.server.stop();
    }

    @Autowired
    CaseService cases;
    @Autowired
    StaffDirectory staff;
    @Autowired
    OutboxDispatcher dispatcher;
    @Autowired
    AcceptanceWatch watch;
    @Autowired
    CircuitBreaker breaker;
    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;
    @Autowired
    WebTestClient web;

    OutboxSender sender;

    @BeforeEach
    void province() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        // Each test starts with nothing waiting for 111 and a closed breaker.
        db.sql("UPDATE outbox SET delivered_at = now() WHERE delivered_at IS NULL").then().block();
        breaker.reset();
        FAKE.reset();
        sender = SwitchboardFixtures.sender(dispatcher);
    }

    @AfterEach
    void nothingUnexpectedReached111() {
        assertThat(FAKE.server.findAllUnmatchedRequests()).as("requests no stub expected").isEmpty();
    }

    private Map<String, Object> referral(String reference) {
        return db.sql("""
                        SELECT r.state, r.external_ref, r.idempotency_key, r.sent_at, r.accepted_at
                        FROM referrals r JOIN cases c ON c.id = r.case_id
                        WHERE c.reference = :ref AND r.target = 'SWITCHBOARD_111'""")
                .bind("ref", reference).fetch().one().block();
    }

    private Map<String, Object> outboxRow(String key) {
        return db.sql("SELECT attempts, available_at, delivered_at, last_error FROM outbox WHERE idempotency_key = :k")
                .bind("k", key).fetch().one().block();
    }

    private int runOnce() {
        return dispatcher.runOnce(sender).block();
    }

    @Test
    void aReferralAcceptedBy111IsSentSignedWithItsKeyAndKeepsTheReceipt() {
        String reference = SwitchboardFixtures.referredTo111(cases, staff, clock.instant());

        assertThat(runOnce()).isEqualTo(1);

        Map<String, Object> row = referral(reference);
        assertThat(FAKE.accepted()).hasSize(1);
        String receipt = FAKE.accepted().get(0).referenceId();
        assertThat(row).containsEntry("state", "ACCEPTED").containsEntry("external_ref", receipt);
        assertThat(FAKE.accepted()).containsExactly(new Fake111.Accepted("create", (String) row.get("idempotency_key"),
                reference, receipt));
        FAKE.server.verify(1, postRequestedFor(urlEqualTo("/v1/referrals"))
                .withHeader("Idempotency-Key", com.github.tomakehurst.wiremock.client.WireMock.equalTo((String) row.get("idempotency_key")))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.category", 
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("CYBERBULLYING")))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.ageBand",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("11_15")))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.summary",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("Ca " + reference
                                + ": bắt nạt trên mạng; mức độ: bình thường; trẻ 11–15 tuổi; người báo tin: chính trẻ em; "
                                + "đơn vị hành chính: chưa rõ."))));
        assertThat(SwitchboardFixtures.count(db, "SELECT count(*) FROM audit_events WHERE action = 'REFERRAL_ACCEPTED' "
                + "AND subject_id = '" + reference + "'")).isEqualTo(1);
    }

    @Test
    void aSlowAnswerBeyondTheTimeoutIsRetriedThenTheReferralWaitsInTheOutboxAndIsAcceptedOnceLater() {
        String reference = SwitchboardFixtures.referredTo111(cases, staff, clock.instant());
        FAKE.failing(aResponse().withFixedDelay(1500).withStatus(201).withBody("{\"referenceId\":\"late\"}"));

        assertThat(runOnce()).isZero();

        assertThat(FAKE.requestsOnTheWire()).as("three calls in one send").isEqualTo(3);
        String key = (String) referral(reference).get("idempotency_key");
        assertThat((String) outboxRow(key).get("last_error")).contains("Timeout");
        assertThat(referral(reference)).as("on the wire, no receipt yet").containsEntry("state", "SENT")
                .containsEntry("accepted_at", null);
        java.time.Instant firstSent = ((OffsetDateTime) referral(reference).get("sent_at")).toInstant();
        assertThat(firstSent).isEqualTo(clock.instant());

        FAKE.up();
        clock.advance(Duration.ofMinutes(1));
        assertThat(runOnce()).isEqualTo(1);
        assertThat(FAKE.accepted()).hasSize(1);
        Map<String, Object> accepted = referral(reference);
        assertThat(accepted).containsEntry("state", "ACCEPTED")
                .containsEntry("external_ref", FAKE.accepted().get(0).referenceId());
        assertThat(((OffsetDateTime) accepted.get("sent_at")).toInstant()).as("the first time on the wire").isEqualTo(firstSent);
        assertThat(((OffsetDateTime) accepted.get("accepted_at")).toInstant()).isEqualTo(clock.instant());
    }

    @Test
    void serverErrorsAreRetriedWithBackOffInsideOneSendAndTheReferralIsAcceptedOnce() {
        String reference = SwitchboardFixtures.referredTo111(cases, staff, clock.instant());
        FAKE.failingNext(2, aResponse().withStatus(500).withBody("{\"error\":\"oops\"}"));

        assertThat(runOnce()).isEqualTo(1);

        assertThat(FAKE.requestsOnTheWire()).isEqualTo(3);
        assertThat(referral(reference)).containsEntry("state", "ACCEPTED");
        assertThat(FAKE.accepted()).hasSize(1);
    }

    @Test
    void a503WithRetryAfterIsNotRetriedAtOnceTheOutboxWaitsAsLongAs111Asked() {
        String reference = SwitchboardFixtures.referredTo111(cases, staff, clock.instant());
        FAKE.failing(aResponse().withStatus(503).withHeader("Retry-After", "900"));

        assertThat(runOnce()).isZero();

        assertThat(FAKE.requestsOnTheWire()).as("no retry inside the send").isEqualTo(1);
        String key = (String) referral(reference).get("idempotency_key");
        OffsetDateTime due = (OffsetDateTime) outboxRow(key).get("available_at");
        assertThat(due.toInstant()).isAfterOrEqualTo(clock.instant().plusSeconds(900));

        FAKE.up();
        clock.advance(Duration.ofMinutes(10));
        assertThat(runOnce()).as("still inside Retry-After").isZero();
        clock.advance(Duration.ofMinutes(6));
        assertThat(runOnce()).isEqualTo(1);
        assertThat(referral(reference)).containsEntry("state", "ACCEPTED");
    }

    @Test
    void aConnectionResetIsRetriedAndTheReferralAcceptedOnce() {
        String reference = SwitchboardFixtures.referredTo111(cases, staff, clock.instant());
        FAKE.failingNext(1, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        assertThat(runOnce()).isEqualTo(1);

        assertThat(FAKE.requestsOnTheWire()).isEqualTo(2);
        assertThat(referral(reference)).containsEntry("state", "ACCEPTED");
        assertThat(FAKE.accepted()).hasSize(1);
    }

    @Test
    void malformedJsonFrom111IsNoReceiptTheReferralStaysPendingAndIsSentAgain() {
        String reference = SwitchboardFixtures.referredTo111(cases, staff, clock.instant());
        FAKE.failing(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"referenceId\": 11"));

        assertThat(runOnce()).isZero();

        assertThat(referral(reference)).containsEntry("state", "SENT").containsEntry("external_ref", null);
        String key = (String) referral(reference).get("idempotency_key");
        assertThat((String) outboxRow(key).get("last_error")).contains("malformed JSON");

        FAKE.up();
        clock.advance(Duration.ofMinutes(1));
        assertThat(runOnce()).isEqualTo(1);
        assertThat(referral(reference)).containsEntry("state", "ACCEPTED");
    }

    @Test
    void theBreakerOpensWithinTenFailedCallsFailsFastShowsInHealthAndMetricsAndHalfOpensToProbe() {
        for (int i = 0; i < 3; i++) {
            SwitchboardFixtures.referredTo111(cases, staff, clock.instant());
        }
        FAKE.failing(aResponse().withStatus(500));

        assertThat(runOnce()).isZero();

        int failedCalls = FAKE.requestsOnTheWire();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(failedCalls).as("failed calls before the breaker opened").isLessThanOrEqualTo(10);
        web.get().uri("/actuator/health").exchange().expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.switchboard111.status").isEqualTo("DEGRADED");
        String metrics = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("resilience4j_circuitbreaker_state{name=\"switchboard-111\",state=\"open\"} 1.0");

        clock.advance(Duration.ofSeconds(10));
        assertThat(runOnce()).isZero();
        assertThat(FAKE.requestsOnTheWire()).as("open: fails fast, nothing on the wire").isEqualTo(failedCalls);

        FAKE.up();
        clock.advance(Duration.ofMinutes(15));
        assertThat(runOnce()).as("half-open probes succeed, the breaker closes").isEqualTo(3);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        web.get().uri("/actuator/health").exchange().expectBody()
                .jsonPath("$.components.switchboard111.status").isEqualTo("UP");
    }

    @Test
    void anOutageOfAnHourLosesNothingAndEveryReferralIsAcceptedExactlyOnceInOrderPerCase() {
        List<String> references = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            references.add(SwitchboardFixtures.referredTo111(cases, staff, clock.instant()));
        }
        StaffDirectory.Staff supervisor = staff.find("supervisor").block();
        FAKE.failing(aResponse().withStatus(503));
        for (int minute = 0; minute < 60; minute++) {
            runOnce();
            if (minute == 10) {
                // Cases closed during the outage: the close must reach 111 after the referral, never before.
                for (String reference : references.subList(0, 3)) {
                    cases.transition(reference, CaseStatus.CLOSED, java.util.Optional.of("handled by 111"), supervisor).block();
                }
            }
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(FAKE.accepted()).isEmpty();
        assertThat(SwitchboardFixtures.count(db,
                "SELECT count(*) FROM outbox WHERE destination = 'switchboard-111' AND delivered_at IS NULL")).isEqualTo(9);

        FAKE.up();
        int delivered = 0;
        for (int pass = 0; pass < 20 && delivered < 9; pass++) {
            clock.advance(Duration.ofMinutes(11));
            delivered += runOnce();
        }

        assertThat(delivered).isEqualTo(9);
        List<Fake111.Accepted> accepted = FAKE.accepted();
        assertThat(accepted.stream().map(Fake111.Accepted::idempotencyKey).distinct()).hasSize(9);
        assertThat(FAKE.wireRequests()).as("each sent at least once on the wire").isGreaterThanOrEqualTo(9);
        Map<String, List<String>> perCase = accepted.stream().collect(Collectors.groupingBy(Fake111.Accepted::caseReference,
                Collectors.mapping(Fake111.Accepted::operation, Collectors.toList())));
        for (String reference : references.subList(0, 3)) {
            assertThat(perCase.get(reference)).containsExactly("create", "status");
        }
        for (String reference : references.subList(3, 6)) {
            assertThat(perCase.get(reference)).containsExactly("create");
        }
        for (String reference : references) {
            assertThat((String) referral(reference).get("external_ref")).startsWith("111-");
        }
    }

    @Test
    void aReferralNotAcceptedInTimeAlertsTheDutySupervisorOnce() {
        String late = SwitchboardFixtures.referredTo111(cases, staff, clock.instant());
        FAKE.failing(aResponse().withStatus(503));
        runOnce();
        clock.advance(Duration.ofMinutes(29));
        assertThat(watch.runOnce().block()).as("not yet overdue").isZero();

        clock.advance(Duration.ofMinutes(2));
        assertThat(watch.runOnce().block()).isEqualTo(1);
        assertThat(watch.runOnce().block()).as("once per referral").isZero();

        Map<String, Object> alert = db.sql("""
                        SELECT message_type, payload->>'reference' AS reference FROM outbox
                        WHERE destination = 'supervisor-notify' AND message_type = 'referral.not-accepted'""")
                .fetch().one().block();
        assertThat(alert).containsEntry("reference", late);
        assertThat(SwitchboardFixtures.count(db, "SELECT count(*) FROM audit_events WHERE action = 'REFERRAL_NOT_ACCEPTED' "
                + "AND subject_id = '" + late + "'")).isEqualTo(1);
    }

    private String inboundCase(String referenceId) {
        String body = SwitchboardInboundTest.referral(referenceId, "21952");
        long timestamp = clock.instant().getEpochSecond();
        return (String) web.post().uri("/switchboard/referrals").contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .header("Idempotency-Key", "idem-" + referenceId)
                .header("X-Switchboard-Timestamp", Long.toString(timestamp))
                .header("X-Switchboard-Signature", "v1=" + Fake111.hmac(SwitchboardInboundTest.SECRET, timestamp + "." + body))
                .bodyValue(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .exchange().expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody().get("caseReference");
    }

    private Map<String, Object> inboundRow(String referenceId) {
        return db.sql("SELECT state, reported_seq FROM switchboard_inbound WHERE external_ref = :r").bind("r", referenceId)
                .fetch().one().block();
    }

    @Test
    void theProvinceReportsHowACase111ReferredMovesInOrderAndNumbered() {
        String reference = inboundCase("111-2026-0900");
        StaffDirectory.Staff officer = staff.find("officer.550").block();
        cases.acknowledge(reference, officer).block();
        clock.advance(Duration.ofMinutes(5));
        cases.transition(reference, CaseStatus.CLOSED, java.util.Optional.of("support given at school"), officer).block();
        // The ACCEPTED report is held back (as after a failed first try): CLOSED waits for it, 111 never hears them
        // the other way round.
        String acceptedKey = db.sql("""
                        SELECT idempotency_key FROM outbox WHERE destination = 'switchboard-111' AND message_type = 'case.status'
                        AND payload->>'caseReference' = :r AND payload->>'state' = 'ACCEPTED'""")
                .bind("r", reference).map(r -> r.get(0, String.class)).one().block();
        db.sql("UPDATE outbox SET available_at = available_at + interval '1 hour' WHERE idempotency_key = :k")
                .bind("k", acceptedKey).then().block();

        assertThat(runOnce()).as("CLOSED waits for the ACCEPTED before it").isZero();
        assertThat(FAKE.accepted()).isEmpty();

        clock.advance(Duration.ofHours(2));
        assertThat(runOnce()).isEqualTo(1);
        assertThat(runOnce()).isEqualTo(1);

        assertThat(inboundRow("111-2026-0900")).containsEntry("state", "CLOSED");
        List<Fake111.Accepted> reports = FAKE.accepted();
        assertThat(reports).extracting(Fake111.Accepted::operation).containsExactly("status", "status");
        assertThat(reports).extracting(Fake111.Accepted::referenceId).containsOnly("111-2026-0900");
        tools.jackson.databind.JsonNode accepted = FAKE.body(reports.get(0).idempotencyKey());
        tools.jackson.databind.JsonNode closed = FAKE.body(reports.get(1).idempotencyKey());
        assertThat(accepted.path("state").asString()).isEqualTo("ACCEPTED");
        assertThat(closed.path("state").asString()).isEqualTo("CLOSED");
        assertThat(closed.path("sequence").asLong()).as("numbered, so 111 applies the highest").isGreaterThan(accepted.path("sequence").asLong());
        assertThat(closed.path("caseReference").asString()).isEqualTo(reference);
        assertThat(closed.toString()).as("the staff's reason stays here").doesNotContain("school");
        assertThat(SwitchboardFixtures.count(db, "SELECT count(*) FROM audit_events WHERE action = 'REFERRAL_STATUS_REPORTED' "
                + "AND subject_id = '" + reference + "'")).as("both reports, each once").isEqualTo(2);
    }

    @Test
    void aCaseTheProvinceOpenedItselfReportsNothingTo111WhenItMovesOn() {
        String reference = SwitchboardFixtures.referredTo111(cases, staff, clock.instant());
        assertThat(SwitchboardFixtures.count(db, "SELECT count(*) FROM outbox WHERE message_type = 'case.status' "
                + "AND payload->>'caseReference' = '" + reference + "'")).isZero();
    }

    @Test
    void underTheEmergencyExceptionTheOfficersDetailsReach111OnceSealedAtRestAndAuditedAsADisclosure(
            org.springframework.boot.test.system.CapturedOutput output) {
        String planted = "Bé Lan, 12 tuổi, ở thôn 3 xã Phước Lộc, bố gọi 0912 777 888";
        String opened = SwitchboardFixtures.acknowledgedCase(cases, staff, clock.instant());
        StaffDirectory.Staff supervisor = staff.find("supervisor").block();

        cases.refer(opened, vn.hotline.gateway.cases.ReferralTarget.SWITCHBOARD_111, "child in danger tonight",
                java.util.Optional.of(planted), supervisor).block();

        assertThat(SwitchboardFixtures.count(db, "SELECT count(*) FROM outbox WHERE payload::text LIKE '%Phước Lộc%'"))
                .as("sealed in the outbox row").isZero();
        assertThat(SwitchboardFixtures.count(db, "SELECT count(*) FROM case_events WHERE reason LIKE '%Phước Lộc%'")).isZero();
        assertThat(runOnce()).isEqualTo(1);
        tools.jackson.databind.JsonNode sent = FAKE.body(FAKE.accepted().get(0).idempotencyKey());
        assertThat(sent.path("emergencyException").asBoolean()).isTrue();
        assertThat(sent.path("identifyingDetails").asString()).isEqualTo(planted);
        assertThat(SwitchboardFixtures.count(db, "SELECT count(*) FROM audit_events WHERE action = 'REFERRAL_EMERGENCY_DISCLOSURE' "
                + "AND subject_id = '" + opened + "' AND actor_type = 'USER' AND actor_id = 'supervisor'")).isEqualTo(1);
        assertThat(output.getAll()).doesNotContain("Phước Lộc").doesNotContain("0912 777 888");
    }

    @Test
    void aReferralWithoutTheEmergencyExceptionCarriesNoIdentifyingDetailsAndDetailsForAnotherBodyAreRefused() {
        String reference = SwitchboardFixtures.referredTo111(cases, staff, clock.instant());
        assertThat(runOnce()).isEqualTo(1);
        tools.jackson.databind.JsonNode sent = FAKE.body(FAKE.accepted().get(0).idempotencyKey());
        assertThat(sent.has("identifyingDetails")).isFalse();
        assertThat(sent.has("emergencyException")).isFalse();

        String other = SwitchboardFixtures.acknowledgedCase(cases, staff, clock.instant());
        CaseFixtures.as(web, "supervisor").post().uri("/api/cases/{r}/referrals", other)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("target", "POLICE_CYBER_UNIT", "reason", "needs the police", "emergencyDetails", "Bé Lan ở thôn 3"))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").value(t -> assertThat((String) t).endsWith("disclosure-target"));
        assertThat(reference).isNotEqualTo(other);
    }
}
