package vn.hotline.gateway.switchboard.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
import vn.hotline.gateway.privacy.Encrypted;

/** The SQL of the switchboard: 111's receipts and states on our referrals, and the referrals 111 sends us. */
@Component
class ReferralStore {

    private static final String TARGET = "SWITCHBOARD_111";

    private final DatabaseClient db;
    private final AuditLog audit;
    private final TransactionalOperator tx;

    ReferralStore(DatabaseClient db, AuditLog audit, TransactionalOperator tx) {
        this.db = db;
        this.audit = audit;
        this.tx = tx;
    }

    /** A referral of ours as 111 knows it. */
    record OurReferral(UUID id, String caseReference, String state, Optional<String> externalRef, Optional<Long> externalSeq) {
    }

    /** Stores 111's receipt: the referral is ACCEPTED (unless 111 already moved it on) and audited once. */
    Mono<Void> accepted(String idempotencyKey, String externalRef, Instant now) {
        return tx.transactional(db.sql("""
                        UPDATE referrals r SET external_ref = :ref, updated_at = :now, sent_at = coalesce(sent_at, :now),
                               accepted_at = coalesce(accepted_at, :now),
                               state = CASE WHEN state IN ('PENDING', 'SENT') THEN 'ACCEPTED' ELSE state END
                        FROM cases c
                        WHERE r.idempotency_key = :key AND r.target = :target AND c.id = r.case_id
                          AND r.external_ref IS NULL
                        RETURNING c.reference""")
                .bind("ref", externalRef).bind("now", utc(now)).bind("key", idempotencyKey).bind("target", TARGET)
                .map(row -> row.get(0, String.class))
                .one()
                .flatMap(reference -> audit.record(new AuditEntry(Actor.system("switchboard"), AuditAction.REFERRAL_ACCEPTED,
                        new Subject("case", reference), Map.of("externalRef", externalRef, "key", idempotencyKey)))));
    }

    /**
     * Marks a referral as put on the wire, before the request: {@code sent_at} keeps the first attempt, and a PENDING
     * referral becomes SENT (111 may have it even if its answer never comes back).
     */
    Mono<Void> sending(String idempotencyKey, Instant now) {
        return db.sql("""
                        UPDATE referrals SET sent_at = coalesce(sent_at, :now),
                               state = CASE WHEN state = 'PENDING' THEN 'SENT' ELSE state END,
                               updated_at = CASE WHEN state = 'PENDING' THEN :now ELSE updated_at END
                        WHERE idempotency_key = :key AND target = :target AND sent_at IS NULL""")
                .bind("now", utc(now)).bind("key", idempotencyKey).bind("target", TARGET)
                .then();
    }

    /** Our referral with this idempotency key, if it exists. */
    Mono<OurReferral> byKey(String idempotencyKey) {
        return db.sql("""
                        SELECT r.id, c.reference, r.state, r.external_ref, r.external_seq FROM referrals r
                        JOIN cases c ON c.id = r.case_id WHERE r.idempotency_key = :key AND r.target = :target""")
                .bind("key", idempotencyKey).bind("target", TARGET)
                .map(row -> new OurReferral(row.get("id", UUID.class), row.get("reference", String.class),
                        row.get("state", String.class), Optional.ofNullable(row.get("external_ref", String.class)),
                        Optional.ofNullable(row.get("external_seq", Long.class))))
                .one();
    }

    /**
     * Applies a status 111 sent for one of our referrals, by the documented rule: only a sequence number higher than
     * the last applied one changes anything, so a late or repeated update never moves the state backwards.
     */
    Mono<Optional<OurReferral>> applyStatus(String externalRef, String state, long sequence, Instant now) {
        return tx.transactional(db.sql("""
                        UPDATE referrals r SET state = :state, external_seq = :seq, updated_at = :now
                        FROM cases c
                        WHERE r.target = :target AND r.external_ref = :ref AND c.id = r.case_id
                          AND (r.external_seq IS NULL OR r.external_seq < :seq)
                        RETURNING r.id, c.reference, r.state, r.external_ref, r.external_seq""")
                .bind("state", state).bind("seq", sequence).bind("now", utc(now)).bind("target", TARGET).bind("ref", externalRef)
                .map(row -> new OurReferral(row.get("id", UUID.class), row.get("reference", String.class),
                        row.get("state", String.class), Optional.of(externalRef), Optional.of(row.get("external_seq", Long.class))))
                .one()
                .flatMap(applied -> audit.record(new AuditEntry(Actor.provider("switchboard-111"),
                                AuditAction.REFERRAL_STATUS_CHANGED, new Subject("case", applied.caseReference()),
                                Map.of("externalRef", externalRef, "state", state, "sequence", sequence)))
                        .thenReturn(Optional.of(applied)))
                .defaultIfEmpty(Optional.empty()));
    }

