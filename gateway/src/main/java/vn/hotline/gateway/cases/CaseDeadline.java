package vn.hotline.gateway.cases;

import java.time.Instant;
import java.util.Optional;

/**
 * A deadline of a case.
 *
 * @param kind ACKNOWLEDGEMENT, EMERGENCY_PROTECTION or SUPPORT_PLAN
 * @param step for acknowledgements: the ladder rung awaited
 * @param dueAt when it falls due
 * @param state PENDING, MET, ESCALATED, MISSED or CANCELLED
 * @param resolvedAt when it stopped pending
 */
public record CaseDeadline(String kind, int step, Instant dueAt, String state, Optional<Instant> resolvedAt) {
}
