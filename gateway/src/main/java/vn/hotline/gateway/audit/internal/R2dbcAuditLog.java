package vn.hotline.gateway.audit.internal;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.db.Rows;
import vn.hotline.gateway.db.SqlPart;
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
        return SqlPart.together(db, part(entry)).then();
    }

    @Override
    public SqlPart part(String prefix, List<AuditEntry> entries) {
        OffsetDateTime at = clock.instant().atOffset(ZoneOffset.UTC);
        Rows rows = Rows.into("audit_events", prefix, "occurred_at", "actor_type", "actor_id", "action", "subject_type",
                "subject_id", "payload_digest", "digest_key_id");
        for (AuditEntry entry : entries) {
            Optional<KeyedDigest> digest = entry.payload().isEmpty() ? Optional.empty()
                    : Optional.of(personalData.auditDigest(CANONICAL.writeValueAsBytes(entry.payload())));
            rows.row(at, entry.actor().type(), entry.actor().id(), entry.action().name(), entry.subject().type(),
                    entry.subject().id(), SqlPart.orNull(digest.map(KeyedDigest::digest), byte[].class),
                    SqlPart.orNull(digest.map(KeyedDigest::keyId), String.class));
        }
        return rows.part();
    }
}
