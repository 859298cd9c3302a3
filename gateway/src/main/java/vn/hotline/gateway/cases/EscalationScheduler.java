package vn.hotline.gateway.cases;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.cases.internal.CaseRepository;
import vn.hotline.gateway.outbox.Outbox;
import vn.hotline.gateway.outbox.OutboxMessage;
import vn.hotline.routing.decision.RoutingDecision;
import vn.hotline.routing.decision.Rung;
import vn.hotline.routing.decision.RungKind;

/**
 * Walks the escalation ladder when deadlines pass. Any number of nodes may run it on one database: each due deadline
 * is claimed with {@code FOR UPDATE SKIP LOCKED} in its own short transaction, which also does everything the
 * escalation changes (no network call inside: notifications and the 111 referral go through the outbox), so each
 * deadline is handled exactly once.
 */
@Component
public class EscalationScheduler {

    private static final Logger log = LoggerFactory.getLogger(EscalationScheduler.class);
    /** Outbox destination for duty-supervisor alerts. */
    public static final String SUPERVISOR_NOTIFY = "supervisor-notify";
    /** Alert type: the last rung of a case's ladder did not acknowledge in time. */
    public static final String ACKNOWLEDGEMENT_MISSED = "acknowledgement.missed";

    private record Due(long id, UUID caseId, String kind, int step, Instant dueAt) {
    }

    private final DatabaseClient db;
    private final CaseRepository cases;
    private final CaseService caseService;
    private final AuditLog audit;
    private final Outbox outbox;
    private final TransactionalOperator tx;
    private final JsonMapper json;
    private final Clock clock;
    private final CaseProperties properties;
    private final CaseChanges changes;
    private final Counter lastRung;

    EscalationScheduler(DatabaseClient db, CaseRepository cases, CaseService caseService, AuditLog audit, Outbox outbox,
                        TransactionalOperator tx, JsonMapper json, Clock clock, CaseProperties properties, CaseChanges changes,
                        MeterRegistry meters) {
        this.lastRung = Counter.builder("hotline.escalations.last.rung")
                .description("Cases whose escalation ladder reached its last rung").register(meters);
        this.db = db;
        this.cases = cases;
        this.caseService = caseService;
        this.audit = audit;
        this.outbox = outbox;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.properties = properties;
        this.changes = changes;
    }

    /** Handles up to one batch of due deadlines; emits how many this node handled. */
    public Mono<Integer> runDue(String node) {
        return Flux.range(0, properties.escalationBatch())
                .concatMap(i -> tx.transactional(claimAndHandle(node))
                        .flatMap(caseId -> published(caseId).thenReturn(true))
                        .defaultIfEmpty(false))
                .takeUntil(handled -> !handled)
                .filter(Boolean::booleanValue)
                .count()
                .map(Long::intValue);
    }

    /** Tells live pages about a handled deadline once its transaction committed. */
    private Mono<Void> published(UUID caseId) {
        return db.sql("SELECT reference, service_area_code FROM cases WHERE id = :id").bind("id", caseId)
                .map(row -> new CaseChange(row.get("reference", String.class), CaseChange.Kind.ESCALATED,
                        Optional.ofNullable(row.get("service_area_code", String.class)), clock.instant()))
                .one()
                .doOnNext(changes::publish)
                .then();
    }

    private Mono<UUID> claimAndHandle(String node) {
        return db.sql("""
                        SELECT id, case_id, kind, step, due_at FROM case_deadlines
                        WHERE state = 'PENDING' AND due_at <= :now
                        ORDER BY due_at, id LIMIT 1
                        FOR UPDATE SKIP LOCKED""")
                .bind("now", clock.instant().atOffset(ZoneOffset.UTC))
                .map(row -> new Due(row.get("id", Long.class), row.get("case_id", UUID.class), row.get("kind", String.class),
                        row.get("step", Integer.class), row.get("due_at", OffsetDateTime.class).toInstant()))
                .one()
                .flatMap(due -> handle(due, node).thenReturn(due.caseId()));
    }

    private Mono<Void> handle(Due due, String node) {
        Instant now = clock.instant();
        boolean acknowledgement = "ACKNOWLEDGEMENT".equals(due.kind());
        // Settle this deadline first: the next rung's acknowledgement deadline is the case's one pending of its kind.
        return db.sql("UPDATE case_deadlines SET state = :state, resolved_at = :now, resolved_by = :node WHERE id = :id")
                .bind("state", acknowledgement ? "ESCALATED" : "MISSED")
                .bind("now", now.atOffset(ZoneOffset.UTC)).bind("node", node).bind("id", due.id())
                .then()
                .then(acknowledgement ? escalate(due, now, node) : statutoryMissed(due, now, node));
    }

