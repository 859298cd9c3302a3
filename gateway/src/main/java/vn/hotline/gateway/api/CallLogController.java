package vn.hotline.gateway.api;

import java.security.Principal;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.calllog.CallDetail;
import vn.hotline.gateway.calllog.CallEntry;
import vn.hotline.gateway.calllog.CallLog;
import vn.hotline.gateway.calllog.CallLogQuery;
import vn.hotline.gateway.calllog.ReferralEntry;
import vn.hotline.gateway.security.Role;

/** The call and referral log, for supervisors and administrators. */
@RestController
class CallLogController {

    private static final int MAX_ROWS = 10_000;

    private final CallLog log;
    private final CurrentStaff staff;

    CallLogController(CallLog log, CurrentStaff staff) {
        this.log = log;
        this.staff = staff;
    }

    @GetMapping("/api/calls")
    Flux<CallEntry> calls(Mono<Principal> principal,
                          @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                          @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                          @RequestParam Optional<String> channel, @RequestParam Optional<String> outcome,
                          @RequestParam Optional<String> serviceArea, @RequestParam Optional<String> unit,
                          @RequestParam Optional<String> category, @RequestParam Optional<UUID> officer,
                          @RequestParam(defaultValue = "200") int limit) {
        CallLogQuery query = new CallLogQuery(from, to, channel, outcome, serviceArea, unit, category, officer, bounded(limit));
        return supervisor(principal).flatMapMany(user -> log.calls(query, user));
    }

    @GetMapping("/api/calls/{id}")
    Mono<CallDetail> call(Mono<Principal> principal, @PathVariable UUID id) {
        return supervisor(principal).flatMap(user -> log.call(id, user));
    }

    @GetMapping(value = "/api/calls/export", produces = "text/csv")
    Mono<ResponseEntity<String>> export(Mono<Principal> principal,
                                        @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                        @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                                        @RequestParam Optional<String> channel, @RequestParam Optional<String> outcome,
                                        @RequestParam Optional<String> serviceArea, @RequestParam Optional<String> unit,
                                        @RequestParam Optional<String> category, @RequestParam Optional<UUID> officer) {
        CallLogQuery query = new CallLogQuery(from, to, channel, outcome, serviceArea, unit, category, officer, MAX_ROWS);
        return supervisor(principal).flatMap(user -> log.exportCsv(query, user))
                .map(csv -> ResponseEntity.ok()
                        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"calls.csv\"")
                        .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                        .body(csv));
    }

    @GetMapping("/api/referrals")
    Flux<ReferralEntry> referrals(Mono<Principal> principal,
                                  @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                  @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                                  @RequestParam Optional<String> serviceArea, @RequestParam Optional<String> target,
                                  @RequestParam(defaultValue = "200") int limit) {
        return supervisor(principal).flatMapMany(user -> log.referrals(from, to, serviceArea, target, bounded(limit), user));
    }

    private Mono<String> supervisor(Mono<Principal> principal) {
        return staff.withRole(principal, Role.SUPERVISOR, Role.ADMIN).map(s -> s.username());
    }

    private static int bounded(int limit) {
        return Math.max(1, Math.min(limit, MAX_ROWS));
    }
}
