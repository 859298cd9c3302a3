package vn.hotline.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
import vn.hotline.gateway.cases.EscalationScheduler;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.Urgency;

/** The supervisor's pages over HTTP: live board, audit chain, reassignment, roster, call log; officers kept out. */
@GatewayTest
@Import(MutableClock.Config.class)
class SupervisorPagesTest {

    @Autowired
    WebTestClient web;
    @Autowired
    CaseService cases;
    @Autowired
    EscalationScheduler scheduler;
    @Autowired
    AuditChain chain;
    @Autowired
    RosterService roster;
    @Autowired
    DatabaseClient db;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;

    @BeforeEach
    void province() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
    }

    private ConsoleSession as(String username) {
        return ConsoleSession.login(web, username);
    }

    private String open(String district) {
        return cases.open(new CaseIntake(CaseFixtures.triage(Urgency.NORMAL, Category.CYBERBULLYING,
                new LocationHint.FormerDistrict(district)), clock.instant(), Optional.empty())).block().reference();
    }

    private long count(String sql) {
        return db.sql(sql).map(r -> r.get(0, Long.class)).one().block();
    }

    @Test
    void theBoardCountsWaitingAndEscalatedCasesByArea() {
        open("540");
        String escalated = open("540");
        clock.advance(Duration.ofHours(5));
        scheduler.runDue("test").block();

        String board = as("supervisor").page("/console/board");

        assertThat(board).contains("data-area=\"540\"").contains("Chờ tiếp nhận").contains("id=\"live-calls\"");
        String line = board.substring(board.indexOf("data-area=\"540\""));
        line = line.substring(0, line.indexOf("</tr>"));
        assertThat(line).containsPattern("view=escalated\">[1-9]\\d*</a>").containsPattern("<td class=\"attention\"><a href=\"/console\\?area=540&amp;view=escalated\">");
        assertThat(count("SELECT count(*) FROM cases WHERE status = 'ESCALATED' AND reference = '" + escalated + "'")).isEqualTo(1);
    }

    @Test
    void officersAreKeptOutOfSupervisorPages() {
        ConsoleSession officer = as("officer.550");
        for (String page : new String[] {"/console/board", "/console/roster", "/console/audit", "/console/calls", "/console/calls/export"}) {
            officer.get(page).expectStatus().isForbidden();
        }
    }

    @Test
    void verifyNowStreamsProgressAndEndsWithTheReportWhichIsAudited() {
        open("550");
        chain.sealPending().block();
        ConsoleSession supervisor = as("supervisor");
        assertThat(supervisor.page("/console/audit")).contains("id=\"verify-now\"").contains("Kiểm tra ngay");

        String stream = supervisor.get("/console/audit/verification").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(stream).contains("event:report").containsPattern("data:INTACT \\d+ \\d+");
        assertThat(count("SELECT count(*) FROM audit_events WHERE action = 'AUDIT_VERIFIED' AND actor_id = 'supervisor'")).isEqualTo(1);
    }

    @Test
    void aSupervisorReassignsACaseAndAnOfficerCannot() {
        String reference = open("550");
        UUID backup = CaseFixtures.officerId(db, "b550");

        as("officer.550").post("/console/cases/" + reference + "/reassign", "officer", backup.toString(), "reason", "nghỉ ốm")
                .expectStatus().isForbidden();
        ConsoleSession supervisor = as("supervisor");
        assertThat(supervisor.page("/console/cases/" + reference)).contains("id=\"reassign-submit\"");
        supervisor.post("/console/cases/" + reference + "/reassign", "officer", backup.toString(), "reason", "nghỉ ốm")
                .expectStatus().isSeeOther()
                .expectHeader().valueEquals("Location", "/console/cases/" + reference + "?done=reassigned");

        assertThat(db.sql("SELECT assigned_officer_id FROM cases WHERE reference = :r").bind("r", reference)
                .map(r -> r.get(0, UUID.class)).one().block()).isEqualTo(backup);
    }

    @Test
    void theRosterShowsWhoIsOnCallThatDayAndAnImportListsItsWrongLinesByNumber() {
        ConsoleSession supervisor = as("supervisor");
        assertThat(supervisor.page("/console/roster?day=2026-02-12")).contains("Cán bộ Tuy Phước").contains("Trực chính")
                .contains("Giám sát trực ban").doesNotContain("912 000 550");

        String refused = supervisor.upload("/console/roster/import",
                        "officers", "officer_id,name,service_areas,skills,phone_ref,languages\no550,Cán bộ Tuy Phước,999,COUNSELLING,+84 912 000 550,vi\n",
                        "shifts", "officer_id,role,service_area,start,end\n")
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

        assertThat(refused).contains("id=\"roster-errors\"").contains("data-line=\"2\"")
                .contains("Tệp cán bộ, dòng 2: service_areas: không có địa bàn 999.").doesNotContain("unknown area");
        assertThat(count("SELECT count(*) FROM officers WHERE active")).isEqualTo(5);

        String accepted = supervisor.upload("/console/roster/import", "officers", CaseFixtures.OFFICERS, "shifts", CaseFixtures.SHIFTS)
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(accepted).contains("id=\"roster-imported\"").contains("Đã nhập 5 cán bộ");
    }

    @Test
    void theCallLogSearchFindsACallByAreaAndExportsItStamped() {
        UUID callId = UUID.randomUUID();
        db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, started_at, ivr_path, outcome)
                        VALUES (:id, 'ASTERISK_VOICE', 'asterisk', :key, 'WITHHELD', :at, '{greeting}', 'REFERENCE_GIVEN')""")
                .bind("id", callId).bind("key", "pbx/" + callId).bind("at", clock.instant().atOffset(ZoneOffset.UTC)).then().block();
        String reference = cases.open(new CaseIntake(CaseFixtures.triage(Urgency.NORMAL, Category.ONLINE_SCAM,
                new LocationHint.FormerDistrict("550")), clock.instant(), Optional.of(callId))).block().reference();
        ConsoleSession supervisor = as("supervisor");

        assertThat(supervisor.page("/console/calls?from=2026-02-12&to=2026-02-12&area=550")).contains(callId.toString()).contains(reference);
        assertThat(supervisor.page("/console/calls?from=2026-02-12&to=2026-02-12&area=540")).doesNotContain(callId.toString());
        String csv = supervisor.get("/console/calls/export?from=2026-02-12&to=2026-02-12&area=550").expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(csv).startsWith("# audit head seq=").contains(reference);
        assertThat(supervisor.page("/console/calls/" + callId)).contains("CASE_OPENED").contains(reference);
    }
}
