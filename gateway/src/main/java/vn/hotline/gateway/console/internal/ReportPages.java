package vn.hotline.gateway.console.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import vn.hotline.routing.csv.Csv;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.cases.CaseProblem;
import vn.hotline.gateway.cases.PlanReport;
import vn.hotline.gateway.cases.PlanReport.Count;
import vn.hotline.gateway.cases.PlanReports;

/**
 * Reports against the plan's targets for supervisors: tables with server-rendered SVG bar charts, a CSV of every
 * table (headers and labels from the catalog, in the page's language), printable as the monthly report.
 */
@Controller
class ReportPages {

    /**
     * One bar of a chart, laid out for an SVG 100 units wide.
     *
     * @param key the code (its label comes from the catalog in the template)
     * @param count the value
     * @param y the bar's top
     * @param width the bar's length, proportional to the largest value
     */
    record Bar(String key, long count, int y, double width) {
    }

    /** Bar height plus gap, in SVG units. */
    static final int BAR_STEP = 10;
    private static final int BAR_AREA = 80;

    private final PlanReports reports;
    private final ConsoleStaff staff;
    private final MessageSource messages;
    private final Clock clock;
    private final ZoneId zone;

    ReportPages(PlanReports reports, ConsoleStaff staff, MessageSource messages, Clock clock, ZoneId businessZone) {
        this.reports = reports;
        this.staff = staff;
        this.messages = messages;
        this.clock = clock;
        this.zone = businessZone;
    }

    @GetMapping("/console/reports")
    Mono<String> show(@RequestParam Optional<String> from, @RequestParam Optional<String> to, ServerWebExchange exchange, Model model) {
        YearMonth[] period = period(from, to);
        return staff.supervisor(exchange).then(report(period)).map(report -> {
            model.addAttribute("report", report);
            model.addAttribute("fromMonth", period[0].toString());
            model.addAttribute("toMonth", period[1].toString());
            model.addAttribute("categoryBars", bars(report.byCategory()));
            model.addAttribute("areaBars", bars(report.byArea()));
            model.addAttribute("ageBars", bars(report.byAgeBand()));
            model.addAttribute("monthBars", bars(report.byMonth()));
            model.addAttribute("barArea", BAR_AREA);
            return "console/reports";
        });
    }

    @GetMapping(value = "/console/reports/{table}.csv", produces = "text/csv")
    @ResponseBody
    Mono<ResponseEntity<String>> csv(@PathVariable String table, @RequestParam Optional<String> from,
                                     @RequestParam Optional<String> to, ServerWebExchange exchange, Locale locale) {
        YearMonth[] period = period(from, to);
        return staff.supervisor(exchange).then(report(period)).map(report -> csv(table, report, locale))
                .map(body -> ResponseEntity.ok()
                        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"report-" + table + "-" + period[0] + ".csv\"")
                        .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                        .body(body));
    }

    private Mono<PlanReport> report(YearMonth[] period) {
        Instant start = period[0].atDay(1).atStartOfDay(zone).toInstant();
        Instant end = period[1].plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        return reports.report(start, end);
    }

    private YearMonth[] period(Optional<String> from, Optional<String> to) {
        YearMonth now = YearMonth.from(clock.instant().atZone(zone));
        YearMonth end = to.flatMap(ReportPages::month).orElse(from.flatMap(ReportPages::month).orElse(now));
        YearMonth start = from.flatMap(ReportPages::month).orElse(end);
        return start.isAfter(end) ? new YearMonth[] {end, start} : new YearMonth[] {start, end};
    }

    private static Optional<YearMonth> month(String text) {
        try {
            return Optional.of(YearMonth.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static List<Bar> bars(List<Count> counts) {
        long max = counts.stream().mapToLong(Count::count).max().orElse(1);
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            Count c = counts.get(i);
            bars.add(new Bar(c.key(), c.count(), i * BAR_STEP, max == 0 ? 0 : BAR_AREA * (double) c.count() / max));
        }
        return bars;
    }

    private String csv(String table, PlanReport report, Locale locale) {
        StringBuilder out = new StringBuilder();
        switch (table) {
            case "category":
                return counts(out, "report.category", report.byCategory(), k -> text("category." + k, locale), locale);
            case "area":
                return counts(out, "report.area", report.byArea(), k -> k, locale);
            case "age":
                return counts(out, "report.ageBand", report.byAgeBand(), k -> text("age." + k, locale), locale);
            case "month":
                return counts(out, "report.month", report.byMonth(), k -> k, locale);
            case "police":
                return counts(out, "report.police.state", report.policeReferrals(), k -> text("referral.state." + k, locale), locale);
            case "deadlines":
                out.append(Csv.line(text("report.deadline", locale), text("report.met", locale), text("report.counted", locale),
                        text("report.percent", locale))).append('\n');
                report.deadlines().forEach(d -> out.append(Csv.line(text("deadline." + d.kind(), locale), d.met(), d.counted(),
                        d.percent())).append('\n'));
                out.append(Csv.line(text("report.supported", locale), report.supported(), report.cases(),
                        report.supportedPercent())).append('\n');
                return out.toString();
            case "repeat":
                out.append(Csv.line(text("report.repeat.contacts", locale), text("report.repeat.callers", locale),
                        text("report.repeat.repeatCallers", locale), text("report.repeat.repeatContacts", locale))).append('\n');
                out.append(Csv.line(report.repeat().contacts(), report.repeat().callers(), report.repeat().repeatCallers(),
                        report.repeat().repeatContacts())).append('\n');
                return out.toString();
            default:
                throw CaseProblem.notFound(table);
        }
    }

    private String counts(StringBuilder out, String headerKey, List<Count> counts, Function<String, String> label,
                          Locale locale) {
        out.append(Csv.line(text(headerKey, locale), text("report.code", locale), text("report.cases", locale))).append('\n');
        counts.forEach(c -> out.append(Csv.line(label.apply(c.key()), c.key(), c.count())).append('\n'));
        return out.toString();
    }

    private String text(String key, Locale locale) {
        return messages.getMessage(key, null, key, locale);
    }
}
