package vn.hotline.gateway.channel.asterisk.internal;

import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.privacy.ProtectedNumber;
import vn.hotline.gateway.switchboard.VoiceHandOff;
import vn.hotline.ivr.engine.SessionState;
import vn.hotline.ivr.engine.SessionStateCodec;
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

    /**
     * Creates the call record and its IVR session (one statement) and the CALL_STARTED audit event, in one
     * transaction.
     */
    Mono<Void> start(UUID id, String callKey, String callerKind, Optional<ProtectedNumber> caller, String dialled,
            Instant answeredAt, SessionState state) {
        GenericExecuteSpec insert = db.sql("""
                        WITH call AS (
                            INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, caller_hash, caller_cipher,
                                               caller_key_id, caller_masked, dialled_number, started_at, answered_at, ivr_path)
                            VALUES (:id, 'ASTERISK_VOICE', :provider, :key, :kind, :hash, :cipher, :keyId, :masked, :dialled,
                                    :at, :at, :path)
                            RETURNING id)
                        INSERT INTO ivr_sessions (call_id, flow_id, flow_version, step, state, updated_at)
                        SELECT id, :flow, :version, 0, :state, :stateAt FROM call""")
                .bind("id", id).bind("provider", PROVIDER).bind("key", callKey).bind("kind", callerKind)
                .bind("at", utc(answeredAt)).bind("path", state.path().toArray(String[]::new))
                .bind("flow", state.flowId()).bind("version", state.flowVersion())
                .bind("state", Json.of(SessionStateCodec.toJson(state))).bind("stateAt", utc(state.updatedAt()));
        insert = caller.isPresent()
                ? insert.bind("hash", caller.get().lookupHash()).bind("cipher", caller.get().ciphertext())
                        .bind("keyId", caller.get().keyId()).bind("masked", caller.get().masked())
                : insert.bindNull("hash", byte[].class).bindNull("cipher", byte[].class).bindNull("keyId", String.class)
                        .bindNull("masked", String.class);
        insert = dialled == null ? insert.bindNull("dialled", String.class) : insert.bind("dialled", dialled);
        return tx.transactional(insert.then()
                .then(audit.record(new AuditEntry(Actor.provider(PROVIDER), AuditAction.CALL_STARTED,
                        new Subject("call", id.toString()), Map.of("callKey", callKey)))));
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
     * Records how the call left the IVR: the call row and the session's last state in one statement, and CALL_ENDED or
     * IVR_COMPLETED in the audit log, in one transaction.
     */
    Mono<Void> finish(UUID callId, Ending ending) {
        return tx.transactional(ending(callId, ending, "", List.of()).then()
                .then(auditEnding(callId, ending)));
    }

    /**
     * The transfer milestone: the ladder handed to the dialplan (one row per rung, results still open), the call row and
     * the session's last state in one statement, and IVR_COMPLETED, in one transaction.
     */
    Mono<Void> transfer(UUID callId, List<PlannedRung> rungs, Ending ending) {
        String ladder = """
                , ladder AS (
                    INSERT INTO call_dial_attempts (call_id, step, rung_kind, officer_id, ring_seconds, planned_at)
                    SELECT :id, r.step, r.kind, r.officer, r.ring, :at
                    FROM unnest(:rungSteps::integer[], :kinds::text[], :officers::uuid[], :rings::integer[])
                         AS r (step, kind, officer, ring))""";
        GenericExecuteSpec statement = ending(callId, ending, ladder, rungs);
        return tx.transactional(statement.then()
                .then(auditEnding(callId, ending)));
    }

    private GenericExecuteSpec ending(UUID callId, Ending ending, String ladder, List<PlannedRung> rungs) {
        String session = """
                WITH session AS (
                    UPDATE ivr_sessions SET state = :state, step = :sessionStep, updated_at = :stateAt WHERE call_id = :id)""";
        GenericExecuteSpec update = db.sql(session + ladder + """

                UPDATE calls SET outcome = :outcome, ivr_path = :path, abandoned_at_node = :node,
                                 ended_at = CASE WHEN :ended THEN :at ELSE ended_at END
                WHERE id = :id""")
                .bind("state", Json.of(SessionStateCodec.toJson(ending.state()))).bind("sessionStep", ending.steps())
                .bind("stateAt", utc(ending.state().updatedAt()))
                .bind("outcome", ending.outcome()).bind("path", ending.path().toArray(String[]::new))
                .bind("ended", ending.ended()).bind("at", utc(ending.at())).bind("id", callId);
        update = ending.abandonedAt().isPresent() ? update.bind("node", ending.abandonedAt().get())
                : update.bindNull("node", String.class);
        if (!ladder.isEmpty()) {
            update = update.bind("rungSteps", rungs.stream().map(PlannedRung::step).toArray(Integer[]::new))
                    .bind("kinds", rungs.stream().map(PlannedRung::kind).toArray(String[]::new))
                    .bind("officers", rungs.stream().map(r -> r.officerId().orElse(null)).toArray(UUID[]::new))
                    .bind("rings", rungs.stream().map(PlannedRung::ringSeconds).toArray(Integer[]::new));
        }
        return update;
    }

    private Mono<Void> auditEnding(UUID callId, Ending ending) {
        AuditAction action = ending.ended() ? AuditAction.CALL_ENDED : AuditAction.IVR_COMPLETED;
        return audit.record(new AuditEntry(Actor.provider(PROVIDER), action, new Subject("call", callId.toString()),
                Map.of("outcome", ending.outcome(), "abandonedAt", ending.abandonedAt().orElse(""))));
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
