package vn.hotline.gateway.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.routing.RosterService;

@GatewayTest
@Import(MutableClock.Config.class)
class RosterApiTest {

    @Autowired
    WebTestClient web;
    @Autowired
    RosterService roster;
    @Autowired
    DatabaseClient db;
    @Autowired
    PasswordEncoder passwords;

    @BeforeEach
    void province() {
        CaseFixtures.ensureProvince(roster, db, passwords);
    }

    private WebTestClient as(String username) {
        return CaseFixtures.as(web, username);
    }

    private String fingerprint() {
        return db.sql("""
                        SELECT (SELECT string_agg(roster_id || display_name || active, ',' ORDER BY roster_id) FROM officers)
                            || (SELECT string_agg(officer_id || duty || starts_at, ',' ORDER BY officer_id, starts_at) FROM rota_shifts)""")
                .map(r -> r.get(0, String.class)).one().block();
    }

    @Test
    void aRosterWithBadLinesReportsEveryOneByNumberAndChangesNothing() {
        String before = fingerprint();
        String officers = CaseFixtures.OFFICERS + "x1,,550,CYBERBULLYING,+84 912 000 001,vi\n"
                + "x2,Someone,999,NOT_A_SKILL,+84 912 000 002,vi\n";
        String shifts = CaseFixtures.SHIFTS + "o550,ON_CALL,550,2026-02-13T07:00,2026-02-13T06:00\nnobody,EMERGENCY,,2026-02-13T00:00,2026-02-14T00:00\n";

        as("supervisor").post().uri("/api/roster").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("officersCsv", officers, "shiftsCsv", shifts)).exchange()
                .expectStatus().isEqualTo(422)
                .expectBody()
                .jsonPath("$.type").isEqualTo("urn:hotline:problem:roster-rejected")
                .jsonPath("$.errors[?(@.file == 'officers')].line").value(lines -> assertThat((java.util.List<Object>) lines).contains(7, 8))
                .jsonPath("$.errors[?(@.file == 'shifts')].line").value(lines -> assertThat((java.util.List<Object>) lines).contains(7, 8));
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void aNewOfficerWithoutAPhoneNumberIsRejected() {
        as("supervisor").post().uri("/api/roster").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("officersCsv", CaseFixtures.OFFICERS + "new1,Người mới,550,COUNSELLING,09x xxx x123,vi\n",
                        "shiftsCsv", CaseFixtures.SHIFTS)).exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.errors[0].line").isEqualTo(7);
    }

    @Test
    void theExportMasksPhonesAndImportingItBackChangesNothing() {
        RosterService.Export export = as("supervisor").get().uri("/api/roster").exchange().expectStatus().isOk()
                .expectBody(RosterService.Export.class).returnResult().getResponseBody();
        assertThat(export.officersCsv()).contains("o550").doesNotContain("912000550").contains("09x xxx x550");
        String phonesBefore = db.sql("SELECT string_agg(encode(phone_hash, 'hex'), ',' ORDER BY roster_id) FROM officers")
                .map(r -> r.get(0, String.class)).one().block();

        as("supervisor").post().uri("/api/roster").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("officersCsv", export.officersCsv(), "shiftsCsv", export.shiftsCsv())).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.officers").isEqualTo(5).jsonPath("$.deactivated").isEqualTo(0);
        assertThat(db.sql("SELECT string_agg(encode(phone_hash, 'hex'), ',' ORDER BY roster_id) FROM officers")
                .map(r -> r.get(0, String.class)).one().block()).isEqualTo(phonesBefore);
    }

    @Test
    void onlySupervisorsAndAdminsTouchTheRoster() {
        as("officer.550").get().uri("/api/roster").exchange().expectStatus().isForbidden();
        as("officer.550").post().uri("/api/roster").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("officersCsv", "", "shiftsCsv", "")).exchange().expectStatus().isForbidden();
    }
}