    private Mono<Void> escalate(Due due, Instant now, String node) {
        return cases.findById(due.caseId()).zipWith(cases.routingJson(due.caseId())).flatMap(t -> {
            CaseSummary kase = t.getT1();
            if (!kase.status().awaitsAcknowledgement()) {
                return Mono.empty();
            }
            RoutingDecision decision = json.convertValue(t.getT2(), RoutingDecision.class);
            int next = due.step() + 1;
            if (next >= decision.ladder().size()) {
                return exhausted(kase, due, decision, now, node);
            }
            Rung rung = decision.ladder().get(next);
            Rung previous = decision.ladder().get(due.step());
            String reason = "no acknowledgement from " + previous.kind() + " by " + due.dueAt();
            Optional<UUID> officer = rung.officerId().map(UUID::fromString);
            boolean to111 = rung.kind() == RungKind.NATIONAL_111;
            // Each rung gets the same acknowledgement window as the first (the rung's answerWithin is for live dialling).
            Duration window = decision.acknowledgement().deadline()
                    .map(first -> Duration.between(decision.decidedAt(), first)).orElse(Duration.ZERO);
            Optional<Instant> nextAck = to111 ? Optional.empty() : Optional.of(now.plus(window));
            Mono<Void> handOver = to111
                    ? referTo111(kase, now)
                    : cases.insertDeadline(kase.id(), "ACKNOWLEDGEMENT", next, nextAck.get(), now)
                            .then(caseService.notify(kase.id(), kase.reference(), rung, next, kase.urgency(), decision));
            log.info("Case {} escalated from {} to {} (rung {})", kase.reference(), previous.kind(), rung.kind(), next);
            return cases.escalate(kase.id(), next, officer, nextAck, now)
                    .then(cases.insertEvent(kase.id(), now, "system:" + node, "ESCALATED", kase.status(), CaseStatus.ESCALATED, reason, null))
                    .then(handOver)
                    .then(audit.record(new AuditEntry(Actor.system("escalation"), AuditAction.CASE_ESCALATED,
                            new Subject("case", kase.reference()), Map.of("from", previous.kind().name(), "to", rung.kind().name(),
                                    "step", next, "node", node))))
                    .doOnSuccess(v -> {
                        if (next == decision.ladder().size() - 1) {
                            lastRung.increment();
                        }
                    });
        });
    }

    /**
     * The last rung's acknowledgement deadline passed (a ladder of 111 alone, when nobody was on call): there is no one
     * further to hand over to, and the case must still end at a human. It is referred to 111 (once), the duty
     * supervisor is alerted, and it is marked escalated with a history entry, so queues and the board keep it on top.
     */
    private Mono<Void> exhausted(CaseSummary kase, Due due, RoutingDecision decision, Instant now, String node) {
        Rung last = decision.ladder().get(due.step());
        String reason = "no acknowledgement from " + last.kind() + " by " + due.dueAt() + "; the ladder has no further rung";
        log.warn("Case {}: no acknowledgement on the last rung ({}) by {}; referred to 111 and the duty supervisor alerted",
                kase.reference(), last.kind(), due.dueAt());
        return cases.escalate(kase.id(), due.step(), kase.assignedOfficerId(), Optional.empty(), now)
                .then(cases.insertEvent(kase.id(), now, "system:" + node, "ESCALATED", kase.status(), CaseStatus.ESCALATED,
                        reason, null))
                .then(referTo111(kase, now))
                .then(outbox.enqueue(new OutboxMessage(SUPERVISOR_NOTIFY, ACKNOWLEDGEMENT_MISSED, "deadline-" + due.id(),
                        Map.of("reference", kase.reference(), "deadline", due.kind(), "dueAt", due.dueAt().toString()), now)))
                .then(audit.record(new AuditEntry(Actor.system("escalation"), AuditAction.CASE_ESCALATED,
                        new Subject("case", kase.reference()), Map.of("from", last.kind().name(),
                                "to", RungKind.NATIONAL_111.name(), "step", due.step(), "node", node, "lastRung", true))));
    }

    /** Refers the case to 111 unless it went there already (by voice, or by staff): 111 gets one referral per case. */
    private Mono<Void> referTo111(CaseSummary kase, Instant now) {
        String key = "case-" + kase.id() + "-" + ReferralTarget.SWITCHBOARD_111.name() + "-escalation";
        String reason = "escalation ladder reached the national switchboard";
        return cases.referralKeys(kase.id(), ReferralTarget.SWITCHBOARD_111.name()).hasElements()
                .filter(referred -> !referred)
                .flatMap(none -> cases.insertReferral(kase.id(), ReferralTarget.SWITCHBOARD_111.name(), key, reason, "escalation", now)
                .then(outbox.enqueue(caseService.referralTo111(kase, key, now)))
                .then(audit.record(new AuditEntry(Actor.system("escalation"), AuditAction.REFERRAL_CREATED,
                        new Subject("case", kase.reference()), Map.of("target", ReferralTarget.SWITCHBOARD_111.name(), "reason", reason)))));
    }

    private Mono<Void> statutoryMissed(Due due, Instant now, String node) {
        return cases.findById(due.caseId()).flatMap(kase -> cases
                .insertEvent(kase.id(), now, "system:" + node, "STATUTORY_DEADLINE_MISSED", null, null, due.kind(), null)
                .then(outbox.enqueue(new OutboxMessage(SUPERVISOR_NOTIFY, "deadline.missed", "deadline-" + due.id(),
                        Map.of("reference", kase.reference(), "deadline", due.kind(), "dueAt", due.dueAt().toString()), now)))
                .then(audit.record(new AuditEntry(Actor.system("escalation"), AuditAction.STATUTORY_DEADLINE_MISSED,
                        new Subject("case", kase.reference()), Map.of("deadline", due.kind(), "dueAt", due.dueAt().toString())))));
    }

    /** The pause between passes, for the trigger. */
    public Duration interval() {
        return properties.escalationInterval();
    }

    /** How long one pass may take before the loop gives it up. */
    public Duration passLimit() {
        return properties.escalationPassLimit();
    }
}
