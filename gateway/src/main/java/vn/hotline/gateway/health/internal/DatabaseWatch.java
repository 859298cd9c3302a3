package vn.hotline.gateway.health.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.db.DatabaseProperties;
import vn.hotline.gateway.health.BackgroundLoop;
import vn.hotline.gateway.health.FailureLog;

/**
 * Probes PostgreSQL through the pool every few seconds, in the background, so that nothing else has to: the health
 * component {@code r2dbc} and {@code hotline_database_up} answer from the last probe at once (a frozen database no
 * longer hangs the health endpoint), and an outage is two log lines with a count, not a stack trace per query.
 * When the pool keeps failing while a fresh connection to the same database works, the pool is stuck: liveness turns
 * BROKEN so the service manager restarts this server, and back to CORRECT if the pool recovers first. Where the
 * database's files are on this machine (the embedded data directory), each probe also reads the free space there: a
 * full disk fails writes while reads and {@code SELECT 1} still work, so it is said on its own (one ERROR line, health
 * DOWN, {@code hotline_database_disk_free_bytes}) until space is back.
 */
@Component("r2dbcHealthIndicator")
class DatabaseWatch extends RunningLoop implements ReactiveHealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(DatabaseWatch.class);

    private final DatabaseClient db;
    private final ConnectionFactory direct;
    private final DatabaseProperties.Watch settings;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final FailureLog failures;
    private final Counter probeFailures;
    private volatile boolean up = true;
    private volatile String lastError = "";
    private volatile boolean broken;
    private final Optional<Path> disk;
    private final long minFreeDisk;
    private volatile double freeBytes = Double.NaN;
    private volatile boolean diskFull;

    DatabaseWatch(DatabaseClient db, ConnectionFactory pool, DatabaseProperties properties,
                  ApplicationEventPublisher events, Clock clock, MeterRegistry meters) {
        this.db = db;
        this.direct = pool instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof ConnectionFactory inner
                ? inner : pool;
        this.settings = properties.watch();
        this.disk = properties.localDataPath();
        this.minFreeDisk = settings.minFreeDisk().toBytes();
        this.events = events;
        this.clock = clock;
        this.failures = new FailureLog(log, "Database", clock);
        this.probeFailures = Counter.builder("hotline.database.probe.failures")
                .description("Database probes through the pool that failed or went unanswered").register(meters);
        Gauge.builder("hotline.database.up", this, watch -> watch.up ? 1 : 0)
                .description("1 when the last probe reached PostgreSQL through the pool").register(meters);
        Gauge.builder("hotline.database.disk.free", this, watch -> watch.freeBytes).baseUnit("bytes")
                .description("Free space where PostgreSQL writes, when that is on this machine (NaN otherwise)")
                .register(meters);
    }

    @Override
    public Mono<Health> health() {
        if (!up) {
            return Mono.just(Health.down().withDetail("error", lastError)
                    .withDetail("since", String.valueOf(failures.failingSince())).build());
        }
        return Mono.just(diskFull ? Health.down().withDetail("error", "disk full")
                .withDetail("freeBytes", (long) freeBytes).build() : Health.up().build());
    }

    /** Reads the free space where the database writes, and says so once when it runs out and once when it is back. */
    private void checkDisk() {
        if (disk.isEmpty()) {
            return;
        }
        Path path = disk.get();
        long free;
        try {
            free = Files.getFileStore(existing(path)).getUsableSpace();
        } catch (IOException e) {
            return;
        }
        freeBytes = free;
        if (!diskFull && free < minFreeDisk) {
            diskFull = true;
            log.error("The disk PostgreSQL writes to is full: {} MB free under {} (the minimum is {} MB); calls, cases and "
                    + "audit events may not be stored until space is freed there", free >> 20, path.toAbsolutePath(),
                    minFreeDisk >> 20);
        } else if (diskFull && free >= minFreeDisk + minFreeDisk / 2) {
            diskFull = false;
            log.info("Disk space where PostgreSQL writes is back: {} MB free under {}", free >> 20, path.toAbsolutePath());
        }
    }

    /** The path, or its nearest existing parent (the data directory may not be created yet). */
    private static Path existing(Path path) {
        Path candidate = path.toAbsolutePath();
        while (candidate != null && !Files.exists(candidate)) {
            candidate = candidate.getParent();
        }
        return candidate == null ? path.toAbsolutePath().getRoot() : candidate;
    }

    /**
     * One probe: through the pool, and when that fails long enough, a fresh connection to tell a stuck pool apart.
     * Never fails: the outcome is in the state it leaves.
     */
    Mono<Void> probe() {
        checkDisk();
        return db.sql("SELECT 1").fetch().rowsUpdated().then()
                .timeout(settings.timeout())
                .doOnSuccess(ok -> recovered())
                .onErrorResume(this::failed);
    }

    private void recovered() {
        up = true;
        failures.succeeded();
        if (broken) {
            broken = false;
            log.info("Database pool works again: liveness CORRECT");
            AvailabilityChangeEvent.publish(events, this, LivenessState.CORRECT);
        }
    }

    private Mono<Void> failed(Throwable error) {
        up = false;
        lastError = error.getClass().getSimpleName();
        probeFailures.increment();
        failures.failed(error);
        Instant since = failures.failingSince();
        if (broken || since == null || Duration.between(since, clock.instant()).compareTo(settings.brokenAfter()) < 0) {
            return Mono.empty();
        }
        return Mono.usingWhen(Mono.from(direct.create()),
                        connection -> Mono.from(connection.createStatement("SELECT 1").execute())
                                .flatMap(result -> Mono.from(result.getRowsUpdated())),
                        Connection::close)
                .timeout(settings.timeout())
                .doOnSuccess(ok -> {
                    broken = true;
                    log.error("Database answers a fresh connection but not the pool for {} s: liveness BROKEN (restart this server)",
                            Duration.between(since, clock.instant()).toSeconds());
                    AvailabilityChangeEvent.publish(events, this, LivenessState.BROKEN);
                })
                .onErrorResume(e -> Mono.empty())
                .then();
    }

    @Override
    Disposable startLoop() {
        // probe() settles its own failures; the loop's log would only hear of a probe stuck past both time-outs.
        return BackgroundLoop.every(settings.interval(), settings.timeout().multipliedBy(3),
                new FailureLog(log, "Database probe loop", clock), this::probe);
    }
}
