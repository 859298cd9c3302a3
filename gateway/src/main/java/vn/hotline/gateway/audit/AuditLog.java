package vn.hotline.gateway.audit;

import java.util.List;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.db.SqlPart;

/** Appends audit events. Call it inside the transaction of the change it records, so both commit or neither. */
public interface AuditLog {

    /** Inserts one event in the caller's transaction (if any). */
    Mono<Void> record(AuditEntry entry);

    /**
     * The events as a part of the change's own statement ({@link SqlPart#together}): written atomically with it, in
     * the same round trip, with no transaction needed.
     */
    default SqlPart part(List<AuditEntry> entries) {
        return part("audit", entries);
    }

    /** {@link #part(List)} for entries at hand. */
    default SqlPart part(AuditEntry... entries) {
        return part(List.of(entries));
    }

    /** {@link #part(List)} with its parameters named after {@code prefix}, for a second audit part in one statement. */
    SqlPart part(String prefix, List<AuditEntry> entries);
}
