package vn.hotline.gateway.audit;

import java.util.List;
import reactor.core.publisher.Mono;

/** Reading a subject's audit trail; every read is itself recorded. */
public interface AuditTrail {

    /**
     * Events about {@code subject} with ids above {@code afterId}, oldest first; records
     * {@link AuditAction#AUDIT_TRAIL_READ} by {@code reader} first, so no read goes unrecorded.
     */
    Mono<List<AuditTrailEntry>> read(Subject subject, long afterId, int limit, Actor reader);
}
