package vn.hotline.gateway.security.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.security.LoginLimits;

/**
 * Slows password guessing (issue 17): every login attempt, the console's form and the API's HTTP Basic, waits in
 * proportion to the recent failures of its account and of its address, so a guesser gets a few tries quickly and then
 * one every few seconds, while a person who mistyped twice notices nothing. A failure is a refused login (the form's
 * redirect to {@code ?error}, the API's 401); a success clears its account. Counts are kept per node for
 * {@link LoginLimits#window()} and forgotten after it. A burst (every {@link #BURST}th failure of an account or
 * address) is one warning line, never the password or the name.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class LoginThrottle implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
    /** Every this many failures of one account or address, one warning line. */
    static final int BURST = 20;
    private static final int MAX_KEYS = 100_000;

    private final Clock clock;
    private final LoginLimits limits;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Map<String, Counter> bursts;

    LoginThrottle(Clock clock, LoginLimits limits, MeterRegistry meters) {
        this.clock = clock;
        this.limits = limits;
        this.bursts = Map.of("account", burstCounter(meters, "account"), "address", burstCounter(meters, "address"));
    }

    private static Counter burstCounter(MeterRegistry meters, String scope) {
        return Counter.builder("hotline.login.bursts").tag("scope", scope)
                .description("Bursts of failed logins against one account or from one address").register(meters);
    }

    private record Failures(int count, Instant last) {
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        // The chain's own Mono<Void> completes empty: it must not be followed by a switchIfEmpty, or it runs twice.
        return attempt(exchange).map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(account -> {
            if (account.isEmpty()) {
                return chain.filter(exchange);
            }
            String address = "address:" + Optional.ofNullable(exchange.getRequest().getRemoteAddress())
                    .map(a -> a.getAddress().getHostAddress()).orElse("unknown");
            String user = "account:" + account.get().toLowerCase(Locale.ROOT);
            // The attempt after the free failures is the first to wait.
            Duration wait = longer(delay(count(user) - limits.freePerAccount() + 1),
                    delay(count(address) - limits.freePerAddress() + 1));
            exchange.getResponse().beforeCommit(() -> Mono.fromRunnable(() -> settle(exchange, user, address)));
            return wait.isZero() ? chain.filter(exchange) : Mono.delay(wait).then(chain.filter(exchange));
        });
    }

    /**
     * The account a request tries to log in as: the console's login form (its username field; the form is read once
     * and kept by the exchange for the login itself), or any API request with Basic. Empty for every other request.
     */
    private static Mono<String> attempt(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().value();
        if (HttpMethod.POST.equals(exchange.getRequest().getMethod()) && path.equals("/console/login")) {
            return exchange.getFormData().map(form -> Optional.ofNullable(form.getFirst("username")).orElse(""));
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (path.startsWith("/api/") && authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return Mono.just(colon < 0 ? decoded : decoded.substring(0, colon));
            } catch (IllegalArgumentException e) {
                return Mono.just("");
            }
        }
        return Mono.empty();
    }

    private void settle(ServerWebExchange exchange, String user, String address) {
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        String location = exchange.getResponse().getHeaders().getFirst(HttpHeaders.LOCATION);
        boolean refused = status != null && (status.value() == HttpStatus.UNAUTHORIZED.value()
                || status.is3xxRedirection() && location != null && location.endsWith("?error"));
        if (refused) {
            failed(user);
            failed(address);
        } else if (status != null && !status.isError()) {
            failures.remove(user);
        }
    }

    private void failed(String key) {
        Instant now = clock.instant();
        if (failures.size() > MAX_KEYS) {
            failures.entrySet().removeIf(e -> e.getValue().last().isBefore(now.minus(limits.window())));
        }
        Failures after = failures.compute(key, (k, before) -> before == null || before.last().isBefore(now.minus(limits.window()))
                ? new Failures(1, now) : new Failures(before.count() + 1, now));
        if (after.count() % BURST == 0) {
            String scope = key.substring(0, key.indexOf(':'));
            bursts.get(scope).increment();
            log.warn("Login burst: {} failed logins for one {} in the last {} min", after.count(), scope,
                    limits.window().toMinutes());
        }
    }

    private int count(String key) {
        Failures f = failures.get(key);
        return f == null || f.last().isBefore(clock.instant().minus(limits.window())) ? 0 : f.count();
    }

    /** The wait of the {@code beyondFree}th attempt after the free failures (none for zero or fewer). */
    private Duration delay(int beyondFree) {
        if (beyondFree <= 0) {
            return Duration.ZERO;
        }
        return longer(Duration.ZERO, shorter(limits.firstDelay().multipliedBy(1L << Math.min(beyondFree - 1, 20)),
                limits.longestDelay()));
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
