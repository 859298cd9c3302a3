package vn.hotline.gateway.audit.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import io.r2dbc.spi.Row;

/** An audit event row as the chain hashes it. */
record ChainEvent(long id, Instant occurredAt, Instant recordedAt, String txId, String actorType, String actorId,
                  String action, String subjectType, String subjectId, byte[] payloadDigest, String digestKeyId) {

    /** The columns {@link #from(Row)} reads, for an event aliased {@code e}. */
    static final String COLUMNS = "e.id, e.occurred_at, e.recorded_at, e.tx_id::text AS tx_id, e.actor_type, e.actor_id, "
            + "e.action, e.subject_type, e.subject_id, e.payload_digest, e.digest_key_id";

    static ChainEvent from(Row row) {
        return new ChainEvent(row.get("id", Long.class),
                row.get("occurred_at", OffsetDateTime.class).toInstant(),
                row.get("recorded_at", OffsetDateTime.class).toInstant(),
                row.get("tx_id", String.class),
                row.get("actor_type", String.class), row.get("actor_id", String.class),
                row.get("action", String.class),
                row.get("subject_type", String.class), row.get("subject_id", String.class),
                row.get("payload_digest", byte[].class), row.get("digest_key_id", String.class));
    }
}
