package vn.hotline.gateway.channel.twilio.internal;

import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.routing.decision.RungKind;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.calllog.CallRecords;
import vn.hotline.gateway.db.SqlPart;
import vn.hotline.gateway.privacy.ProtectedNumber;
import vn.hotline.ivr.engine.SessionState;
import vn.hotline.ivr.engine.SessionStateCodec;

/**
 * The SQL of Twilio calls: the call record keyed by CallSid, its IVR session with the step counter, the stored reply
 * of each step, and the rungs of a transfer. Callers run these inside one transaction per webhook.
 */
@Component
class VoiceCalls {

    static final String PROVIDER = "twilio";

    private final DatabaseClient db;
    private final AuditLog audit;

    VoiceCalls(DatabaseClient db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    /** A call's IVR session as stored. */
    record Session(UUID callId, int step, SessionState state) {
    }

    /** A rung of the ladder as planned; the number is derived again each time it is dialled, never stored. */
    record Rung(int step, String kind, Optional<UUID> officerId, int ringSeconds) {
    }

    /** The reply given to one step of a call, if that step was taken. */
    Mono<String> reply(String callSid, String kind, int step) {
        return db.sql("SELECT response FROM twilio_replies WHERE call_sid = :sid AND kind = :kind AND step = :step")
                .bind("sid", callSid).bind("kind", kind).bind("step", step)
                .map(r -> r.get(0, String.class)).one();
    }

    Mono<Void> saveReply(String callSid, String kind, int step, String response, Instant at) {
        return SqlPart.together(db, reply(callSid, kind, step, response, at)).then();
    }

    /** The reply of a step, stored with the session's new state in one statement. */
    Mono<Void> saveStateAndReply(UUID callId, SessionState state, String callSid, String kind, int step, String response,
            Instant at) {
        return SqlPart.together(db, state(callId, state), reply(callSid, kind, step, response, at)).then();
    }

    private static SqlPart reply(String callSid, String kind, int step, String response, Instant at) {
        return new SqlPart("""
                INSERT INTO twilio_replies (call_sid, kind, step, response, created_at)
                VALUES (:sid, :kind, :step, :response, :replyAt) ON CONFLICT DO NOTHING""",
                Map.of("sid", callSid, "kind", kind, "step", step, "response", response, "replyAt", utc(at)));
    }

    private static SqlPart state(UUID callId, SessionState state) {
        return CallRecords.sessionState(callId, state, OptionalInt.empty());
    }

    /**
     * Creates the call record, its session at step 0 and CALL_STARTED in one statement; fails with a
     * {@link org.springframework.dao.DataIntegrityViolationException} when the call exists already (a retried first
     * webhook, which then finds the stored reply). With {@code firstReply}, the reply to step 0 goes in too.
     */
    Mono<UUID> start(String callSid, String channel, String callerKind, Optional<ProtectedNumber> caller, String dialled,
            Instant answeredAt, SessionState state, Optional<String> firstReply) {
        UUID id = UUID.randomUUID();
        return SqlPart.together(db,
                        CallRecords.newCall(id, channel, PROVIDER, callSid, callerKind, caller, Optional.ofNullable(dialled),
                                answeredAt, state),
                        CallRecords.newSession(id, state),
                        audit.part(new AuditEntry(Actor.provider(PROVIDER), AuditAction.CALL_STARTED,
                                new Subject("call", id.toString()), Map.of("callKey", callSid))),
                        firstReply.map(r -> reply(callSid, VoiceWebhooks.KIND, 0, r, answeredAt)).orElse(SqlPart.NONE))
                .then()
                .thenReturn(id);
    }

    /** The session of a call. */
    Mono<Session> session(String callSid) {
        return db.sql("""
                        SELECT c.id, s.step, s.state::text AS state FROM calls c JOIN ivr_sessions s ON s.call_id = c.id
                        WHERE c.provider = :provider AND c.provider_call_id = :sid""")
                .bind("provider", PROVIDER).bind("sid", callSid)
                .map(r -> new Session(r.get("id", UUID.class), r.get("step", Integer.class),
                        SessionStateCodec.fromJson(r.get("state", String.class))))
                .one();
    }

    /** A call's session, with the reply to {@code step} if that step was taken already. */
    record SessionAt(Session session, Optional<String> reply) {
    }

    /** The session of a call and the stored reply to one of its steps, in one query. */
    Mono<SessionAt> sessionAt(String callSid, String kind, int step) {
        return db.sql("""
                        SELECT c.id, s.step, s.state::text AS state, r.response
                        FROM calls c JOIN ivr_sessions s ON s.call_id = c.id
                        LEFT JOIN twilio_replies r ON r.call_sid = :sid AND r.kind = :kind AND r.step = :step
                        WHERE c.provider = :provider AND c.provider_call_id = :sid""")
                .bind("provider", PROVIDER).bind("sid", callSid).bind("kind", kind).bind("step", step)
                .map(r -> new SessionAt(new Session(r.get("id", UUID.class), r.get("step", Integer.class),
                        SessionStateCodec.fromJson(r.get("state", String.class))),
                        Optional.ofNullable(r.get("response", String.class))))
                .one();
    }

    /**
     * Takes step {@code step} of a call with its new state and stores its reply, in one statement; false when another
     * request took the step first (the row lock makes the loser wait for the winner, then find the step gone).
     */
    Mono<Boolean> takeStep(UUID callId, int step, SessionState state, String callSid, String kind, String response,
            Instant at) {
        return db.sql("""
                        WITH claimed AS (
                            UPDATE ivr_sessions SET step = :step, state = :state, updated_at = :stateAt
                            WHERE call_id = :id AND step = :step - 1
                            RETURNING call_id)
                        INSERT INTO twilio_replies (call_sid, kind, step, response, created_at)
                        SELECT :sid, :kind, :step, :response, :replyAt FROM claimed
                        ON CONFLICT DO NOTHING""")
                .bindValues(Map.of("step", step, "state", Json.of(SessionStateCodec.toJson(state)),
                        "stateAt", utc(state.updatedAt()), "id", callId, "sid", callSid, "kind", kind,
                        "response", response, "replyAt", utc(at)))
                .fetch().rowsUpdated().map(n -> n == 1);
    }

    /** Takes step {@code step} of a call; false when another request took it first (it holds the row until it commits). */
    Mono<Boolean> claimStep(UUID callId, int step) {
        return db.sql("UPDATE ivr_sessions SET step = :step WHERE call_id = :id AND step = :step - 1")
                .bind("step", step).bind("id", callId)
                .fetch().rowsUpdated().map(n -> n == 1);
    }

    Mono<Void> saveState(UUID callId, SessionState state) {
        return SqlPart.together(db, state(callId, state)).then();
    }

    /** Records how the call left the IVR (CALL_ENDED, or IVR_COMPLETED when a transfer goes on), in one statement. */
    Mono<Void> finish(UUID callId, String outcome, List<String> path, Optional<String> abandonedAt, Instant at,
            boolean ended) {
        return SqlPart.together(db, CallRecords.ending(callId, outcome, path, abandonedAt, at, ended),
                audit.part(CallRecords.endingAudit(PROVIDER, callId, outcome, abandonedAt, ended))).then();
    }

    /** Ends a call that Twilio reports completed; false when it had already ended. */
    Mono<Boolean> markEnded(UUID callId, Instant at) {
        return db.sql("UPDATE calls SET ended_at = :at WHERE id = :id AND ended_at IS NULL")
                .bind("at", utc(at)).bind("id", callId).fetch().rowsUpdated().map(n -> n == 1);
    }

    Mono<String> outcome(UUID callId) {
        return db.sql("SELECT outcome FROM calls WHERE id = :id").bind("id", callId)
                .map(r -> Optional.ofNullable(r.get(0, String.class)).orElse("")).one();
    }

    Mono<Void> planLadder(UUID callId, List<Rung> rungs, Instant at) {
        return Flux.fromIterable(rungs)
                .concatMap(r -> {
                    GenericExecuteSpec insert = db.sql("""
                                    INSERT INTO call_dial_attempts (call_id, step, rung_kind, officer_id, ring_seconds, planned_at)
                                    VALUES (:call, :step, :kind, :officer, :ring, :at) ON CONFLICT DO NOTHING""")
                            .bind("call", callId).bind("step", r.step()).bind("kind", r.kind())
                            .bind("ring", r.ringSeconds()).bind("at", utc(at));
                    insert = r.officerId().isPresent() ? insert.bind("officer", r.officerId().get())
                            : insert.bindNull("officer", UUID.class);
                    return insert.then();
                })
                .then();
    }

    /** The rungs planned for a call, in order. */
    Flux<Rung> rungs(UUID callId) {
        return db.sql("SELECT step, rung_kind, officer_id, ring_seconds FROM call_dial_attempts WHERE call_id = :call ORDER BY step")
                .bind("call", callId)
                .map(r -> new Rung(r.get(0, Integer.class), r.get(1, String.class), Optional.ofNullable(r.get(2, UUID.class)),
                        r.get(3, Integer.class)))
                .all();
    }

    /**
     * The officer pressed 1 in the whisper: the rung is accepted (the dial result comes later). Emits the officer of
     * the rung when this was the first acceptance of an officer's rung (not 111's).
     */
    Mono<UUID> accept(UUID callId, int step, Instant at) {
        return db.sql("""
                        UPDATE call_dial_attempts SET accepted = true, accepted_at = :at
                        WHERE call_id = :call AND step = :step AND dial_status IS NULL AND accepted_at IS NULL
                        RETURNING officer_id, rung_kind""")
                .bind("call", callId).bind("step", step).bind("at", utc(at))
                .map(r -> Optional.ofNullable(r.get(0, UUID.class)).filter(o -> !RungKind.NATIONAL_111.name().equals(r.get(1, String.class))))
                .one()
                .flatMap(Mono::justOrEmpty);
    }

    /** A rung's dial result as recorded: whether someone accepted, and whether it is the last rung. */
    record DialResult(boolean accepted, Optional<UUID> officerId, String kind, boolean last) {
    }

    /** Records a rung's DialCallStatus once (a replay finds it recorded and changes nothing). */
    Mono<DialResult> recordDial(UUID callId, int step, String dialStatus, Instant at) {
        Mono<DialResult> update = db.sql("""
                        UPDATE call_dial_attempts SET dial_status = :status, accepted = coalesce(accepted, false), ended_at = :at
                        WHERE call_id = :call AND step = :step AND dial_status IS NULL
                        RETURNING accepted, officer_id, rung_kind,
                                  step = (SELECT max(step) FROM call_dial_attempts WHERE call_id = :call)""")
                .bind("status", dialStatus).bind("at", utc(at)).bind("call", callId).bind("step", step)
                .map(r -> new DialResult(Boolean.TRUE.equals(r.get(0, Boolean.class)), Optional.ofNullable(r.get(1, UUID.class)),
                        r.get(2, String.class), Boolean.TRUE.equals(r.get(3, Boolean.class))))
                .one();
        return update.flatMap(result -> {
            Mono<Void> outcome = result.accepted() ? setOutcome(callId, "CONNECTED", result.officerId(), at)
                    : result.last() ? setOutcome(callId, "CALLBACK_URGENT", Optional.empty(), at) : Mono.empty();
            return outcome.then(audit.record(new AuditEntry(Actor.provider(PROVIDER), AuditAction.TRANSFER_ATTEMPTED,
                            new Subject("call", callId.toString()), Map.of("step", step, "rung", result.kind(),
                                    "dialStatus", dialStatus, "accepted", result.accepted()))))
                    .thenReturn(result);
        });
    }

    /** A rung's dial result already recorded. */
    Mono<DialResult> recordedDial(UUID callId, int step) {
        return db.sql("""
                        SELECT accepted, officer_id, rung_kind, step = (SELECT max(step) FROM call_dial_attempts WHERE call_id = :call)
                        FROM call_dial_attempts WHERE call_id = :call AND step = :step AND dial_status IS NOT NULL""")
                .bind("call", callId).bind("step", step)
                .map(r -> new DialResult(Boolean.TRUE.equals(r.get(0, Boolean.class)), Optional.ofNullable(r.get(1, UUID.class)),
                        r.get(2, String.class), Boolean.TRUE.equals(r.get(3, Boolean.class))))
                .one();
    }

    private Mono<Void> setOutcome(UUID callId, String outcome, Optional<UUID> acceptedBy, Instant at) {
        GenericExecuteSpec update = db.sql("""
                        UPDATE calls SET outcome = :outcome, accepted_by_officer_id = :officer, ended_at = :at WHERE id = :id""")
                .bind("outcome", outcome).bind("at", utc(at)).bind("id", callId);
        update = acceptedBy.isPresent() ? update.bind("officer", acceptedBy.get()) : update.bindNull("officer", UUID.class);
        return update.then();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
