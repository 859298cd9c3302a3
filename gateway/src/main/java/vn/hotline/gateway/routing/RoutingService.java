package vn.hotline.gateway.routing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.routing.internal.RoutingDataLoader;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.routing.calendar.StatutoryClocks;
import vn.hotline.routing.calendar.WorkingCalendar;
import vn.hotline.routing.decision.RoutingDecision;
import vn.hotline.routing.decision.RoutingEngine;
import vn.hotline.routing.decision.RoutingPolicy;
import vn.hotline.routing.jurisdiction.Jurisdictions;
import vn.hotline.routing.roster.RosterSnapshot;

/**
 * Decides where a case goes, with the pure routing engine over a snapshot of units, areas and the roster that is
 * reloaded when older than {@code hotline.routing.snapshot-max-age} or when the roster or mapping changed.
 */
@Service
public class RoutingService {

    private final RoutingDataLoader loader;
    private final RoutingEngine engine;
    private final Clock clock;
    private final RoutingProperties properties;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>();

    /**
     * What decisions are made against.
     *
     * @param jurisdictions units and service areas
     * @param roster officers and shifts around now
     * @param loadedAt when it was read
     */
    public record Snapshot(Jurisdictions jurisdictions, RosterSnapshot roster, Instant loadedAt) {
    }

    RoutingService(RoutingDataLoader loader, Clock clock, ZoneId businessZone, RoutingProperties properties) {
        this.loader = loader;
        this.clock = clock;
        this.properties = properties;
        this.engine = new RoutingEngine(RoutingPolicy.defaults(),
                new StatutoryClocks(WorkingCalendar.vietnam(), businessZone), businessZone);
    }

    /** The routing decision for a triage result received at {@code receivedAt}, decided now. */
    public Mono<RoutingDecision> decide(TriageResult triage, Instant receivedAt) {
        return snapshot().map(s -> engine.decide(triage, receivedAt, s.roster(), s.jurisdictions(), clock));
    }

    /** The current snapshot, reloaded when stale. */
    public Mono<Snapshot> snapshot() {
        Snapshot current = snapshot.get();
        Instant now = clock.instant();
        if (current != null && current.loadedAt().plus(properties.snapshotMaxAge()).isAfter(now)) {
            return Mono.just(current);
        }
        return loader.load(now.minus(java.time.Duration.ofDays(1)), now.plus(properties.rosterHorizon()))
                .map(data -> new Snapshot(data.jurisdictions(), RosterSnapshot.of(data.roster()), now))
                .doOnNext(snapshot::set);
    }

    /** Forgets the snapshot after the roster or the unit mapping changed, so the next decision sees the change. */
    public void invalidate() {
        snapshot.set(null);
    }
}