    /** The current state of one of our referrals by 111's reference. */
    Mono<OurReferral> byExternalRef(String externalRef) {
        return db.sql("""
                        SELECT r.id, c.reference, r.state, r.external_ref, r.external_seq FROM referrals r
                        JOIN cases c ON c.id = r.case_id WHERE r.external_ref = :ref AND r.target = :target""")
                .bind("ref", externalRef).bind("target", TARGET)
                .map(row -> new OurReferral(row.get("id", UUID.class), row.get("reference", String.class),
                        row.get("state", String.class), Optional.of(externalRef),
                        Optional.ofNullable(row.get("external_seq", Long.class))))
                .one();
    }

    /** 111's reference of the referral that opened this case, when 111 opened it. */
    Mono<String> inboundReferenceOf(String caseReference) {
        return db.sql("""
                        SELECT i.external_ref FROM switchboard_inbound i JOIN cases c ON c.id = i.case_id
                        WHERE c.reference = :ref""")
                .bind("ref", caseReference)
                .map(row -> row.get(0, String.class))
                .one();
    }

    /**
     * Records that 111 took the province's report on a case it referred to us; a report older than the last one
     * recorded changes nothing (reports may be sent out of order after retries).
     */
    Mono<Void> reported(String externalRef, String caseReference, String state, long sequence, Instant now) {
        return tx.transactional(db.sql("""
                        UPDATE switchboard_inbound SET state = :state, reported_seq = :seq, updated_at = :now
                        WHERE external_ref = :ref AND reported_seq < :seq""")
                .bind("state", state).bind("seq", sequence).bind("now", utc(now)).bind("ref", externalRef)
                .fetch().rowsUpdated()
                .flatMap(n -> n == 0 ? Mono.<Void>empty()
                        : audit.record(new AuditEntry(Actor.system("switchboard"), AuditAction.REFERRAL_STATUS_REPORTED,
                                new Subject("case", caseReference),
                                Map.of("externalRef", externalRef, "state", state, "sequence", sequence)))));
    }

    /** A referral 111 sent us, as first received. */
    record Inbound(String externalRef, String idempotencyKey, byte[] digest, String caseReference) {
    }

    Mono<Inbound> inbound(String externalRef) {
        return db.sql("""
                        SELECT i.external_ref, i.idempotency_key, i.request_digest, c.reference FROM switchboard_inbound i
                        JOIN cases c ON c.id = i.case_id WHERE i.external_ref = :ref""")
                .bind("ref", externalRef)
                .map(row -> new Inbound(row.get(0, String.class), row.get(1, String.class), row.get(2, byte[].class),
                        row.get(3, String.class)))
                .one();
    }

    /** Records an inbound referral in the transaction that opened its case; false when another request won the race. */
    Mono<Boolean> insertInbound(String externalRef, String idempotencyKey, byte[] digest, UUID caseId, long sequence,
                                Instant now) {
        return db.sql("""
                        INSERT INTO switchboard_inbound (external_ref, idempotency_key, request_digest, case_id, state,
                                                         external_seq, received_at, updated_at)
                        VALUES (:ref, :key, :digest, :case, 'RECEIVED', :seq, :now, :now)
                        ON CONFLICT DO NOTHING""")
                .bind("ref", externalRef).bind("key", idempotencyKey).bind("digest", digest).bind("case", caseId)
                .bind("seq", sequence).bind("now", utc(now))
                .fetch().rowsUpdated()
                .map(n -> n == 1);
    }

    /** 111's summary of an inbound referral, kept as an encrypted case note (it may name people), with its sealed reason. */
    Mono<Void> insertSummaryNote(UUID caseId, Encrypted summary, Encrypted reason, Instant now) {
        return db.sql("""
                        INSERT INTO case_events (case_id, occurred_at, actor, event_type, reason_cipher, reason_key_id,
                                                 note_cipher, note_key_id)
                        VALUES (:case, :now, 'system:switchboard-111', 'NOTE', :reason, :reasonKeyId, :cipher, :keyId)""")
                .bind("case", caseId).bind("now", utc(now)).bind("cipher", summary.ciphertext()).bind("keyId", summary.keyId())
                .bind("reason", reason.ciphertext()).bind("reasonKeyId", reason.keyId())
                .then();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
