package vn.hotline.gateway.audit.internal;

import java.time.Clock;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.privacy.KeyedDigest;
import vn.hotline.gateway.privacy.PersonalData;

/** Inserts audit events; only inserts, so concurrent writers never wait on each other (the sealer chains later). */
@Component
class R2dbcAuditLog implements AuditLog {

    /** Canonical encoding for digests: keys sorted at every level. */
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private final DatabaseClient db;
    private final PersonalData personalData;
    private final Clock clock;

    R2dbcAuditLog(DatabaseClient db, PersonalData personalData, Clock clock) {
        this.db = db;
        this.personalData = personalData;
        this.clock = clock;
    }

    @Override
    public Mono<Void> record(AuditEntry entry) {
        var spec = db.sql("""
                        INSERT INTO audit_events (occurred_at, actor_type, actor_id, action, subject_type, subject_id, payload_digest, digest_key_id)
                        VALUES (:at, :actorType, :actorId, :action, :subjectType, :subjectId, :digest, :keyId)""")
                .bind("at", clock.instant().atOffset(java.time.ZoneOffset.UTC))
                .bind("actorType", entry.actor().type())
                .bind("actorId", entry.actor().id())
                .bind("action", entry.action().name())
                .bind("subjectType", entry.subject().type())
                .bind("subjectId", entry.subject().id());
        if (entry.payload().isEmpty()) {
            spec = spec.bindNull("digest", byte[].class).bindNull("keyId", String.class);
        } else {
            KeyedDigest digest = personalData.auditDigest(CANONICAL.writeValueAsBytes(entry.payload()));
            spec = spec.bind("digest", digest.digest()).bind("keyId", digest.keyId());
        }
        return spec.then();
    }
}
