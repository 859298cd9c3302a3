package vn.hotline.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;

/** The routing snapshot never keeps what a load read before the roster changed under it. */
@GatewayTest
@Import(MutableClock.Config.class)
class RoutingSnapshotTest {

    @Autowired
    RoutingService routing;
    @Autowired
    RosterService roster;
    @Autowired
    DatabaseClient db;
    @Autowired
    ConnectionFactory connections;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;

    /** Another session holds the officers table, so a load stays in flight until {@link #release}. */
    private Connection officersLocked() {
        Connection blocker = Mono.from(connections.create()).block();
        Mono.from(blocker.beginTransaction()).block();
        Flux.from(blocker.createStatement("LOCK TABLE officers IN ACCESS EXCLUSIVE MODE").execute())
                .flatMap(r -> r.getRowsUpdated()).blockLast();
        return blocker;
    }

    private static void release(Connection blocker) {
        Mono.from(blocker.rollbackTransaction()).block();
        Mono.from(blocker.close()).block();
    }

    @Test
    void aLoadThatStartedBeforeAnInvalidationServesItsCallerButIsNotKept() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        routing.invalidate();

        Connection blocker = officersLocked();
        var inFlight = routing.snapshot().toFuture();
        try {
            Thread.sleep(300);
            assertThat(inFlight).isNotDone();
            routing.invalidate();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            release(blocker);
        }
        RoutingService.Snapshot stale = Mono.fromFuture(inFlight).block(Duration.ofSeconds(10));

        RoutingService.Snapshot next = routing.snapshot().block(Duration.ofSeconds(10));
        assertThat(next).isNotSameAs(stale);
        assertThat(routing.snapshot().block(Duration.ofSeconds(10))).isSameAs(next);
    }

    @Test
    void aClockSetBackMakesTheSnapshotStale() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        RoutingService.Snapshot now = routing.snapshot().block(Duration.ofSeconds(10));
        assertThat(routing.snapshot().block(Duration.ofSeconds(10))).isSameAs(now);

        clock.set(MutableClock.Config.START.minus(Duration.ofDays(3)));
        RoutingService.Snapshot earlier = routing.snapshot().block(Duration.ofSeconds(10));
        assertThat(earlier).isNotSameAs(now);
        assertThat(earlier.loadedAt()).isEqualTo(MutableClock.Config.START.minus(Duration.ofDays(3)));
    }

    @Test
    void decisionsThatNeedASnapshotWhileOneIsLoadingShareThatLoad() throws Exception {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        routing.invalidate();

        Connection blocker = officersLocked();
        List<CompletableFuture<RoutingService.Snapshot>> waiting;
        try {
            waiting = IntStream.range(0, 5).mapToObj(i -> routing.snapshot().toFuture()).toList();
            Thread.sleep(300);
            assertThat(waiting).noneMatch(CompletableFuture::isDone);
        } finally {
            release(blocker);
        }

        Set<RoutingService.Snapshot> loaded = Collections.newSetFromMap(new IdentityHashMap<>());
        for (CompletableFuture<RoutingService.Snapshot> one : waiting) {
            loaded.add(one.get(10, TimeUnit.SECONDS));
        }
        assertThat(loaded).as("one load for the five decisions").hasSize(1);
    }

    @Test
    void aSnapshotInTheLastQuarterOfItsLifeIsReloadedAheadWhileDecisionsKeepUsingIt() throws Exception {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        routing.invalidate();
        RoutingService.Snapshot first = routing.snapshot().block(Duration.ofSeconds(10));

        Instant later = MutableClock.Config.START.plus(Duration.ofSeconds(25));
        clock.set(later);
        assertThat(routing.snapshot().block(Duration.ofSeconds(10))).as("still fresh: used at once").isSameAs(first);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        RoutingService.Snapshot current = first;
        while (current == first && System.nanoTime() < deadline) {
            Thread.sleep(20);
            current = routing.snapshot().block(Duration.ofSeconds(10));
        }
        assertThat(current.loadedAt()).as("reloaded in the background before it went stale").isEqualTo(later);
    }
}
