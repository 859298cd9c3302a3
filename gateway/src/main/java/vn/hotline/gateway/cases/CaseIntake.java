package vn.hotline.gateway.cases;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import vn.hotline.ivr.triage.TriageResult;

/**
 * A report that opens a case.
 *
 * @param triage what triage found
 * @param receivedAt when the report was received (call answered, SMS received, 111 referral received): the
 *     statutory clocks start here
 * @param callId the call record it came from, if any
 */
public record CaseIntake(TriageResult triage, Instant receivedAt, Optional<UUID> callId) {

    public CaseIntake {
        Objects.requireNonNull(triage, "triage");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(callId, "callId");
    }
}
