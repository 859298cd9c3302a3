package vn.hotline.gateway.calllog;

import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.db.SqlPart;
import vn.hotline.gateway.privacy.ProtectedNumber;
import vn.hotline.ivr.engine.SessionState;
import vn.hotline.ivr.engine.SessionStateCodec;

/**
 * The rows of the call log that every channel writes: the call record (the caller's number only sealed, hashed and
 * masked) and its IVR session when a contact begins, the session's state after a step, and how the call left the IVR,
 * as parts of the channel's own statements.
 */
public final class CallRecords {

    private CallRecords() {
    }

    /**
     * A new call record.
     *
     * @param providerKey the provider's key of the contact (Asterisk system and unique id, CallSid, message id)
     * @param callerKind NUMBER, WITHHELD or UNKNOWN
     * @param dialled the number the caller dialled, if known
     */
    public static SqlPart newCall(UUID id, String channel, String provider, String providerKey, String callerKind,
                                  Optional<ProtectedNumber> caller, Optional<String> dialled, Instant answeredAt,
                                  SessionState state) {
        return new SqlPart("""
                INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, caller_hash, caller_cipher,
                                   caller_key_id, caller_masked, dialled_number, started_at, answered_at, ivr_path)
                VALUES (:id, :channel, :provider, :providerKey, :callerKind, :callerHash, :callerCipher, :callerKeyId,
                        :callerMasked, :dialled, :answeredAt, :answeredAt, :path)""", Map.ofEntries(
                Map.entry("id", id), Map.entry("channel", channel), Map.entry("provider", provider),
                Map.entry("providerKey", providerKey), Map.entry("callerKind", callerKind),
                Map.entry("callerHash", SqlPart.orNull(caller.map(ProtectedNumber::lookupHash), byte[].class)),
                Map.entry("callerCipher", SqlPart.orNull(caller.map(ProtectedNumber::ciphertext), byte[].class)),
                Map.entry("callerKeyId", SqlPart.orNull(caller.map(ProtectedNumber::keyId), String.class)),
                Map.entry("callerMasked", SqlPart.orNull(caller.map(ProtectedNumber::masked), String.class)),
                Map.entry("dialled", SqlPart.orNull(dialled, String.class)),
                Map.entry("answeredAt", utc(answeredAt)),
                Map.entry("path", state.path().toArray(String[]::new))));
    }

    /** The call's IVR session at step 0, in {@code state}. */
    public static SqlPart newSession(UUID callId, SessionState state) {
        return new SqlPart("""
                INSERT INTO ivr_sessions (call_id, flow_id, flow_version, step, state, updated_at)
                VALUES (:id, :flow, :flowVersion, 0, :sessionState, :sessionAt)""",
                Map.of("id", callId, "flow", state.flowId(), "flowVersion", state.flowVersion(),
                        "sessionState", Json.of(SessionStateCodec.toJson(state)), "sessionAt", utc(state.updatedAt())));
    }

    /** The session's state after a step (stamped with the state's own time), and its step counter when given. */
    public static SqlPart sessionState(UUID callId, SessionState state, OptionalInt step) {
        Map<String, Object> values = SqlPart.values();
        values.put("id", callId);
        values.put("state", Json.of(SessionStateCodec.toJson(state)));
        values.put("stateAt", utc(state.updatedAt()));
        step.ifPresent(n -> values.put("sessionStep", n));
        return new SqlPart("UPDATE ivr_sessions SET state = :state, updated_at = :stateAt"
                + (step.isPresent() ? ", step = :sessionStep" : "") + " WHERE call_id = :id", values);
    }

    /**
     * How the call left the IVR: its outcome, the nodes walked, the node a caller hung up at, and its end when
     * {@code ended} (a transfer goes on without one).
     */
    public static SqlPart ending(UUID callId, String outcome, List<String> path, Optional<String> abandonedAt, Instant at,
                                 boolean ended) {
        return new SqlPart("""
                UPDATE calls SET outcome = :outcome, ivr_path = :path, abandoned_at_node = :node,
                                 ended_at = CASE WHEN :ended THEN :at ELSE ended_at END
                WHERE id = :id""",
                Map.of("outcome", outcome, "path", path.toArray(String[]::new), "ended", ended, "at", utc(at),
                        "id", callId, "node", SqlPart.orNull(abandonedAt, String.class)));
    }

    /** The audit event of {@link #ending}: CALL_ENDED, or IVR_COMPLETED when a transfer goes on. */
    public static AuditEntry endingAudit(String provider, UUID callId, String outcome, Optional<String> abandonedAt,
                                         boolean ended) {
        return new AuditEntry(Actor.provider(provider), ended ? AuditAction.CALL_ENDED : AuditAction.IVR_COMPLETED,
                new Subject("call", callId.toString()), Map.of("outcome", outcome, "abandonedAt", abandonedAt.orElse("")));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
