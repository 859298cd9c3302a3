package vn.hotline.gateway.audit.internal;

import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.AuditTrail;
import vn.hotline.gateway.audit.AuditTrailEntry;
import vn.hotline.gateway.audit.Subject;

/** A subject's events with the seal covering each; the read is recorded before anything is returned. */
@Component
class R2dbcAuditTrail implements AuditTrail {

    private final DatabaseClient db;
    private final AuditLog audit;

    R2dbcAuditTrail(DatabaseClient db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    @Override
    public Mono<List<AuditTrailEntry>> read(Subject subject, long afterId, int limit, Actor reader) {
        return audit.record(new AuditEntry(reader, AuditAction.AUDIT_TRAIL_READ, subject, java.util.Map.of()))
                .then(db.sql("""
                                SELECT e.id, e.occurred_at, e.recorded_at, e.actor_type, e.actor_id, e.action,
                                       e.payload_digest, e.digest_key_id, s.seq
                                FROM audit_events e LEFT JOIN audit_seals s ON s.event_id = e.id
                                WHERE e.subject_type = :type AND e.subject_id = :id AND e.id > :after
                                ORDER BY e.id LIMIT :limit""")
                        .bind("type", subject.type())
                        .bind("id", subject.id())
                        .bind("after", afterId)
                        .bind("limit", limit)
                        .map(row -> {
                            byte[] digest = row.get("payload_digest", byte[].class);
                            return new AuditTrailEntry(row.get("id", Long.class),
                                    row.get("occurred_at", OffsetDateTime.class).toInstant(),
                                    row.get("recorded_at", OffsetDateTime.class).toInstant(),
                                    new Actor(row.get("actor_type", String.class), row.get("actor_id", String.class)),
                                    row.get("action", String.class),
                                    digest == null ? null : HexFormat.of().formatHex(digest),
                                    row.get("digest_key_id", String.class),
                                    row.get("seq", Long.class));
                        })
                        .all().collectList());
    }
}
