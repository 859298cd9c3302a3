package vn.hotline.gateway.console.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.console.ConsoleProperties;

/**
 * The supervisors' live board: calls in the IVR now, and per service area the cases waiting for acknowledgement,
 * escalated cases and statutory deadlines at risk. Refreshed by the same event stream as the queue.
 */
@Controller
class BoardPages {

    /**
     * One service area's line.
     *
     * @param area the area code ({@code ""} for cases routing could not place)
     * @param name its name
     * @param open open cases
     * @param waiting cases nobody has acknowledged yet
     * @param escalated cases moved up the ladder and still unacknowledged
     * @param atRisk open cases with a statutory deadline passed or due within the at-risk window
     * @param nextAcknowledgement the earliest acknowledgement deadline still running
     */
    record AreaLine(String area, String name, long open, long waiting, long escalated, long atRisk,
                    Optional<Instant> nextAcknowledgement) {
    }

    private final DatabaseClient db;
    private final ConsoleStaff staff;
    private final Clock clock;
    private final ConsoleProperties properties;

    BoardPages(DatabaseClient db, ConsoleStaff staff, Clock clock, ConsoleProperties properties) {
        this.db = db;
        this.staff = staff;
        this.clock = clock;
        this.properties = properties;
    }

    @GetMapping("/console/board")
    Mono<String> board(ServerWebExchange exchange, Model model) {
        return fill(exchange, model).thenReturn("console/board");
    }

    @GetMapping("/console/board/rows")
    Mono<String> rows(ServerWebExchange exchange, Model model) {
        return fill(exchange, model).thenReturn("console/board :: rows");
    }

    private Mono<Void> fill(ServerWebExchange exchange, Model model) {
        Instant now = clock.instant();
        return staff.supervisor(exchange).then(Mono.zip(lines(now), liveCalls(now))).doOnNext(t -> {
            model.addAttribute("lines", t.getT1());
            model.addAttribute("liveCalls", t.getT2());
        }).then();
    }

    private Mono<List<AreaLine>> lines(Instant now) {
        return db.sql("""
                        SELECT coalesce(c.service_area_code, '') AS area, coalesce(a.name, '') AS name,
                               count(*) AS open,
                               count(*) FILTER (WHERE c.status IN ('RECEIVED', 'ROUTED', 'ESCALATED')) AS waiting,
                               count(*) FILTER (WHERE c.status = 'ESCALATED') AS escalated,
                               count(*) FILTER (WHERE p.statutory_due < :soon) AS at_risk,
                               min(p.ack_due) AS next_ack
                        FROM cases c
                        LEFT JOIN service_areas a ON a.code = c.service_area_code
                        LEFT JOIN LATERAL (
                            SELECT min(d.due_at) FILTER (WHERE d.kind = 'ACKNOWLEDGEMENT') AS ack_due,
                                   min(d.due_at) FILTER (WHERE d.kind <> 'ACKNOWLEDGEMENT') AS statutory_due
                            FROM case_deadlines d WHERE d.case_id = c.id AND d.state = 'PENDING') p ON true
                        WHERE c.status <> 'CLOSED'
                        GROUP BY 1, 2 ORDER BY waiting DESC, at_risk DESC, area""")
                .bind("soon", now.plus(properties.atRisk()).atOffset(ZoneOffset.UTC))
                .map(row -> new AreaLine(row.get("area", String.class), row.get("name", String.class),
                        row.get("open", Long.class), row.get("waiting", Long.class), row.get("escalated", Long.class),
                        row.get("at_risk", Long.class),
                        Optional.ofNullable(row.get("next_ack", OffsetDateTime.class)).map(OffsetDateTime::toInstant)))
                .all().collectList();
    }

    private Mono<Long> liveCalls(Instant now) {
        return db.sql("SELECT count(*) FROM calls WHERE ended_at IS NULL AND outcome IS NULL AND started_at > :since AND NOT training")
                .bind("since", now.minus(properties.liveCallAge()).atOffset(ZoneOffset.UTC))
                .map(row -> row.get(0, Long.class)).one();
    }
}
