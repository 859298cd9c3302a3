package vn.hotline.gateway.calllog;

import java.time.Instant;
import java.util.Optional;

/**
 * One rung dialled for a call.
 *
 * @param step 1-based
 * @param rungKind who the rung reaches
 * @param officer the officer's name, for officer rungs
 * @param ringSeconds how long it rang at most
 * @param plannedAt when it was handed to the dialplan
 * @param dialStatus ANSWER, NOANSWER, BUSY, ... once known
 * @param accepted whether a person pressed 1
 * @param endedAt when the dial ended
 * @param amiDialStatus what AMI's DialEnd said for this rung (ABORT where DIALSTATUS still says ANSWER)
 * @param amiRingMs from AMI's DialBegin to DialEnd
 */
public record DialAttempt(int step, String rungKind, Optional<String> officer, int ringSeconds, Instant plannedAt,
                          Optional<String> dialStatus, Optional<Boolean> accepted, Optional<Instant> endedAt,
                          Optional<String> amiDialStatus, Optional<Long> amiRingMs) {
}
