package vn.hotline.gateway.channel.asterisk.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.calllog.CallRecords;
import vn.hotline.gateway.db.Rows;
import vn.hotline.gateway.db.SqlPart;
import vn.hotline.gateway.privacy.ProtectedNumber;
import vn.hotline.gateway.switchboard.VoiceHandOff;
import vn.hotline.ivr.engine.SessionState;
import vn.hotline.routing.decision.RungKind;

/** The SQL of Asterisk calls: the call record, its IVR session and its dial attempts. */
@Component
class CallStore {

    static final String PROVIDER = "asterisk";

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final AuditLog audit;
    private final VoiceHandOff national111;

    CallStore(DatabaseClient db, TransactionalOperator tx, AuditLog audit, VoiceHandOff national111) {
        this.db = db;
        this.tx = tx;
        this.audit = audit;
        this.national111 = national111;
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
    }

    /** What a rung was when planned. */
    record Attempt(String kind, Optional<UUID> officerId, boolean last) {
    }

    /** Records the DIALSTATUS of one rung and, when someone accepted, who; audited as TRANSFER_ATTEMPTED. */
    Mono<Attempt> recordAttempt(UUID callId, int step, String dialStatus, boolean accepted, Instant at) {
        Mono<Attempt> attempt = db.sql("""
                        UPDATE call_dial_attempts SET dial_status = :status, accepted = :accepted, ended_at = :at
                        WHERE call_id = :call AND step = :step AND dial_status IS NULL
                        RETURNING rung_kind, officer_id,
                                  step = (SELECT max(step) FROM call_dial_attempts WHERE call_id = :call)""")
                .bind("status", dialStatus).bind("accepted", accepted).bind("at", utc(at))
                .bind("call", callId).bind("step", step)
                .map(r -> new Attempt(r.get(0, String.class), Optional.ofNullable(r.get(1, UUID.class)),
                        Boolean.TRUE.equals(r.get(2, Boolean.class))))
                .one();
        return tx.transactional(attempt.flatMap(a -> {
            Mono<Void> outcome = accepted
                    ? setOutcome(callId, "CONNECTED", a.officerId(), at)
                    : a.last() ? setOutcome(callId, "CALLBACK_URGENT", Optional.empty(), at) : Mono.empty();
            // 111 answered: the case summary follows the caller through the switchboard API.
            Mono<Void> handOff = RungKind.NATIONAL_111.name().equals(a.kind()) && "ANSWER".equals(dialStatus)
                    ? national111.answeredBy111(callId, at).then()
                    : Mono.empty();
            return outcome
                    .then(handOff)
                    .then(audit.record(new AuditEntry(Actor.provider(PROVIDER), AuditAction.TRANSFER_ATTEMPTED,
                            new Subject("call", callId.toString()), Map.of("step", step, "rung", a.kind(),
                                    "dialStatus", dialStatus, "accepted", accepted))))
                    .thenReturn(a);
        }));
    }

    private Mono<Void> setOutcome(UUID callId, String outcome, Optional<UUID> acceptedBy, Instant at) {
        GenericExecuteSpec update = db.sql("""
                        UPDATE calls SET outcome = :outcome, accepted_by_officer_id = :officer, ended_at = :at
                        WHERE id = :id""")
                .bind("outcome", outcome).bind("at", utc(at)).bind("id", callId);
        update = acceptedBy.isPresent() ? update.bind("officer", acceptedBy.get()) : update.bindNull("officer", UUID.class);
        return update.then();
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
