package vn.hotline.gateway.cases;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A case's current state, as listed for staff. No personal data: the location is a unit code, never free text.
 *
 * @param id the case id
 * @param reference e.g. {@code BD-2026-000123}
 * @param status where it is in its life
 * @param category what it is about
 * @param urgency how soon a human must act
 * @param reporterRole who reported
 * @param ageBand the child's age band
 * @param channel how it came in
 * @param language the caller's language
 * @param serviceArea the area that covers it
 * @param unitCode the unit valid on the report date
 * @param formerDistrict the pre-2025 district, for reports across the reform
 * @param assignedOfficerId who holds it now
 * @param assignedOfficerName their display name
 * @param escalationStep the ladder rung holding it (0 = first)
 * @param receivedAt when the report was received
 * @param ackDeadline when it escalates if nobody acknowledges
 * @param emergencyDeadline the 12-hour emergency-protection deadline, when it runs
 * @param supportPlanDeadline the 5-working-day support-plan deadline, when it runs
 */
public record CaseSummary(UUID id, String reference, CaseStatus status, String category, String urgency,
                          String reporterRole, String ageBand, String channel, String language,
                          Optional<String> serviceArea, Optional<String> unitCode, Optional<String> formerDistrict,
                          Optional<UUID> assignedOfficerId, Optional<String> assignedOfficerName, int escalationStep,
                          Instant receivedAt, Optional<Instant> ackDeadline, Optional<Instant> emergencyDeadline,
                          Optional<Instant> supportPlanDeadline) {
}
