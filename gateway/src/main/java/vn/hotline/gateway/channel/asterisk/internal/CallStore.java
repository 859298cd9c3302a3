package vn.hotline.gateway.channel.asterisk.internal;

import io.r2dbc.spi.R2dbcException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.calllog.CallRecords;
import vn.hotline.gateway.db.Rows;
import vn.hotline.gateway.db.SqlPart;
import vn.hotline.gateway.privacy.ProtectedNumber;
import vn.hotline.ivr.engine.SessionState;
import vn.hotline.routing.decision.RungKind;

/** The SQL of Asterisk calls: the call record, its IVR session, its dial attempts and its hang-up. */
@Component
class CallStore {

    static final String PROVIDER = "asterisk";

    /** Outcomes of a call whose end the IVR did not write: the hang-up is the end. */
    private static final Set<String> LADDER_OUTCOMES = Set.of("TRANSFERRING", "CONNECTED", "CALLBACK_URGENT");

    /** A lock wait over this is given up and retried (three tries fit the 800 ms step budget). */
    static final Duration LOCK_TIMEOUT = Duration.ofMillis(150);
    private static final int LOCK_RETRIES = 3;

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final AuditLog audit;

    CallStore(DatabaseClient db, TransactionalOperator tx, AuditLog audit) {
        this.db = db;
        this.tx = tx;
        this.audit = audit;
    }

    /** Creates the call record, its IVR session and the CALL_STARTED audit event, in one statement. */
    Mono<Void> start(UUID id, String callKey, String callerKind, Optional<ProtectedNumber> caller, String dialled,
            Instant answeredAt, SessionState state) {
        return SqlPart.together(db,
                CallRecords.newCall(id, "ASTERISK_VOICE", PROVIDER, callKey, callerKind, caller, Optional.ofNullable(dialled),
                        answeredAt, state),
                CallRecords.newSession(id, state),
                audit.part(new AuditEntry(Actor.provider(PROVIDER), AuditAction.CALL_STARTED,
                new Subject("call", id.toString()), Map.of("callKey", callKey)))).then();
    }

    /**
     * How the call left the IVR.
     *
     * @param outcome the call's outcome
     * @param path the nodes walked
     * @param abandonedAt the node the caller hung up at, if any
     * @param at when
     * @param ended whether the call ended (CALL_ENDED) or goes on to a transfer (IVR_COMPLETED)
     * @param steps the inputs the session took
     * @param state the session's last state
     */
    record Ending(String outcome, List<String> path, Optional<String> abandonedAt, Instant at, boolean ended, int steps,
                  SessionState state) {
    }

    /**
     * Records how the call left the IVR: the call row, the session's last state, and CALL_ENDED or IVR_COMPLETED in the
     * audit log, in one statement.
     */
    Mono<Void> finish(UUID callId, Ending ending) {
        return finish(callId, ending, List.of());
    }

    /** {@link #finish(UUID, Ending)} with more parts in the same statement (the text the caller asked for). */
    Mono<Void> finish(UUID callId, Ending ending, List<SqlPart> alongside) {
        List<SqlPart> parts = new ArrayList<>(List.of(session(callId, ending), callRow(callId, ending), auditEnding(callId, ending)));
        parts.addAll(alongside);
        return SqlPart.together(db, parts).then();
    }

    /**
     * The transfer milestone: the ladder handed to the dialplan (one row per rung, results still open), the call row,
     * the session's last state and IVR_COMPLETED, in one statement.
     */
    Mono<Void> transfer(UUID callId, List<PlannedRung> rungs, Ending ending) {
        Rows ladder = Rows.into("call_dial_attempts", "rung", "call_id", "step", "rung_kind", "officer_id", "ring_seconds",
                "planned_at");
        for (PlannedRung rung : rungs) {
            ladder.row(callId, rung.step(), rung.kind(), SqlPart.orNull(rung.officerId(), UUID.class), rung.ringSeconds(),
                    utc(ending.at()));
        }
        return SqlPart.together(db, session(callId, ending), ladder.part(), callRow(callId, ending),
                auditEnding(callId, ending)).then();
    }

    private static SqlPart session(UUID callId, Ending ending) {
        return CallRecords.sessionState(callId, ending.state(), OptionalInt.of(ending.steps()));
    }

    private static SqlPart callRow(UUID callId, Ending ending) {
        return CallRecords.ending(callId, ending.outcome(), ending.path(), ending.abandonedAt(), ending.at(), ending.ended());
    }

    private SqlPart auditEnding(UUID callId, Ending ending) {
        return audit.part(CallRecords.endingAudit(PROVIDER, callId, ending.outcome(), ending.abandonedAt(), ending.ended()));
    }

    /** Marks the call as handed to the fallback of the dialplan (no audit: the database may be what failed). */
    Mono<Void> markFallback(UUID callId, Instant at) {
        return db.sql("UPDATE calls SET outcome = 'FALLBACK', ended_at = :at WHERE id = :id AND outcome IS NULL")
                .bind("at", utc(at)).bind("id", callId).then();
    }

