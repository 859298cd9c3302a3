package vn.hotline.gateway.channel.asterisk;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One call-back attempt as staff see it (no numbers).
 *
 * @param id the attempt
 * @param caseReference its case
 * @param attempt 1-based, per case
 * @param officerId whose phone rang first
 * @param authorisedBy the staff member who asked for it
 * @param nightOverride whether the officer decided to call at night
 * @param state REQUESTED, CALLING_OFFICER, CALLING_CHILD, CONNECTED or ENDED
 * @param outcome once ENDED: CONNECTED, OFFICER_NO_ANSWER, OFFICER_BUSY, OFFICER_DECLINED, OFFICER_LEFT, CHILD_NO_ANSWER,
 *     CHILD_BUSY or FAILED
 * @param requestedAt when it was asked for
 * @param connectedAt when the child and the officer were bridged
 * @param endedAt when it ended
 */
public record CallBackView(UUID id, String caseReference, int attempt, UUID officerId, String authorisedBy,
                           boolean nightOverride, String state, Optional<String> outcome, Instant requestedAt,
                           Optional<Instant> connectedAt, Optional<Instant> endedAt) {
}
