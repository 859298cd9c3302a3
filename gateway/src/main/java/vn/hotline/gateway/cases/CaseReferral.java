package vn.hotline.gateway.cases;

import java.time.Instant;
import java.util.Optional;

/**
 * A referral of a case to another body.
 *
 * @param target who it went to
 * @param state PENDING, SENT, ACCEPTED, REJECTED or CLOSED
 * @param reason why (a legal basis for co-referrals the routing rules made)
 * @param createdBy who made it
 * @param createdAt when
 * @param externalRef the receiver's reference, once it has one
 */
public record CaseReferral(String target, String state, Optional<String> reason, Optional<String> createdBy,
                           Instant createdAt, Optional<String> externalRef) {
}
