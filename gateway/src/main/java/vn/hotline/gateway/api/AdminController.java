package vn.hotline.gateway.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.security.Principal;
import java.time.Instant;
import java.time.LocalDate;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.cases.CaseReports;
import vn.hotline.gateway.routing.UnitMappingService;
import vn.hotline.gateway.security.Role;

/** Administration of the unit mapping, and case reports for supervisors. */
@RestController
class AdminController {

    private final UnitMappingService mapping;
    private final CaseReports reports;
    private final CurrentStaff staff;

    AdminController(UnitMappingService mapping, CaseReports reports, CurrentStaff staff) {
        this.mapping = mapping;
        this.reports = reports;
        this.staff = staff;
    }

    /** Which area a unit belongs to, and why it changed. */
    record AreaRequest(@NotBlank String serviceArea, @NotNull LocalDate validOn, @NotBlank String reason) {
    }

    @PutMapping("/api/admin/units/{code}/area")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> moveUnit(Mono<Principal> principal, @PathVariable String code, @Valid @RequestBody AreaRequest request) {
        return staff.withRole(principal, Role.ADMIN)
                .flatMap(s -> mapping.moveUnit(code, request.validOn(), request.serviceArea(), request.reason(), s.username()));
    }

    @GetMapping("/api/reports/cases")
    Flux<CaseReports.Row> caseReport(Mono<Principal> principal,
                                     @RequestParam(defaultValue = "SERVICE_AREA") CaseReports.GroupBy groupBy,
                                     @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                     @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to) {
        return staff.withRole(principal, Role.SUPERVISOR, Role.ADMIN).flatMapMany(s -> reports.count(groupBy, from, to));
    }
}
