package vn.hotline.gateway.db.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.r2dbc.ConnectionFactoryBuilder;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;
import reactor.core.publisher.Mono;

/**
 * The connection pool, as Spring Boot would build it from {@code spring.r2dbc.*}, with one addition Boot has no
 * setting for: a connection never goes back to the pool inside a transaction. A time limit can cancel a transaction
 * between statements, or its COMMIT before it is sent (a frozen database, issue 17); the pool then took the
 * connection back with PostgreSQL's transaction still open, and the next borrower's statements ran inside it, never
 * committed, holding their row locks (found by the freeze test: an outbox claim 10 s into someone else's
 * transaction). On release, a connection whose protocol state is not idle is rolled back within
 * {@link #ROLLBACK_WITHIN}; if that fails, the pool discards the connection instead of lending it again.
 */
@Configuration(proxyBeanMethods = false)
class ConnectionPoolConfig {

    private static final Logger log = LoggerFactory.getLogger(ConnectionPoolConfig.class);
    static final Duration ROLLBACK_WITHIN = Duration.ofSeconds(2);

    @Bean(destroyMethod = "dispose")
    ConnectionPool connectionFactory(R2dbcProperties properties, MeterRegistry meters) {
        ConnectionFactory unpooled = ConnectionFactoryBuilder.withUrl(properties.getUrl())
                .username(properties.getUsername()).password(properties.getPassword()).build();
        R2dbcProperties.Pool pool = properties.getPool();
        ConnectionPoolConfiguration.Builder builder = ConnectionPoolConfiguration.builder(unpooled)
                .initialSize(pool.getInitialSize())
                .maxSize(pool.getMaxSize())
                .minIdle(pool.getMinIdle())
                .acquireRetry(pool.getAcquireRetry())
                .validationDepth(pool.getValidationDepth());
        set(pool.getMaxIdleTime(), builder::maxIdleTime);
        set(pool.getMaxLifeTime(), builder::maxLifeTime);
        set(pool.getMaxAcquireTime(), builder::maxAcquireTime);
        set(pool.getMaxCreateConnectionTime(), builder::maxCreateConnectionTime);
        set(pool.getMaxValidationTime(), builder::maxValidationTime);
        if (StringUtils.hasText(pool.getValidationQuery())) {
            builder.validationQuery(pool.getValidationQuery());
        }
        Counter rolledBack = Counter.builder("hotline.database.released.in.transaction")
                .description("Connections that came back to the pool inside a transaction and were rolled back or discarded")
                .register(meters);
        builder.preRelease(connection -> endOpenTransaction(connection, rolledBack));
        return new ConnectionPool(builder.build());
    }

    /** Rolls back a transaction still open on a connection coming back to the pool; an error makes the pool discard it. */
    static Publisher<Void> endOpenTransaction(Connection connection, Counter rolledBack) {
        // PostgreSQL's driver answers from the protocol's own transaction status: idle means no transaction is open.
        if (connection.isAutoCommit()) {
            return Mono.empty();
        }
        rolledBack.increment();
        return Mono.from(connection.rollbackTransaction())
                .timeout(ROLLBACK_WITHIN)
                .doOnSuccess(done -> log.info("A connection came back to the pool inside a transaction (a time limit cut "
                        + "it short); rolled back"))
                .doOnError(e -> log.warn("A connection came back to the pool inside a transaction and could not be "
                        + "rolled back within {} ({}); discarded", ROLLBACK_WITHIN, e.toString()));
    }

    private static <T> void set(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}