    /** The call with this key, if the ivr script started it. */
    Mono<UUID> find(String callKey) {
        return db.sql("SELECT id FROM calls WHERE provider = :provider AND provider_call_id = :key")
                .bind("provider", PROVIDER).bind("key", callKey)
                .map(r -> r.get(0, UUID.class)).one();
    }

    /** A rung the dialplan will dial; the number itself is only in the channel variable. */
    record PlannedRung(int step, String kind, Optional<UUID> officerId, int ringSeconds) {
        boolean national111() {
            return isNational111(kind);
        }
    }

    /** Whether a rung of this kind is 111 (the voice hand-off), not an officer. */
    static boolean isNational111(String kind) {
        return RungKind.NATIONAL_111.name().equals(kind);
    }

    /** A rung as planned. */
    record Attempt(int step, String kind, Optional<UUID> officerId, boolean last) {
        boolean national111() {
            return isNational111(kind);
        }
    }

    /** A rung whose Dial returned: whether someone accepted it, and whether this report was the first to say so. */
    private record Ended(Attempt rung, boolean accepted, boolean acceptedNow) {
    }

    /**
     * The person on rung {@code step} pressed 1 (the accept script, before the bridge): the rung and the call are
     * marked accepted, once, audited as TRANSFER_ATTEMPTED. Emits the rung when this report was the first of its
     * acceptance, nothing when it was known already.
     */
    Mono<Attempt> accept(UUID callId, int step, Instant at) {
        return onCall(callId, outcome -> db.sql("""
                        UPDATE call_dial_attempts SET accepted = true, accepted_at = :at
                        WHERE call_id = :call AND step = :step AND accepted_at IS NULL
                        RETURNING rung_kind, officer_id,
                                  step = (SELECT max(step) FROM call_dial_attempts WHERE call_id = :call)""")
                .bind("at", utc(at)).bind("call", callId).bind("step", step)
                .map(r -> new Attempt(step, r.get(0, String.class), Optional.ofNullable(r.get(1, UUID.class)),
                        Boolean.TRUE.equals(r.get(2, Boolean.class))))
                .one()
                .flatMap(a -> connected(callId, a, "ANSWER").thenReturn(a)));
    }

    /**
     * The DIALSTATUS of one rung, when its Dial returned (the dial-result script). An ANSWER with a bridge
     * ({@code bridged}) is an acceptance; if the accept script's report was lost, this one records it (emitted, so
     * the case is told). Otherwise a rung nobody accepted is audited, and after the last one the call needs an urgent
     * call-back. Emits the rung when this report recorded an acceptance.
     */
    Mono<Attempt> recordAttempt(UUID callId, int step, String dialStatus, boolean bridged, Instant at) {
        return onCall(callId, outcome -> db.sql("""
                        WITH reported AS (SELECT accepted_at IS NOT NULL AS before FROM call_dial_attempts
                                          WHERE call_id = :call AND step = :step)
                        UPDATE call_dial_attempts SET dial_status = :status, ended_at = :at,
                               accepted = (accepted_at IS NOT NULL OR :bridged),
                               accepted_at = COALESCE(accepted_at, CASE WHEN :bridged THEN :at END)
                        WHERE call_id = :call AND step = :step AND dial_status IS NULL
                        RETURNING rung_kind, officer_id,
                                  step = (SELECT max(step) FROM call_dial_attempts WHERE call_id = :call),
                                  accepted, accepted AND NOT (SELECT before FROM reported)""")
                .bind("status", dialStatus).bind("bridged", bridged).bind("at", utc(at))
                .bind("call", callId).bind("step", step)
                .map(r -> new Ended(new Attempt(step, r.get(0, String.class), Optional.ofNullable(r.get(1, UUID.class)),
                        Boolean.TRUE.equals(r.get(2, Boolean.class))), Boolean.TRUE.equals(r.get(3, Boolean.class)),
                        Boolean.TRUE.equals(r.get(4, Boolean.class))))
                .one()
                .flatMap(ended -> {
                    Attempt a = ended.rung();
                    if (ended.accepted()) {
                        // Accepted now (the accept report was lost) or before: audited once, by whichever came first.
                        return ended.acceptedNow() ? connected(callId, a, dialStatus).thenReturn(a) : Mono.empty();
                    }
                    Mono<Void> exhausted = a.last() && "TRANSFERRING".equals(outcome.orElse(null))
                            ? setOutcome(callId, "CALLBACK_URGENT") : Mono.empty();
                    return exhausted.then(attempted(callId, a, dialStatus, false)).then(Mono.empty());
                }));
    }

