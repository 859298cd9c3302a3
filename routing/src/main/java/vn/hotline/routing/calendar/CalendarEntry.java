package vn.hotline.routing.calendar;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One line of the public-holiday calendar.
 *
 * @param date the civil date in Vietnam
 * @param kind holiday, weekday off, or make-up working day
 * @param name what it is, in Vietnamese as announced
 * @param source the statute or decision, or why none is cited
 * @param status how far the source is confirmed
 */
public record CalendarEntry(LocalDate date, DayKind kind, String name, String source, SourceStatus status) {

    public CalendarEntry {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(status, "status");
    }
}
