package vn.hotline.gateway.calllog;

import java.time.Instant;
import java.util.Optional;

/**
 * A referral in the log.
 *
 * @param caseReference the case
 * @param target who it went to
 * @param state where it is
 * @param reason why
 * @param createdBy who made it
 * @param createdAt when
 * @param updatedAt last change
 * @param externalRef the receiver's reference
 * @param serviceArea the case's service area
 * @param category the case category
 */
public record ReferralEntry(String caseReference, String target, String state, Optional<String> reason,
                            Optional<String> createdBy, Instant createdAt, Instant updatedAt, Optional<String> externalRef,
                            Optional<String> serviceArea, String category) {
}
