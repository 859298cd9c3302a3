package vn.hotline.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionManager;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.routing.RosterService;

/**
 * Issue 18, finding 2: nothing fails silently when a session ends. The session store's clock is moved past the
 * session's 30 minutes instead of waiting them out; the live stream's heartbeat is a second here (20 s in production).
 */
@GatewayTest
@TestPropertySource(properties = "hotline.console.heartbeat=1s")
class ConsoleSessionEndTest {

    /** Spring's default for a WebFlux session (server.reactive.session.timeout). */
    static final Duration SESSION_TIMEOUT = Duration.ofMinutes(30);

    @Autowired
    WebTestClient web;
    @Autowired
    WebSessionManager sessions;
    @Autowired
    RosterService roster;
    @Autowired
    DatabaseClient db;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    CaseService cases;

    private InMemoryWebSessionStore store;

    @BeforeEach
    void province() {
        CaseFixtures.ensureProvince(roster, db, passwords);
        store = (InMemoryWebSessionStore) ((DefaultWebSessionManager) sessions).getSessionStore();
        store.setClock(Clock.systemUTC());
    }

    @AfterEach
    void realTime() {
        store.setClock(Clock.systemUTC());
    }

    private void sessionClockAhead(Duration by) {
        store.setClock(Clock.offset(Clock.systemUTC(), by));
    }

    @Test
    void theLoginPageShowsANoticeOnlyWhenThereIsSomethingToSayAndKeepsTheUserNameAfterAFailure() {
        String first = page("/console/login");
        assertThat(first).doesNotContain("id=\"login-error\"", "id=\"logged-out\"", "id=\"session-expired\"");
        assertThat(page("/console/login?logout")).contains("id=\"logged-out\"").doesNotContain("id=\"login-error\"");
        assertThat(page("/console/login?expired")).contains("id=\"session-expired\"", "Phiên làm việc đã hết hạn")
                .doesNotContain("id=\"login-error\"");

        var form = web.get().uri("/console/login").exchange().expectBody(String.class).returnResult();
        LinkedMultiValueMap<String, String> fields = new LinkedMultiValueMap<>();
        fields.add("username", "officer.550");
        fields.add("password", "not-the-password");
        fields.add("_csrf", ConsoleSession.csrf(form.getResponseBody()));
        String location = web.post().uri("/console/login")
                .cookie("SESSION", form.getResponseCookies().getFirst("SESSION").getValue())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(fields))
                .exchange().expectStatus().is3xxRedirection().returnResult(Void.class)
                .getResponseHeaders().getLocation().toString();
        assertThat(location).isEqualTo("/console/login?error&username=officer.550");
        assertThat(page(location)).contains("id=\"login-error\"", "value=\"officer.550\"")
                .doesNotContain("id=\"session-expired\"", "id=\"logged-out\"");
    }

    @Test
    void afterTheSessionExpiredThePagesScriptGets401AndAPersonTheLoginPageThatSaysSoNeverA500OrABareAccessDenied() {
        ConsoleSession officer = ConsoleSession.login(web, "officer.550");
        String reference = cases.open(CaseFixtures.bullyingInTuyPhuoc(java.time.Instant.now())).block().reference();
        officer.get("/console/session").expectStatus().isNoContent();

        sessionClockAhead(SESSION_TIMEOUT.plusMinutes(1));

        officer.get("/console/session").expectStatus().isUnauthorized();
        officer.get("/console/queue/rows").expectStatus().isUnauthorized();
        officer.web().get().uri("/console/events").cookie("SESSION", officer.sessionCookie())
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isUnauthorized();
        officer.browse("/console").expectStatus().is3xxRedirection()
                .expectHeader().valueEquals("Location", "/console/login?expired");
        // A note typed on the case page and sent after the session ended: its CSRF token died with the session.
        officer.post("/console/cases/" + reference + "/notes", "text", "Đã gọi lại cho em").expectStatus().is3xxRedirection()
                .expectHeader().valueEquals("Location", "/console/login?expired");
    }

    @Test
    void anOpenLiveStreamKeepsItsSessionAliveAndAClosedPageLetsItExpire() {
        ConsoleSession officer = ConsoleSession.login(web, "officer.550");
        var stream = officer.web().get().uri("/console/events").cookie("SESSION", officer.sessionCookie())
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { }).getResponseBody();
        // 25 minutes pass on the session's clock while the page is open: the heartbeats count as activity.
        sessionClockAhead(SESSION_TIMEOUT.minusMinutes(5));
        List<ServerSentEvent<String>> seen = stream.take(3).collectList().block(Duration.ofSeconds(10));
        assertThat(seen).hasSize(3);

        // Another 25 minutes with the page closed: 25 since the last heartbeat, so the session is still there.
        sessionClockAhead(SESSION_TIMEOUT.minusMinutes(5).multipliedBy(2));
        officer.get("/console/session").expectStatus().isNoContent();

        // And 31 minutes after that with nothing open, it expires as usual.
        sessionClockAhead(SESSION_TIMEOUT.minusMinutes(5).multipliedBy(2).plus(SESSION_TIMEOUT).plusMinutes(1));
        officer.get("/console/session").expectStatus().isUnauthorized();
    }

    private String page(String uri) {
        return web.get().uri(uri).exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }
}
