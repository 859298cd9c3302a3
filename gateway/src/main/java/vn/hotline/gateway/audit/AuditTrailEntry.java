package vn.hotline.gateway.audit;

import java.time.Instant;

/**
 * One event of a subject's audit trail, as supervisors read it.
 *
 * @param id the event id
 * @param occurredAt when it happened (application clock)
 * @param recordedAt when the database stored it
 * @param actor who acted
 * @param action what they did
 * @param payloadDigest the keyed digest of the details, hex, or null when there were none
 * @param digestKeyId the digest key id, or null
 * @param sealSeq the seal covering it, or null while not yet sealed
 */
public record AuditTrailEntry(long id, Instant occurredAt, Instant recordedAt, Actor actor, String action,
                              String payloadDigest, String digestKeyId, Long sealSeq) {
}
