package vn.hotline.routing.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One running statutory clock.
 *
 * @param clock which clock
 * @param startedAt when the report was received (call answered, SMS received, 111 referral received)
 * @param dueAt the instant the clock expires (for working days: midnight ending the last working day)
 * @param dueDate the business-zone date of the last day allowed
 * @param provisional true when the count relied on a provisional or uncovered calendar year
 */
public record StatutoryDeadline(
        StatutoryClock clock, Instant startedAt, Instant dueAt, LocalDate dueDate, boolean provisional) {

    public StatutoryDeadline {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(dueDate, "dueDate");
    }
}
