package vn.hotline.gateway.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.cases.CaseDetail;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.cases.CaseStatus;
import vn.hotline.gateway.cases.CaseSummary;
import vn.hotline.gateway.cases.ReferralTarget;

/** Cases for officers and supervisors, scoped to what each may see; errors are problem details. */
@RestController
@RequestMapping("/api/cases")
class CasesController {

    private final CaseService cases;
    private final CurrentStaff staff;

    CasesController(CaseService cases, CurrentStaff staff) {
        this.cases = cases;
        this.staff = staff;
    }

    /** A transition request. */
    record TransitionRequest(@NotNull CaseStatus to, @Size(max = 2000) String reason) {
    }

    /** A note. */
    record NoteRequest(@NotBlank @Size(max = 10000) String text) {
    }

    /**
     * A referral. {@code emergencyDetails} invokes the emergency exception (a child in danger; 111 only): the
     * identifying details 111 needs to act, kept encrypted, sent once and audited as a disclosure.
     */
    record ReferralRequest(@NotNull ReferralTarget target, @NotBlank @Size(max = 2000) String reason,
                           @Size(max = 4000) String emergencyDetails) {
    }

    /** A reassignment. */
    record AssignmentRequest(@NotNull UUID officerId, @NotBlank @Size(max = 2000) String reason) {
    }

    @GetMapping
    Flux<CaseSummary> list(Mono<Principal> principal, @RequestParam Optional<CaseStatus> status,
                           @RequestParam(defaultValue = "100") int limit) {
        return staff.of(principal).flatMapMany(s -> cases.list(s, status, limit));
    }

    @GetMapping("/{reference}")
    Mono<CaseDetail> read(Mono<Principal> principal, @PathVariable String reference) {
        return staff.of(principal).flatMap(s -> cases.read(reference, s));
    }

    @PostMapping("/{reference}/acknowledge")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> acknowledge(Mono<Principal> principal, @PathVariable String reference) {
        return staff.of(principal).flatMap(s -> cases.acknowledge(reference, s));
    }

    @PostMapping("/{reference}/transitions")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> transition(Mono<Principal> principal, @PathVariable String reference, @Valid @RequestBody TransitionRequest request) {
        return staff.of(principal).flatMap(s -> cases.transition(reference, request.to(), Optional.ofNullable(request.reason()), s));
    }

    @PostMapping("/{reference}/notes")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> note(Mono<Principal> principal, @PathVariable String reference, @Valid @RequestBody NoteRequest request) {
        return staff.of(principal).flatMap(s -> cases.addNote(reference, request.text(), s));
    }

    @PostMapping("/{reference}/referrals")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> refer(Mono<Principal> principal, @PathVariable String reference, @Valid @RequestBody ReferralRequest request) {
        return staff.of(principal).flatMap(s -> cases.refer(reference, request.target(), request.reason(),
                Optional.ofNullable(request.emergencyDetails()), s));
    }

    @PostMapping("/{reference}/assignment")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> reassign(Mono<Principal> principal, @PathVariable String reference, @Valid @RequestBody AssignmentRequest request) {
        return staff.of(principal).flatMap(s -> cases.reassign(reference, request.officerId(), request.reason(), s));
    }
}
