package vn.hotline.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
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
import vn.hotline.gateway.cases.CaseIntake;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.cases.CaseStatus;
import vn.hotline.gateway.cases.EscalationScheduler;
import vn.hotline.gateway.cases.ReferralTarget;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.gateway.security.StaffDirectory;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.Urgency;

/** Reports against the plan's targets: figures, SVG charts, CSV of each table, in both languages. */
@GatewayTest
@Import(MutableClock.Config.class)
class ReportPagesTest {

    @Autowired
    WebTestClient web;
    @Autowired
    CaseService cases;
    @Autowired
    EscalationScheduler scheduler;
    @Autowired
    StaffDirectory staff;
    @Autowired
    RosterService roster;
    @Autowired
    DatabaseClient db;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;

    private String open(Category category, String district) {
        return cases.open(new CaseIntake(CaseFixtures.triage(Urgency.NORMAL, category, new LocationHint.FormerDistrict(district)),
                clock.instant(), Optional.empty())).block().reference();
    }

    @BeforeEach
    void februaryWithThreeCases() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        if (db.sql("SELECT count(*) FROM cases").map(r -> r.get(0, Long.class)).one().block() > 0) {
            return;
        }
        var officer = staff.find("officer.550").block();
        String acknowledgedAndPlanned = open(Category.CYBERBULLYING, "550");
        cases.acknowledge(acknowledgedAndPlanned, officer).block();
        cases.transition(acknowledgedAndPlanned, CaseStatus.ASSESSED, Optional.empty(), officer).block();
        cases.transition(acknowledgedAndPlanned, CaseStatus.PLANNED, Optional.empty(), officer).block();
        String referred = open(Category.CYBERBULLYING, "550");
        cases.acknowledge(referred, officer).block();
        cases.refer(referred, ReferralTarget.POLICE_CYBER_UNIT, "ảnh bị phát tán", officer).block();
        open(Category.ONLINE_SCAM, "540");
        clock.advance(Duration.ofHours(5));
        scheduler.runDue("test").block();
        clock.set(MutableClock.Config.START.plus(Duration.ofDays(40)));
    }

    @Test
    void theTargetsTableCountsSupportAndDeadlinesMetAgainstThoseCounted() {
        String page = ConsoleSession.login(web, "supervisor").page("/console/reports?from=2026-02&to=2026-02");

        String targets = page.substring(page.indexOf("id=\"targets\""), page.indexOf("</table>", page.indexOf("id=\"targets\"")));
        assertThat(targets).containsPattern("data-row=\"supported\">\\s*<th[^>]*>[^<]*</th>\\s*<td>2</td><td>3</td>\\s*<td>66%</td>");
        assertThat(targets).containsPattern("data-row=\"ACKNOWLEDGEMENT\">\\s*<th[^>]*>[^<]*</th>\\s*<td>2</td><td>3</td>");
        assertThat(page).contains("id=\"category-chart\"").contains("<rect class=\"bar\"").contains("Bắt nạt trên mạng")
                .contains("Báo cáo kết quả thực hiện kế hoạch");
    }

    @Test
    void everyTableHasItsCsvWithCatalogHeadersInThePagesLanguage() {
        ConsoleSession supervisor = ConsoleSession.login(web, "supervisor");

        assertThat(supervisor.page("/console/reports/category.csv?from=2026-02")).startsWith("Loại việc,Mã,Số hồ sơ\n")
                .contains("Bắt nạt trên mạng,CYBERBULLYING,2\n");
        assertThat(supervisor.page("/console/reports/category.csv?from=2026-02&lang=en")).startsWith("Category,Code,Cases\n");
        assertThat(supervisor.page("/console/reports/police.csv?from=2026-02")).contains(",PENDING,1\n");
        assertThat(supervisor.page("/console/reports/month.csv?from=2026-01&to=2026-03")).contains("2026-02,2026-02,3\n");
        for (String table : new String[] {"area", "age", "deadlines", "repeat"}) {
            assertThat(supervisor.page("/console/reports/" + table + ".csv?from=2026-02")).contains("\n");
        }
        supervisor.get("/console/reports/nothing.csv").expectStatus().isForbidden();
    }

    @Test
    void officersCannotReadReports() {
        ConsoleSession.login(web, "officer.550").get("/console/reports").expectStatus().isForbidden();
    }
}
