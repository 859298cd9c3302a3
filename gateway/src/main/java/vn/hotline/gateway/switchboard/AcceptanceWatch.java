package vn.hotline.gateway.switchboard;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.cases.EscalationScheduler;
import vn.hotline.gateway.outbox.Outbox;
import vn.hotline.gateway.outbox.OutboxMessage;
import vn.hotline.gateway.switchboard.internal.OverdueReferrals;

/**
 * Alerts the duty supervisor (outbox {@code supervisor-notify}, type {@code referral.not-accepted}) about each
 * referral 111 has not accepted within {@code hotline.switchboard.accept-within}, once per referral. Any number of
 * nodes may run it: overdue referrals are claimed with {@code FOR UPDATE SKIP LOCKED} in one short transaction.
 */
@Component
public class AcceptanceWatch {

    private static final Logger log = LoggerFactory.getLogger(AcceptanceWatch.class);
    /** The message type of the alert. */
    public static final String NOT_ACCEPTED = "referral.not-accepted";
    private static final int BATCH = 50;

    private final OverdueReferrals overdue;
    private final Outbox outbox;
    private final AuditLog audit;
    private final TransactionalOperator tx;
    private final Clock clock;
    private final SwitchboardProperties properties;

    AcceptanceWatch(OverdueReferrals overdue, Outbox outbox, AuditLog audit, TransactionalOperator tx, Clock clock,
                    SwitchboardProperties properties) {
        this.overdue = overdue;
        this.outbox = outbox;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.properties = properties;
    }

    /** How many referrals 111 has not accepted within {@code accept-within}: the operators' alert. */
    public Mono<Long> overdueCount() {
        return Mono.defer(() -> overdue.count(clock.instant().minus(properties.acceptWithin())));
    }

    /** One pass: alerts about up to a batch of overdue referrals; emits how many. */
    public Mono<Integer> runOnce() {
        Instant now = clock.instant();
        return tx.transactional(overdue.claim(now.minus(properties.acceptWithin()), BATCH)
                .concatMap(referral -> overdue.markAlerted(referral.id(), now)
                        .then(outbox.enqueue(new OutboxMessage(EscalationScheduler.SUPERVISOR_NOTIFY, NOT_ACCEPTED,
                                "referral-" + referral.id() + "-not-accepted",
                                Map.of("reference", referral.caseReference(), "referralKey", referral.idempotencyKey(),
                                        "createdAt", referral.createdAt().toString(),
                                        "acceptWithin", properties.acceptWithin().toString()), now)))
                        .then(audit.record(new AuditEntry(Actor.system("switchboard"), AuditAction.REFERRAL_NOT_ACCEPTED,
                                new Subject("case", referral.caseReference()),
                                Map.of("referralKey", referral.idempotencyKey(), "createdAt", referral.createdAt().toString()))))
                        .doOnSuccess(v -> log.warn("111 has not accepted the referral of case {} since {}: duty supervisor alerted",
                                referral.caseReference(), referral.createdAt()))
                        .thenReturn(1))
                .count()
                .map(Long::intValue));
    }
}
