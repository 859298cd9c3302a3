package vn.hotline.gateway.cases;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.cases.PlanReport.Count;
import vn.hotline.gateway.cases.PlanReport.DeadlineShare;
import vn.hotline.gateway.cases.PlanReport.RepeatContacts;

/** Computes {@link PlanReport}: plain aggregates over cases, deadlines, referrals and calls of one period. */
@Service
public class PlanReports {

    private static final String IN_PERIOD = " c.received_at >= :from AND c.received_at < :to ";

    private final DatabaseClient db;
    private final Clock clock;
    private final ZoneId zone;

    PlanReports(DatabaseClient db, Clock clock, ZoneId businessZone) {
        this.db = db;
        this.clock = clock;
        this.zone = businessZone;
    }

    /** The report over cases received in {@code [from, to)}. */
    public Mono<PlanReport> report(Instant from, Instant to) {
        Mono<long[]> totals = db.sql("SELECT count(*) AS n, count(*) FILTER (WHERE c.status NOT IN ('RECEIVED', 'ROUTED', 'ESCALATED')"
                        + " OR EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.event_type = 'TRANSITION'"
                        + " AND e.to_status = 'ACKNOWLEDGED')) AS supported FROM cases c WHERE" + IN_PERIOD)
                .bind("from", from.atOffset(ZoneOffset.UTC)).bind("to", to.atOffset(ZoneOffset.UTC))
                .map(row -> new long[] {row.get("n", Long.class), row.get("supported", Long.class)}).one();
        return Mono.zip(totals, counts("c.category", from, to), counts("coalesce(c.service_area_code, 'UNKNOWN')", from, to),
                        counts("c.age_band", from, to), months(from, to), deadlines(from, to), police(from, to), repeat(from, to))
                .map(t -> new PlanReport(from, to, t.getT1()[0], t.getT1()[1], t.getT2(), t.getT3(), t.getT4(), t.getT5(),
                        t.getT6(), t.getT7(), t.getT8()));
    }

    private Mono<List<Count>> counts(String column, Instant from, Instant to) {
        return db.sql("SELECT " + column + " AS k, count(*) AS n FROM cases c WHERE" + IN_PERIOD + "GROUP BY 1 ORDER BY 2 DESC, 1")
                .bind("from", from.atOffset(ZoneOffset.UTC)).bind("to", to.atOffset(ZoneOffset.UTC))
                .map(row -> new Count(row.get("k", String.class), row.get("n", Long.class)))
                .all().collectList();
    }

    private Mono<List<Count>> months(Instant from, Instant to) {
        return db.sql("SELECT to_char(c.received_at AT TIME ZONE :zone, 'YYYY-MM') AS k, count(*) AS n FROM cases c WHERE"
                        + IN_PERIOD + "GROUP BY 1 ORDER BY 1")
                .bind("zone", zone.getId())
                .bind("from", from.atOffset(ZoneOffset.UTC)).bind("to", to.atOffset(ZoneOffset.UTC))
                .map(row -> new Count(row.get("k", String.class), row.get("n", Long.class)))
                .all().collectList();
    }

    /** The first rung's acknowledgement and both statutory clocks; a deadline still running and not yet due is not judged. */
    private Mono<List<DeadlineShare>> deadlines(Instant from, Instant to) {
        return db.sql("""
                        SELECT d.kind, count(*) FILTER (WHERE d.state = 'MET') AS met, count(*) AS counted
                        FROM case_deadlines d JOIN cases c ON c.id = d.case_id
                        WHERE""" + IN_PERIOD + """
                          AND (d.kind <> 'ACKNOWLEDGEMENT' OR d.step = 0)
                          AND d.state <> 'CANCELLED' AND (d.state <> 'PENDING' OR d.due_at < :now)
                        GROUP BY d.kind""")
                .bind("from", from.atOffset(ZoneOffset.UTC)).bind("to", to.atOffset(ZoneOffset.UTC))
                .bind("now", clock.instant().atOffset(ZoneOffset.UTC))
                .map(row -> new DeadlineShare(row.get("kind", String.class), row.get("met", Long.class), row.get("counted", Long.class)))
                .all().collectList()
                .map(found -> List.of("ACKNOWLEDGEMENT", "EMERGENCY_PROTECTION", "SUPPORT_PLAN").stream()
                        .map(kind -> found.stream().filter(d -> d.kind().equals(kind)).findFirst().orElse(new DeadlineShare(kind, 0, 0)))
                        .toList());
    }

    private Mono<List<Count>> police(Instant from, Instant to) {
        return db.sql("SELECT r.state AS k, count(*) AS n FROM referrals r JOIN cases c ON c.id = r.case_id WHERE" + IN_PERIOD
                        + "AND r.target = :target GROUP BY 1 ORDER BY 2 DESC, 1")
                .bind("from", from.atOffset(ZoneOffset.UTC)).bind("to", to.atOffset(ZoneOffset.UTC))
                .bind("target", ReferralTarget.POLICE_CYBER_UNIT.name())
                .map(row -> new Count(row.get("k", String.class), row.get("n", Long.class)))
                .all().collectList();
    }

    private Mono<RepeatContacts> repeat(Instant from, Instant to) {
        return db.sql("""
                        WITH per AS (SELECT caller_hash, count(*) AS n FROM calls
                                     WHERE started_at >= :from AND started_at < :to AND caller_hash IS NOT NULL
                                       AND NOT training GROUP BY 1)
                        SELECT coalesce(sum(n), 0)::bigint AS contacts, count(*) AS callers,
                               count(*) FILTER (WHERE n > 1) AS repeat_callers,
                               coalesce(sum(n) FILTER (WHERE n > 1), 0)::bigint AS repeat_contacts
                        FROM per""")
                .bind("from", from.atOffset(ZoneOffset.UTC)).bind("to", to.atOffset(ZoneOffset.UTC))
                .map(row -> new RepeatContacts(row.get("contacts", Long.class), row.get("callers", Long.class),
                        row.get("repeat_callers", Long.class), row.get("repeat_contacts", Long.class)))
                .one();
    }
}
