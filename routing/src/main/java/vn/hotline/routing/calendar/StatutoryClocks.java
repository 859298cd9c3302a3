package vn.hotline.routing.calendar;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/** Computes Decree 56/2017 deadlines from the instant a report was received, in the business zone. */
public final class StatutoryClocks {

    private static final Duration EMERGENCY_WINDOW = Duration.ofHours(12);
    private static final int SUPPORT_PLAN_WORKING_DAYS = 5;

    private final WorkingCalendar calendar;
    private final ZoneId zone;

    public StatutoryClocks(WorkingCalendar calendar, ZoneId zone) {
        this.calendar = Objects.requireNonNull(calendar, "calendar");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** Emergency protection: 12 hours from the report, counted in real time (nights and holidays included). */
    public StatutoryDeadline emergencyProtection(Instant receivedAt) {
        Instant due = receivedAt.plus(EMERGENCY_WINDOW);
        return new StatutoryDeadline(StatutoryClock.EMERGENCY_PROTECTION_12H, receivedAt, due,
                due.atZone(zone).toLocalDate(), false);
    }

    /** Support plan: by the end of the 5th working day after the day the report was received. */
    public StatutoryDeadline supportPlan(Instant receivedAt) {
        LocalDate received = receivedAt.atZone(zone).toLocalDate();
        WorkingDays days = calendar.addWorkingDays(received, SUPPORT_PLAN_WORKING_DAYS);
        Instant due = days.lastDay().plusDays(1).atStartOfDay(zone).toInstant();
        return new StatutoryDeadline(StatutoryClock.SUPPORT_PLAN_5_WORKING_DAYS, receivedAt, due, days.lastDay(),
                days.provisional());
    }
}
