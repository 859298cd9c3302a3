package vn.hotline.gateway.cases;

import java.util.UUID;
import vn.hotline.routing.decision.RoutingDecision;

/**
 * A case just opened and routed.
 *
 * @param id the case id
 * @param reference what the caller hears, e.g. {@code BD-2026-000123}
 * @param decision where it went and why
 */
public record OpenedCase(UUID id, String reference, RoutingDecision decision) {
}
