package vn.hotline.routing.calendar;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The result of counting working days.
 *
 * @param lastDay the last working day of the period
 * @param provisional true when the count crossed a provisional year or a year the calendar does not cover
 */
public record WorkingDays(LocalDate lastDay, boolean provisional) {

    public WorkingDays {
        Objects.requireNonNull(lastDay, "lastDay");
    }
}
