package vn.hotline.gateway.audit;

import java.util.Map;
import java.util.Objects;

/**
 * One thing to audit. The payload may hold personal data: only its keyed digest is stored, so the log can prove
 * what was recorded without holding it.
 *
 * @param actor who acted
 * @param action what they did
 * @param subject what it was done to
 * @param payload details to digest; may be empty
 */
public record AuditEntry(Actor actor, AuditAction action, Subject subject, Map<String, ?> payload) {

    public AuditEntry {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        payload = payload == null ? Map.of() : Map.copyOf(payload);
    }
}
