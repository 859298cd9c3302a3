package vn.hotline.gateway.channel.twilio.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;

/**
 * The SQL of notifications (officers' SMS, and the one text a caller may ask for): one row per outbox message, its
 * provider id and a status that only moves forward.
 */
@Component
class Notifications {

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final AuditLog audit;
    private final Counter deliveryFailures;

    Notifications(DatabaseClient db, TransactionalOperator tx, AuditLog audit, MeterRegistry meters) {
        this.deliveryFailures = Counter.builder("hotline.sms.delivery.failures").tag("channel", "twilio")
                .description("SMS to an officer or a caller that Twilio refused, or reported failed or undelivered")
                .register(meters);
        this.db = db;
        this.tx = tx;
        this.audit = audit;
    }

    /** A notification as stored. */
    record Notification(UUID id, Optional<String> providerSid, boolean uncertain, Instant createdAt) {
    }

    /** What an officer's SMS needs: where the phone is sealed, the language (Vietnamese when they read it), the case facts. No child data. */
    record Details(UUID caseId, byte[] phoneCipher, String phoneKeyId, String language, String category,
            Optional<Instant> ackDeadline) {
    }

    /** Rank of each Twilio message status: a status is stored only over a lower one ({@code delivered} beats a late {@code sent}). */
    static final Map<String, Integer> RANKS = Map.ofEntries(Map.entry("accepted", 1), Map.entry("scheduled", 1),
            Map.entry("queued", 1), Map.entry("sending", 2), Map.entry("sent", 3), Map.entry("failed", 4),
            Map.entry("undelivered", 4), Map.entry("delivered", 5), Map.entry("read", 6));

    private static final int FAILED_RANK = 4;

    Mono<Details> details(String reference, UUID officerId) {
        return db.sql("""
                        SELECT c.id, o.phone_cipher, o.phone_key_id, CASE WHEN 'vi' = ANY (o.languages) THEN 'vi' ELSE o.languages[1] END AS language, c.category, c.ack_deadline
                        FROM cases c, officers o WHERE c.reference = :ref AND o.id = :officer""")
                .bind("ref", reference).bind("officer", officerId)
                .map(r -> new Details(r.get("id", UUID.class), r.get("phone_cipher", byte[].class),
                        r.get("phone_key_id", String.class), r.get("language", String.class), r.get("category", String.class),
                        Optional.ofNullable(r.get("ack_deadline", OffsetDateTime.class)).map(OffsetDateTime::toInstant)))
                .one();
    }

    /** What a caller's text needs: the case the call opened and the caller's number, sealed. */
    record CallerDetails(UUID caseId, String reference, Optional<byte[]> numberCipher, String numberKeyId) {
    }

    /** The case a call opened and its caller's sealed number (empty when withheld or erased). */
    Mono<CallerDetails> callerDetails(UUID callId) {
        return db.sql("""
                        SELECT k.id, k.reference, c.caller_cipher, c.caller_key_id
                        FROM calls c JOIN cases k ON k.call_id = c.id WHERE c.id = :call""")
                .bind("call", callId)
                .map(r -> new CallerDetails(r.get("id", UUID.class), r.get("reference", String.class),
                        Optional.ofNullable(r.get("caller_cipher", byte[].class)), r.get("caller_key_id", String.class)))
                .one();
    }

    /** The notification of an outbox message to an officer, created on its first attempt. */
    Mono<Notification> ensure(String outboxKey, UUID caseId, UUID officerId, Instant now) {
        return ensure(outboxKey, caseId, "officer_id", officerId, now);
    }

    /** The notification of an outbox message to the caller of a call, created on its first attempt. */
    Mono<Notification> ensureForCaller(String outboxKey, UUID caseId, UUID callId, Instant now) {
        return ensure(outboxKey, caseId, "call_id", callId, now);
    }

    private Mono<Notification> ensure(String outboxKey, UUID caseId, String recipientColumn, UUID recipient, Instant now) {
        return db.sql("""
                        INSERT INTO notifications (id, outbox_key, case_id, %s, channel, provider, status, status_rank,
                                                   created_at, updated_at)
                        VALUES (:id, :key, :case, :recipient, 'SMS', 'twilio', 'pending', 0, :now, :now)
                        ON CONFLICT (outbox_key) DO NOTHING""".formatted(recipientColumn))
                .bind("id", UUID.randomUUID()).bind("key", outboxKey).bind("case", caseId).bind("recipient", recipient)
                .bind("now", VoiceCalls.utc(now))
                .then()
                .then(db.sql("SELECT id, provider_sid, uncertain, created_at FROM notifications WHERE outbox_key = :key")
                        .bind("key", outboxKey)
                        .map(r -> new Notification(r.get("id", UUID.class), Optional.ofNullable(r.get("provider_sid", String.class)),
                                Boolean.TRUE.equals(r.get("uncertain", Boolean.class)),
                                r.get("created_at", OffsetDateTime.class).toInstant()))
                        .one());
    }

    /** A send is about to start: until it answers, its outcome is unknown. */
    Mono<Void> sending(UUID id, Instant now) {
        return db.sql("UPDATE notifications SET uncertain = true, attempts = attempts + 1, updated_at = :now WHERE id = :id")
                .bind("now", VoiceCalls.utc(now)).bind("id", id).then();
    }

    /** Twilio answered with an error: nothing was created, the next attempt may send without a look-up. */
    Mono<Void> refused(UUID id, Instant now) {
        deliveryFailures.increment();
        return db.sql("UPDATE notifications SET uncertain = false, updated_at = :now WHERE id = :id")
                .bind("now", VoiceCalls.utc(now)).bind("id", id).then();
    }

    /** Twilio has the message (created now, or found by a look-up): recorded once, with NOTIFICATION_SENT. */
    Mono<Void> accepted(UUID id, String providerSid, String status, String reference, Instant now) {
        int rank = RANKS.getOrDefault(status, 1);
        return tx.transactional(db.sql("""
                        UPDATE notifications SET provider_sid = :sid, uncertain = false, sent_at = :now, updated_at = :now,
                               status = CASE WHEN status_rank < :rank THEN :status ELSE status END,
                               status_rank = greatest(status_rank, :rank)
                        WHERE id = :id AND provider_sid IS NULL""")
                .bind("sid", providerSid).bind("now", VoiceCalls.utc(now)).bind("status", status).bind("rank", rank)
                .bind("id", id)
                .fetch().rowsUpdated()
                .flatMap(n -> n == 0 ? Mono.<Void>empty()
                        : audit.record(new AuditEntry(Actor.provider("twilio"), AuditAction.NOTIFICATION_SENT,
                                new Subject("case", reference), Map.of("notification", id.toString(), "channel", "SMS")))));
    }

    /** A delivery status callback: stored only when it moves the status forward; false otherwise. */
    Mono<Boolean> status(UUID id, String providerSid, String status, Instant now) {
        Integer rank = RANKS.get(status);
        if (rank == null) {
            return Mono.just(false);
        }
        return db.sql("""
                        UPDATE notifications SET status = :status, status_rank = :rank, updated_at = :now,
                               provider_sid = coalesce(provider_sid, :sid)
                        WHERE id = :id AND status_rank < :rank AND (provider_sid IS NULL OR provider_sid = :sid)""")
                .bind("status", status).bind("rank", rank).bind("now", VoiceCalls.utc(now)).bind("sid", providerSid)
                .bind("id", id)
                .fetch().rowsUpdated().map(n -> n == 1)
                .doOnNext(moved -> {
                    if (moved && rank == FAILED_RANK) {
                        deliveryFailures.increment();
                    }
                });
    }
}
