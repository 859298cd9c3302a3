package vn.hotline.gateway.console.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;
import vn.hotline.gateway.cases.QueueEntry;

/**
 * Times as the console shows them: in the business zone, day first (as Vietnamese forms write dates); durations in
 * words from the catalog ("29 phút", "2 giờ 5 phút"), never a clock-like "0:29:15". The page's script keeps them
 * current with the same words, which the layout hands it (see {@code console.js}).
 */
@Component("consoleFormat")
class ConsoleFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter CLOCK_AND_DAY = DateTimeFormatter.ofPattern("HH:mm dd/MM");
    private final ZoneId zone;
    private final MessageSource messages;
    private final Clock clock;

    ConsoleFormat(ZoneId businessZone, MessageSource messages, Clock clock) {
        this.zone = businessZone;
        this.messages = messages;
        this.clock = clock;
    }

    /**
     * A deadline's time of day, with the day when it is not today: {@code 00:31} or {@code 00:31 13/02}. Templates call
     * it through {@code th:with}: Thymeleaf evaluates {@code th:attr} and {@code th:data-*} in restricted mode, which
     * refuses a bean reference ("access to static classes or parameters is forbidden").
     */
    public String timeOfDay(Instant instant) {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        var local = instant.atZone(zone);
        return (local.toLocalDate().equals(today) ? CLOCK : CLOCK_AND_DAY).format(local);
    }

    /** A countdown to {@code due} in words: "còn 29 phút (hạn 00:31)", or "quá hạn 4 phút" once it passed. */
    public String countdown(Instant due, Locale locale) {
        Duration left = Duration.between(clock.instant(), due);
        if (left.isNegative() || left.isZero()) {
            return text("countdown.late", locale, duration(left.negated(), locale));
        }
        // Rounded up: with 30 s left there is still "1 phút", never "0 phút".
        return text("countdown.left", locale, duration(left.plusSeconds(59), locale), timeOfDay(due));
    }

    /**
     * What an overdue case's row says: "Quá hạn 3 phút · đã chuyển lên bậc 2", "Quá hạn 3 phút · không có ai trực:
     * đã chuyển 111", or "Quá hạn 3 phút" for a missed statutory deadline.
     */
    public String overdue(QueueEntry entry, Locale locale) {
        return text("queue.overdue.for", locale, duration(Duration.between(entry.overdueSince().orElseThrow(),
                clock.instant()), locale)) + overdueTail(entry, locale);
    }

    /** The part of {@link #overdue} after the duration, which the page's script keeps while it counts. */
    public String overdueTail(QueueEntry entry, Locale locale) {
        if (entry.atNational111()) {
            return " · " + text("queue.overdue.to111", locale);
        }
        int step = entry.summary().escalationStep();
        return step > 0 ? " · " + text("queue.overdue.escalated", locale, step + 1) : "";
    }

    /** A duration in words, to the minute: "4 phút", "2 giờ 5 phút", "3 ngày 2 giờ". */
    String duration(Duration duration, Locale locale) {
        long minutes = Math.max(0, duration.toMinutes());
        if (minutes < 60) {
            return text("duration.minutes", locale, minutes);
        }
        if (minutes < 48 * 60) {
            return text("duration.hoursMinutes", locale, minutes / 60, minutes % 60);
        }
        return text("duration.daysHours", locale, minutes / (24 * 60), minutes % (24 * 60) / 60);
    }

    private String text(String key, Locale locale, Object... arguments) {
        return messages.getMessage(key, arguments, locale);
    }

    /** e.g. {@code 12/02/2026 10:05}. */
    public String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant.atZone(zone));
    }

    /** The same for an optional instant; empty when absent. */
    public String time(Optional<Instant> instant) {
        return instant.map(this::time).orElse("");
    }

    /** e.g. {@code 12/02/2026}. */
    public String day(java.time.LocalDate day) {
        return DAY.format(day);
    }

    /** Milliseconds since the epoch, for the page's countdown script. */
    public long epochMillis(Instant instant) {
        return instant.toEpochMilli();
    }
}
