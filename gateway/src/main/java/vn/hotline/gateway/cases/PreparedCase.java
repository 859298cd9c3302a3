package vn.hotline.gateway.cases;

import vn.hotline.routing.decision.RoutingDecision;

/**
 * A case routed and numbered but not yet written ({@link CaseService#prepare}, then {@link CaseService#store}).
 *
 * @param intake the report
 * @param decision where it goes and why
 * @param reference its number, e.g. {@code BD-2026-000123}
 */
public record PreparedCase(CaseIntake intake, RoutingDecision decision, String reference) {
}
