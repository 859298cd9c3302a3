package vn.hotline.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.cases.EscalationScheduler;
import vn.hotline.gateway.cases.OpenedCase;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.Urgency;

/** The console's pages over HTTP (no browser): scoping, actions through the case service, language, errors. */
@GatewayTest
@Import(MutableClock.Config.class)
class ConsolePagesTest {

    @Autowired
    WebTestClient web;
    @Autowired
    CaseService cases;
    @Autowired
    EscalationScheduler scheduler;
    @Autowired
    RosterService roster;
    @Autowired
    DatabaseClient db;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;
    @Autowired
    vn.hotline.gateway.privacy.PersonalData personalData;

    @BeforeEach
    void province() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
    }

    private ConsoleSession as(String username) {
        return ConsoleSession.login(web, username);
    }

    private OpenedCase bullyingInTuyPhuoc() {
        return cases.open(CaseFixtures.bullyingInTuyPhuoc(clock.instant())).block();
    }

    private String page(WebTestClient client, String uri) {
        return client.get().uri(uri).exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    private String page(ConsoleSession session, String uri) {
        return session.page(uri);
    }

    private String stateOf(String reference, String kind) {
        return db.sql("""
                        SELECT d.state FROM case_deadlines d JOIN cases c ON c.id = d.case_id
                        WHERE c.reference = :ref AND d.kind = :kind ORDER BY d.id DESC LIMIT 1""")
                .bind("ref", reference).bind("kind", kind).map(r -> r.get(0, String.class)).one().block();
    }

    private long escalations(String reference) {
        return db.sql("SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.reference = :ref AND e.event_type = 'ESCALATED'")
                .bind("ref", reference).map(r -> r.get(0, Long.class)).one().block();
    }

    @Test
    void anAnonymousVisitorIsSentToTheLoginPage() {
        web.get().uri("/console").exchange()
                .expectStatus().is3xxRedirection()
                .expectHeader().valueEquals("Location", "/console/login");
    }

    @Test
    void consolePagesAllowOnlyTheConsolesOwnScriptAndStyleAndTheSessionCookieIsSameSite() {
        var login = web.get().uri("/console/login").exchange().expectStatus().isOk()
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                        .contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                        .doesNotContain("unsafe-inline"))
                .expectBody(String.class).returnResult();
        assertThat(login.getResponseHeaders().get("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("SESSION=").contains("SameSite=Lax").containsIgnoringCase("HttpOnly"));
        assertThat(page(as("officer.550"), "/console")).doesNotContain("<script>").doesNotContain(" style=\"");
    }

    @Test
    void theLoginPageIsVietnameseByDefaultAndEnglishOnRequestRememberedInACookie() {
        String vi = page(web, "/console/login");
        assertThat(vi).contains("<html lang=\"vi\"").contains("Đăng nhập bảng điều khiển").contains("name=\"_csrf\"");

        web.get().uri("/console/login?lang=en").exchange()
                .expectStatus().isOk()
                .expectCookie().valueEquals("hotline-lang", "en")
                .expectBody(String.class).value(en -> assertThat(en).contains("<html lang=\"en\"").contains("Log in to the console"));
        web.get().uri("/console/login").cookie("hotline-lang", "en").exchange()
                .expectBody(String.class).value(en -> assertThat(en).contains("Log in to the console"));
    }

    @Test
    void anOfficerSeesTheOpenCasesOfTheirAreaOnlyWithCountdowns() {
        OpenedCase mine = bullyingInTuyPhuoc();
        OpenedCase other = cases.open(new vn.hotline.gateway.cases.CaseIntake(CaseFixtures.triage(Urgency.HIGH,
                Category.ONLINE_SCAM, new LocationHint.FormerDistrict("540")), clock.instant(), java.util.Optional.empty())).block();

        String queue = page(as("officer.550"), "/console");
        assertThat(queue).contains("data-rows-url=\"/console/queue/rows\"");

        assertThat(queue).contains(mine.reference()).doesNotContain(other.reference())
                .contains("class=\"countdown ack-countdown\"")
                .contains("Bắt nạt trên mạng");
        assertThat(page(as("supervisor"), "/console/queue/rows"))
                .contains(mine.reference()).contains(other.reference()).doesNotContain("<html");
    }

    @Test
    void anEscalatedCaseStaysAboveFresherDeadlinesAndSaysInWordsHowLateItIsAndWhereItWent() {
        OpenedCase late = bullyingInTuyPhuoc();
        clock.advance(Duration.ofHours(4).plusMinutes(3));
        scheduler.runDue("test").block();
        // A new case whose deadline falls before the escalated case's new one (the backup's four hours).
        OpenedCase fresh = cases.open(new vn.hotline.gateway.cases.CaseIntake(CaseFixtures.triage(Urgency.HIGH,
                Category.ONLINE_SCAM, new LocationHint.FormerDistrict("550")), clock.instant(), java.util.Optional.empty())).block();

        String rows = page(as("supervisor"), "/console/queue/rows");
        assertThat(rows.indexOf(late.reference())).as("the overdue case above the fresh one")
                .isLessThan(rows.indexOf(fresh.reference()));
        assertThat(row(rows, late.reference())).contains("overdue").contains("Quá hạn 3 phút · đã chuyển lên bậc 2")
                .contains("còn 4 giờ 0 phút (hạn ");
        assertThat(row(rows, fresh.reference())).doesNotContain("Quá hạn").containsPattern("còn [0-9]+ (giờ|phút)");
        assertThat(row(page(as("supervisor"), "/console/queue/rows?lang=en"), late.reference()))
                .contains("Overdue by 3 min · moved up to rung 2");

        // A month on, nobody is on the rota: the ladder is 111 alone, and its missed deadline says so.
        clock.advance(Duration.ofDays(30));
        OpenedCase night = bullyingInTuyPhuoc();
        clock.advance(Duration.ofHours(4).plusMinutes(1));
        scheduler.runDue("test").block();
        assertThat(row(page(as("supervisor"), "/console/queue/rows"), night.reference()))
                .contains("Quá hạn 1 phút · không có ai trực: đã chuyển 111");
    }

    @Test
    void everyLiveBoardCountLinksToTheCasesItCountsInTheQueue() {
        OpenedCase tuyPhuoc = bullyingInTuyPhuoc();
        OpenedCase quyNhon = cases.open(new vn.hotline.gateway.cases.CaseIntake(CaseFixtures.triage(Urgency.HIGH,
                Category.ONLINE_SCAM, new LocationHint.FormerDistrict("540")), clock.instant(), java.util.Optional.empty())).block();
        ConsoleSession supervisor = as("supervisor");

        assertThat(page(supervisor, "/console/board")).contains("href=\"/console?area=550&amp;view=waiting\"",
                "href=\"/console?area=550&amp;view=escalated\"", "href=\"/console?area=540&amp;view=at-risk\"",
                "href=\"/console?area=540&amp;view=open\"");
        String waiting550 = page(supervisor, "/console?area=550&view=waiting");
        assertThat(waiting550).contains(tuyPhuoc.reference()).doesNotContain(quyNhon.reference())
                .contains("id=\"queue-filter\"", "Địa bàn 550", "Chờ tiếp nhận")
                .contains("data-rows-url=\"/console/queue/rows?area=550&amp;view=waiting\"");
        assertThat(page(supervisor, "/console?area=550&view=escalated")).doesNotContain(tuyPhuoc.reference());
        assertThat(page(supervisor, "/console?view=nonsense")).contains(tuyPhuoc.reference(), quyNhon.reference())
                .doesNotContain("id=\"queue-filter\"");
    }

    @Test
    void aConsoleAddressThatDoesNotExistIsAVietnamesePageInTheLayoutNotJson() {
        ConsoleSession officer = as("officer.550");
        officer.browse("/console/users").expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(org.springframework.http.MediaType.TEXT_HTML)
                .expectBody(String.class).value(html -> assertThat(html).contains("<html lang=\"vi\"", "Không có trang này",
                        "class=\"top\"", "Về hàng chờ"));
        officer.browse("/console/users?lang=en").expectStatus().isNotFound()
                .expectBody(String.class).value(html -> assertThat(html).contains("There is no such page"));
        // The API keeps its problem details.
        CaseFixtures.as(web, "officer.550").get().uri("/api/nothing-here").exchange().expectStatus().isNotFound();
    }

    /** One case's row of a queue page. */
    private static String row(String html, String reference) {
        int start = html.indexOf("data-reference=\"" + reference + "\"");
        assertThat(start).as(reference + " in the queue").isNotNegative();
        return html.substring(start, html.indexOf("</tr>", start));
    }

    @Test
    void acknowledgingInTheConsoleStopsTheEscalationTimer() {
        OpenedCase opened = bullyingInTuyPhuoc();

        as("officer.550").post("/console/cases/" + opened.reference() + "/acknowledge")
                .expectStatus().isSeeOther()
                .expectHeader().valueEquals("Location", "/console/cases/" + opened.reference() + "?done=acknowledged");

        assertThat(stateOf(opened.reference(), "ACKNOWLEDGEMENT")).isEqualTo("MET");
        clock.advance(Duration.ofHours(5));
        scheduler.runDue("test").block();
        assertThat(escalations(opened.reference())).isZero();
        assertThat(db.sql("SELECT status FROM cases WHERE reference = :ref").bind("ref", opened.reference())
                .map(r -> r.get(0, String.class)).one().block()).isEqualTo("ACKNOWLEDGED");
        assertThat(page(as("officer.550"), "/console/cases/" + opened.reference()))
                .contains("Đã tiếp nhận").doesNotContain("id=\"ack-deadline\"").doesNotContain("id=\"acknowledge\"");
    }

    @Test
    void aCaseWithoutAcknowledgementStillEscalatesSoTheTimerTestCanFail() {
        OpenedCase opened = bullyingInTuyPhuoc();
        assertThat(page(as("officer.550"), "/console/cases/" + opened.reference())).contains("id=\"ack-deadline\"");

        clock.advance(Duration.ofHours(5));

        scheduler.runDue("test").block();
        assertThat(escalations(opened.reference())).isEqualTo(1);
    }

    @Test
    void openingACaseIsAuditedAndShowsItsTriage() {
        OpenedCase opened = bullyingInTuyPhuoc();

        String page = page(as("officer.550"), "/console/cases/" + opened.reference());

        assertThat(page).contains("Từ 11 đến 15 tuổi").contains("Trẻ em").contains("Hồ sơ này không đến từ cuộc gọi.");
        assertThat(db.sql("SELECT count(*) FROM audit_events WHERE action = 'CASE_READ' AND actor_id = 'officer.550' AND subject_id = :ref")
                .bind("ref", opened.reference()).map(r -> r.get(0, Long.class)).one().block()).isEqualTo(1);
    }

    @Test
    void anOfficerOfAnotherAreaGetsTheForbiddenPageAndCannotAct() {
        OpenedCase opened = bullyingInTuyPhuoc();

        as("officer.540").get("/console/cases/" + opened.reference())
                .expectStatus().isForbidden()
                .expectBody(String.class).value(body -> assertThat(body).contains("không thuộc địa bàn của bạn"));
        as("officer.540").post("/console/cases/" + opened.reference() + "/acknowledge")
                .expectStatus().isForbidden();
        assertThat(stateOf(opened.reference(), "ACKNOWLEDGEMENT")).isEqualTo("PENDING");
    }

    @Test
    void anOfficerCannotOpenSupervisorPages() {
        as("officer.550").get("/console/calls")
                .expectStatus().isForbidden()
                .expectBody(String.class).value(body -> assertThat(body).contains("id=\"problem\""));
    }

    @Test
    void closingWithoutAReasonIsRefusedWithTheCatalogMessage() {
        OpenedCase opened = bullyingInTuyPhuoc();

        as("officer.550").post("/console/cases/" + opened.reference() + "/transition", "to", "CLOSED", "reason", " ")
                .expectStatus().isSeeOther()
                .expectHeader().valueEquals("Location", "/console/cases/" + opened.reference() + "?problem=reason-required");
        assertThat(page(as("officer.550"), "/console/cases/" + opened.reference() + "?problem=reason-required&lang=en"))
                .contains("This needs a reason.");
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() {
        OpenedCase opened = bullyingInTuyPhuoc();

        as("officer.550").postWithoutCsrf("/console/cases/" + opened.reference() + "/acknowledge")
                .expectStatus().isForbidden();
        assertThat(stateOf(opened.reference(), "ACKNOWLEDGEMENT")).isEqualTo("PENDING");
    }

    /** A case opened from a recorded call whose caller's number is on file (sealed). */
    private String caseFromACallWithANumber() {
        java.util.UUID callId = java.util.UUID.randomUUID();
        vn.hotline.gateway.privacy.ProtectedNumber caller = personalData.protect(
                (vn.hotline.gateway.privacy.CallerId.Number) personalData.identify("+84905777001"),
                vn.hotline.gateway.privacy.DataField.CALLER_NUMBER);
        db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, caller_hash, caller_cipher, caller_key_id,
                                           caller_masked, started_at, answered_at, ivr_path, outcome, abandoned_at_node, ended_at)
                        VALUES (:id, 'ASTERISK_VOICE', 'asterisk', :key, 'NUMBER', :hash, :cipher, :keyId, :masked, :at, :at,
                                '{greeting,danger}', 'ABANDONED', 'danger', :at)""")
                .bind("id", callId).bind("key", "pbx-console/" + callId)
                .bind("hash", caller.lookupHash()).bind("cipher", caller.ciphertext()).bind("keyId", caller.keyId())
                .bind("masked", caller.masked()).bind("at", clock.instant().atOffset(java.time.ZoneOffset.UTC))
                .then().block();
        return cases.open(new vn.hotline.gateway.cases.CaseIntake(CaseFixtures.bullyingInTuyPhuoc(clock.instant()).triage(),
                clock.instant(), java.util.Optional.of(callId))).block().reference();
    }

    @Test
    void theCasePageOffersACallBackAndARefusalSaysWhyInTheOfficersLanguage() {
        String withCall = caseFromACallWithANumber();
        OpenedCase withoutCall = bullyingInTuyPhuoc();
        assertThat(page(as("officer.550"), "/console/cases/" + withoutCall.reference())).doesNotContain("id=\"callback-submit\"");
        assertThat(page(as("officer.550"), "/console/cases/" + withCall)).contains("id=\"callback-submit\"", "Gọi lại cho người gọi");

        // This test application has no AMI connection: the request is refused with the reason, nothing is dialled.
        as("officer.550").post("/console/cases/" + withCall + "/callback", "night", "yes")
                .expectStatus().isSeeOther()
                .expectHeader().valueEquals("Location", "/console/cases/" + withCall + "?problem=callback-unavailable");
        assertThat(page(as("officer.550"), "/console/cases/" + withCall + "?problem=callback-unavailable"))
                .contains("Hiện không thể gọi lại qua tổng đài.");
        assertThat(db.sql("SELECT count(*) FROM callbacks").map(r -> r.get(0, Long.class)).one().block()).isZero();
    }

    @Test
    void anOfficerCanInvokeTheEmergencyExceptionOnlyTowards111FromTheReferForm() {
        OpenedCase opened = bullyingInTuyPhuoc();
        ConsoleSession officer = as("officer.550");
        officer.post("/console/cases/" + opened.reference() + "/acknowledge").expectStatus().isSeeOther();

        officer.post("/console/cases/" + opened.reference() + "/refer", "target", "POLICE_CYBER_UNIT", "reason", "cần công an",
                        "emergencyDetails", "Bé ở thôn 3")
                .expectStatus().isSeeOther()
                .expectHeader().valueEquals("Location", "/console/cases/" + opened.reference() + "?problem=disclosure-target");
        officer.post("/console/cases/" + opened.reference() + "/refer", "target", "SWITCHBOARD_111", "reason", "trẻ nguy hiểm",
                        "emergencyDetails", "Bé ở thôn 3")
                .expectStatus().isSeeOther()
                .expectHeader().valueEquals("Location", "/console/cases/" + opened.reference() + "?done=referred");
        assertThat(db.sql("SELECT count(*) FROM audit_events WHERE action = 'REFERRAL_EMERGENCY_DISCLOSURE' AND subject_id = :r")
                .bind("r", opened.reference()).map(r -> r.get(0, Long.class)).one().block()).isEqualTo(1);
    }

    private static String body(WebTestClient.ResponseSpec response) {
        return response.expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void aTrainingCallRunsTheRealIvrShowsWhereTheCaseWouldGoAndOpensNoCaseAndNotifiesNobody() {
        long cases = db.sql("SELECT count(*) FROM cases").map(r -> r.get(0, Long.class)).one().block();
        long outbox = db.sql("SELECT count(*) FROM outbox").map(r -> r.get(0, Long.class)).one().block();
        ConsoleSession trainee = as("officer.550");
        assertThat(page(trainee, "/console/training")).contains("Cuộc gọi tập huấn", "id=\"training-start\"");

        String greeting = body(trainee.post("/console/training"));
        assertThat(greeting).contains("Đây là Đường dây bảo vệ trẻ em", "id=\"key-1\"");
        String id = db.sql("SELECT id::text FROM calls WHERE training").map(r -> r.get(0, String.class)).one().block();
        body(trainee.post("/console/training/" + id, "key", "3"));
        body(trainee.post("/console/training/" + id, "key", "2"));
        body(trainee.post("/console/training/" + id, "key", "1", "typed", "20"));
        String result = body(trainee.post("/console/training/" + id, "key", "1"));

        assertThat(result).contains("Hồ sơ sẽ được chuyển đến", "Cán bộ trực địa bàn: Cán bộ Tuy Phước",
                "Giám sát viên trực: Giám sát trực ban");
        String end = body(trainee.post("/console/training/" + id, "key", "1"));
        assertThat(end).contains("id=\"text-requested\"", "id=\"training-ended\"").doesNotContain("id=\"key-1\"");

        assertThat(db.sql("SELECT count(*) FROM cases").map(r -> r.get(0, Long.class)).one().block()).isEqualTo(cases);
        assertThat(db.sql("SELECT count(*) FROM outbox").map(r -> r.get(0, Long.class)).one().block()).isEqualTo(outbox);
        assertThat(db.sql("SELECT ended_at IS NOT NULL AND training AND cardinality(ivr_path) > 4 FROM calls WHERE id = CAST(:id AS uuid)")
                .bind("id", id).map(r -> r.get(0, Boolean.class)).one().block()).isTrue();
        CaseFixtures.as(web, "supervisor").get()
                .uri("/api/calls?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z")
                .exchange().expectStatus().isOk().expectBody(String.class)
                .value(list -> assertThat(list).doesNotContain(id));
    }
}
