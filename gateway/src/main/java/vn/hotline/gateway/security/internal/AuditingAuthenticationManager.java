package vn.hotline.gateway.security.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.AuditProperties;
import vn.hotline.gateway.audit.Subject;

/**
 * Checks passwords (HTTP Basic and the console's form login both come here) and records logins. Every refusal is
 * recorded; a success once per quiet period per user, because HTTP Basic authenticates every API request and the
 * log would otherwise drown in them. A refused name that is no account is recorded as {@code user:unknown}, with the
 * name only in the keyed digest: people type phone numbers into login boxes.
 */
@Component
class AuditingAuthenticationManager implements ReactiveAuthenticationManager {

    private static final Subject UNKNOWN_USER = new Subject("user", "unknown");

    private final ReactiveAuthenticationManager passwords;
    private final PasswordEncoder encoder;
    /** A hash no password matches, checked for a name that is no account, so that it answers as slowly as a real one. */
    private final String unknownUsersHash;
    private final DatabaseClient db;
    private final AuditLog audit;
    private final Clock clock;
    private final AuditProperties properties;
    /** Last recorded success per username, this node only; only names that logged in successfully are kept. */
    private final Map<String, Instant> lastRecordedSuccess = new ConcurrentHashMap<>();

    AuditingAuthenticationManager(ReactiveUserDetailsService users, PasswordEncoder encoder, DatabaseClient db, AuditLog audit,
                                  Clock clock, AuditProperties properties) {
        UserDetailsRepositoryReactiveAuthenticationManager manager = new UserDetailsRepositoryReactiveAuthenticationManager(users);
        manager.setPasswordEncoder(encoder);
        this.passwords = manager;
        this.encoder = encoder;
        this.unknownUsersHash = encoder.encode(java.util.UUID.randomUUID().toString());
        this.db = db;
        this.audit = audit;
        this.clock = clock;
        this.properties = properties;
    }

    @Override
    public Mono<Authentication> authenticate(Authentication attempt) {
        String username = attempt.getName();
        return passwords.authenticate(attempt)
                .flatMap(ok -> recordSuccess(ok.getName()).thenReturn(ok))
                .onErrorResume(AuthenticationException.class, refused -> recordFailure(username, refused)
                        .filter(known -> !known)
                        // An unknown name costs the same hash check as a wrong password, or timing tells names apart.
                        .flatMap(unknown -> Mono.fromCallable(() -> encoder.matches(String.valueOf(attempt.getCredentials()),
                                unknownUsersHash)).subscribeOn(Schedulers.boundedElastic()))
                        .then(Mono.error(refused)));
    }

    private Mono<Void> recordSuccess(String username) {
        Instant now = clock.instant();
        Instant last = lastRecordedSuccess.get(username);
        if (last != null && now.isBefore(last.plus(properties.loginQuietPeriod()))) {
            return Mono.empty();
        }
        lastRecordedSuccess.put(username, now);
        return audit.record(new AuditEntry(Actor.user(username), AuditAction.LOGIN_SUCCEEDED, new Subject("user", username), Map.of()));
    }

    /** Records the refusal; emits whether the name is an account. */
    private Mono<Boolean> recordFailure(String username, AuthenticationException refused) {
        String name = username == null ? "" : username;
        return db.sql("SELECT EXISTS (SELECT 1 FROM users WHERE username = :u) AS known").bind("u", name)
                .map(row -> row.get("known", Boolean.class)).one()
                .flatMap(known -> {
                    Subject subject = Boolean.TRUE.equals(known) ? new Subject("user", name) : UNKNOWN_USER;
                    Actor actor = Boolean.TRUE.equals(known) ? Actor.user(name) : new Actor("USER", "unknown");
                    return audit.record(new AuditEntry(actor, AuditAction.LOGIN_FAILED, subject,
                            Map.of("username", name, "reason", refused.getClass().getSimpleName()))).thenReturn(Boolean.TRUE.equals(known));
                });
    }
}
