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
import reactor.core.publisher.Flux;
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

    /** A call as stored: its id and the IVR session's step counter. */
    record StoredCall(UUID id, int step) {
    }

    /** Creates the call record, its IVR session and the CALL_STARTED audit event in one transaction. */
    Mono<UUID> start(String callKey, String callerKind, Optional<ProtectedNumber> caller, String dialled,
            Instant answeredAt, SessionState state) {
        UUID id = UUID.randomUUID();
        GenericExecuteSpec insert = db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, caller_hash, caller_cipher,
                                           caller_key_id, caller_masked, dialled_number, started_at, answered_at, ivr_path)
                        VALUES (:id, 'ASTERISK_VOICE', :provider, :key, :kind, :hash, :cipher, :keyId, :masked, :dialled, :at,
                                :at, :path)""")
                .bind("id", id).bind("provider", PROVIDER).bind("key", callKey).bind("kind", callerKind)
                .bind("at", utc(answeredAt)).bind("path", state.path().toArray(String[]::new));
        insert = caller.isPresent()
                ? insert.bind("hash", caller.get().lookupHash()).bind("cipher", caller.get().ciphertext())
                        .bind("keyId", caller.get().keyId()).bind("masked", caller.get().masked())
                : insert.bindNull("hash", byte[].class).bindNull("cipher", byte[].class).bindNull("keyId", String.class)
                        .bindNull("masked", String.class);
        insert = dialled == null ? insert.bindNull("dialled", String.class) : insert.bind("dialled", dialled);
        Mono<Void> session = db.sql("""
                        INSERT INTO ivr_sessions (call_id, flow_id, flow_version, step, state, updated_at)
                        VALUES (:id, :flow, :version, 0, :state, :at)""")
                .bind("id", id).bind("flow", state.flowId()).bind("version", state.flowVersion())
                .bind("state", Json.of(SessionStateCodec.toJson(state))).bind("at", utc(state.updatedAt()))
                .then();
        return tx.transactional(insert.then()
                .then(session)
                .then(audit.record(new AuditEntry(Actor.provider(PROVIDER), AuditAction.CALL_STARTED,
                        new Subject("call", id.toString()), Map.of("callKey", callKey))))
                .thenReturn(id));
    }

    /** Stores the session after a step; fails when another writer took the step first. */
    Mono<Void> saveSession(UUID callId, int step, SessionState state) {
        return db.sql("""
                        UPDATE ivr_sessions SET state = :state, step = :step, updated_at = :at
                        WHERE call_id = :id AND step = :step - 1""")
                .bind("state", Json.of(SessionStateCodec.toJson(state))).bind("step", step).bind("at", utc(state.updatedAt()))
                .bind("id", callId)
                .fetch().rowsUpdated()
                .flatMap(n -> n == 1 ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("IVR session step " + step + " was already taken")));
    }

    /** Records how the call ended in the IVR (and CALL_ENDED or IVR_COMPLETED in the audit log). */
    Mono<Void> finish(UUID callId, String outcome, List<String> path, Optional<String> abandonedAt, Instant at,
            boolean ended) {
        GenericExecuteSpec update = db.sql("""
                        UPDATE calls SET outcome = :outcome, ivr_path = :path, abandoned_at_node = :node,
                                         ended_at = CASE WHEN :ended THEN :at ELSE ended_at END
                        WHERE id = :id""")
                .bind("outcome", outcome).bind("path", path.toArray(String[]::new)).bind("ended", ended)
                .bind("at", utc(at)).bind("id", callId);
        update = abandonedAt.isPresent() ? update.bind("node", abandonedAt.get()) : update.bindNull("node", String.class);
        AuditAction action = ended ? AuditAction.CALL_ENDED : AuditAction.IVR_COMPLETED;
        return tx.transactional(update.then()
                .then(audit.record(new AuditEntry(Actor.provider(PROVIDER), action, new Subject("call", callId.toString()),
                        Map.of("outcome", outcome, "abandonedAt", abandonedAt.orElse(""))))));
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

    /** Plans the ladder handed to the dialplan: one row per rung, results still open. */
    Mono<Void> planLadder(UUID callId, List<PlannedRung> rungs, Instant at) {
        return tx.transactional(Flux.fromIterable(rungs)
                .concatMap(r -> {
                    GenericExecuteSpec insert = db.sql("""
                                    INSERT INTO call_dial_attempts (call_id, step, rung_kind, officer_id, ring_seconds, planned_at)
                                    VALUES (:call, :step, :kind, :officer, :ring, :at)""")
                            .bind("call", callId).bind("step", r.step()).bind("kind", r.kind())
                            .bind("ring", r.ringSeconds()).bind("at", utc(at));
                    insert = r.officerId().isPresent() ? insert.bind("officer", r.officerId().get())
                            : insert.bindNull("officer", UUID.class);
                    return insert.then();
                })
                .then());
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
