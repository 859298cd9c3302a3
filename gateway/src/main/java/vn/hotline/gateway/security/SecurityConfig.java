package vn.hotline.gateway.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.logout.RedirectServerLogoutSuccessHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.csrf.XorServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.reactive.DispatcherHandler;
import vn.hotline.gateway.security.internal.ConsoleAccessDenied;
import vn.hotline.gateway.security.internal.ConsoleSessionEnds;

/**
 * Who may reach what. The API is stateless (HTTP Basic on every request, so no cookie and no CSRF exposure); the
 * console uses a session with CSRF; provider webhooks authenticate by their signatures, never by a session.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfig {

    /** Paths whose callers prove themselves by signature (checked in their handlers), so no session or CSRF token. */
    static final String[] SIGNED_WEBHOOKS = {"/twilio/**", "/switchboard/**"};
    /** The console's login page (GET shows it, POST is the form login). */
    public static final String CONSOLE_LOGIN = "/console/login";
    /** Where the console sends a logged-in user after login. */
    public static final String CONSOLE_HOME = "/console";
    /** The console's "not allowed" page, answered with 403. */
    public static final String CONSOLE_FORBIDDEN = "/console/forbidden";
    /** Console pages for supervisors and administrators only. */
    static final String[] CONSOLE_SUPERVISOR_PATHS = {"/console/calls", "/console/calls/**", "/console/audit", "/console/audit/**",
        "/console/board", "/console/board/**", "/console/roster", "/console/roster/**", "/console/reports", "/console/reports/**"};

    /**
     * Twilio's and the switchboard's webhooks: anyone may call, the handler checks the signature. Stateless: no
     * security context from a session, no CSRF token, so a webhook never touches the session store (creating a
     * session hops to another thread twice, at every webhook).
     */
    @Bean
    @Order(0)
    SecurityWebFilterChain signedWebhookChain(ServerHttpSecurity http) {
        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers(SIGNED_WEBHOOKS))
                .authorizeExchange(ex -> ex.anyExchange().permitAll())
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .build();
    }

    /**
     * Spring Security observes logins only: a timed observation around every filter and every authorization decision
     * cost a tenth of a webhook's CPU, and the HTTP server's own request metrics already time each request.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.withDefaults().shouldObserveRequests(false).shouldObserveAuthorizations(false).build();
    }

    @Bean
    @Order(1)
    SecurityWebFilterChain apiChain(ServerHttpSecurity http) {
        return http
                // The OpenAPI description names every endpoint: staff only, with the API's own Basic login.
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/api/**", "/v3/api-docs", "/v3/api-docs/**"))
                .authorizeExchange(ex -> ex
                        .pathMatchers("/api/audit", "/api/audit/**").hasAnyRole(Role.SUPERVISOR.name(), Role.ADMIN.name())
                        .anyExchange().authenticated())
                .httpBasic(basic -> { })
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .build();
    }

    /**
     * The staff console: form login, a session cookie and CSRF on every form. Roles and service-area scoping are the
     * API's (the console's handlers go through the same services); a page a role may not see answers 403 from the
     * console's own error page.
     */
    @Bean
    @Order(2)
    SecurityWebFilterChain consoleChain(ServerHttpSecurity http, ObjectProvider<DispatcherHandler> dispatcher) {
        RedirectServerAuthenticationSuccessHandler toConsole = new RedirectServerAuthenticationSuccessHandler(CONSOLE_HOME);
        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/console", "/console/**"))
                .authorizeExchange(ex -> ex
                        .pathMatchers(HttpMethod.GET, CONSOLE_LOGIN, "/console/assets/**").permitAll()
                        .pathMatchers(CONSOLE_SUPERVISOR_PATHS).hasAnyRole(Role.SUPERVISOR.name(), Role.ADMIN.name())
                        .anyExchange().authenticated())
                .formLogin(form -> form
                        .loginPage(CONSOLE_LOGIN)
                        .authenticationSuccessHandler(toConsole)
                        .authenticationFailureHandler(ConsoleSessionEnds.loginFailed(CONSOLE_LOGIN)))
                .logout(logout -> logout
                        .logoutUrl("/console/logout")
                        .logoutSuccessHandler(loggedOut()))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint(ConsoleSessionEnds.entryPoint(CONSOLE_LOGIN))
                        .accessDeniedHandler(new ConsoleAccessDenied(dispatcher, CONSOLE_FORBIDDEN)))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .csrf(csrf -> csrf.csrfTokenRequestHandler(multipartToo())
                        .accessDeniedHandler(ConsoleSessionEnds.csrfRefused(CONSOLE_LOGIN, dispatcher, CONSOLE_FORBIDDEN)))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONSOLE_CSP)))
                .build();
    }

    /**
     * The console's pages load only the console's own script and style sheet (no inline script or style anywhere),
     * talk only to this server, and are framed by nobody.
     */
    public static final String CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /** The default (XOR-masked) token handling, also reading the token from multipart forms (the roster upload). */
    private static XorServerCsrfTokenRequestAttributeHandler multipartToo() {
        XorServerCsrfTokenRequestAttributeHandler handler = new XorServerCsrfTokenRequestAttributeHandler();
        handler.setTokenFromMultipartDataEnabled(true);
        return handler;
    }

    private static RedirectServerLogoutSuccessHandler loggedOut() {
        RedirectServerLogoutSuccessHandler handler = new RedirectServerLogoutSuccessHandler();
        handler.setLogoutSuccessUrl(java.net.URI.create(CONSOLE_LOGIN + "?logout"));
        return handler;
    }

    @Bean
    @Order(3)
    SecurityWebFilterChain defaultChain(ServerHttpSecurity http) {
        return http
                .authorizeExchange(ex -> ex
                        .pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus").permitAll()
                        .anyExchange().authenticated())
                .formLogin(form -> { })
                .build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }
}
