package vn.hotline.gateway.console.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.codec.multipart.Part;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.routing.RosterRejected;
import vn.hotline.gateway.routing.RosterService;

/** The roster for supervisors: who is on call on a day, by area, and the CSV import with its line-numbered errors. */
@Controller
class RosterPages {

    /** A roster file is a few hundred lines; this bounds what one upload may hold in memory. */
    private static final int MAX_FILE_BYTES = 1024 * 1024;

    /**
     * One shift overlapping the day shown.
     *
     * @param area the service area ({@code ""} for province-wide duties)
     * @param duty ON_CALL, BACKUP, EMERGENCY or DUTY_SUPERVISOR
     * @param officer the officer's name
     * @param phone the officer's phone, masked
     * @param start when it starts
     * @param end when it ends
     */
    record ShiftLine(String area, String duty, String officer, String phone, java.time.Instant start, java.time.Instant end) {
    }

    private final DatabaseClient db;
    private final RosterService roster;
    private final ConsoleStaff staff;
    private final Clock clock;
    private final ZoneId zone;

    RosterPages(DatabaseClient db, RosterService roster, ConsoleStaff staff, Clock clock, ZoneId businessZone) {
        this.db = db;
        this.roster = roster;
        this.staff = staff;
        this.clock = clock;
        this.zone = businessZone;
    }

    @GetMapping("/console/roster")
    Mono<String> show(@RequestParam Optional<String> day, ServerWebExchange exchange, Model model) {
        LocalDate shown = day.flatMap(RosterPages::parse).orElse(clock.instant().atZone(zone).toLocalDate());
        return staff.supervisor(exchange).then(fill(shown, model)).thenReturn("console/roster");
    }

    @PostMapping("/console/roster/import")
    Mono<String> importCsv(ServerWebExchange exchange, Model model) {
        LocalDate today = clock.instant().atZone(zone).toLocalDate();
        return staff.supervisor(exchange).flatMap(viewer -> exchange.getMultipartData().flatMap(parts ->
                        Mono.zip(text(parts, "officers"), text(parts, "shifts"))
                                .flatMap(files -> roster.importCsv(files.getT1(), files.getT2(), viewer.username()))
                                .doOnNext(result -> model.addAttribute("imported", result))
                                .onErrorResume(RosterRejected.class, rejected -> {
                                    model.addAttribute("errors", rejected.errors());
                                    return Mono.empty();
                                })))
                .then(fill(today, model))
                .thenReturn("console/roster");
    }

    private Mono<Void> fill(LocalDate day, Model model) {
        model.addAttribute("day", day);
        model.addAttribute("previous", day.minusDays(1));
        model.addAttribute("next", day.plusDays(1));
        return db.sql("""
                        SELECT coalesce(s.service_area_code, '') AS area, s.duty, o.display_name, o.phone_masked, s.starts_at, s.ends_at
                        FROM rota_shifts s JOIN officers o ON o.id = s.officer_id
                        WHERE s.starts_at < :dayEnd AND s.ends_at > :dayStart
                        ORDER BY 1, s.duty, s.starts_at, o.display_name""")
                .bind("dayStart", day.atStartOfDay(zone).toOffsetDateTime())
                .bind("dayEnd", day.plusDays(1).atStartOfDay(zone).toOffsetDateTime())
                .map(row -> new ShiftLine(row.get("area", String.class), row.get("duty", String.class),
                        row.get("display_name", String.class), row.get("phone_masked", String.class),
                        row.get("starts_at", OffsetDateTime.class).toInstant(), row.get("ends_at", OffsetDateTime.class).toInstant()))
                .all().collectList()
                .doOnNext((List<ShiftLine> shifts) -> model.addAttribute("shifts", shifts))
                .then();
    }

    /** An uploaded file's text (UTF-8); an absent part is an empty file, which the import rejects by line. */
    private static Mono<String> text(MultiValueMap<String, Part> parts, String name) {
        Part part = parts.getFirst(name);
        if (part == null) {
            return Mono.just("");
        }
        return DataBufferUtils.join(part.content(), MAX_FILE_BYTES)
                .map(buffer -> {
                    String text = buffer.toString(StandardCharsets.UTF_8);
                    DataBufferUtils.release(buffer);
                    return text.startsWith("\uFEFF") ? text.substring(1) : text;
                })
                .defaultIfEmpty("");
    }

    private static Optional<LocalDate> parse(String day) {
        try {
            return Optional.of(LocalDate.parse(day));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
