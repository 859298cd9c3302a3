package vn.hotline.gateway.security.internal;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Staff accounts from the {@code users} table (BCrypt hashes). */
@Component
class DatabaseUserDetailsService implements ReactiveUserDetailsService {

    private final DatabaseClient db;

    DatabaseUserDetailsService(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<UserDetails> findByUsername(String username) {
        return db.sql("SELECT username, password_hash, role, enabled FROM users WHERE username = :username")
                .bind("username", username)
                .map(row -> User.withUsername(row.get("username", String.class))
                        .password(row.get("password_hash", String.class))
                        .roles(row.get("role", String.class))
                        .disabled(!Boolean.TRUE.equals(row.get("enabled", Boolean.class)))
                        .build())
                .one();
    }
}
