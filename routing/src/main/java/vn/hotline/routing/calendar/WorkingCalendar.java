package vn.hotline.routing.calendar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import vn.hotline.routing.csv.Csv;
import vn.hotline.routing.csv.CsvRow;

/**
 * Vietnamese working days for the public sector: Monday to Friday, minus public holidays and announced days off,
 * plus make-up Saturdays; data per year from {@code calendar/vn-public-holidays.csv}.
 */
public final class WorkingCalendar {

    /** The classpath resource holding the days. */
    public static final String DAYS_RESOURCE = "/calendar/vn-public-holidays.csv";
    /** The classpath resource holding the covered years. */
    public static final String YEARS_RESOURCE = "/calendar/vn-calendar-years.csv";

    private final Map<LocalDate, CalendarEntry> effective;
    private final Map<Integer, CalendarYear> years;
    private final List<CalendarEntry> entries;

    private WorkingCalendar(List<CalendarYear> years, List<CalendarEntry> entries) {
        this.entries = List.copyOf(entries);
        this.years = new HashMap<>();
        years.forEach(year -> this.years.put(year.year(), year));
        this.effective = new HashMap<>();
        for (CalendarEntry entry : entries) {
            if (!this.years.containsKey(entry.date().getYear())) {
                throw new IllegalArgumentException("entry " + entry.date() + " lies in a year not declared covered");
            }
            CalendarEntry previous = effective.put(entry.date(), entry);
            if (previous != null) {
                throw new IllegalArgumentException("two calendar entries for " + entry.date());
            }
        }
    }

    /** A calendar from explicit data (for an administrator's corrected copy, or tests). */
    public static WorkingCalendar of(List<CalendarYear> years, List<CalendarEntry> entries) {
        return new WorkingCalendar(years, entries);
    }

    /** The shipped Vietnamese calendar, read from this module's classpath resources. */
    public static WorkingCalendar vietnam() {
        List<CalendarYear> years = rows(YEARS_RESOURCE).stream()
                .map(row -> new CalendarYear(Integer.parseInt(row.fields().get(0)),
                        SourceStatus.valueOf(row.fields().get(1)), row.fields().get(2)))
                .toList();
        List<CalendarEntry> entries = rows(DAYS_RESOURCE).stream()
                .map(row -> new CalendarEntry(LocalDate.parse(row.fields().get(0)),
                        DayKind.valueOf(row.fields().get(1)), row.fields().get(2), row.fields().get(3),
                        SourceStatus.valueOf(row.fields().get(4))))
                .toList();
        return new WorkingCalendar(years, entries);
    }

    /** True when public offices work on {@code date}. */
    public boolean isWorkingDay(LocalDate date) {
        CalendarEntry entry = effective.get(date);
        if (entry != null) {
            return entry.kind() == DayKind.WORKING_DAY;
        }
        DayOfWeek day = date.getDayOfWeek();
        return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
    }

    /** True when the calendar holds a decreed (not provisional) schedule for {@code year}. */
    public boolean isConfirmed(int year) {
        CalendarYear covered = years.get(year);
        return covered != null && covered.status() != SourceStatus.PROVISIONAL;
    }

    /**
     * The {@code count}-th working day after {@code day}: the day itself is not counted (a period in days starts
     * the next day), so 5 working days from a Thursday end on the following Thursday when nothing intervenes.
     */
    public WorkingDays addWorkingDays(LocalDate day, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        LocalDate current = day;
        boolean provisional = false;
        int left = count;
        while (left > 0) {
            current = current.plusDays(1);
            provisional |= !isConfirmed(current.getYear());
            if (isWorkingDay(current)) {
                left--;
            }
        }
        return new WorkingDays(current, provisional);
    }

    /** Every entry, in file order (for export or display). */
    public List<CalendarEntry> entries() {
        return entries;
    }

    private static List<CsvRow> rows(String resource) {
        try (InputStream in = WorkingCalendar.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            List<CsvRow> rows = Csv.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return rows.subList(1, rows.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
