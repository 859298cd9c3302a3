package vn.hotline.gateway.switchboard.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The SQL of the acceptance watch: referrals to 111 still without a receipt. */
@Component
public class OverdueReferrals {

    private static final String TARGET = "SWITCHBOARD_111";

    private final DatabaseClient db;

    OverdueReferrals(DatabaseClient db) {
        this.db = db;
    }

    /** A referral of ours that 111 has not accepted in time. */
    public record Overdue(UUID id, String caseReference, String idempotencyKey, Instant createdAt) {
    }

    /** Claims overdue referrals not yet alerted about, in the caller's transaction, skipping rows another node holds. */
    public Flux<Overdue> claim(Instant createdBefore, int limit) {
        return db.sql("""
                        SELECT r.id, c.reference, r.idempotency_key, r.created_at FROM referrals r
                        JOIN cases c ON c.id = r.case_id
                        WHERE r.target = :target AND r.state IN ('PENDING', 'SENT') AND r.alerted_at IS NULL
                          AND r.created_at <= :before
                        ORDER BY r.created_at LIMIT :limit
                        FOR UPDATE OF r SKIP LOCKED""")
                .bind("target", TARGET).bind("before", createdBefore.atOffset(ZoneOffset.UTC)).bind("limit", limit)
                .map(row -> new Overdue(row.get("id", UUID.class), row.get("reference", String.class),
                        row.get("idempotency_key", String.class), row.get("created_at", OffsetDateTime.class).toInstant()))
                .all();
    }

    /** How many referrals of ours 111 has not accepted since before {@code createdBefore}, alerted about or not. */
    public Mono<Long> count(Instant createdBefore) {
        return db.sql("""
                        SELECT count(*) AS overdue FROM referrals
                        WHERE target = :target AND state IN ('PENDING', 'SENT') AND created_at <= :before""")
                .bind("target", TARGET).bind("before", createdBefore.atOffset(ZoneOffset.UTC))
                .map(row -> row.get("overdue", Long.class))
                .one();
    }

    /** Remembers that the duty supervisor was told, so each referral alerts once. */
    public Mono<Void> markAlerted(UUID referralId, Instant now) {
        return db.sql("UPDATE referrals SET alerted_at = :now, updated_at = :now WHERE id = :id")
                .bind("now", now.atOffset(ZoneOffset.UTC)).bind("id", referralId).then();
    }
}
