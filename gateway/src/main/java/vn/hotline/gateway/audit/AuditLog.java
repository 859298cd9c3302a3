package vn.hotline.gateway.audit;

import reactor.core.publisher.Mono;

/** Appends audit events. Call it inside the transaction of the change it records, so both commit or neither. */
public interface AuditLog {

    /** Inserts one event in the caller's transaction (if any). */
    Mono<Void> record(AuditEntry entry);
}
