package vn.hotline.gateway.console.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.calllog.CallLog;
import vn.hotline.gateway.calllog.CallLogQuery;
import vn.hotline.gateway.cases.CaseProblem;
import vn.hotline.ivr.triage.Category;

/** The call log for supervisors: search (audited), one call with its audit trail, and the stamped CSV export. */
@Controller
class CallPages {

    private static final int PAGE_ROWS = 200;
    private static final int EXPORT_ROWS = 10_000;
    private static final int DEFAULT_DAYS = 7;
    /** How a contact can end (calls.outcome). */
    static final List<String> OUTCOMES = List.of("REFERENCE_GIVEN", "INFORMATION_GIVEN", "TRANSFERRING", "CONNECTED",
            "CALLBACK_URGENT", "ABANDONED", "FALLBACK");

    private final CallLog log;
    private final ConsoleStaff staff;
    private final Clock clock;
    private final ZoneId zone;

    CallPages(CallLog log, ConsoleStaff staff, Clock clock, ZoneId businessZone) {
        this.log = log;
        this.staff = staff;
        this.clock = clock;
        this.zone = businessZone;
    }

    /** The search form: dates are days in the business zone, both included; the rest optional codes. */
    record Search(String from, String to, String area, String category, String outcome, String channel) {

        Optional<String> opt(String value) {
            return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
        }
    }

    @GetMapping("/console/calls")
    Mono<String> search(@ModelAttribute("search") Search search, ServerWebExchange exchange, Model model) {
        return staff.supervisor(exchange).flatMap(viewer -> {
            CallLogQuery query = query(search, PAGE_ROWS);
            model.addAttribute("fromDay", query.from().atZone(zone).toLocalDate());
            model.addAttribute("toDay", query.to().atZone(zone).toLocalDate().minusDays(1));
            model.addAttribute("categories", Category.values());
            model.addAttribute("outcomes", OUTCOMES);
            return log.calls(query, viewer.username()).collectList().map(calls -> {
                model.addAttribute("calls", calls);
                return "console/calls";
            });
        });
    }

    @GetMapping(value = "/console/calls/export", produces = "text/csv")
    @ResponseBody
    Mono<ResponseEntity<String>> export(@ModelAttribute Search search, ServerWebExchange exchange) {
        return staff.supervisor(exchange).flatMap(viewer -> log.exportCsv(query(search, EXPORT_ROWS), viewer.username()))
                .map(csv -> ResponseEntity.ok()
                        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"calls.csv\"")
                        .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                        .body(csv));
    }

    @GetMapping("/console/calls/{id}")
    Mono<String> call(@PathVariable String id, ServerWebExchange exchange, Model model) {
        UUID callId;
        try {
            callId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Mono.error(CaseProblem.notFound(id));
        }
        return staff.supervisor(exchange).flatMap(viewer -> log.call(callId, viewer.username())).map(detail -> {
            model.addAttribute("detail", detail);
            return "console/call";
        });
    }

    private CallLogQuery query(Search search, int limit) {
        LocalDate today = clock.instant().atZone(zone).toLocalDate();
        LocalDate to = day(search.to()).orElse(today);
        LocalDate from = day(search.from()).orElse(to.minusDays(DEFAULT_DAYS));
        return new CallLogQuery(from.atStartOfDay(zone).toInstant(), to.plusDays(1).atStartOfDay(zone).toInstant(),
                search.opt(search.channel()), search.opt(search.outcome()), search.opt(search.area()), Optional.empty(),
                search.opt(search.category()), Optional.empty(), limit);
    }

    private static Optional<LocalDate> day(String text) {
        try {
            return Optional.ofNullable(text).filter(t -> !t.isBlank()).map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
