package vn.hotline.gateway.console.internal;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.calllog.CallDetail;
import vn.hotline.gateway.calllog.CallLog;
import vn.hotline.gateway.channel.asterisk.CallBackRequest;
import vn.hotline.gateway.channel.asterisk.CallBackService;
import vn.hotline.gateway.cases.CaseProblem;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.cases.CaseStatus;
import vn.hotline.gateway.cases.ReferralTarget;
import vn.hotline.gateway.security.StaffDirectory.Staff;

/**
 * A case's page (triage, IVR path, call timeline, deadlines, referrals, notes, history) and the officer's actions on
 * it, all through {@link CaseService}, so the console keeps the API's rules: scoping, reasons, audit, escalation.
 */
@Controller
class CasePages {

    /** Statuses staff set from the case page with the generic form (acknowledging and referring have their own). */
    static final Set<CaseStatus> STAFF_TRANSITIONS = EnumSet.of(CaseStatus.ASSESSED, CaseStatus.PLANNED,
            CaseStatus.IN_PROGRESS, CaseStatus.CLOSED, CaseStatus.REOPENED);

    private final CaseService cases;
    private final CallLog calls;
    private final ConsoleStaff staff;
    private final DatabaseClient db;
    private final CallBackService callBacks;

    CasePages(CaseService cases, CallLog calls, ConsoleStaff staff, DatabaseClient db, CallBackService callBacks) {
        this.callBacks = callBacks;
        this.cases = cases;
        this.calls = calls;
        this.staff = staff;
        this.db = db;
    }

    /** The form fields of the case actions. */
    record ActionForm(String to, String reason, String target, String text, String officer, String emergencyDetails,
                      String night) {
    }

    /**
     * An officer a supervisor can give a case to.
     *
     * @param id the officer id
     * @param name their display name
     * @param areas the service areas they cover, comma-separated
     */
    record OfficerChoice(UUID id, String name, String areas) {
    }

    @GetMapping("/console/cases/{reference}")
    Mono<String> show(@PathVariable String reference, ServerWebExchange exchange, Model model) {
        return staff.of(exchange).flatMap(viewer -> cases.read(reference, viewer).flatMap(detail -> Mono.zip(calls
                .callOfCase(reference, viewer.username())
                .map(Optional::of).defaultIfEmpty(Optional.<CallDetail>empty()),
                viewer.seesAllAreas() ? officers() : Mono.just(List.<OfficerChoice>of()),
                callBacks.ofCase(reference, viewer).collectList())
                .map(t -> {
                    Optional<CallDetail> call = t.getT1();
                    model.addAttribute("officers", t.getT2());
                    model.addAttribute("callBacks", t.getT3());
                    model.addAttribute("canCallBack", call.isPresent() && !detail.summary().status().equals(CaseStatus.CLOSED));
                    model.addAttribute("detail", detail);
                    model.addAttribute("kase", detail.summary());
                    model.addAttribute("call", call.orElse(null));
                    model.addAttribute("transitions", STAFF_TRANSITIONS.stream()
                            .filter(to -> detail.summary().status().canMoveTo(to)).toList());
                    model.addAttribute("canAcknowledge", detail.summary().status().canMoveTo(CaseStatus.ACKNOWLEDGED));
                    model.addAttribute("canRefer", detail.summary().status().canMoveTo(CaseStatus.REFERRED));
                    model.addAttribute("targets", ReferralTarget.values());
                    model.addAttribute("problem", exchange.getRequest().getQueryParams().getFirst("problem"));
                    model.addAttribute("done", exchange.getRequest().getQueryParams().getFirst("done"));
                    return "console/case";
                })));
    }

    @PostMapping("/console/cases/{reference}/acknowledge")
    Mono<String> acknowledge(@PathVariable String reference, ServerWebExchange exchange) {
        return act(reference, exchange, "acknowledged", viewer -> cases.acknowledge(reference, viewer));
    }

