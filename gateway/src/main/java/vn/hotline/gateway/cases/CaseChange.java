package vn.hotline.gateway.cases;

import java.time.Instant;
import java.util.Optional;

/**
 * A case was opened or changed on this node (published after its transaction committed). Codes only: no personal
 * data, so listeners may pass it to any staff member of the area.
 *
 * @param reference the case reference
 * @param kind OPENED, CHANGED or ESCALATED
 * @param serviceArea the case's service area, when routing resolved one
 * @param at when it happened
 */
public record CaseChange(String reference, Kind kind, Optional<String> serviceArea, Instant at) {

    /** What happened to the case. */
    public enum Kind {
        OPENED,
        CHANGED,
        ESCALATED
    }
}
