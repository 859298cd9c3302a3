package vn.hotline.gateway.console.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Times as the console shows them: in the business zone, day first (as Vietnamese forms write dates). */
@Component("consoleFormat")
class ConsoleFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private final ZoneId zone;

    ConsoleFormat(ZoneId businessZone) {
        this.zone = businessZone;
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
