package vn.hotline.gateway.cases;

import java.time.Instant;
import java.util.Optional;
import vn.hotline.routing.decision.RungKind;

/**
 * An open case in a staff member's queue, with the deadlines still running.
 *
 * @param summary the case
 * @param acknowledgementDue when the case escalates unless someone acknowledges it; empty once acknowledged
 * @param statutoryDue the next statutory deadline still pending (12-hour emergency protection, then the support plan)
 * @param statutoryKind EMERGENCY_PROTECTION or SUPPORT_PLAN, with {@code statutoryDue}
 * @param overdueSince the first deadline missed while it still matters: an acknowledgement the ladder escalated while
 *     nobody has acknowledged yet, or a statutory deadline; empty when nothing is overdue
 * @param rungKind the kind of the ladder rung the case is on now (e.g. AREA_BACKUP, NATIONAL_111), when routed
 */
public record QueueEntry(CaseSummary summary, Optional<Instant> acknowledgementDue, Optional<Instant> statutoryDue,
                         Optional<String> statutoryKind, Optional<Instant> overdueSince, Optional<String> rungKind) {

    /** True when the case is at the national switchboard's rung (nobody nearer was on call or answered). */
    public boolean atNational111() {
        return rungKind.filter(RungKind.NATIONAL_111.name()::equals).isPresent();
    }

    /** The deadline that falls first, for ordering and urgency. */
    public Optional<Instant> firstDue() {
        if (acknowledgementDue.isPresent() && statutoryDue.isPresent()) {
            return Optional.of(acknowledgementDue.get().isBefore(statutoryDue.get()) ? acknowledgementDue.get() : statutoryDue.get());
        }
        return acknowledgementDue.isPresent() ? acknowledgementDue : statutoryDue;
    }
}
