package vn.hotline.gateway.calllog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.audit.AuditChain;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.CaseIntake;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.privacy.CallerId;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.privacy.ProtectedNumber;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.Urgency;

/** The log supervisors review: filters, one call with everything, a CSV stamped with the chain head; all audited. */
@GatewayTest
@Import(MutableClock.Config.class)
class CallLogApiTest {

    private static final String PLANTED = "0977 123 456";

    @Autowired
    WebTestClient web;
    @Autowired
    CaseService cases;
    @Autowired
    RosterService roster;
    @Autowired
    PersonalData personalData;
    @Autowired
    AuditChain chain;
    @Autowired
    DatabaseClient db;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;

    private UUID callId;
    private String reference;

    @BeforeEach
    void aCallWithItsCase() {
        CaseFixtures.ensureProvince(roster, db, passwords);
        callId = UUID.randomUUID();
        ProtectedNumber caller = personalData.protect((CallerId.Number) personalData.identify(PLANTED), DataField.CALLER_NUMBER);
        var at = clock.instant().atOffset(ZoneOffset.UTC);
        db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, caller_hash, caller_cipher, caller_key_id,
                                           caller_masked, started_at, answered_at, ivr_path, outcome)
                        VALUES (:id, 'ASTERISK_VOICE', 'asterisk', :key, 'NUMBER', :hash, :cipher, :keyId, :masked, :at, :at,
                                '{greeting,who,district}', 'TRANSFERRING')""")
                .bind("id", callId).bind("key", "pbx/" + callId).bind("hash", caller.lookupHash()).bind("cipher", caller.ciphertext())
                .bind("keyId", caller.keyId()).bind("masked", caller.masked()).bind("at", at)
                .then().block();
        reference = cases.open(new CaseIntake(CaseFixtures.triage(Urgency.HIGH, Category.CYBERBULLYING, new LocationHint.FormerDistrict("550")),
                clock.instant(), Optional.of(callId))).block().reference();
        db.sql("""
                        INSERT INTO call_dial_attempts (call_id, step, rung_kind, officer_id, ring_seconds, planned_at, dial_status, accepted, ended_at)
                        VALUES (:id, 1, 'AREA_ON_CALL', (SELECT id FROM officers WHERE roster_id = 'o550'), 20, :at, 'NOANSWER', false, :at)""")
                .bind("id", callId).bind("at", at).then().block();
    }

    private WebTestClient as(String username) {
        return CaseFixtures.as(web, username);
    }

    private long audited(String action) {
        return db.sql("SELECT count(*) FROM audit_events WHERE action = :a").bind("a", action).map(r -> r.get(0, Long.class)).one().block();
    }

    @Test
    void aSupervisorFiltersCallsAndSeesTheCallerOnlyMasked() {
        as("supervisor").get().uri(u -> u.path("/api/calls").queryParam("from", "2026-02-01T00:00:00Z").queryParam("to", "2026-03-01T00:00:00Z")
                        .queryParam("serviceArea", "550").queryParam("category", "CYBERBULLYING").build())
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.id == '" + callId + "')].callerMasked").isEqualTo(java.util.List.of("09x xxx x456"))
                .jsonPath("$[?(@.id == '" + callId + "')].caseReference").isEqualTo(java.util.List.of(reference));
        as("supervisor").get().uri(u -> u.path("/api/calls").queryParam("from", "2026-02-01T00:00:00Z").queryParam("to", "2026-03-01T00:00:00Z")
                        .queryParam("serviceArea", "540").build())
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.id == '" + callId + "')]").doesNotExist();
        assertThat(audited("CALL_LOG_READ")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void oneCallShowsItsRoutingExplanationDialAttemptsReferralsNotificationsAndAuditTrail() {
        as("supervisor").get().uri("/api/calls/{id}", callId).exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.call.caseReference").isEqualTo(reference)
                .jsonPath("$.routing.reasons").isNotEmpty()
                .jsonPath("$.dialAttempts[0].dialStatus").isEqualTo("NOANSWER")
                .jsonPath("$.dialAttempts[0].officer").isEqualTo("Cán bộ Tuy Phước")
                .jsonPath("$.referrals[0].target").isEqualTo("SCHOOL")
                .jsonPath("$.notifications[0].destination").isEqualTo("officer-notify")
                .jsonPath("$.auditTrail[?(@.action == 'CASE_OPENED')]").exists();
        assertThat(audited("CALL_READ")).isEqualTo(1);
    }

    @Test
    void theExportIsStampedWithTheChainHeadAndHoldsNoNumberInClear() {
        chain.sealPending().block();
        var head = chain.status().block();
        String csv = as("supervisor").get().uri(u -> u.path("/api/calls/export").queryParam("from", "2026-02-01T00:00:00Z")
                        .queryParam("to", "2026-03-01T00:00:00Z").build())
                .exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("text/csv")
                .expectBody(String.class).returnResult().getResponseBody();
        // The stamp is the head when the export ran: events audited asynchronously by the requests before this one
        // may have been sealed since the head was read above, so it names that head or a later seal, exactly.
        var stamp = java.util.regex.Pattern.compile("# audit head seq=(\\d+) hash=([0-9a-f]{64})")
                .matcher(csv.lines().findFirst().orElseThrow());
        assertThat(stamp.matches()).as("the first line names the chain head").isTrue();
        long seq = Long.parseLong(stamp.group(1));
        assertThat(seq).isGreaterThanOrEqualTo(head.headSeq());
        assertThat(stamp.group(2)).isEqualTo(seq == head.headSeq() ? head.headHash()
                : db.sql("SELECT encode(hash, 'hex') FROM audit_seals WHERE seq = :seq").bind("seq", seq)
                        .map(r -> r.get(0, String.class)).one().block());
        assertThat(csv).contains(reference).contains("09x xxx x456").doesNotContain("977123456").doesNotContain("+84977");
        assertThat(audited("EXPORT_CREATED")).isEqualTo(1);
    }

    @Test
    void referralsAreListedForSupervisors() {
        as("supervisor").get().uri(u -> u.path("/api/referrals").queryParam("from", "2026-02-01T00:00:00Z")
                        .queryParam("to", "2026-03-01T00:00:00Z").queryParam("target", "SCHOOL").build())
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.caseReference == '" + reference + "')].state").isEqualTo(java.util.List.of("PENDING"));
    }

    @Test
    void officersDoNotReadTheCallLog() {
        as("officer.550").get().uri(u -> u.path("/api/calls").queryParam("from", "2026-02-01T00:00:00Z").queryParam("to", "2026-03-01T00:00:00Z").build())
                .exchange().expectStatus().isForbidden();
        as("officer.550").get().uri("/api/calls/{id}", callId).exchange().expectStatus().isForbidden();
        as("officer.550").get().uri(u -> u.path("/api/calls/export").queryParam("from", "2026-02-01T00:00:00Z").queryParam("to", "2026-03-01T00:00:00Z").build())
                .exchange().expectStatus().isForbidden();
        web.get().uri("/api/calls/{id}", callId).exchange().expectStatus().isUnauthorized();
    }
}
