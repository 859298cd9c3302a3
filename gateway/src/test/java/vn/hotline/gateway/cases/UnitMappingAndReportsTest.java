package vn.hotline.gateway.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
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
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.Urgency;

@GatewayTest
@Import(MutableClock.Config.class)
class UnitMappingAndReportsTest {

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

    @BeforeEach
    void province() {
        CaseFixtures.ensureProvince(roster, db, passwords);
    }

    private WebTestClient as(String username) {
        return CaseFixtures.as(web, username);
    }

    private OpenedCase reportFromCommune(String code) {
        return cases.open(new CaseIntake(CaseFixtures.triage(Urgency.NORMAL, Category.ONLINE_SCAM, new LocationHint.Commune(code)),
                clock.instant(), Optional.empty())).block();
    }

    @Test
    void anAdministratorsCorrectionOfTheMappingRoutesNewCasesToTheNewAreaAndKeepsOldOnes() {
        // 21553 is Quy Nhơn Bắc from 2025-07-01, in the former Quy Nhơn (540) by default.
        OpenedCase before = reportFromCommune("21553");
        assertThat(before.decision().location().serviceArea()).contains("540");

        as("officer.540").put().uri("/api/admin/units/21553/area").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serviceArea", "550", "validOn", "2026-02-12", "reason", "x")).exchange()
                .expectStatus().isForbidden();
        as("admin").put().uri("/api/admin/units/21553/area").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serviceArea", "550", "validOn", "2026-02-12", "reason", "Xã sáp nhập thuộc phần lớn Tuy Phước cũ"))
                .exchange().expectStatus().isNoContent();

        OpenedCase after = reportFromCommune("21553");
        assertThat(after.decision().location().serviceArea()).contains("550");
        assertThat(db.sql("SELECT service_area_code FROM cases WHERE reference = :r").bind("r", before.reference())
                .map(r -> r.get(0, String.class)).one().block()).isEqualTo("540");
        assertThat(db.sql("SELECT count(*) FROM audit_events WHERE action = 'UNIT_AREA_CORRECTED'")
                .map(r -> r.get(0, Long.class)).one().block()).isEqualTo(1);
    }

    @Test
    void reportsGroupCasesByFormerDistrictAcrossTheReform() {
        // One report in 2024 from a 2022 commune of Tuy Phước, one today from Tuy Phước as a former district.
        cases.open(new CaseIntake(CaseFixtures.triage(Urgency.NORMAL, Category.CYBERBULLYING, new LocationHint.Commune("21955")),
                java.time.Instant.parse("2024-05-02T03:00:00Z"), Optional.empty())).block();
        cases.open(CaseFixtures.bullyingInTuyPhuoc(clock.instant())).block();

        as("supervisor").get().uri(u -> u.path("/api/reports/cases").queryParam("groupBy", "FORMER_DISTRICT")
                        .queryParam("from", "2024-01-01T00:00:00Z").queryParam("to", "2027-01-01T00:00:00Z").build())
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.group == '550' && @.category == 'CYBERBULLYING')].cases").isEqualTo(java.util.List.of(2));
        as("officer.550").get().uri(u -> u.path("/api/reports/cases")
                        .queryParam("from", "2024-01-01T00:00:00Z").queryParam("to", "2027-01-01T00:00:00Z").build())
                .exchange().expectStatus().isForbidden();
    }
}