    @PostMapping("/console/cases/{reference}/transition")
    Mono<String> transition(@PathVariable String reference, @ModelAttribute ActionForm form, ServerWebExchange exchange) {
        Optional<CaseStatus> to = parse(form.to());
        if (to.isEmpty() || !STAFF_TRANSITIONS.contains(to.get())) {
            return back(reference, "problem", "bad-request");
        }
        return act(reference, exchange, "transitioned",
                viewer -> cases.transition(reference, to.get(), Optional.ofNullable(form.reason()).map(String::strip), viewer));
    }

    @PostMapping("/console/cases/{reference}/refer")
    Mono<String> refer(@PathVariable String reference, @ModelAttribute ActionForm form, ServerWebExchange exchange) {
        Optional<ReferralTarget> target = Optional.ofNullable(form.target()).flatMap(t -> {
            try {
                return Optional.of(ReferralTarget.valueOf(t));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
        if (target.isEmpty()) {
            return back(reference, "problem", "bad-request");
        }
        return act(reference, exchange, "referred", viewer -> cases.refer(reference, target.get(), form.reason(),
                Optional.ofNullable(form.emergencyDetails()).map(String::strip), viewer));
    }

    /**
     * A call-back of the caller: the officer's own phone rings first, then the child's once the officer accepts.
     * Ticking "night" is the officer's decision to call a non-urgent case at night; refusals come back as problems.
     */
    @PostMapping("/console/cases/{reference}/callback")
    Mono<String> callBack(@PathVariable String reference, @ModelAttribute ActionForm form, ServerWebExchange exchange) {
        return act(reference, exchange, "callback", viewer -> callBacks
                .request(new CallBackRequest(reference, Optional.empty(), form.night() != null), viewer).then());
    }

    /** Supervisors only: {@link CaseService#reassign} refuses officers, whatever the page shows. */
    @PostMapping("/console/cases/{reference}/reassign")
    Mono<String> reassign(@PathVariable String reference, @ModelAttribute ActionForm form, ServerWebExchange exchange) {
        UUID officer;
        try {
            officer = UUID.fromString(String.valueOf(form.officer()));
        } catch (IllegalArgumentException e) {
            return back(reference, "problem", "bad-request");
        }
        return act(reference, exchange, "reassigned", viewer -> cases.reassign(reference, officer, form.reason(), viewer));
    }

    @PostMapping("/console/cases/{reference}/notes")
    Mono<String> note(@PathVariable String reference, @ModelAttribute ActionForm form, ServerWebExchange exchange) {
        return act(reference, exchange, "noted", viewer -> cases.addNote(reference, form.text(), viewer));
    }

    /**
     * Runs an action and goes back to the case page, naming what was done or the problem. A case the user may not see answers the 403 page.
     */
    private Mono<String> act(String reference, ServerWebExchange exchange, String done,
                           java.util.function.Function<Staff, Mono<Void>> action) {
        return staff.of(exchange).flatMap(action)
                .then(back(reference, "done", done))
                .onErrorResume(CaseProblem.class, problem -> problem.status() == HttpStatus.NOT_FOUND
                        || problem.status() == HttpStatus.FORBIDDEN
                        ? Mono.error(problem)
                        : back(reference, "problem", problem.code()));
    }

    /** A redirect (WebFlux answers it with 303, so a reload does not post again). */
    private static Mono<String> back(String reference, String key, String value) {
        URI target = UriComponentsBuilder.fromPath("/console/cases/{reference}").queryParam(key, value)
                .buildAndExpand(reference).encode().toUri();
        return Mono.just("redirect:" + target);
    }

    private Mono<List<OfficerChoice>> officers() {
        return db.sql("""
                        SELECT o.id, o.display_name, coalesce(string_agg(a.service_area_code, ', ' ORDER BY a.service_area_code), '') AS areas
                        FROM officers o LEFT JOIN officer_service_areas a ON a.officer_id = o.id
                        WHERE o.active GROUP BY o.id, o.display_name ORDER BY o.display_name""")
                .map(row -> new OfficerChoice(row.get("id", UUID.class), row.get("display_name", String.class),
                        row.get("areas", String.class)))
                .all().collectList();
    }

    private static Optional<CaseStatus> parse(String status) {
        try {
            return Optional.ofNullable(status).map(CaseStatus::valueOf);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
