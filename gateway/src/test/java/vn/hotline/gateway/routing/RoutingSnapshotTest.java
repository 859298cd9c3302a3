package vn.hotline.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
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

    @Test
    void aLoadThatStartedBeforeAnInvalidationServesItsCallerButIsNotKept() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        routing.invalidate();

        // Another session holds the officers table, so the load below stays in flight until released.
        Connection blocker = Mono.from(connections.create()).block();
        Mono.from(blocker.beginTransaction()).block();
        Flux.from(blocker.createStatement("LOCK TABLE officers IN ACCESS EXCLUSIVE MODE").execute())
                .flatMap(r -> r.getRowsUpdated()).blockLast();
        var inFlight = routing.snapshot().toFuture();
        try {
            Thread.sleep(300);
            assertThat(inFlight).isNotDone();
            routing.invalidate();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Mono.from(blocker.rollbackTransaction()).block();
            Mono.from(blocker.close()).block();
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
}
