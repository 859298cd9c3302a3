package vn.hotline.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.routing.RosterService;

/** Password guessing is slowed per account, and an unknown name answers as slowly as a known one (issue 17). */
@GatewayTest
@ExtendWith(OutputCaptureExtension.class)
// Waits far longer than a request takes on a busy machine, so that the checks below tell a wait from a slow request.
@TestPropertySource(properties = {"hotline.security.login.first-delay=1500ms", "hotline.security.login.longest-delay=3s",
        "hotline.security.login.free-per-address=1000"})
class LoginThrottleTest {

    @Autowired
    WebTestClient web;
    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;

    @BeforeEach
    void province() {
        CaseFixtures.ensureProvince(roster, db, passwords);
    }

    private long millis(String username, String password, int status) {
        long began = System.nanoTime();
        web.mutate().responseTimeout(Duration.ofSeconds(30)).build().get().uri("/api/me")
                .headers(h -> h.setBasicAuth(username, password)).exchange().expectStatus().isEqualTo(status);
        return Duration.ofNanos(System.nanoTime() - began).toMillis();
    }

    @Test
    void afterThreeFreeFailuresEveryAttemptOnTheAccountWaitsAndTheRightPasswordClearsIt(CapturedOutput output) {
        for (int i = 0; i < 3; i++) {
            assertThat(millis("officer.540", "wrong-" + i, 401)).as("a person mistyping waits for nothing").isLessThan(1000);
        }
        assertThat(millis("officer.540", "wrong-4", 401)).as("the 4th attempt waits").isGreaterThanOrEqualTo(1500);
        assertThat(millis("officer.540", "wrong-5", 401)).as("doubling, up to the longest").isGreaterThanOrEqualTo(3000);
        assertThat(millis("officer.540", "test-password", 200)).as("the right one too waits, and then clears")
                .isGreaterThanOrEqualTo(3000);
        assertThat(millis("officer.540", "test-password", 200)).isLessThan(1000);
        assertThat(millis("officer.550", "wrong", 401)).as("another account is not slowed").isLessThan(1000);
        assertThat(output.getAll()).doesNotContain("wrong-4");
    }

    @Test
    void anUnknownNameTakesAsLongAsAWrongPasswordOfAKnownOne() {
        long known = 0;
        long unknown = 0;
        for (int i = 0; i < 3; i++) {
            known += millis("supervisor", "not-it", 401);
            unknown += millis("nobody-" + i, "not-it", 401);
        }
        // BCrypt's check dominates both (about 60 ms each); before, an unknown name answered in about 3 ms.
        assertThat(unknown).isGreaterThan(known / 3);
    }
}
