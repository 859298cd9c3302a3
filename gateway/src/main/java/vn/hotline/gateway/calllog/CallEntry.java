package vn.hotline.gateway.calllog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One contact in the call log, with its case if it has one. The caller appears masked only.
 *
 * @param id the call id
 * @param channel how it came in
 * @param provider asterisk, twilio, ...
 * @param callerKind NUMBER, WITHHELD, UNKNOWN or ERASED (after retention)
 * @param callerMasked e.g. {@code 09x xxx x123}
 * @param startedAt when it started
 * @param answeredAt when it was answered
 * @param endedAt when it ended
 * @param ivrPath the flow nodes walked
 * @param outcome how it ended
 * @param abandonedAtNode where the caller hung up, when they did
 * @param caseReference its case
 * @param category the case category
 * @param urgency the case urgency
 * @param serviceArea the case's service area
 * @param unitCode the case's unit
 * @param assignedOfficer who holds the case
 * @param acceptedBy the officer who took the call, when one did
 */
public record CallEntry(UUID id, String channel, String provider, String callerKind, Optional<String> callerMasked,
                        Instant startedAt, Optional<Instant> answeredAt, Optional<Instant> endedAt, List<String> ivrPath,
                        Optional<String> outcome, Optional<String> abandonedAtNode, Optional<String> caseReference,
                        Optional<String> category, Optional<String> urgency, Optional<String> serviceArea,
                        Optional<String> unitCode, Optional<String> assignedOfficer, Optional<String> acceptedBy) {
}
