package vn.hotline.routing.decision;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import vn.hotline.routing.calendar.StatutoryClock;
import vn.hotline.routing.calendar.StatutoryDeadline;
import vn.hotline.routing.jurisdiction.ResolvedLocation;

/**
 * Where a case goes and by when: plain data with stable codes, so the gateway can persist it as it is.
 *
 * @param receivedAt when the report was received (statutory clocks start here)
 * @param decidedAt when the decision was made (the rota is read at this instant)
 * @param location the unit, service area and former district the case keeps
 * @param primary the first rung of the ladder: the assignee, or 111 when nobody at all is on duty
 * @param nobodyOnCall true when no on-call officer was found and the ladder starts higher up
 * @param ladder the escalation ladder, in order, ending at 111
 * @param channels how the assignee is told
 * @param acknowledgement what the assignee must do, and by when
 * @param deadlines the statutory clocks started by this report
 * @param coReferrals the co-referrals to open
 * @param reasons which rule chose what, for the log
 */
public record RoutingDecision(
        Instant receivedAt,
        Instant decidedAt,
        ResolvedLocation location,
        Rung primary,
        boolean nobodyOnCall,
        List<Rung> ladder,
        Set<NotifyChannel> channels,
        Acknowledgement acknowledgement,
        List<StatutoryDeadline> deadlines,
        List<CoReferral> coReferrals,
        List<Reason> reasons) {

    public RoutingDecision {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(decidedAt, "decidedAt");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(acknowledgement, "acknowledgement");
        ladder = List.copyOf(ladder);
        channels = Set.copyOf(channels);
        deadlines = List.copyOf(deadlines);
        coReferrals = List.copyOf(coReferrals);
        reasons = List.copyOf(reasons);
    }

    /** The statutory deadline of a clock, when this case runs it. */
    public Optional<StatutoryDeadline> deadline(StatutoryClock clock) {
        return deadlines.stream().filter(deadline -> deadline.clock() == clock).findFirst();
    }
}
