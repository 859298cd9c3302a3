package vn.hotline.gateway.security.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.DefaultServerRedirectStrategy;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.security.ConsoleRequests;

/**
 * What the console does when a session is missing or over, so that nothing fails silently (issue 18): a page is sent
 * to the login page, which says the session expired when the browser still held one; a request the page's script
 * makes (the live event stream, a queue's rows) gets 401, which the script turns into a banner, instead of a login
 * page it would take for rows or an event stream; a form posted after expiry (its CSRF token died with the session)
 * is sent to log in again instead of a bare "Access Denied", and the script has kept what was typed. A failed login
 * comes back with the user name filled in.
 */
public final class ConsoleSessionEnds {

    /** The session cookie's name (Spring's default for WebFlux sessions). */
    static final String SESSION_COOKIE = "SESSION";
    private static final DefaultServerRedirectStrategy REDIRECT = new DefaultServerRedirectStrategy();

    private ConsoleSessionEnds() {
    }

    /** Not logged in: 401 for the script, the login page for a person (saying so when a session expired). */
    public static ServerAuthenticationEntryPoint entryPoint(String loginPage) {
        return (exchange, denied) -> {
            if (ConsoleRequests.fromScript(exchange)) {
                exchange.getResponse().setStatusCode(HttpStatus.UNAUTHORIZED);
                return exchange.getResponse().setComplete();
            }
            boolean expired = exchange.getRequest().getCookies().containsKey(SESSION_COOKIE);
            return REDIRECT.sendRedirect(exchange, URI.create(loginPage + (expired ? "?expired" : "")));
        };
    }

    /**
     * A refused CSRF token: after the session expired (nobody is logged in any more) the person logs in again; with
     * a live session it is the console's "not allowed" page, as for any other refusal.
     */
    public static ServerAccessDeniedHandler csrfRefused(String loginPage, ObjectProvider<DispatcherHandler> dispatcher,
                                                        String forbiddenPath) {
        ConsoleAccessDenied forbidden = new ConsoleAccessDenied(dispatcher, forbiddenPath);
        // The CSRF check runs before the security context is put on the exchange: the session says who is logged in.
        return (exchange, denied) -> exchange.getSession()
                .map(session -> session.getAttribute(
                        WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME) != null)
                // Only a browser that held a session (its cookie came along) had one expire: anything else without
                // a token, a forged cross-site post say, is refused.
                .flatMap(loggedIn -> loggedIn || !exchange.getRequest().getCookies().containsKey(SESSION_COOKIE)
                        ? forbidden.handle(exchange, denied)
                        : REDIRECT.sendRedirect(exchange, URI.create(loginPage + "?expired")));
    }

    /** A failed login: back to the form with the error and the user name as typed (never the password). */
    public static ServerAuthenticationFailureHandler loginFailed(String loginPage) {
        return (filterExchange, failure) -> filterExchange.getExchange().getFormData()
                .map(form -> form.getFirst("username") == null ? "" : form.getFirst("username"))
                .defaultIfEmpty("")
                .flatMap(username -> REDIRECT.sendRedirect(filterExchange.getExchange(), URI.create(loginPage + "?error"
                        + (username.isBlank() ? "" : "&username=" + URLEncoder.encode(username.strip(), StandardCharsets.UTF_8)))));
    }
}
