package vn.hotline.gateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(RoutingService.class);

    private final RoutingDataLoader loader;
    private final RoutingEngine engine;
    private final Clock clock;
    private final RoutingProperties properties;
    private final AtomicReference<Held> held = new AtomicReference<>(new Held(0, null));
    private final AtomicReference<Loading> loading = new AtomicReference<>();

    /** The snapshot in use (null when none) and how many times it was invalidated. */
    private record Held(long generation, Snapshot snapshot) {
    }

    /** The load in flight and the generation it began in: only decisions of that generation share it. */
    private record Loading(long generation, Object token, Mono<Snapshot> snapshot) {
    }

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

    /**
     * The current snapshot, reloaded when stale. Decisions that need a load while one runs share it (at 200 cases a
     * second, each used to start its own); a snapshot in the last quarter of its life is reloaded in the background
     * while decisions still use it, so none waits for a reload in steady use. A load that started before an
     * {@link #invalidate()} serves its own callers but is not kept, nor shared with decisions after it: it may have
     * read the roster from before the change.
     */
    public Mono<Snapshot> snapshot() {
        return Mono.defer(() -> {
            Held current = held.get();
            Instant now = clock.instant();
            Snapshot snapshot = current.snapshot();
            if (snapshot != null && isFresh(snapshot, now)) {
                if (inLastQuarter(snapshot, now)) {
                    load(current, now).subscribe(loaded -> { }, e -> log.warn("Routing snapshot not reloaded ahead: {}",
                            e.toString()));
                }
                return Mono.just(snapshot);
            }
            return load(current, now);
        });
    }

    /** The load of this generation in flight, or a new one. */
    private Mono<Snapshot> load(Held current, Instant now) {
        while (true) {
            Loading running = loading.get();
            if (running != null && running.generation() == current.generation()) {
                return running.snapshot();
            }
            Object token = new Object();
            // The load is forgotten before its callers hear its result: a decision after that must not reuse it
            // (with the clock set back, what it loaded is stale already).
            Runnable forget = () -> loading.updateAndGet(l -> l != null && l.token() == token ? null : l);
            Mono<Snapshot> load = loader.load(now.minus(Duration.ofDays(1)), now.plus(properties.rosterHorizon()))
                    .map(data -> new Snapshot(data.jurisdictions(), RosterSnapshot.of(data.roster()), now))
                    .doOnNext(loaded -> {
                        held.compareAndSet(current, new Held(current.generation(), loaded));
                        forget.run();
                    })
                    .doOnError(e -> forget.run())
                    .cache();
            if (loading.compareAndSet(running, new Loading(current.generation(), token, load))) {
                return load;
            }
        }
    }

    /** Loaded at least three quarters of the maximum age ago: time to reload it ahead. */
    private boolean inLastQuarter(Snapshot snapshot, Instant now) {
        return !now.isBefore(snapshot.loadedAt().plus(properties.snapshotMaxAge().multipliedBy(3).dividedBy(4)));
    }

    /** Loaded no longer ago than the maximum age, and not in the future (a clock set back makes it stale too). */
    private boolean isFresh(Snapshot snapshot, Instant now) {
        Instant loadedAt = snapshot.loadedAt();
        return !now.isBefore(loadedAt) && now.isBefore(loadedAt.plus(properties.snapshotMaxAge()));
    }

    /** Forgets the snapshot after the roster or the unit mapping changed, so the next decision sees the change. */
    public void invalidate() {
        held.updateAndGet(h -> new Held(h.generation() + 1, null));
    }
}
