package vn.hotline.gateway.cases;

import java.time.Instant;
import java.util.List;

/**
 * Figures for the plan's targets (seed plan II.2 c: every child victim supported on request; Decree 56/2017 clocks)
 * over the cases received in {@code [from, to)}.
 *
 * @param from start of the period
 * @param to end of the period (exclusive)
 * @param cases cases received
 * @param supported cases a person took up (acknowledged or further), i.e. the child received support or intervention
 * @param byCategory cases per category
 * @param byArea cases per service area ({@code UNKNOWN} when routing could not place them)
 * @param byAgeBand cases per age band
 * @param byMonth cases per month in the business zone ({@code 2026-02})
 * @param deadlines met shares of the acknowledgement, 12-hour and 5-working-day deadlines
 * @param policeReferrals referrals to the police cyber unit by their state
 * @param repeat repeat contacts (the same caller, by keyed hash, across channels)
 */
public record PlanReport(Instant from, Instant to, long cases, long supported, List<Count> byCategory, List<Count> byArea,
                         List<Count> byAgeBand, List<Count> byMonth, List<DeadlineShare> deadlines,
                         List<Count> policeReferrals, RepeatContacts repeat) {

    /**
     * A count under a code.
     *
     * @param key the code
     * @param count how many
     */
    public record Count(String key, long count) {
    }

    /**
     * How often a kind of deadline was met.
     *
     * @param kind ACKNOWLEDGEMENT (the first rung's), EMERGENCY_PROTECTION or SUPPORT_PLAN
     * @param met met in time
     * @param counted deadlines that were met, missed, escalated or are past due (cancelled and still running ones are
     *                not counted)
     */
    public record DeadlineShare(String kind, long met, long counted) {

        /** Percent met, rounded down; 0 when nothing was counted. */
        public long percent() {
            return counted == 0 ? 0 : met * 100 / counted;
        }
    }

    /**
     * Repeat contacts in the period.
     *
     * @param contacts contacts with a known number
     * @param callers distinct callers among them
     * @param repeatCallers callers who came back at least once
     * @param repeatContacts contacts by those callers
     */
    public record RepeatContacts(long contacts, long callers, long repeatCallers, long repeatContacts) {
    }

    /** Percent of cases supported, rounded down; 0 without cases. */
    public long supportedPercent() {
        return cases == 0 ? 0 : supported * 100 / cases;
    }
}
