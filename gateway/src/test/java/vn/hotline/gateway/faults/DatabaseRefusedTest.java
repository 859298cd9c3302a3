package vn.hotline.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.db.TestPostgres;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.console.ConsoleSession;
import vn.hotline.gateway.security.SecurityConfig;
import vn.hotline.gateway.routing.RosterService;

/**
 * PostgreSQL refuses this server's connections (its database closed to new connections, the open ones terminated):
 * a staff request is answered 503 with a problem detail and one log line, not a 500 with a stack trace per request,
 * as the demo answered before (found by hand: a console user during a database outage).
 */
@GatewayTest
@ExtendWith(OutputCaptureExtension.class)
class DatabaseRefusedTest {

    @Value("${hotline.test.database-name}")
    String database;
    @Autowired
    WebTestClient web;
    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;

    @Test
    void aStaffRequestWhileTheDatabaseRefusesGets503AndOneLogLineAndTheConsoleAPageInVietnamese(CapturedOutput output)
            throws Exception {
        CaseFixtures.ensureProvince(roster, db, passwords);
        WebTestClient staff = CaseFixtures.as(web, "supervisor");
        staff.get().uri("/api/cases").exchange().expectStatus().isOk();
        ConsoleSession console = ConsoleSession.login(web, "supervisor");

        try (Connection c = TestPostgres.get().server().superuserConnection("postgres"); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
        }
        int before = output.getAll().length();

        staff.get().uri("/api/cases").exchange().expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.type").isEqualTo("urn:hotline:problem:database-unavailable");

        console.browse("/console/calls?q=1").expectStatus().isEqualTo(503)
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader().valueEquals("Content-Security-Policy", SecurityConfig.CONSOLE_CSP)
                .expectBody(String.class).value(page -> assertThat(page).contains("<html lang=\"vi\"",
                        "<h1>Hệ thống chưa trả lời được</h1>", "Cơ sở dữ liệu tạm thời không truy cập được",
                        "<a href=\"/console/calls?q=1\">Thử lại</a>", "<a href=\"/console\">Về hàng chờ</a>"));
        console.browse("/console/calls?lang=en").expectStatus().isEqualTo(503)
                .expectBody(String.class).value(page -> assertThat(page).contains("<html lang=\"en\"",
                        "The database cannot be reached just now"));

        String logged = output.getAll().substring(before);
        assertThat(logged).contains("GET /api/cases refused with 503", "GET /console/calls refused with 503").doesNotContain("\tat ").doesNotContain("500 Server Error");
    }
}
