package vn.hotline.routing.calendar;

import java.util.Objects;

/**
 * A year the calendar covers, and how firmly.
 *
 * @param year the Gregorian year
 * @param status confirmed when the year's schedule was decreed, provisional otherwise
 * @param note what the year's data rests on
 */
public record CalendarYear(int year, SourceStatus status, String note) {

    public CalendarYear {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(note, "note");
    }
}
