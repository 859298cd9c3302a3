package vn.hotline.gateway.cases;

import java.time.Instant;
import java.util.Optional;

/**
 * An open case in a staff member's queue, with the deadlines still running.
 *
 * @param summary the case
 * @param acknowledgementDue when the case escalates unless someone acknowledges it; empty once acknowledged
 * @param statutoryDue the next statutory deadline still pending (12-hour emergency protection, then the support plan)
 * @param statutoryKind EMERGENCY_PROTECTION or SUPPORT_PLAN, with {@code statutoryDue}
 */
public record QueueEntry(CaseSummary summary, Optional<Instant> acknowledgementDue, Optional<Instant> statutoryDue,
                         Optional<String> statutoryKind) {

    /** The deadline that falls first, for ordering and urgency. */
    public Optional<Instant> firstDue() {
        if (acknowledgementDue.isPresent() && statutoryDue.isPresent()) {
            return Optional.of(acknowledgementDue.get().isBefore(statutoryDue.get()) ? acknowledgementDue.get() : statutoryDue.get());
        }
        return acknowledgementDue.isPresent() ? acknowledgementDue : statutoryDue;
    }
}
