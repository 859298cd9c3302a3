package vn.hotline.gateway.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.routing.RosterService;

/** The case API across roles and service areas: what each may see and do, and errors as problem details. */
@GatewayTest
@Import(MutableClock.Config.class)
class CasesApiTest {

    private static final String NOTE = "Em nói kẻ xấu tên là Tuấn";

    @Autowired
    WebTestClient web;
    @Autowired
    CaseService cases;
    @Autowired
    RosterService roster;
    @Autowired
    DatabaseClient db;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;

    private String reference;

    @BeforeEach
    void aCaseInTuyPhuoc() {
        CaseFixtures.ensureProvince(roster, db, passwords);
        reference = cases.open(CaseFixtures.bullyingInTuyPhuoc(clock.instant())).block().reference();
    }

    private WebTestClient as(String username) {
        return CaseFixtures.as(web, username);
    }

    /** Every endpoint that touches one case, as a request against the reference. */
    private List<Function<WebTestClient, WebTestClient.ResponseSpec>> everyCaseEndpoint() {
        UUID backup = CaseFixtures.officerId(db, "b550");
        return List.of(
                c -> c.get().uri("/api/cases/{ref}", reference).exchange(),
                c -> c.post().uri("/api/cases/{ref}/acknowledge", reference).exchange(),
                c -> c.post().uri("/api/cases/{ref}/transitions", reference).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("to", "CLOSED", "reason", "trùng lặp")).exchange(),
                c -> c.post().uri("/api/cases/{ref}/notes", reference).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("text", "ghi chú")).exchange(),
                c -> c.post().uri("/api/cases/{ref}/referrals", reference).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("target", "SCHOOL", "reason", "trẻ đồng ý")).exchange(),
                c -> c.post().uri("/api/cases/{ref}/assignment", reference).contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("officerId", backup.toString(), "reason", "nghỉ phép")).exchange());
    }

    @Test
    void anOfficerOfAnotherAreaFindsNoTraceOfTheCaseOnAnyEndpoint() {
        for (var endpoint : everyCaseEndpoint()) {
            endpoint.apply(as("officer.540")).expectStatus().isNotFound()
                    .expectBody().jsonPath("$.type").isEqualTo("urn:hotline:problem:case-not-found");
        }
        as("officer.540").get().uri("/api/cases").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.reference == '" + reference + "')]").doesNotExist();
    }

    @Test
    void withoutLoginEveryEndpointIsRefused() {
        for (var endpoint : everyCaseEndpoint()) {
            endpoint.apply(web).expectStatus().isUnauthorized();
        }
    }

    @Test
    void theOfficerOfTheAreaSeesAndWorksTheCaseButCannotReassignIt() {
        as("officer.550").get().uri("/api/cases").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.reference == '" + reference + "')].status").isEqualTo(List.of("ROUTED"));
        as("officer.550").get().uri("/api/cases/{ref}", reference).exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.summary.reference").isEqualTo(reference)
                .jsonPath("$.routing.ladder[0].kind").isEqualTo("AREA_ON_CALL")
                .jsonPath("$.routing.reasons").isNotEmpty();
        as("officer.550").post().uri("/api/cases/{ref}/acknowledge", reference).exchange().expectStatus().isNoContent();
        as("officer.550").post().uri("/api/cases/{ref}/assignment", reference).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("officerId", CaseFixtures.officerId(db, "b550").toString(), "reason", "x"))
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.type").isEqualTo("urn:hotline:problem:forbidden");
    }

    @Test
    void theSupervisorSeesEveryAreaAndReassigns() {
        as("supervisor").get().uri("/api/cases/{ref}", reference).exchange().expectStatus().isOk();
        as("supervisor").post().uri("/api/cases/{ref}/assignment", reference).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("officerId", CaseFixtures.officerId(db, "b550").toString(), "reason", "nghỉ phép"))
                .exchange().expectStatus().isNoContent();
        // The backup now holds it, so sees it although the area filter alone would also show it.
        as("backup.550").get().uri("/api/cases/{ref}", reference).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.summary.assignedOfficerName").isEqualTo("Cán bộ dự phòng Tuy Phước");
    }

    @Test
    void notesAreEncryptedAtRestAndShownToAuthorisedReaders() {
        as("officer.550").post().uri("/api/cases/{ref}/notes", reference).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("text", NOTE)).exchange().expectStatus().isNoContent();
        as("officer.550").get().uri("/api/cases/{ref}", reference).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.events[?(@.type == 'NOTE')].note").isEqualTo(List.of(NOTE));
        String stored = db.sql("SELECT string_agg(row_to_json(e)::text, '') FROM case_events e").map(r -> r.get(0, String.class)).one().block();
        assertThat(stored).doesNotContain("Tuấn");
    }

    @Test
    void reasonsStaffTypeAreEncryptedAtRestAndShownBackToAuthorisedReaders() {
        String referral = "Đã gọi lại mẹ em ở số +84900111999";
        String reassignment = "Chị Hoa nghỉ phép, số nhà 12";
        String closing = "Em Lan đã an toàn ở nhà bà";
        as("officer.550").post().uri("/api/cases/{ref}/acknowledge", reference).exchange().expectStatus().is2xxSuccessful();
        as("supervisor").post().uri("/api/cases/{ref}/referrals", reference).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("target", "SCHOOL", "reason", referral)).exchange().expectStatus().is2xxSuccessful();
        as("supervisor").post().uri("/api/cases/{ref}/assignment", reference).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("officerId", CaseFixtures.officerId(db, "b550").toString(), "reason", reassignment))
                .exchange().expectStatus().isNoContent();
        as("supervisor").post().uri("/api/cases/{ref}/transitions", reference).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("to", "CLOSED", "reason", closing)).exchange().expectStatus().is2xxSuccessful();

        as("supervisor").get().uri("/api/cases/{ref}", reference).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.events[?(@.type == 'REASSIGNED')].reason").isEqualTo(List.of(reassignment))
                .jsonPath("$.events[?(@.to == 'CLOSED')].reason").isEqualTo(List.of(closing))
                .jsonPath("$.referrals[?(@.target == 'SCHOOL')].reason")
                .value(reasons -> assertThat((List<Object>) reasons).as("beside the routing's own co-referral").contains((Object) referral));
        for (String table : List.of("case_events", "referrals")) {
            String stored = db.sql("SELECT string_agg(row_to_json(t)::text, '') FROM " + table + " t")
                    .map(r -> r.get(0, String.class)).one().block();
            assertThat(stored).as(table).doesNotContain("84900111999", "nghỉ phép", "an toàn", "Lan");
            assertThat(db.sql("SELECT count(*) FROM " + table + " WHERE reason IS NOT NULL").map(r -> r.get(0, Long.class))
                    .one().block()).as(table + " reasons in clear").isZero();
        }
    }

    @Test
    void everyReadOfACaseIsAudited() {
        as("supervisor").get().uri("/api/cases/{ref}", reference).exchange().expectStatus().isOk();
        as("supervisor").get().uri("/api/cases/{ref}", reference).exchange().expectStatus().isOk();
        Long reads = db.sql("SELECT count(*) FROM audit_events WHERE action = 'CASE_READ' AND subject_id = :ref AND actor_id = 'supervisor'")
                .bind("ref", reference).map(r -> r.get(0, Long.class)).one().block();
        assertThat(reads).isEqualTo(2);
    }

    @Test
    void badRequestsGetProblemDetails() {
        as("officer.550").post().uri("/api/cases/{ref}/transitions", reference).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("to", "PLANNED")).exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:hotline:problem:invalid-transition");
        as("officer.550").post().uri("/api/cases/{ref}/transitions", reference).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("to", "CLOSED")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.type").isEqualTo("urn:hotline:problem:reason-required");
        as("officer.550").post().uri("/api/cases/{ref}/transitions", reference).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("to", "NOT_A_STATUS")).exchange()
                .expectStatus().isBadRequest();
        as("officer.550").method(HttpMethod.POST).uri("/api/cases/{ref}/notes", reference).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("text", "")).exchange()
                .expectStatus().isBadRequest();
    }

    @Test
    void theOpenApiDescriptionIsServedToStaffOnly() {
        web.get().uri("/v3/api-docs").exchange().expectStatus().isUnauthorized();
        // Built on first request by scanning every controller: seconds on a busy 2-core machine, so a longer wait.
        CaseFixtures.as(web, "officer.550").mutate().responseTimeout(java.time.Duration.ofSeconds(30)).build()
                .get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.paths['/api/cases/{reference}']").exists();
    }
}