    /**
     * The caller's channel hung up (the dialplan's hangup handler, wherever the call was). Once per call: the end is
     * stamped with this moment (AMI's Hangup time replaces it when AMI sees it), the rung ringing at that moment gets
     * its DIALSTATUS ({@code CANCEL} when the Dial was cut short), a ladder nobody accepted becomes an urgent call-back,
     * a call the IVR never ended (its server died, the fallback took it) is marked FALLBACK, and CALL_ENDED is audited
     * for calls the IVR did not end itself. Emits the outcome after the hang-up.
     */
    Mono<String> hangUp(UUID callId, OptionalInt step, String dialStatus, Instant at) {
        return onCall(callId, outcome -> db.sql("""
                        UPDATE calls SET hangup_reported_at = :at,
                               ended_at = CASE WHEN ami_state = 'COMPLETE' THEN ended_at ELSE :at END
                        WHERE id = :id AND hangup_reported_at IS NULL RETURNING id""")
                .bind("at", utc(at)).bind("id", callId).map(r -> true).one()
                .flatMap(firstReport -> {
                    String before = outcome.orElse(null);
                    Mono<Void> rung = step.isEmpty() ? Mono.empty() : db.sql("""
                                    UPDATE call_dial_attempts SET dial_status = :status, ended_at = :at,
                                           accepted = accepted_at IS NOT NULL
                                    WHERE call_id = :call AND step = :step AND dial_status IS NULL""")
                            .bind("status", dialStatus.isEmpty() ? "CANCEL" : dialStatus).bind("at", utc(at))
                            .bind("call", callId).bind("step", step.getAsInt()).then();
                    String after = before == null ? "FALLBACK" : "TRANSFERRING".equals(before) ? "CALLBACK_URGENT" : before;
                    Mono<Void> changed = after.equals(before) ? Mono.empty() : setOutcome(callId, after);
                    boolean ivrEnded = before != null && !LADDER_OUTCOMES.contains(before);
                    Mono<Void> audited = ivrEnded ? Mono.empty() : audit.record(CallRecords.endingAudit(PROVIDER, callId,
                            after, Optional.empty(), true));
                    return rung.then(changed).then(audited).thenReturn(after);
                }));
    }

    private Mono<Void> connected(UUID callId, Attempt a, String dialStatus) {
        GenericExecuteSpec update = db.sql("""
                        UPDATE calls SET outcome = 'CONNECTED', accepted_by_officer_id = :officer
                        WHERE id = :id AND outcome IN ('TRANSFERRING', 'CALLBACK_URGENT')""")
                .bind("id", callId);
        update = a.officerId().isPresent() && !a.national111() ? update.bind("officer", a.officerId().get())
                : update.bindNull("officer", UUID.class);
        return update.then().then(attempted(callId, a, dialStatus, true));
    }

    private Mono<Void> attempted(UUID callId, Attempt a, String dialStatus, boolean accepted) {
        return audit.record(new AuditEntry(Actor.provider(PROVIDER), AuditAction.TRANSFER_ATTEMPTED,
                new Subject("call", callId.toString()), Map.of("step", a.step(), "rung", a.kind(),
                        "dialStatus", dialStatus, "accepted", accepted)));
    }

    private Mono<Void> setOutcome(UUID callId, String outcome) {
        return db.sql("UPDATE calls SET outcome = :outcome WHERE id = :id")
                .bind("outcome", outcome).bind("id", callId).then();
    }

    /**
     * Runs {@code work} in a transaction that first locks the call's row and reads its outcome. The lock order of a
     * call's rows is the same in every transaction that writes more than one of them (DESIGN 8): the call, then its
     * dial attempts, then (in a transaction of its own, after this one) its case; the AMI writer
     * ({@link AmiEventStore}) takes the call first too. A lock wait is bounded well under the step budget
     * ({@code lock_timeout}) and the transaction retried, so a wait never outlives a step unseen.
     */
    private <T> Mono<T> onCall(UUID callId, Function<Optional<String>, Mono<T>> work) {
        Mono<T> locked = db.sql("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT.toMillis() + "ms'").then()
                .then(db.sql("SELECT outcome FROM calls WHERE id = :id FOR UPDATE").bind("id", callId)
                        .map(r -> Optional.ofNullable(r.get(0, String.class))).one())
                .flatMap(work);
        return tx.transactional(locked)
                .retryWhen(Retry.backoff(LOCK_RETRIES, Duration.ofMillis(20)).filter(CallStore::lockConflict)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    /** A lock wait that timed out (55P03) or a deadlock (40P01): the transaction may be tried again. */
    static boolean lockConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof R2dbcException r && ("55P03".equals(r.getSqlState()) || "40P01".equals(r.getSqlState()))) {
                return true;
            }
        }
        return false;
    }

    /** The reference of the case the call opened, if any. */
    Mono<String> caseReference(UUID callId) {
        return db.sql("SELECT reference FROM cases WHERE call_id = :call ORDER BY created_at LIMIT 1")
                .bind("call", callId).map(r -> r.get(0, String.class)).one();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
